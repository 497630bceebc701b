-- sessions_endpoint_form.sql - a session's endpoint is what the
-- supervisor connects to, unlinks and chowns: a new one is only ever
-- DIR/ID.sock, DIR an absolute path of plain names (none starting with
-- '.', so no ".."), or a loopback port. The one writer of new endpoints
-- is open_session(), with the socket_dir termgate-fcgi passes; this
-- holds for any writer. Rows already there are left as they were.
CREATE OR REPLACE FUNCTION termgate.check_endpoint() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NOT ((NEW.endpoint ~
	    '^unix:(/[A-Za-z0-9_][A-Za-z0-9._-]*)+/[0-9a-f]{64}\.sock$'
	    AND right(NEW.endpoint, 70) = '/' || NEW.id || '.sock'
	    AND octet_length(NEW.endpoint) <= 5 + 107)
	    OR NEW.endpoint ~ '^127\.0\.0\.1:[1-9][0-9]{0,4}$') THEN
		RAISE EXCEPTION 'session %: endpoint % is neither DIR/ID.sock '
		    'under a plain absolute DIR nor a loopback port', NEW.id,
		    NEW.endpoint USING ERRCODE = 'invalid_parameter_value';
	END IF;
	RETURN NEW;
END $$;
REVOKE ALL ON FUNCTION termgate.check_endpoint() FROM PUBLIC;
CREATE OR REPLACE TRIGGER sessions_endpoint_form
	BEFORE INSERT OR UPDATE OF endpoint ON termgate.sessions
	FOR EACH ROW EXECUTE FUNCTION termgate.check_endpoint();
