-- delete_history.sql - deletes history rows of user P_USER: the row
-- P_ID, or (P_ID NULL) every row started before P_BEFORE. Records one
-- 'history_deleted' event with the count and the first 1000 ids (a row's
-- session, when one row). The number of rows deleted; 0 changes nothing
-- and records nothing.
CREATE OR REPLACE FUNCTION termgate.delete_history(p_user text, p_id bigint,
    p_before timestamptz) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	uid bigint;
	n integer;
	ids jsonb;
	sid text;
	hid text;
BEGIN
	SELECT u.id INTO uid FROM termgate.users u WHERE u.username = p_user;
	IF NOT FOUND THEN
		RETURN 0;
	END IF;
	WITH d AS (DELETE FROM termgate.command_history c
	    WHERE c.user_id = uid AND (CASE WHEN p_id IS NULL
	    THEN c.started_at < p_before ELSE c.id = p_id END)
	    RETURNING c.id, c.session_id, c.host_id)
	SELECT count(*), (SELECT jsonb_agg(x.id ORDER BY x.id) FROM
	    (SELECT d2.id FROM d d2 ORDER BY d2.id LIMIT 1000) x),
	    min(d.session_id), min(d.host_id)
	INTO n, ids, sid, hid FROM d;
	IF n = 0 THEN
		RETURN 0;
	END IF;
	INSERT INTO termgate.session_events (session_id, user_id, username,
	    host_id, kind, detail)
	VALUES (CASE WHEN p_id IS NULL THEN NULL ELSE sid END, uid, p_user,
	    CASE WHEN p_id IS NULL THEN NULL ELSE hid END, 'history_deleted',
	    jsonb_build_object('count', n, 'ids', ids,
	    'ids_truncated', n > 1000, 'before', termgate.rfc3339(p_before)));
	RETURN n;
END $$;
REVOKE ALL ON FUNCTION termgate.delete_history(text, bigint, timestamptz)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.delete_history(text, bigint, timestamptz)
	TO "termgate-fcgi";
