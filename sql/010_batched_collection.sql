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

-- P_HISTORY_DAYS, oldest first, then session events and ended sessions
-- past P_SESSION_DAYS, oldest first: at most P_BATCH rows of each a call,
-- skipping rows another transaction holds, so that one call holds its
-- row locks only for one batch; the collector calls it once a run.
-- Returns how many rows of each it deleted. (CREATE OR REPLACE resets
-- what 009 set: it is said again here.)
CREATE OR REPLACE FUNCTION termgate.purge(p_history_days integer,
    p_session_days integer, p_batch integer, OUT history_rows integer,
    OUT session_rows integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	n integer;
BEGIN
	-- The ids first (an index range), then each row by its key: never
	-- a scan of the whole table.
	DELETE FROM termgate.command_history
	WHERE id = ANY (ARRAY(SELECT c.id FROM termgate.command_history c
	    WHERE c.started_at < now() - make_interval(days => p_history_days)
	    ORDER BY c.started_at LIMIT p_batch FOR UPDATE SKIP LOCKED));
	GET DIAGNOSTICS history_rows = ROW_COUNT;
	DELETE FROM termgate.session_events
	WHERE id = ANY (ARRAY(SELECT e.id FROM termgate.session_events e
	    WHERE e.at < now() - make_interval(days => p_session_days)
	    AND NOT EXISTS (SELECT 1 FROM termgate.sessions s
	    WHERE s.id = e.session_id AND termgate.is_live(s.status))
	    ORDER BY e.at LIMIT p_batch FOR UPDATE SKIP LOCKED));
	GET DIAGNOSTICS session_rows = ROW_COUNT;
	DELETE FROM termgate.sessions
	WHERE id = ANY (ARRAY(SELECT s.id FROM termgate.sessions s
	    WHERE NOT termgate.is_live(s.status)
	    AND s.closed_at < now() - make_interval(days => p_session_days)
	    AND NOT EXISTS (SELECT 1 FROM termgate.ports p
	    WHERE p.session_id = s.id)
	    ORDER BY s.closed_at LIMIT p_batch FOR UPDATE SKIP LOCKED));
	GET DIAGNOSTICS n = ROW_COUNT;
	session_rows := session_rows + n;
END $$;
