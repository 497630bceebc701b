-- open_session.sql - opens (or reuses) a session for P_USER on P_HOST in
-- one transaction: termgate-fcgi's one way to start a terminal
-- (src/stmt.c, open). Its steps, each a function of its own: lock the
-- user (lock_user), may they open the host (may_open), reuse
-- (open_reuse), the limit (open_limit), placement on a node (place),
-- insert with its port (open_port) or socket (open_insert).
--
-- outcome: created | reused | pending (reused a starting session) |
-- limit (info holds the 429 body) | unknown_host (no such host, or one
-- P_USER may not open: info says 'forbidden' for the log, so that host
-- ids do not leak) | no_capacity (no node takes it) | no_port.
-- P_LOST_AFTER: seconds of silence after which a node is no longer
-- live (node_lost_after). Lock order, everywhere: the user row, then a
-- node's placement lock, then a port, then sessions.
CREATE OR REPLACE FUNCTION termgate.open_session(p_user text, p_host text,
    p_mode text, p_reuse boolean, p_close_oldest boolean, p_id text,
    p_token_hash text, p_node text, p_listen text, p_socket_dir text,
    p_limit integer, p_idle integer, p_ttl integer, p_backend_auth text,
    p_admin boolean, p_lost_after integer,
    OUT outcome text, OUT session jsonb, OUT info jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	h termgate.hosts;
	u record;
	n termgate.supervisors;
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
	SELECT * INTO outcome, session FROM termgate.open_reuse(p_reuse,
	    u.uid, p_host, p_mode, p_token_hash, p_idle, p_lost_after);
	IF outcome IS NOT NULL THEN
		RETURN;
	END IF;
	info := termgate.open_limit(u.uid, p_user, p_host,
	    coalesce(u.max_sessions, p_limit), p_close_oldest);
	IF info IS NOT NULL THEN
		outcome := 'limit';
		RETURN;
	END IF;
	SELECT * INTO n FROM termgate.place(p_node, p_lost_after);
	SELECT * INTO outcome, session FROM termgate.open_insert(h, u.uid,
	    p_user, n, p_node, p_listen, p_socket_dir, p_id, p_token_hash,
	    p_mode, p_ttl, p_backend_auth);
END $$;
REVOKE ALL ON FUNCTION termgate.open_session(text, text, text, boolean,
    boolean, text, text, text, text, text, integer, integer, integer, text,
    boolean, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.open_session(text, text, text, boolean,
    boolean, text, text, text, text, text, integer, integer, integer, text,
    boolean, integer) TO "termgate-fcgi";
