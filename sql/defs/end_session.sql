-- end_session.sql - ends a live session with REASON (the status follows
-- from it); a session already ended is left as it is. Returns the
-- session, or NULL when there is none (of P_USER, when given).
CREATE OR REPLACE FUNCTION termgate.end_session(p_id text, p_reason text,
    p_user text DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
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
REVOKE ALL ON FUNCTION termgate.end_session(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.end_session(text, text, text)
	TO "termgate-fcgi", "termgate-supervisor";
