-- rfc3339.sql - a time as every API body shows it.
--
-- STABLE, not IMMUTABLE: its to_char() is STABLE, and PostgreSQL inlines
-- an SQL function only when its body is no more volatile than the
-- function says (017_rfc3339_stable.sql: pgbench of the heartbeat,
-- 13,980 tps when IMMUTABLE, 16,430 when STABLE). Nothing indexes it.
CREATE OR REPLACE FUNCTION termgate.rfc3339(t timestamptz) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
	SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;
REVOKE ALL ON FUNCTION termgate.rfc3339(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.rfc3339(timestamptz)
	TO "termgate-fcgi", "termgate-supervisor";
