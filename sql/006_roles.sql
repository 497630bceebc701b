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
-- default privileges for tables); a function is executable by nobody but
-- the owner until its file in sql/defs/ grants it (the ALTER DEFAULT
-- PRIVILEGES below, and each file's REVOKE). tests/db checks that no
-- relation of the schema is left with the default privileges.

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

-- A session's endpoint is checked by the trigger sessions_endpoint_form
-- (sql/defs/sessions_endpoint_form.sql). The functions that write what a
-- program's role may not run as the owner, with a search_path nobody
-- else can put a name on (SECURITY DEFINER SET search_path = pg_catalog,
-- pg_temp), and each function's file under sql/defs/ says so and grants
-- EXECUTE to whom calls it, as each view's grants SELECT: this migration
-- once did both with ALTER FUNCTION and GRANT.

-- termgate-fcgi (stmt.c: open, end, get, heartbeat, list_user,
-- auth_lookup, beacon, admin_list, metrics, node_health, the users'
-- roles and limits, the host list).
GRANT SELECT ON termgate.sessions, termgate.hosts, termgate.users,
    termgate.counters, termgate.supervisors TO "termgate-fcgi";
GRANT UPDATE (last_seen_at, client_lost_at) ON termgate.sessions
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

