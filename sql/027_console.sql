-- 027_console.sql - the audit trail as the operator's console reads it
-- (GET /api/terminal/admin/events, src/audit.c).
--
-- The console pages session_events newest first by (at, id), with or
-- without a user, a host or a kind: one index for the whole trail and
-- one per filter, each ending in (at, id), so that a page is a range
-- scan from the cursor backwards whatever the filter. session_events_at
-- (001) served the collector's purge by time alone; the first of these
-- serves it as well.
CREATE INDEX session_events_at_id ON termgate.session_events (at, id);
CREATE INDEX session_events_user_at
	ON termgate.session_events (username, at, id);
CREATE INDEX session_events_host_at
	ON termgate.session_events (host_id, at, id);
CREATE INDEX session_events_kind_at
	ON termgate.session_events (kind, at, id);
DROP INDEX termgate.session_events_at;

-- termgate-fcgi reads the trail for admins (the route checks the role);
-- it still writes none of it but through the owner's functions.
GRANT SELECT ON termgate.session_events TO "termgate-fcgi";
