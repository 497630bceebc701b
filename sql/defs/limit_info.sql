-- limit_info.sql - what a 429 needs: the user's live sessions oldest
-- first, and a reusable one on the host.
CREATE OR REPLACE FUNCTION termgate.limit_info(p_uid bigint, p_host text,
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
REVOKE ALL ON FUNCTION termgate.limit_info(bigint, text, integer, integer)
	FROM PUBLIC;
