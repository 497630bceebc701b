-- 002_lifecycle.sql - the session lifecycle, enforced in the database.
--
-- Triggers make the rules hold whoever writes: a worker, the supervisor or
-- an operator in psql. A closed or expired row never changes again; every
-- status change is recorded in session_events (and its counter); a new
-- session wakes the supervisor (termgate_spawn), an ended one has its
-- process stopped (termgate_close), and the end of a starting session wakes
-- the worker waiting for it (termgate_ready, "ID ok" or "ID failed").
--
-- Lock order, everywhere: the user row, then a port, then sessions.

CREATE FUNCTION termgate.rfc3339(t timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
$$;

CREATE FUNCTION termgate.is_live(status text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT status IN ('starting', 'active')
$$;

-- The session as every API body shows it (the worker adds url and token).
CREATE FUNCTION termgate.session_json(s termgate.sessions) RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    'session_id', s.id, 'host_id', s.host_id,
	    'host_name', s.host_name, 'username', s.username,
	    'mode', s.mode, 'status', s.status, 'node', s.node,
	    'ttyd_port', s.ttyd_port,
	    'created_at', termgate.rfc3339(s.created_at),
	    'last_seen_at', termgate.rfc3339(s.last_seen_at),
	    'expires_at', termgate.rfc3339(s.expires_at),
	    'closed_at', termgate.rfc3339(s.closed_at),
	    'reason_closed', s.reason_closed,
	    'age_seconds',
	    floor(extract(epoch FROM now() - s.created_at))::integer,
	    'last_seen_seconds', greatest(0,
	    floor(extract(epoch FROM now() - s.last_seen_at)))::integer)
$$;

CREATE FUNCTION termgate.record(s termgate.sessions, p_kind text,
    p_detail jsonb DEFAULT '{}') RETURNS void
LANGUAGE sql AS $$
	INSERT INTO termgate.session_events (session_id, user_id, username,
	    host_id, kind, detail)
	VALUES (s.id, s.user_id, s.username, s.host_id, p_kind, p_detail)
$$;

CREATE FUNCTION termgate.count_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE termgate.counters SET value = value + 1
	WHERE name = CASE WHEN NEW.kind = 'expired'
	    THEN 'expired_' || (NEW.detail->>'reason') ELSE NEW.kind END;
	RETURN NULL;
END $$;
CREATE TRIGGER session_events_count AFTER INSERT ON termgate.session_events
	FOR EACH ROW EXECUTE FUNCTION termgate.count_event();

-- A closed or expired row never changes again: the first reason stands.
CREATE FUNCTION termgate.keep_ended() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RETURN NULL;
END $$;
CREATE TRIGGER sessions_keep_ended BEFORE UPDATE ON termgate.sessions
	FOR EACH ROW WHEN (NOT termgate.is_live(OLD.status))
	EXECUTE FUNCTION termgate.keep_ended();

CREATE FUNCTION termgate.on_created() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM termgate.record(NEW, 'created',
	    jsonb_build_object('mode', NEW.mode, 'node', NEW.node));
	PERFORM pg_notify('termgate_spawn', NEW.id);
	RETURN NULL;
END $$;
CREATE TRIGGER sessions_created AFTER INSERT ON termgate.sessions
	FOR EACH ROW EXECUTE FUNCTION termgate.on_created();

CREATE FUNCTION termgate.on_status() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	kind text;
BEGIN
	IF NEW.status = 'active' THEN
		PERFORM termgate.record(NEW, 'spawned',
		    jsonb_build_object('pid', NEW.ttyd_pid));
		PERFORM pg_notify('termgate_ready', NEW.id || ' ok');
		RETURN NULL;
	END IF;
	kind := CASE NEW.reason_closed
	    WHEN 'ttl' THEN 'expired' WHEN 'idle' THEN 'expired'
	    WHEN 'client_lost' THEN 'client_lost'
	    WHEN 'process_exited' THEN 'process_exited'
	    WHEN 'spawn_failed' THEN 'spawn_failed'
	    ELSE 'closed' END;
	PERFORM termgate.record(NEW, kind,
	    jsonb_build_object('reason', NEW.reason_closed,
	    'was', OLD.status));
	IF OLD.status = 'starting' THEN
		PERFORM pg_notify('termgate_ready', NEW.id || ' failed');
	END IF;
	PERFORM pg_notify('termgate_close', NEW.id);
	RETURN NULL;
END $$;
CREATE TRIGGER sessions_status AFTER UPDATE OF status ON termgate.sessions
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
	EXECUTE FUNCTION termgate.on_status();

-- Closing a session that never had a process frees its port at once; one
-- with a process keeps it until the supervisor has reaped the process.
CREATE FUNCTION termgate.free_unspawned_port() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	UPDATE termgate.ports SET session_id = NULL
	WHERE session_id = NEW.id;
	RETURN NULL;
END $$;
CREATE TRIGGER sessions_free_port AFTER UPDATE OF status
	ON termgate.sessions FOR EACH ROW
	WHEN (NOT termgate.is_live(NEW.status) AND NEW.ttyd_pid IS NULL
	    AND NEW.ttyd_port IS NOT NULL)
	EXECUTE FUNCTION termgate.free_unspawned_port();

-- Returns the user's id with the user's row locked, creating the row first.
CREATE FUNCTION termgate.lock_user(p_user text, OUT uid bigint,
    OUT max_sessions integer)
LANGUAGE plpgsql AS $$
BEGIN
	SELECT u.id, u.max_sessions INTO uid, max_sessions
	FROM termgate.users u WHERE u.username = p_user FOR UPDATE;
	IF NOT FOUND THEN
		INSERT INTO termgate.users (username) VALUES (p_user)
		ON CONFLICT (username) DO NOTHING;
		SELECT u.id, u.max_sessions INTO uid, max_sessions
		FROM termgate.users u WHERE u.username = p_user FOR UPDATE;
	END IF;
END $$;

-- What a 429 needs: live sessions oldest first, a reusable one on the host.
CREATE FUNCTION termgate.limit_info(p_uid bigint, p_host text,
    p_limit integer, p_count integer) RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
DECLARE
	live jsonb;
	reuse_id text;
	actions jsonb := '[]';
BEGIN
	SELECT coalesce(jsonb_agg(jsonb_build_object('session_id', s.id,
	    'host_id', s.host_id, 'host_name', s.host_name, 'mode', s.mode,
	    'status', s.status,
	    'age_seconds', floor(extract(epoch FROM now() - s.created_at)),
	    'last_seen_seconds', greatest(0,
	    floor(extract(epoch FROM now() - s.last_seen_at))))
	    ORDER BY s.created_at, s.id), '[]')
	INTO live
	FROM termgate.sessions s
	WHERE s.user_id = p_uid AND termgate.is_live(s.status);

	SELECT s.id INTO reuse_id FROM termgate.sessions s
	WHERE s.user_id = p_uid AND s.host_id = p_host
	    AND termgate.is_live(s.status)
	ORDER BY s.last_seen_at DESC LIMIT 1;

	IF reuse_id IS NOT NULL THEN
		actions := actions || '["reuse_existing"]';
	END IF;
	actions := actions || '["close_oldest"]';
	SELECT actions || coalesce(jsonb_agg('close_session:' ||
	    (e->>'session_id')), '[]')
	INTO actions FROM jsonb_array_elements(live) e;

	RETURN jsonb_build_object('error', 'SESSION_LIMIT',
	    'message', format('Maximum sessions reached (%s)', p_limit),
	    'max_active', p_limit,
	    'current_count', p_count, 'active_sessions', live,
	    'suggested_actions', actions, 'can_reuse', reuse_id IS NOT NULL,
	    'reusable_session_id', reuse_id);
END $$;

-- Opens (or reuses) a session for P_USER on P_HOST in one transaction.
-- outcome: created | reused | pending (reused a starting session) |
-- limit (info holds the 429 body) | unknown_host | no_port.
CREATE FUNCTION termgate.open_session(p_user text, p_host text, p_mode text,
    p_reuse boolean, p_close_oldest boolean, p_id text, p_token_hash text,
    p_node text, p_listen text, p_socket_dir text, p_limit integer,
    p_idle integer, p_ttl integer, p_backend_auth text,
    OUT outcome text, OUT session jsonb, OUT info jsonb)
LANGUAGE plpgsql AS $$
DECLARE
	h termgate.hosts;
	u record;
	s termgate.sessions;
	lim integer;
	live integer;
	p integer;
BEGIN
	SELECT * INTO h FROM termgate.hosts WHERE id = p_host;
	IF NOT FOUND THEN
		outcome := 'unknown_host';
		RETURN;
	END IF;
	SELECT * INTO u FROM termgate.lock_user(p_user);

	IF p_reuse THEN
		SELECT * INTO s FROM termgate.sessions x
		WHERE x.user_id = u.uid AND x.host_id = p_host
		    AND x.mode = p_mode AND x.expires_at > now()
		    AND (x.status = 'starting' OR (x.status = 'active'
		    AND x.last_seen_at > now() - make_interval(secs => p_idle)))
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

	IF p_listen = 'tcp' THEN
		SELECT port INTO p FROM termgate.ports
		WHERE node = p_node AND session_id IS NULL
		    AND (busy_until IS NULL OR busy_until <= now())
		ORDER BY port LIMIT 1 FOR UPDATE SKIP LOCKED;
		IF NOT FOUND THEN
			outcome := 'no_port';
			RETURN;
		END IF;
		UPDATE termgate.ports SET session_id = p_id
		WHERE node = p_node AND port = p;
	END IF;

	INSERT INTO termgate.sessions (id, host_id, host_name, host_ip,
	    user_id, username, token_hash, backend_auth, node, endpoint,
	    ttyd_port, mode, expires_at)
	VALUES (p_id, h.id, h.name, h.address, u.uid, p_user, p_token_hash,
	    CASE WHEN p IS NULL THEN NULL ELSE p_backend_auth END, p_node,
	    CASE WHEN p IS NULL THEN 'unix:' || p_socket_dir || '/' || p_id
	    || '.sock' ELSE '127.0.0.1:' || p END, p, p_mode,
	    now() + make_interval(secs => p_ttl))
	RETURNING * INTO s;
	outcome := 'created';
	session := termgate.session_json(s);
END $$;

-- Ends a live session with REASON (the status follows from it); a session
-- already ended is left as it is. Returns the session, or no row.
CREATE FUNCTION termgate.end_session(p_id text, p_reason text,
    p_user text DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	s termgate.sessions;
BEGIN
	UPDATE termgate.sessions SET
	    status = CASE WHEN p_reason IN ('ttl', 'idle') THEN 'expired'
	    ELSE 'closed' END,
	    reason_closed = p_reason, closed_at = now()
	WHERE id = p_id AND termgate.is_live(status)
	    AND (p_user IS NULL OR username = p_user)
	RETURNING * INTO s;
	IF NOT FOUND THEN
		SELECT * INTO s FROM termgate.sessions
		WHERE id = p_id AND (p_user IS NULL OR username = p_user);
		IF NOT FOUND THEN
			RETURN NULL;
		END IF;
	END IF;
	RETURN termgate.session_json(s);
END $$;

-- The page went away (navigator.sendBeacon): remember when, and close at
-- once when there is no grace. A heartbeat or a reuse clears the mark.
-- Returns false when the session is not live (nothing changed).
CREATE FUNCTION termgate.beacon(p_id text, p_grace integer) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	s termgate.sessions;
BEGIN
	UPDATE termgate.sessions
	SET client_lost_at = coalesce(client_lost_at, now())
	WHERE id = p_id AND termgate.is_live(status)
	RETURNING * INTO s;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	PERFORM termgate.record(s, 'heartbeat_lost',
	    jsonb_build_object('grace', p_grace));
	IF p_grace = 0 THEN
		PERFORM termgate.end_session(p_id, 'client_lost');
	END IF;
	RETURN true;
END $$;

-- Deletes command history and ended sessions (with their events) older
-- than the retention periods. Returns the number of rows deleted.
CREATE FUNCTION termgate.purge(p_history_days integer,
    p_session_days integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	n integer;
	total integer := 0;
BEGIN
	DELETE FROM termgate.command_history
	WHERE executed_at < now() - make_interval(days => p_history_days);
	GET DIAGNOSTICS n = ROW_COUNT;
	total := total + n;
	DELETE FROM termgate.session_events e
	WHERE e.at < now() - make_interval(days => p_session_days)
	    AND NOT EXISTS (SELECT 1 FROM termgate.sessions s
	    WHERE s.id = e.session_id AND termgate.is_live(s.status));
	GET DIAGNOSTICS n = ROW_COUNT;
	total := total + n;
	DELETE FROM termgate.sessions
	WHERE NOT termgate.is_live(status)
	    AND closed_at < now() - make_interval(days => p_session_days)
	    AND NOT EXISTS (SELECT 1 FROM termgate.ports p
	    WHERE p.session_id = sessions.id);
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN total + n;
END $$;
