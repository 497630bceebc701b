-- sessions_ready.sql - a session that becomes ready is observed in the
-- latency histograms (015_latency.sql): open -> ready (created_at to
-- 'active') and, when the supervisor recorded the fork, spawn.
CREATE OR REPLACE FUNCTION termgate.on_ready() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM termgate.observe('open_ready',
	    extract(epoch FROM now() - NEW.created_at));
	IF NEW.spawn_started_at IS NOT NULL THEN
		PERFORM termgate.observe('spawn',
		    extract(epoch FROM now() - NEW.spawn_started_at));
	END IF;
	RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION termgate.on_ready() FROM PUBLIC;
CREATE OR REPLACE TRIGGER sessions_ready
	AFTER UPDATE OF status ON termgate.sessions
	FOR EACH ROW WHEN (OLD.status = 'starting' AND NEW.status = 'active')
	EXECUTE FUNCTION termgate.on_ready();
