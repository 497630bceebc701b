-- session_audit.sql - for auditors: one row per session with its whole
-- lifecycle.
CREATE OR REPLACE VIEW termgate.session_audit AS
SELECT s.id, s.username, s.host_id, s.host_ip, s.mode, s.status,
    s.reason_closed, s.node, s.created_at,
    (SELECT min(e.at) FROM termgate.session_events e
	WHERE e.session_id = s.id AND e.kind = 'spawned') AS spawned_at,
    s.closed_at,
    date_trunc('second', coalesce(s.closed_at, now()) - s.created_at)
	AS duration,
    (SELECT count(*) FROM termgate.session_events e
	WHERE e.session_id = s.id AND e.kind = 'reused') AS reuses,
    (SELECT string_agg(e.kind, ' > ' ORDER BY e.id)
	FROM termgate.session_events e WHERE e.session_id = s.id) AS events
FROM termgate.sessions s;
REVOKE ALL ON termgate.session_audit FROM PUBLIC;
GRANT SELECT ON termgate.session_audit TO "termgate-auditor";
