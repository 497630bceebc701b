-- session_events_count.sql - cumulative counters kept in step with
-- session_events, so that /metrics survives restarts and retention
-- purges. Runs as the owner, whoever inserts the event.
CREATE OR REPLACE FUNCTION termgate.count_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	UPDATE termgate.counters SET value = value + 1
	WHERE name = CASE WHEN NEW.kind = 'expired'
	    THEN 'expired_' || (NEW.detail->>'reason') ELSE NEW.kind END;
	RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION termgate.count_event() FROM PUBLIC;
CREATE OR REPLACE TRIGGER session_events_count
	AFTER INSERT ON termgate.session_events
	FOR EACH ROW EXECUTE FUNCTION termgate.count_event();
