-- add_command.sql - records a command of session P_SESSION, owned by
-- P_USER, posted through the API (source 'shell'). outcome: created (id
-- set) | not_found (no such session of P_USER) | ended | limited
-- (retry_after: seconds until a token is back). The per-session rate
-- limit is a token bucket in the session row (history_tokens, 005),
-- refilled at P_RATE a second up to P_BURST, taken under the row's lock:
-- the session row is the only lock.
CREATE OR REPLACE FUNCTION termgate.add_command(p_session text,
    p_user text, p_command text, p_exit integer, p_cwd text,
    p_started timestamptz, p_finished timestamptz, p_rate double precision,
    p_burst integer, OUT outcome text, OUT id bigint,
    OUT retry_after integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	s termgate.sessions;
	tokens double precision;
BEGIN
	SELECT * INTO s FROM termgate.sessions x
	WHERE x.id = p_session AND x.username = p_user FOR UPDATE;
	IF NOT FOUND THEN
		outcome := 'not_found';
		RETURN;
	END IF;
	IF NOT termgate.is_live(s.status) THEN
		outcome := 'ended';
		RETURN;
	END IF;
	tokens := least(p_burst::double precision,
	    coalesce(s.history_tokens, p_burst) + p_rate * extract(epoch FROM
	    now() - coalesce(s.history_tokens_at, now()))::double precision);
	IF tokens < 1 THEN
		outcome := 'limited';
		retry_after := greatest(1, ceil((1 - tokens) / p_rate));
		RETURN;
	END IF;
	UPDATE termgate.sessions SET history_tokens = tokens - 1,
	    history_tokens_at = now()
	WHERE sessions.id = s.id;
	-- The times are the client's word: kept within the session's life,
	-- which is not over (a row dated in the future would never be
	-- purged). greatest() and least() skip a NULL: an unknown end stays
	-- unknown only through the CASE.
	INSERT INTO termgate.command_history (session_id, host_id, user_id,
	    command, exit_status, cwd, started_at, finished_at, source)
	VALUES (s.id, s.host_id, s.user_id, p_command, p_exit, p_cwd,
	    least(greatest(coalesce(p_started, p_finished, now()),
	    s.created_at), now()),
	    CASE WHEN p_finished IS NOT NULL THEN
	    least(greatest(p_finished, s.created_at), now()) END, 'shell')
	RETURNING command_history.id INTO id;
	outcome := 'created';
END $$;
REVOKE ALL ON FUNCTION termgate.add_command(text, text, text, integer, text,
    timestamptz, timestamptz, double precision, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.add_command(text, text, text, integer,
    text, timestamptz, timestamptz, double precision, integer)
	TO "termgate-fcgi";
