-- active_sessions.sql - for operators and auditors with psql: live
-- sessions with who, where, and how long.
CREATE OR REPLACE VIEW termgate.active_sessions AS
SELECT s.id, s.username, s.host_id, s.host_name, s.mode, s.status, s.node,
    s.endpoint, s.ttyd_pid, s.created_at, s.last_seen_at, s.expires_at,
    s.client_lost_at, date_trunc('second', now() - s.created_at) AS age,
    date_trunc('second', now() - s.last_seen_at) AS since_seen
FROM termgate.sessions s
WHERE s.status IN ('starting', 'active')
ORDER BY s.created_at;
REVOKE ALL ON termgate.active_sessions FROM PUBLIC;
GRANT SELECT ON termgate.active_sessions TO "termgate-auditor";
