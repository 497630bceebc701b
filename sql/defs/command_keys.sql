-- command_keys.sql - the index keys of command C of user P_USER: its
-- trigrams as pg_trgm makes them (lower case, words padded), each the
-- user's. SQL, inlined where it is used: the index
-- command_history_user_keys (011_history_user_trigrams.sql) and the
-- search statement both read trigram_keys(user_id, show_trgm(command)).
-- A change here needs a migration that rebuilds that index.
CREATE OR REPLACE FUNCTION termgate.command_keys(p_user bigint, c text)
RETURNS bigint[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT termgate.trigram_keys(p_user, public.show_trgm(c))
$$;
REVOKE ALL ON FUNCTION termgate.command_keys(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.command_keys(bigint, text)
	TO "termgate-fcgi", "termgate-supervisor";
