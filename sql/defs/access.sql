-- access.sql - for operators and auditors: each grant with the users and
-- hosts it covers ("everyone" and "all" are written as such).
CREATE OR REPLACE VIEW termgate.access AS
SELECT g.group_name, g.tag,
    CASE WHEN g.group_name = 'everyone' THEN '(everyone)' ELSE
	(SELECT string_agg(m.username, ' ' ORDER BY m.username)
	FROM termgate.user_groups m WHERE m.group_name = g.group_name)
    END AS users,
    CASE WHEN g.tag = 'all' THEN '(all)' ELSE
	(SELECT string_agg(t.host_id, ' ' ORDER BY t.host_id)
	FROM termgate.host_tags t WHERE t.tag = g.tag)
    END AS hosts,
    g.created_at
FROM termgate.grants g
ORDER BY g.group_name, g.tag;
REVOKE ALL ON termgate.access FROM PUBLIC;
GRANT SELECT ON termgate.access TO "termgate-auditor";
