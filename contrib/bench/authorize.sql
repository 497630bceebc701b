-- authorize.sql - pgbench script: the query of termgate's authorize
-- (STMT_AUTH_LOOKUP in src/stmt.c, "auth_lookup"), word for word, on a
-- random one of the pre-made sessions (lpad(:n::text, 64, '0'): the ids
-- authorize.lua asks about). Run with -M prepared, as the workers run it.
\set n random(1, :sessions)
SELECT token_hash, status, endpoint, username, backend_auth FROM termgate.sessions WHERE id = lpad(:n::text, 64, '0');
