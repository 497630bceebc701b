-- trigram_keys.sql - the keys of trigrams G of user P_USER: (user_id <<
-- 24) | 24 bits of hashtext(trigram), so that one user's substring
-- search reads only that user's posting lists
-- (011_history_user_trigrams.sql). PL/pgSQL, as is substring_trigrams: a
-- search plans its statement for its values, and so runs both while
-- planning; PL/pgSQL keeps their plans for the connection, where an SQL
-- function's query would be planned anew on each call.
--
-- The index command_history_user_keys (011) is built on it: a change
-- here needs a migration that rebuilds that index.
CREATE OR REPLACE FUNCTION termgate.trigram_keys(p_user bigint, g text[])
RETURNS bigint[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
	RETURN ARRAY(SELECT (p_user << 24) |
	    (pg_catalog.hashtext(t) & 16777215) FROM pg_catalog.unnest(g) t);
END $$;
REVOKE ALL ON FUNCTION termgate.trigram_keys(bigint, text[]) FROM PUBLIC;
-- Every INSERT computes the index's keys (the supervisor's captured
-- commands; add_command is SECURITY DEFINER); termgate-fcgi's searches
-- compute a search's keys.
GRANT EXECUTE ON FUNCTION termgate.trigram_keys(bigint, text[])
	TO "termgate-fcgi", "termgate-supervisor";
