-- 010_batched_collection.sql - collection and retention in bounded
-- batches. contrib/bench/gc measured 10,000 due sessions expired by one
-- statement holding their row locks (and the counter row every event
-- bumps) for 10 s, and 1,000,000 old session events deleted by one
-- statement in 9 s. The collector now ends sessions in batches (gc_* in
-- src/stmt.c, repeated by sess_gc), and purge deletes at most P_BATCH
-- events and P_BATCH sessions a call, as it already did for history.

-- A TTL batch finds its node's due live sessions by index instead of
-- reading every live one. (Nothing indexes last_seen_at: a heartbeat
-- would no longer be a HOT update.)
CREATE INDEX sessions_node_expires ON termgate.sessions (node, expires_at)
	WHERE status IN ('starting', 'active');

-- purge() in batches of sessions and events too: sql/defs/purge.sql.
