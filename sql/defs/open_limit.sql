-- open_limit.sql - an open's limit step: user P_UID (P_USER) may have
-- P_LIMIT live sessions. At the limit, P_CLOSE_OLDEST closes the oldest
-- ones to make room (user_close); otherwise the attempt is recorded
-- (limit_hit) and the 429's body returned (limit_info). NULL: room for
-- one more. Runs under the user's row lock (lock_user).
CREATE OR REPLACE FUNCTION termgate.open_limit(p_uid bigint, p_user text,
    p_host text, p_limit integer, p_close_oldest boolean) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	live integer;
BEGIN
	SELECT count(*) INTO live FROM termgate.sessions x
	WHERE x.user_id = p_uid AND termgate.is_live(x.status);
	IF live >= p_limit AND p_close_oldest AND p_limit > 0 THEN
		UPDATE termgate.sessions SET status = 'closed',
		    reason_closed = 'user_close', closed_at = now()
		WHERE id IN (SELECT x.id FROM termgate.sessions x
		    WHERE x.user_id = p_uid AND termgate.is_live(x.status)
		    ORDER BY x.created_at, x.id LIMIT live - p_limit + 1);
		live := p_limit - 1;
	END IF;
	IF live < p_limit THEN
		RETURN NULL;
	END IF;
	INSERT INTO termgate.session_events (user_id, username, host_id,
	    kind, detail)
	VALUES (p_uid, p_user, p_host, 'limit_hit',
	    jsonb_build_object('max_active', p_limit, 'count', live));
	RETURN termgate.limit_info(p_uid, p_host, p_limit, live);
END $$;
REVOKE ALL ON FUNCTION termgate.open_limit(bigint, text, text, integer,
    boolean) FROM PUBLIC;
