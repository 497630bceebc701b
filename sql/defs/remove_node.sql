-- remove_node.sql - termgate-admin node remove: deletes node P_NODE's row
-- and its free ports. Refused ('live_sessions', 'alive': a heartbeat
-- within P_LOST seconds) unless P_FORCE, which first ends its live
-- sessions node_lost. Returns 'removed', 'no_such_node' or the refusal.
CREATE OR REPLACE FUNCTION termgate.remove_node(p_node text, p_lost integer,
    p_force boolean) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	n termgate.supervisors;
BEGIN
	SELECT * INTO n FROM termgate.supervisors WHERE node = p_node
	FOR UPDATE;
	IF NOT FOUND THEN
		RETURN 'no_such_node';
	END IF;
	IF NOT p_force AND EXISTS (SELECT 1 FROM termgate.sessions s
	    WHERE s.node = p_node AND termgate.is_live(s.status)) THEN
		RETURN 'live_sessions';
	END IF;
	IF NOT p_force AND n.heartbeat_at >
	    now() - make_interval(secs => p_lost) THEN
		RETURN 'alive';
	END IF;
	UPDATE termgate.sessions SET status = 'closed',
	    reason_closed = 'node_lost', closed_at = now()
	WHERE node = p_node AND termgate.is_live(status);
	DELETE FROM termgate.ports WHERE node = p_node AND session_id IS NULL;
	DELETE FROM termgate.supervisors WHERE node = p_node;
	RETURN 'removed';
END $$;
REVOKE ALL ON FUNCTION termgate.remove_node(text, integer, boolean)
	FROM PUBLIC;
