-- 003_views.sql - views for operators who audit termgate with psql.

-- Live sessions with who, where, and how long.
CREATE VIEW termgate.active_sessions AS
SELECT s.id, s.username, s.host_id, s.host_name, s.mode, s.status, s.node,
    s.endpoint, s.ttyd_pid, s.created_at, s.last_seen_at, s.expires_at,
    s.client_lost_at, date_trunc('second', now() - s.created_at) AS age,
    date_trunc('second', now() - s.last_seen_at) AS since_seen
FROM termgate.sessions s
WHERE s.status IN ('starting', 'active')
ORDER BY s.created_at;

-- One row per session with its whole lifecycle.
CREATE VIEW termgate.session_audit AS
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

-- Per user: sessions, live ones, limit hits, commands, last activity.
CREATE VIEW termgate.user_activity AS
SELECT u.username, u.role, u.max_sessions,
    (SELECT count(*) FROM termgate.sessions s WHERE s.user_id = u.id)
	AS sessions,
    (SELECT count(*) FROM termgate.sessions s WHERE s.user_id = u.id
	AND s.status IN ('starting', 'active')) AS live_sessions,
    (SELECT count(*) FROM termgate.session_events e WHERE e.user_id = u.id
	AND e.kind = 'limit_hit') AS limit_hits,
    (SELECT count(*) FROM termgate.command_history c
	WHERE c.user_id = u.id) AS commands,
    (SELECT max(s.created_at) FROM termgate.sessions s
	WHERE s.user_id = u.id) AS last_session_at
FROM termgate.users u;
