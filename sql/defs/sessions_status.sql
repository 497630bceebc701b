-- sessions_status.sql - every status change is recorded in
-- session_events (and its counter); an ended session has its process
-- stopped (termgate_close), and the end of a starting one wakes the
-- worker waiting for it (termgate_ready, "ID ok" or "ID failed").
-- An admin's close adds who closed it and why to its event's detail:
-- termgate.admin_end_session() hands them over in the transaction's
-- setting termgate.end_detail (a JSON object; "" or unset: nothing).
CREATE OR REPLACE FUNCTION termgate.on_status() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	kind text;
	detail jsonb;
BEGIN
	IF NEW.status = 'active' THEN
		kind := 'spawned';
		detail := jsonb_build_object('pid', NEW.ttyd_pid);
	ELSE
		kind := CASE NEW.reason_closed
		    WHEN 'ttl' THEN 'expired' WHEN 'idle' THEN 'expired'
		    WHEN 'client_lost' THEN 'client_lost'
		    WHEN 'process_exited' THEN 'process_exited'
		    WHEN 'spawn_failed' THEN 'spawn_failed'
		    ELSE 'closed' END;
		detail := jsonb_build_object('reason', NEW.reason_closed,
		    'was', OLD.status);
		IF NEW.reason_closed = 'admin_close' THEN
			detail := coalesce(nullif(current_setting(
			    'termgate.end_detail', true), '')::jsonb,
			    '{}') || detail;
		END IF;
	END IF;
	INSERT INTO termgate.session_events (session_id, user_id, username,
	    host_id, kind, detail)
	VALUES (NEW.id, NEW.user_id, NEW.username, NEW.host_id, kind, detail);
	IF NEW.status = 'active' THEN
		PERFORM pg_notify('termgate_ready', NEW.id || ' ok');
		RETURN NULL;
	END IF;
	IF OLD.status = 'starting' THEN
		PERFORM pg_notify('termgate_ready', NEW.id || ' failed');
	END IF;
	PERFORM pg_notify('termgate_close', NEW.id);
	RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION termgate.on_status() FROM PUBLIC;
CREATE OR REPLACE TRIGGER sessions_status
	AFTER UPDATE OF status ON termgate.sessions
	FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
	EXECUTE FUNCTION termgate.on_status();
