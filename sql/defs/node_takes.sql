-- node_takes.sql - whether node N may take one more session now
-- (012_nodes.sql): live within P_LOST seconds, active, and (after taking
-- its placement lock when it has a capacity) below its capacity. A node
-- found full without the lock is not locked: an open holds the lock of
-- a node it passes over only when that node filled up in the meantime,
-- which keeps two opens that each pass over one node for the other from
-- waiting on each other but in that narrow race (PostgreSQL then fails
-- one of them: a 503).
CREATE OR REPLACE FUNCTION termgate.node_takes(n termgate.supervisors,
    p_lost integer) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
	live integer;
BEGIN
	IF n.state <> 'active' OR n.heartbeat_at IS NULL
	    OR n.heartbeat_at <= now() - make_interval(secs => p_lost) THEN
		RETURN false;
	END IF;
	IF n.capacity IS NULL THEN
		RETURN true;
	END IF;
	SELECT count(*) INTO live FROM termgate.sessions s
	WHERE s.node = n.node AND termgate.is_live(s.status);
	IF live >= n.capacity THEN
		RETURN false;
	END IF;
	PERFORM pg_advisory_xact_lock(7469, hashtext(n.node));
	SELECT count(*) INTO live FROM termgate.sessions s
	WHERE s.node = n.node AND termgate.is_live(s.status);
	RETURN live < n.capacity;
END $$;
REVOKE ALL ON FUNCTION termgate.node_takes(termgate.supervisors, integer)
	FROM PUBLIC;
