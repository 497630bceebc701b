-- open_insert.sql - an open's last step: session P_ID of user P_UID
-- (P_USER) on host H, on node N, which place() chose (NULL: none takes
-- it). Its endpoint is a socket under the node's socket_dir, or a
-- loopback port of the node's pool in tcp mode (open_port); P_LISTEN and
-- P_SOCKET_DIR are those of P_NODE, which received the request, another
-- node's come from its row. outcome: created (session set) |
-- no_capacity | no_port (the node's pool is used up).
--
-- A created session's transaction commits without waiting for the WAL
-- flush: its answer waits for the terminal's ready notification, which
-- the supervisor's mark_active sends at a commit that does wait
-- (sess.c), and the WAL is flushed in order, so the open is durable
-- before it is answered all the same, with one flush on the open's way
-- instead of two. A failed open is closed durably (end_session).
CREATE OR REPLACE FUNCTION termgate.open_insert(h termgate.hosts,
    p_uid bigint, p_user text, n termgate.supervisors, p_node text,
    p_listen text, p_socket_dir text, p_id text, p_token_hash text,
    p_mode text, p_ttl integer, p_backend_auth text,
    OUT outcome text, OUT session jsonb)
LANGUAGE plpgsql AS $$
DECLARE
	s termgate.sessions;
	p integer;
	listen text := CASE WHEN n.node = p_node THEN p_listen ELSE n.listen END;
	dir text := CASE WHEN n.node = p_node THEN p_socket_dir
	    ELSE n.socket_dir END;
BEGIN
	IF n.node IS NULL THEN
		outcome := 'no_capacity';
		RETURN;
	END IF;
	IF listen = 'tcp' THEN
		p := termgate.open_port(n.node, p_id);
		IF p IS NULL THEN
			outcome := 'no_port';
			RETURN;
		END IF;
	END IF;
	INSERT INTO termgate.sessions (id, host_id, host_name, host_ip,
	    user_id, username, token_hash, backend_auth, node, endpoint,
	    ttyd_port, mode, expires_at)
	VALUES (p_id, h.id, h.name, h.address, p_uid, p_user, p_token_hash,
	    CASE WHEN p IS NULL THEN NULL ELSE p_backend_auth END, n.node,
	    CASE WHEN p IS NULL THEN 'unix:' || dir || '/' || p_id || '.sock'
	    ELSE '127.0.0.1:' || p END, p, p_mode,
	    now() + make_interval(secs => p_ttl))
	RETURNING * INTO s;
	outcome := 'created';
	PERFORM set_config('synchronous_commit', 'off', true);
	session := termgate.session_json(s);
END $$;
REVOKE ALL ON FUNCTION termgate.open_insert(termgate.hosts, bigint, text,
    termgate.supervisors, text, text, text, text, text, text, integer, text)
	FROM PUBLIC;
