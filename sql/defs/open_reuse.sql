-- open_reuse.sql - an open's reuse step, when P_REUSE: user P_UID's
-- newest session on P_HOST in P_MODE that is starting, or active and
-- seen within P_IDLE seconds, on a node not silent for P_LOST seconds (a
-- lost node's terminal is unreachable; it still counts against the
-- limit until it ends node_lost). It takes the new token and is seen
-- now. outcome: reused | pending (still starting) | NULL (none: open a
-- new one). Runs under the user's row lock (lock_user).
CREATE OR REPLACE FUNCTION termgate.open_reuse(p_reuse boolean,
    p_uid bigint, p_host text, p_mode text, p_token_hash text,
    p_idle integer, p_lost integer, OUT outcome text, OUT session jsonb)
LANGUAGE plpgsql AS $$
DECLARE
	s termgate.sessions;
BEGIN
	SELECT * INTO s FROM termgate.sessions x
	WHERE p_reuse AND x.user_id = p_uid AND x.host_id = p_host
	    AND x.mode = p_mode AND x.expires_at > now()
	    AND (x.status = 'starting' OR (x.status = 'active'
	    AND x.last_seen_at > now() - make_interval(secs => p_idle)))
	    AND NOT EXISTS (SELECT 1 FROM termgate.supervisors y
		WHERE y.node = x.node AND y.heartbeat_at <=
		now() - make_interval(secs => p_lost))
	ORDER BY x.created_at DESC LIMIT 1 FOR UPDATE;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	UPDATE termgate.sessions SET token_hash = p_token_hash,
	    last_seen_at = now(), client_lost_at = NULL
	WHERE id = s.id RETURNING * INTO s;
	PERFORM termgate.record(s, 'reused');
	outcome := CASE s.status WHEN 'starting' THEN 'pending'
	    ELSE 'reused' END;
	session := termgate.session_json(s);
END $$;
REVOKE ALL ON FUNCTION termgate.open_reuse(boolean, bigint, text, text,
    text, integer, integer) FROM PUBLIC;
