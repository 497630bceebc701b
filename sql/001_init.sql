-- 001_init.sql - termgate's tables, constraints and indexes.
--
-- Everything lives in schema "termgate". Times are timestamptz and are only
-- ever compared in SQL with now(). Applied once by "termgate-admin migrate".

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- The inventory of hosts a user may open a terminal on. address and
-- ssh_user end up as arguments of the terminal command, so they can never
-- start with '-' and hold only hostname, IP or user-name characters.
CREATE TABLE termgate.hosts (
	id		text PRIMARY KEY
			CHECK (id ~ '^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	address		text NOT NULL
			CHECK (address ~ '^[A-Za-z0-9_:.][A-Za-z0-9_.:-]{0,252}$'
			    AND address !~ '^-'),
	ssh_user	text NOT NULL DEFAULT 'root'
			CHECK (ssh_user ~ '^[A-Za-z_][A-Za-z0-9_.-]{0,31}$'),
	ssh_port	integer NOT NULL DEFAULT 22
			CHECK (ssh_port BETWEEN 1 AND 65535),
	created_at	timestamptz NOT NULL DEFAULT now()
);

-- One row per person, created on their first request. Opening a session
-- takes SELECT ... FOR UPDATE on this row: that lock is what makes the
-- per-user limit and the reuse decision exact across workers and nodes.
CREATE TABLE termgate.users (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	username	text NOT NULL UNIQUE
			CHECK (length(username) BETWEEN 1 AND 128),
	role		text NOT NULL DEFAULT 'user'
			CHECK (role IN ('user', 'admin')),
	max_sessions	integer CHECK (max_sessions BETWEEN 0 AND 1000),
	created_at	timestamptz NOT NULL DEFAULT now()
);

-- The tcp-mode port pool of each node; session_id is the holder, NULL when
-- free. Allocation takes the lowest free port FOR UPDATE SKIP LOCKED,
-- skipping one the supervisor found taken by another program (busy_until).
CREATE TABLE termgate.ports (
	node		text NOT NULL,
	port		integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
	session_id	text,
	busy_until	timestamptz,
	PRIMARY KEY (node, port)
);
CREATE UNIQUE INDEX ports_holder ON termgate.ports (session_id)
	WHERE session_id IS NOT NULL;

CREATE TABLE termgate.sessions (
	id		text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
	host_id		text NOT NULL,
	host_name	text NOT NULL,
	host_ip		text NOT NULL,
	user_id		bigint NOT NULL REFERENCES termgate.users (id),
	username	text NOT NULL,
	token_hash	text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	backend_auth	text,		-- tcp mode: ttyd -c USER:PASS
	node		text NOT NULL,
	endpoint	text NOT NULL,	-- unix:PATH or 127.0.0.1:PORT
	ttyd_port	integer,
	ttyd_pid	integer,
	mode		text NOT NULL CHECK (mode IN ('embedded', 'popout')),
	status		text NOT NULL DEFAULT 'starting'
			CHECK (status IN ('starting', 'active', 'closed',
			    'expired')),
	reason_closed	text CHECK (reason_closed IN ('user_close',
			    'client_lost', 'admin_close', 'process_exited',
			    'spawn_failed', 'ttl', 'idle')),
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	closed_at	timestamptz,
	client_lost_at	timestamptz,
	CONSTRAINT sessions_live_has_no_end CHECK (
	    (status IN ('starting', 'active'))
	    = (reason_closed IS NULL AND closed_at IS NULL)),
	CONSTRAINT sessions_reason_fits_status CHECK (
	    status IN ('starting', 'active')
	    OR (status = 'expired') = (reason_closed IN ('ttl', 'idle')))
);
CREATE INDEX sessions_user_live ON termgate.sessions (user_id, host_id, mode)
	WHERE status IN ('starting', 'active');
CREATE INDEX sessions_node_live ON termgate.sessions (node, status)
	WHERE status IN ('starting', 'active');
CREATE INDEX sessions_closed_at ON termgate.sessions (closed_at)
	WHERE closed_at IS NOT NULL;
CREATE INDEX sessions_user_created ON termgate.sessions (username, created_at);

-- Append-only audit trail. Rows are written by the triggers in 002 and by
-- the open function; nothing updates or deletes them but retention.
CREATE TABLE termgate.session_events (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	session_id	text,
	user_id		bigint,
	username	text,
	host_id		text,
	kind		text NOT NULL CHECK (kind IN ('created', 'reused',
			    'limit_hit', 'spawned', 'spawn_failed',
			    'heartbeat_lost', 'client_lost', 'closed',
			    'expired', 'process_exited', 'adopted')),
	at		timestamptz NOT NULL DEFAULT now(),
	detail		jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX session_events_session ON termgate.session_events (session_id);
CREATE INDEX session_events_at ON termgate.session_events (at);

-- Cumulative counters, kept in step with session_events by a trigger so
-- that /metrics survives restarts and retention purges.
CREATE TABLE termgate.counters (
	name		text PRIMARY KEY,
	value		bigint NOT NULL DEFAULT 0
);
INSERT INTO termgate.counters (name) VALUES ('created'), ('reused'),
	('limit_hit'), ('spawned'), ('spawn_failed'), ('heartbeat_lost'),
	('client_lost'), ('closed'), ('expired_ttl'), ('expired_idle'),
	('process_exited'), ('adopted');

-- One row per node's supervisor: its liveness heartbeat and GC figures.
CREATE TABLE termgate.supervisors (
	node		text PRIMARY KEY,
	pid		integer,
	started_at	timestamptz,
	heartbeat_at	timestamptz,
	terminals	integer NOT NULL DEFAULT 0,
	gc_running	boolean NOT NULL DEFAULT false,
	gc_runs		bigint NOT NULL DEFAULT 0,
	last_gc_at	timestamptz,
	last_gc_ttl	integer NOT NULL DEFAULT 0,
	last_gc_idle	integer NOT NULL DEFAULT 0,
	last_gc_client_lost integer NOT NULL DEFAULT 0,
	last_gc_purged	integer NOT NULL DEFAULT 0
);

CREATE TABLE termgate.command_history (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	session_id	text,
	host_id		text NOT NULL,
	user_id		bigint NOT NULL REFERENCES termgate.users (id),
	command		text NOT NULL
			CHECK (octet_length(command) BETWEEN 1 AND 8192),
	exit_status	integer,
	cwd		text CHECK (octet_length(cwd) <= 4096),
	executed_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX command_history_trgm ON termgate.command_history
	USING gin (command public.gin_trgm_ops);
CREATE INDEX command_history_user_host ON termgate.command_history
	(user_id, host_id, executed_at);
CREATE INDEX command_history_user_time ON termgate.command_history
	(user_id, executed_at DESC, id DESC);
