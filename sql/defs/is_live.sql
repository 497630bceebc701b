-- is_live.sql - whether a session's status is a live one. The triggers'
-- WHEN clauses call it as whoever updates a session.
CREATE OR REPLACE FUNCTION termgate.is_live(status text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT status IN ('starting', 'active')
$$;
REVOKE ALL ON FUNCTION termgate.is_live(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.is_live(text)
	TO "termgate-fcgi", "termgate-supervisor";
