-- place.sql - an open's placement step: the node a new session goes to,
-- or no row (012_nodes.sql). P_NODE received the request: it takes the
-- session when it is live, active and below its capacity, else the live
-- active node with the fewest live sessions that is below its capacity
-- and has an address. A node with no row at all (its supervisor never
-- ran) takes its own requests.
CREATE OR REPLACE FUNCTION termgate.place(p_node text, p_lost integer)
RETURNS SETOF termgate.supervisors
LANGUAGE plpgsql AS $$
DECLARE
	n termgate.supervisors;
BEGIN
	SELECT * INTO n FROM termgate.supervisors WHERE node = p_node;
	IF NOT FOUND THEN
		n.node := p_node;	-- unregistered: its own requests
		RETURN NEXT n;
		RETURN;
	END IF;
	IF termgate.node_takes(n, p_lost) THEN
		RETURN NEXT n;
		RETURN;
	END IF;
	FOR n IN SELECT x.* FROM termgate.supervisors x
	    LEFT JOIN (SELECT s.node, count(*) AS live
		FROM termgate.sessions s WHERE termgate.is_live(s.status)
		GROUP BY s.node) c ON c.node = x.node
	    WHERE x.node <> p_node AND x.address IS NOT NULL
		AND x.listen IS NOT NULL AND x.socket_dir IS NOT NULL
		AND x.state = 'active'
		AND x.heartbeat_at > now() - make_interval(secs => p_lost)
	    ORDER BY coalesce(c.live, 0), x.node LOOP
		IF termgate.node_takes(n, p_lost) THEN
			RETURN NEXT n;
			RETURN;
		END IF;
	END LOOP;
END $$;
REVOKE ALL ON FUNCTION termgate.place(text, integer) FROM PUBLIC;
