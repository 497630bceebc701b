-- admin_end_session.sql - an admin (P_BY) ends any user's live session
-- (admin_close), and says why (P_NOTE, or NULL). The closed event's
-- detail then holds "by" and "note" beside its "reason" and "was"
-- (sessions_status.sql reads them from termgate.end_detail, which is
-- set for this transaction only and cleared again before returning).
-- Returns the session as end_session does, or NULL when there is none.
CREATE OR REPLACE FUNCTION termgate.admin_end_session(p_id text, p_by text,
    p_note text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	s jsonb;
BEGIN
	PERFORM set_config('termgate.end_detail', jsonb_strip_nulls(
	    jsonb_build_object('by', p_by, 'note', p_note))::text, true);
	s := termgate.end_session(p_id, 'admin_close');
	PERFORM set_config('termgate.end_detail', '', true);
	RETURN s;
END $$;
REVOKE ALL ON FUNCTION termgate.admin_end_session(text, text, text)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.admin_end_session(text, text, text)
	TO "termgate-fcgi";
