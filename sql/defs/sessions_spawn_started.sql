-- sessions_spawn_started.sql - when the supervisor forked a terminal: set
-- with its pid, the start of the spawn latency (015_latency.sql).
CREATE OR REPLACE FUNCTION termgate.on_spawn_started() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	NEW.spawn_started_at := now();
	RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION termgate.on_spawn_started() FROM PUBLIC;
CREATE OR REPLACE TRIGGER sessions_spawn_started
	BEFORE UPDATE OF ttyd_pid ON termgate.sessions
	FOR EACH ROW
	WHEN (OLD.ttyd_pid IS NULL AND NEW.ttyd_pid IS NOT NULL
	    AND NEW.status = 'starting')
	EXECUTE FUNCTION termgate.on_spawn_started();
