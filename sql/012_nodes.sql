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

-- Whether node N may take one more session now: live within P_LOST
-- seconds, active, and (after taking its placement lock when it has a
-- capacity) below its capacity. A node found full without the lock is
-- not locked: an open holds the lock of a node it passes over only when
-- that node filled up in the meantime, which keeps two opens that each
-- pass over one node for the other from waiting on each other but in
-- that narrow race (PostgreSQL then fails one of them: a 503).
CREATE FUNCTION termgate.node_takes(n termgate.supervisors, p_lost integer)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	live integer;
BEGIN
	IF n.state <> 'active' OR n.heartbeat_at IS NULL
	    OR n.heartbeat_at <= now() - make_interval(secs => p_lost) THEN
		RETURN false;
	END IF;
	IF n.capacity IS NULL THEN
		RETURN true;
	END IF;
	SELECT count(*) INTO live FROM termgate.sessions s
	WHERE s.node = n.node AND termgate.is_live(s.status);
	IF live >= n.capacity THEN
		RETURN false;
	END IF;
	PERFORM pg_advisory_xact_lock(7469, hashtext(n.node));
	SELECT count(*) INTO live FROM termgate.sessions s
	WHERE s.node = n.node AND termgate.is_live(s.status);
	RETURN live < n.capacity;
END $$;

-- The node a new session goes to (see above), or no row. P_NODE received
-- the request.
CREATE FUNCTION termgate.place(p_node text, p_lost integer)
RETURNS SETOF termgate.supervisors
LANGUAGE plpgsql AS $$
DECLARE
	n termgate.supervisors;
BEGIN
	SELECT * INTO n FROM termgate.supervisors WHERE node = p_node;
	IF NOT FOUND THEN
		n.node := p_node;	-- unregistered: its own requests
		RETURN NEXT n;
		RETURN;
	END IF;
	IF termgate.node_takes(n, p_lost) THEN
		RETURN NEXT n;
		RETURN;
	END IF;
	FOR n IN SELECT x.* FROM termgate.supervisors x
	    LEFT JOIN (SELECT s.node, count(*) AS live
		FROM termgate.sessions s WHERE termgate.is_live(s.status)
		GROUP BY s.node) c ON c.node = x.node
	    WHERE x.node <> p_node AND x.address IS NOT NULL
		AND x.listen IS NOT NULL AND x.socket_dir IS NOT NULL
		AND x.state = 'active'
		AND x.heartbeat_at > now() - make_interval(secs => p_lost)
	    ORDER BY coalesce(c.live, 0), x.node LOOP
		IF termgate.node_takes(n, p_lost) THEN
			RETURN NEXT n;
			RETURN;
		END IF;
	END LOOP;
END $$;

-- open_session as in 007, placing the session (P_LOST_AFTER: seconds of
-- silence after which a node is no longer live). P_LISTEN and
-- P_SOCKET_DIR are the receiving node's; another node's come from its
-- row. New outcome: 'no_capacity'. A session on a node that has gone
-- silent is not reused (its terminal is unreachable; it still counts
-- against the limit until it ends node_lost).
DROP FUNCTION termgate.open_session(text, text, text, boolean, boolean,
    text, text, text, text, text, integer, integer, integer, text, boolean);
