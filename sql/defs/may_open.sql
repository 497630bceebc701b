-- may_open.sql - whether P_USER may open P_HOST (007_access.sql): an
-- admin (P_ADMIN: by the configuration's admin_users; or role admin in
-- termgate.users) may open every host, anyone else the hosts whose tags
-- a group of theirs was granted ("everyone" holds every user, "all" is
-- on every host). The API's host list asks it too. In PL/pgSQL, whose
-- plans a connection keeps (an SQL function with subqueries is parsed
-- and planned again at every call: a quarter of a millisecond an open).
CREATE OR REPLACE FUNCTION termgate.may_open(p_user text, p_host text,
    p_admin boolean) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN p_admin
	    OR EXISTS (SELECT 1 FROM termgate.users u
		WHERE u.username = p_user AND u.role = 'admin')
	    OR EXISTS (SELECT 1 FROM termgate.grants g
		WHERE (g.group_name = 'everyone' OR EXISTS (SELECT 1
		    FROM termgate.user_groups m WHERE m.username = p_user
		    AND m.group_name = g.group_name))
		AND (g.tag = 'all' OR EXISTS (SELECT 1
		    FROM termgate.host_tags t WHERE t.host_id = p_host
		    AND t.tag = g.tag)));
END $$;
REVOKE ALL ON FUNCTION termgate.may_open(text, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.may_open(text, text, boolean)
	TO "termgate-fcgi";
