-- sessions_free_port.sql - closing a session that never had a process
-- frees its port at once; one with a process keeps it until the
-- supervisor has reaped the process.
CREATE OR REPLACE FUNCTION termgate.free_unspawned_port() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	UPDATE termgate.ports SET session_id = NULL
	WHERE session_id = NEW.id;
	RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION termgate.free_unspawned_port() FROM PUBLIC;
CREATE OR REPLACE TRIGGER sessions_free_port
	AFTER UPDATE OF status ON termgate.sessions
	FOR EACH ROW
	WHEN (NOT termgate.is_live(NEW.status) AND NEW.ttyd_pid IS NULL
	    AND NEW.ttyd_port IS NOT NULL)
	EXECUTE FUNCTION termgate.free_unspawned_port();
