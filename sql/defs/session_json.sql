-- session_json.sql - the session as every API body shows it (the worker
-- adds url and token).
CREATE OR REPLACE FUNCTION termgate.session_json(s termgate.sessions)
RETURNS jsonb
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
REVOKE ALL ON FUNCTION termgate.session_json(termgate.sessions) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.session_json(termgate.sessions)
	TO "termgate-fcgi", "termgate-supervisor";
