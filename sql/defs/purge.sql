-- purge.sql - retention, in bounded batches.
--
-- History rows older than P_HISTORY_DAYS, oldest first, then session
-- events and ended sessions past P_SESSION_DAYS, oldest first: at most
-- P_BATCH rows of each a call, skipping rows another transaction holds
-- (a user deleting them), so that one call holds its row locks only for
-- one batch; the collector calls it once a run (010_batched_collection:
-- 1,000,000 old events deleted by one statement took 9 s). Returns how
-- many rows of each it deleted.
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
REVOKE ALL ON FUNCTION termgate.purge(integer, integer, integer)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.purge(integer, integer, integer)
	TO "termgate-supervisor";

-- The two-argument form that programs older than 005_history_search
-- prepare: one batch of 10,000 too, so that none of them deletes a whole
-- backlog in one transaction. Returns the rows deleted.
CREATE OR REPLACE FUNCTION termgate.purge(p_history_days integer,
    p_session_days integer) RETURNS integer
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	SELECT p.history_rows + p.session_rows
	FROM termgate.purge(p_history_days, p_session_days, 10000) p
$$;
REVOKE ALL ON FUNCTION termgate.purge(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.purge(integer, integer)
	TO "termgate-supervisor";
