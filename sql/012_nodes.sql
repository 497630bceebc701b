-- 012_nodes.sql - several nodes on one database: nodes as rows,
-- placement of new sessions, and the end of a node that died.
--
-- A node is the row its supervisor keeps in termgate.supervisors (001):
-- it already refreshes heartbeat_at every gc_interval. This adds what the
-- other nodes need to know of it: the address at which their nginx
-- reaches its terminals (node_address, "HOST:PORT" of its internal
-- terminal listener), its capacity (node_capacity: live sessions at most,
-- NULL for no limit), how its terminals listen (terminal_listen and
-- socket_dir, from which open_session builds a session's endpoint as that
-- node would), and its state: 'drained' (termgate-admin node drain) takes
-- no new session and keeps the ones it has. The supervisor writes all but
-- state; termgate-admin writes state.
--
-- Placement happens in open_session, under the user's row lock (so limits
-- and reuse stay exact): the node that received the request when it is
-- live, active and below its capacity, else the live active node with
-- the fewest live sessions that is below its capacity and has an
-- address, else outcome 'no_capacity'. "Live" is a heartbeat within
-- p_lost_after seconds (node_lost_after). A node that has no row at all
-- (its supervisor never ran: a single-node setup's first minutes, or a
-- test) takes its own requests as before. Capacity is exact: a placement
-- onto a node with a capacity takes that node's placement lock (advisory,
-- class 7469, for the transaction) and counts under it.
--
-- Lock order, everywhere: the user row, then a node's placement lock,
-- then a port, then sessions.
--
-- A node whose heartbeat is older than node_lost_after has died (or lost
-- the database): any other node's supervisor ends its live sessions with
-- reason 'node_lost' (stmt.c, STMT_NODE_LOST). Their ports stay held
-- until that node's supervisor is back and has stopped what still runs
-- (reconcile.c), so that no port still served by a leftover terminal is
-- handed out again; a session that never had a process frees its port at
-- once (free_unspawned_port, 002).

ALTER TABLE termgate.supervisors
	ADD COLUMN address text
	    CHECK (address ~ '^[A-Za-z0-9_.-]{1,253}:[1-9][0-9]{0,4}$'
		OR address ~ '^\[[0-9A-Fa-f:.]{2,45}\]:[1-9][0-9]{0,4}$'),
	ADD COLUMN capacity integer CHECK (capacity >= 0),
	ADD COLUMN state text NOT NULL DEFAULT 'active'
	    CHECK (state IN ('active', 'drained')),
	ADD COLUMN listen text CHECK (listen IN ('unix', 'tcp')),
	ADD COLUMN socket_dir text;

ALTER TABLE termgate.sessions
	DROP CONSTRAINT sessions_reason_closed_check,
	ADD CONSTRAINT sessions_reason_closed_check CHECK (reason_closed IN
	    ('user_close', 'client_lost', 'admin_close', 'process_exited',
	    'spawn_failed', 'ttl', 'idle', 'node_lost'));

-- Placement is node_takes() and place(), open_session's step; ending a
-- node, remove_node(): each in sql/defs/. open_session took
-- P_LOST_AFTER here (its new outcome 'no_capacity'): the one of 007, one
-- argument fewer, goes.
DROP FUNCTION IF EXISTS termgate.open_session(text, text, text, boolean,
    boolean, text, text, text, text, text, integer, integer, integer, text,
    boolean);