CREATE FUNCTION termgate.open_session(p_user text, p_host text, p_mode text,
    p_reuse boolean, p_close_oldest boolean, p_id text, p_token_hash text,
    p_node text, p_listen text, p_socket_dir text, p_limit integer,
    p_idle integer, p_ttl integer, p_backend_auth text, p_admin boolean,
    p_lost_after integer,
    OUT outcome text, OUT session jsonb, OUT info jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	h termgate.hosts;
	u record;
	s termgate.sessions;
	n termgate.supervisors;
	lim integer;
	live integer;
	p integer;
	listen text := p_listen;
	dir text := p_socket_dir;
BEGIN
	SELECT * INTO h FROM termgate.hosts WHERE id = p_host;
	IF NOT FOUND THEN
		outcome := 'unknown_host';
		RETURN;
	END IF;
	SELECT * INTO u FROM termgate.lock_user(p_user);
	IF NOT termgate.may_open(p_user, p_host, p_admin) THEN
		outcome := 'unknown_host';
		info := '{"reason": "forbidden"}';
		RETURN;
	END IF;

	IF p_reuse THEN
		SELECT * INTO s FROM termgate.sessions x
		WHERE x.user_id = u.uid AND x.host_id = p_host
		    AND x.mode = p_mode AND x.expires_at > now()
		    AND (x.status = 'starting' OR (x.status = 'active'
		    AND x.last_seen_at > now() - make_interval(secs => p_idle)))
		    AND NOT EXISTS (SELECT 1 FROM termgate.supervisors y
			WHERE y.node = x.node AND y.heartbeat_at <=
			now() - make_interval(secs => p_lost_after))
		ORDER BY x.created_at DESC LIMIT 1 FOR UPDATE;
		IF FOUND THEN
			UPDATE termgate.sessions SET token_hash = p_token_hash,
			    last_seen_at = now(), client_lost_at = NULL
			WHERE id = s.id RETURNING * INTO s;
			PERFORM termgate.record(s, 'reused');
			outcome := CASE s.status WHEN 'starting'
			    THEN 'pending' ELSE 'reused' END;
			session := termgate.session_json(s);
			RETURN;
		END IF;
	END IF;

	lim := coalesce(u.max_sessions, p_limit);
	SELECT count(*) INTO live FROM termgate.sessions x
	WHERE x.user_id = u.uid AND termgate.is_live(x.status);
	IF live >= lim AND p_close_oldest AND lim > 0 THEN
		UPDATE termgate.sessions SET status = 'closed',
		    reason_closed = 'user_close', closed_at = now()
		WHERE id IN (SELECT x.id FROM termgate.sessions x
		    WHERE x.user_id = u.uid AND termgate.is_live(x.status)
		    ORDER BY x.created_at, x.id LIMIT live - lim + 1);
		live := lim - 1;
	END IF;
	IF live >= lim THEN
		info := termgate.limit_info(u.uid, p_host, lim, live);
		INSERT INTO termgate.session_events (user_id, username,
		    host_id, kind, detail)
		VALUES (u.uid, p_user, p_host, 'limit_hit',
		    jsonb_build_object('max_active', lim, 'count', live));
		outcome := 'limit';
		RETURN;
	END IF;

	SELECT * INTO n FROM termgate.place(p_node, p_lost_after);
	IF NOT FOUND THEN
		outcome := 'no_capacity';
		RETURN;
	END IF;
	IF n.node <> p_node THEN
		listen := n.listen;
		dir := n.socket_dir;
	END IF;

	IF listen = 'tcp' THEN
		SELECT port INTO p FROM termgate.ports
		WHERE node = n.node AND session_id IS NULL
		    AND (busy_until IS NULL OR busy_until <= now())
		ORDER BY port LIMIT 1 FOR UPDATE SKIP LOCKED;
		IF NOT FOUND THEN
			outcome := 'no_port';
			RETURN;
		END IF;
		UPDATE termgate.ports SET session_id = p_id
		WHERE node = n.node AND port = p;
	END IF;

	INSERT INTO termgate.sessions (id, host_id, host_name, host_ip,
	    user_id, username, token_hash, backend_auth, node, endpoint,
	    ttyd_port, mode, expires_at)
	VALUES (p_id, h.id, h.name, h.address, u.uid, p_user, p_token_hash,
	    CASE WHEN p IS NULL THEN NULL ELSE p_backend_auth END, n.node,
	    CASE WHEN p IS NULL THEN 'unix:' || dir || '/' || p_id
	    || '.sock' ELSE '127.0.0.1:' || p END, p, p_mode,
	    now() + make_interval(secs => p_ttl))
	RETURNING * INTO s;
	outcome := 'created';
	session := termgate.session_json(s);
END $$;

-- termgate-admin node remove: deletes node P_NODE's row and its free
-- ports. Refused ('live_sessions', 'alive': a heartbeat within P_LOST
-- seconds) unless P_FORCE, which first ends its live sessions node_lost.
-- Returns 'removed', 'no_such_node' or the refusal.
CREATE FUNCTION termgate.remove_node(p_node text, p_lost integer,
    p_force boolean) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	n termgate.supervisors;
BEGIN
	SELECT * INTO n FROM termgate.supervisors WHERE node = p_node
	FOR UPDATE;
	IF NOT FOUND THEN
		RETURN 'no_such_node';
	END IF;
	IF NOT p_force AND EXISTS (SELECT 1 FROM termgate.sessions s
	    WHERE s.node = p_node AND termgate.is_live(s.status)) THEN
		RETURN 'live_sessions';
	END IF;
	IF NOT p_force AND n.heartbeat_at >
	    now() - make_interval(secs => p_lost) THEN
		RETURN 'alive';
	END IF;
	UPDATE termgate.sessions SET status = 'closed',
	    reason_closed = 'node_lost', closed_at = now()
	WHERE node = p_node AND termgate.is_live(status);
	DELETE FROM termgate.ports WHERE node = p_node AND session_id IS NULL;
	DELETE FROM termgate.supervisors WHERE node = p_node;
	RETURN 'removed';
END $$;

-- Grants (sql/006_roles.sql): the web tier opens through the new
-- open_session; the supervisor already writes its own row (INSERT,
-- UPDATE on supervisors) and ends sessions (UPDATE of status); the
-- functions open_session calls run as the owner.
GRANT EXECUTE ON FUNCTION termgate.open_session(text, text, text, boolean,
    boolean, text, text, text, text, text, integer, integer, integer, text,
    boolean, integer) TO "termgate-fcgi";
