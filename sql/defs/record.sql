-- record.sql - records an event of session S. The owner writes the event
-- log: SECURITY DEFINER, with a search_path nobody else can put a name
-- on (006_roles.sql). The supervisor records its own events with it;
-- the lifecycle triggers write theirs themselves (sessions_status.sql).
CREATE OR REPLACE FUNCTION termgate.record(s termgate.sessions, p_kind text,
    p_detail jsonb DEFAULT '{}') RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	INSERT INTO termgate.session_events (session_id, user_id, username,
	    host_id, kind, detail)
	VALUES (s.id, s.user_id, s.username, s.host_id, p_kind, p_detail)
$$;
REVOKE ALL ON FUNCTION termgate.record(termgate.sessions, text, jsonb)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.record(termgate.sessions, text, jsonb)
	TO "termgate-supervisor";
