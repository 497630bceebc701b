-- heartbeat.sql - pgbench script: the heartbeat statement of
-- termgate-fcgi (STMT_HEARTBEAT in src/stmt.c, "heartbeat"), word for
-- word, on a random one of the pre-made sessions. Run with -M prepared,
-- as the workers run it prepared. $1, the session id, is
-- lpad(:n::text, 64, '0') here (pgbench has no strings), the same ids
-- heartbeat.lua sends; $2 is :user (pgbench -D user=bench). Like the
-- workers' statement, its commit does not wait for the WAL flush.
\set n random(1, :sessions)
WITH u AS (UPDATE termgate.sessions SET last_seen_at = now(), client_lost_at = NULL WHERE id = lpad(:n::text, 64, '0') AND username = :user AND status IN ('starting', 'active') AND set_config('synchronous_commit', 'off', true) = 'off' RETURNING *) SELECT status, termgate.rfc3339(last_seen_at), greatest(0, ceil(extract(epoch FROM expires_at - now())))::integer, reason_closed FROM u UNION ALL SELECT status, termgate.rfc3339(last_seen_at), 0, reason_closed FROM termgate.sessions WHERE id = lpad(:n::text, 64, '0') AND username = :user AND NOT EXISTS (SELECT 1 FROM u);
