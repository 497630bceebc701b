-- 006_roles.sql - one PostgreSQL role per program, with only the rights
-- that program needs.
--
-- Roles are cluster-wide, so no migration creates them: a superuser does,
-- with the statements "termgate-admin roles" prints, before this runs
-- (below, a missing one stops the migration with that advice). The owner
-- is the role that runs "termgate-admin migrate" (termgate, in the
-- documented setup): it owns the schema, every table and every function,
-- and termgate-admin works as it. The others:
--
--   "termgate-fcgi"        the web tier. Reads what the API shows and
--                          refreshes heartbeats (last_seen_at,
--                          client_lost_at: the only columns it may
--                          write). It opens, ends and beacons sessions
--                          only through the functions that keep the
--                          lifecycle's rules (SECURITY DEFINER, below);
--                          it cannot write the events, a pid, an
--                          endpoint, a port, a host, a user, or delete a
--                          thing.
--   "termgate-supervisor"  runs the terminals. Reads sessions, hosts and
--                          its ports; writes a session's status and end,
--                          its pids and history offset, its node's port
--                          pool and liveness row, and captured commands
--                          (command_history, INSERT only); records events
--                          and purges old rows only through functions.
--   "termgate-auditor"     people who audit with psql (GRANT
--                          "termgate-auditor" TO alice): SELECT on the
--                          views, nothing else.
--
-- The event log is written only by the owner's functions: the triggers
-- that record every status change and count events, record(), and
-- purge(), each SECURITY DEFINER with a fixed search_path, and EXECUTE
-- granted only to the program that calls it. Only the owner may alter a
-- table, disable a trigger or delete an event.
--
-- Later migrations: each one grants what it adds, in the same file (a
-- table, a view and a log each need different rights, so there are no
-- default privileges for tables); a function a later migration creates
-- is executable by nobody but the owner until that migration grants it
-- (the ALTER DEFAULT PRIVILEGES below). tests/db checks that no relation
-- of the schema is left with the default privileges.

DO $$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['termgate-fcgi', 'termgate-supervisor',
	    'termgate-auditor'] LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles
		    WHERE rolname = r) THEN
			RAISE EXCEPTION 'role "%" does not exist', r
			    USING HINT = 'As a PostgreSQL superuser, run what '
			    '"termgate-admin roles" prints (termgate-admin '
			    'roles | sudo -u postgres psql), then migrate again.';
		END IF;
	END LOOP;
END $$;

-- Only termgate's roles (and the owner, and superusers) may connect, and
-- nobody may create temporary tables (they could shadow names). Only the
-- owner of the database may say so: another migrating role is told what
-- a superuser must run instead.
DO $$
BEGIN
	IF pg_catalog.pg_has_role((SELECT datdba FROM pg_catalog.pg_database
	    WHERE datname = pg_catalog.current_database()), 'MEMBER') THEN
		EXECUTE pg_catalog.format('REVOKE ALL ON DATABASE %I FROM PUBLIC',
		    pg_catalog.current_database());
		EXECUTE pg_catalog.format('GRANT CONNECT ON DATABASE %I TO '
		    '"termgate-fcgi", "termgate-supervisor", "termgate-auditor"',
		    pg_catalog.current_database());
	ELSE
		RAISE WARNING 'not the owner of database %: as a superuser, run '
		    'REVOKE ALL ON DATABASE % FROM PUBLIC; GRANT CONNECT ON '
		    'DATABASE % TO "termgate-fcgi", "termgate-supervisor", '
		    '"termgate-auditor"', pg_catalog.current_database(),
		    pg_catalog.current_database(), pg_catalog.current_database();
	END IF;
END $$;

-- Nothing for PUBLIC in the schema; the programs' roles get what follows.
REVOKE ALL ON SCHEMA termgate FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA termgate FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA termgate FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA termgate FROM PUBLIC;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
GRANT USAGE ON SCHEMA termgate
	TO "termgate-fcgi", "termgate-supervisor", "termgate-auditor";

