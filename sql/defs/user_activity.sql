-- user_activity.sql - for auditors, per user: sessions, live ones, limit
-- hits, commands, last activity.
CREATE OR REPLACE VIEW termgate.user_activity AS
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
REVOKE ALL ON termgate.user_activity FROM PUBLIC;
GRANT SELECT ON termgate.user_activity TO "termgate-auditor";
