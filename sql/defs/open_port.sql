-- open_port.sql - an open's port, in tcp mode: the lowest free port of
-- node P_NODE's pool, skipping one the supervisor found taken by another
-- program (busy_until) and one another open holds, now held by session
-- P_ID; NULL when none is left. Lock order: a port, then the session.
CREATE OR REPLACE FUNCTION termgate.open_port(p_node text, p_id text)
RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
	p integer;
BEGIN
	SELECT port INTO p FROM termgate.ports
	WHERE node = p_node AND session_id IS NULL
	    AND (busy_until IS NULL OR busy_until <= now())
	ORDER BY port LIMIT 1 FOR UPDATE SKIP LOCKED;
	IF FOUND THEN
		UPDATE termgate.ports SET session_id = p_id
		WHERE node = p_node AND port = p;
	END IF;
	RETURN p;
END $$;
REVOKE ALL ON FUNCTION termgate.open_port(text, text) FROM PUBLIC;