-- A session's endpoint is what the supervisor connects to, unlinks and
-- chowns: a new one is only ever DIR/ID.sock, DIR an absolute path of
-- plain names (none starting with '.', so no ".."), or a loopback port.
-- The one writer of new endpoints is open_session(), with the socket_dir
-- termgate-fcgi passes; this holds for any writer. Rows already there
-- are left as they were.
CREATE FUNCTION termgate.check_endpoint() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT ((NEW.endpoint ~
	    '^unix:(/[A-Za-z0-9_][A-Za-z0-9._-]*)+/[0-9a-f]{64}\.sock$'
	    AND right(NEW.endpoint, 70) = '/' || NEW.id || '.sock'
	    AND octet_length(NEW.endpoint) <= 5 + 107)
	    OR NEW.endpoint ~ '^127\.0\.0\.1:[1-9][0-9]{0,4}$') THEN
		RAISE EXCEPTION 'session %: endpoint % is neither DIR/ID.sock '
		    'under a plain absolute DIR nor a loopback port', NEW.id,
		    NEW.endpoint USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER sessions_endpoint_form
	BEFORE INSERT OR UPDATE OF endpoint ON termgate.sessions
	FOR EACH ROW EXECUTE FUNCTION termgate.check_endpoint();

-- The functions that write what a program's role may not: they run as
-- the owner, with a search_path nobody else can put a name on.
ALTER FUNCTION termgate.open_session(text, text, text, boolean, boolean,
    text, text, text, text, text, integer, integer, integer, text)
	SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION termgate.end_session(text, text, text)
	SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION termgate.beacon(text, integer)
	SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION termgate.purge(integer, integer)
	SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION termgate.record(termgate.sessions, text, jsonb)
	SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
-- The triggers' functions: whoever changes a session, the owner writes
-- its events, counters and freed port.
ALTER FUNCTION termgate.count_event()
	SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION termgate.on_created()
	SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION termgate.on_status()
	SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION termgate.free_unspawned_port()
	SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

-- Helpers every reader of sessions calls (the triggers' WHEN clauses
-- call is_live as whoever updates).
GRANT EXECUTE ON FUNCTION termgate.rfc3339(timestamptz),
    termgate.is_live(text), termgate.session_json(termgate.sessions)
	TO "termgate-fcgi", "termgate-supervisor";

-- termgate-fcgi (stmt.c: open, end, get, heartbeat, list_user,
-- auth_lookup, beacon, admin_list, metrics, node_health, the users'
-- roles and limits, the host list).
GRANT SELECT ON termgate.sessions, termgate.hosts, termgate.users,
    termgate.counters, termgate.supervisors TO "termgate-fcgi";
GRANT UPDATE (last_seen_at, client_lost_at) ON termgate.sessions
	TO "termgate-fcgi";
GRANT EXECUTE ON FUNCTION termgate.open_session(text, text, text, boolean,
    boolean, text, text, text, text, text, integer, integer, integer, text),
    termgate.end_session(text, text, text), termgate.beacon(text, integer)
	TO "termgate-fcgi";

-- termgate-supervisor (stmt.c: mark_active, sess_set_pid, release_port,
-- record, gc_*, purge, sess_starting/live/lookup/held_ports, node_*,
-- end; and what command history capture writes).
GRANT SELECT ON termgate.sessions, termgate.hosts, termgate.ports,
    termgate.supervisors TO "termgate-supervisor";
GRANT UPDATE (status, reason_closed, closed_at, last_seen_at, ttyd_pid,
    holder_pid, history_offset) ON termgate.sessions
	TO "termgate-supervisor";
GRANT INSERT, UPDATE, DELETE ON termgate.ports TO "termgate-supervisor";
GRANT INSERT, UPDATE ON termgate.supervisors TO "termgate-supervisor";
GRANT SELECT, INSERT ON termgate.command_history TO "termgate-supervisor";
GRANT EXECUTE ON FUNCTION termgate.end_session(text, text, text),
    termgate.record(termgate.sessions, text, jsonb),
    termgate.purge(integer, integer) TO "termgate-supervisor";

-- termgate-auditor: the views of 003, whose owner reads the tables.
GRANT SELECT ON termgate.active_sessions, termgate.session_audit,
    termgate.user_activity TO "termgate-auditor";
