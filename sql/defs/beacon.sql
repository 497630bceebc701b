-- beacon.sql - the page went away (navigator.sendBeacon): remember when,
-- and close at once when there is no grace. A heartbeat or a reuse
-- clears the mark. Returns false when the session is not live (nothing
-- changed).
CREATE OR REPLACE FUNCTION termgate.beacon(p_id text, p_grace integer)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	s termgate.sessions;
BEGIN
	UPDATE termgate.sessions
	SET client_lost_at = coalesce(client_lost_at, now())
	WHERE id = p_id AND termgate.is_live(status)
	RETURNING * INTO s;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	PERFORM termgate.record(s, 'heartbeat_lost',
	    jsonb_build_object('grace', p_grace));
	IF p_grace = 0 THEN
		PERFORM termgate.end_session(p_id, 'client_lost');
	END IF;
	RETURN true;
END $$;
REVOKE ALL ON FUNCTION termgate.beacon(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.beacon(text, integer) TO "termgate-fcgi";
