-- 007_access.sql - who may open a terminal on which host.
--
-- Users are put in groups, hosts are given tags, and a grant lets a group
-- open the hosts that carry a tag (termgate-admin group, host tag, grant).
-- Two names are built in: the group "everyone" holds every user, the tag
-- "all" is on every host. An admin (role admin in termgate.users, or
-- listed in admin_users, which termgate-fcgi passes as p_admin) may open
-- every host. open_session checks it in its transaction, after taking
-- the user's row lock, before reuse and the limit; a host the user may
-- not open is 'unknown_host', exactly like one that does not exist, so
-- host ids do not leak (info says 'forbidden' for the log). The API's
-- host list shows only what the user may open.
--
-- A new installation grants nothing: only admins may open terminals
-- until an operator grants. An installation that already has hosts keeps
-- its rule of every user on every host (the grant everyone -> all below),
-- and the migration says so.

CREATE TABLE termgate.user_groups (
	username	text NOT NULL CHECK (length(username) BETWEEN 1 AND 128),
	group_name	text NOT NULL
			CHECK (group_name ~ '^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$'
			    AND group_name <> 'everyone'),
	PRIMARY KEY (username, group_name)
);
CREATE INDEX user_groups_group ON termgate.user_groups (group_name);

CREATE TABLE termgate.host_tags (
	host_id		text NOT NULL
			REFERENCES termgate.hosts (id) ON DELETE CASCADE,
	tag		text NOT NULL
			CHECK (tag ~ '^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$'
			    AND tag <> 'all'),
	PRIMARY KEY (host_id, tag)
);
CREATE INDEX host_tags_tag ON termgate.host_tags (tag);

CREATE TABLE termgate.grants (
	group_name	text NOT NULL
			CHECK (group_name ~ '^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$'),
	tag		text NOT NULL
			CHECK (tag ~ '^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$'),
	created_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (group_name, tag)
);

-- Whether P_USER may open P_HOST is may_open() (sql/defs/may_open.sql),
-- which open_session asks; the view access (sql/defs/access.sql) shows
-- each grant. open_session took P_ADMIN here: the one of 002, one
-- argument fewer, goes (sql/defs/open_session.sql is the current one).
DROP FUNCTION IF EXISTS termgate.open_session(text, text, text, boolean,
    boolean, text, text, text, text, text, integer, integer, integer, text);

-- An installation that already has hosts let every user open every one:
-- it keeps that until an operator narrows it.
DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM termgate.hosts) THEN
		INSERT INTO termgate.grants (group_name, tag)
		VALUES ('everyone', 'all');
		RAISE WARNING 'termgate: hosts exist, so every user keeps '
		    'access to every host (a grant of "all" to "everyone"); '
		    'narrow it with termgate-admin grant and revoke';
	END IF;
END $$;

-- Grants (sql/006_roles.sql): the web tier reads the access tables (its
-- host list asks may_open, whose file grants it).
GRANT SELECT ON termgate.user_groups, termgate.host_tags, termgate.grants
	TO "termgate-fcgi";
