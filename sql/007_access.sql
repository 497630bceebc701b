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

-- Whether P_USER may open P_HOST (P_ADMIN: an admin by the configuration).
CREATE FUNCTION termgate.may_open(p_user text, p_host text,
    p_admin boolean) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT p_admin
	    OR EXISTS (SELECT 1 FROM termgate.users u
		WHERE u.username = p_user AND u.role = 'admin')
	    OR EXISTS (SELECT 1 FROM termgate.grants g
		WHERE (g.group_name = 'everyone' OR EXISTS (SELECT 1
		    FROM termgate.user_groups m WHERE m.username = p_user
		    AND m.group_name = g.group_name))
		AND (g.tag = 'all' OR EXISTS (SELECT 1
		    FROM termgate.host_tags t WHERE t.host_id = p_host
		    AND t.tag = g.tag)))
$$;

-- Each grant with the users and hosts it covers, for operators and
-- auditors ("everyone" and "all" are written as such).
CREATE VIEW termgate.access AS
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

-- open_session as in 002, with P_ADMIN and the access check; the old one
-- (one argument fewer) goes.
DROP FUNCTION termgate.open_session(text, text, text, boolean, boolean,
    text, text, text, text, text, integer, integer, integer, text);
CREATE FUNCTION termgate.open_session(p_user text, p_host text, p_mode text,
    p_reuse boolean, p_close_oldest boolean, p_id text, p_token_hash text,
    p_node text, p_listen text, p_socket_dir text, p_limit integer,
    p_idle integer, p_ttl integer, p_backend_auth text, p_admin boolean,
    OUT outcome text, OUT session jsonb, OUT info jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	h termgate.hosts;
	u record;
	s termgate.sessions;
	lim integer;
	live integer;
	p integer;
BEGIN
	SELECT * INTO h FROM termgate.hosts WHERE id = p_host;
	IF NOT FOUND THEN
		outcome := 'unknown_host';
		RETURN;
	END IF;
	SELECT * INTO u FROM termgate.lock_user(p_user);
	IF NOT termgate.may_open(p_user, p_host, p_admin) THEN
		outcome := 'unknown_host';
		info := '{"reason": "forbidden"}';
		RETURN;
	END IF;

	IF p_reuse THEN
		SELECT * INTO s FROM termgate.sessions x
		WHERE x.user_id = u.uid AND x.host_id = p_host
		    AND x.mode = p_mode AND x.expires_at > now()
		    AND (x.status = 'starting' OR (x.status = 'active'
		    AND x.last_seen_at > now() - make_interval(secs => p_idle)))
		ORDER BY x.created_at DESC LIMIT 1 FOR UPDATE;
		IF FOUND THEN
			UPDATE termgate.sessions SET token_hash = p_token_hash,
			    last_seen_at = now(), client_lost_at = NULL
			WHERE id = s.id RETURNING * INTO s;
			PERFORM termgate.record(s, 'reused');
			outcome := CASE s.status WHEN 'starting'
			    THEN 'pending' ELSE 'reused' END;
			session := termgate.session_json(s);
			RETURN;
		END IF;
	END IF;

	lim := coalesce(u.max_sessions, p_limit);
	SELECT count(*) INTO live FROM termgate.sessions x
	WHERE x.user_id = u.uid AND termgate.is_live(x.status);
	IF live >= lim AND p_close_oldest AND lim > 0 THEN
		UPDATE termgate.sessions SET status = 'closed',
		    reason_closed = 'user_close', closed_at = now()
		WHERE id IN (SELECT x.id FROM termgate.sessions x
		    WHERE x.user_id = u.uid AND termgate.is_live(x.status)
		    ORDER BY x.created_at, x.id LIMIT live - lim + 1);
		live := lim - 1;
	END IF;
	IF live >= lim THEN
		info := termgate.limit_info(u.uid, p_host, lim, live);
		INSERT INTO termgate.session_events (user_id, username,
		    host_id, kind, detail)
		VALUES (u.uid, p_user, p_host, 'limit_hit',
		    jsonb_build_object('max_active', lim, 'count', live));
		outcome := 'limit';
		RETURN;
	END IF;

	IF p_listen = 'tcp' THEN
		SELECT port INTO p FROM termgate.ports
		WHERE node = p_node AND session_id IS NULL
		    AND (busy_until IS NULL OR busy_until <= now())
		ORDER BY port LIMIT 1 FOR UPDATE SKIP LOCKED;
		IF NOT FOUND THEN
			outcome := 'no_port';
			RETURN;
		END IF;
		UPDATE termgate.ports SET session_id = p_id
		WHERE node = p_node AND port = p;
	END IF;

	INSERT INTO termgate.sessions (id, host_id, host_name, host_ip,
	    user_id, username, token_hash, backend_auth, node, endpoint,
	    ttyd_port, mode, expires_at)
	VALUES (p_id, h.id, h.name, h.address, u.uid, p_user, p_token_hash,
	    CASE WHEN p IS NULL THEN NULL ELSE p_backend_auth END, p_node,
	    CASE WHEN p IS NULL THEN 'unix:' || p_socket_dir || '/' || p_id
	    || '.sock' ELSE '127.0.0.1:' || p END, p, p_mode,
	    now() + make_interval(secs => p_ttl))
	RETURNING * INTO s;
	outcome := 'created';
	session := termgate.session_json(s);
END $$;

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
-- host list asks may_open) and opens through open_session; auditors see
-- the view.
GRANT SELECT ON termgate.user_groups, termgate.host_tags, termgate.grants
	TO "termgate-fcgi";
GRANT EXECUTE ON FUNCTION termgate.may_open(text, text, boolean),
    termgate.open_session(text, text, text, boolean, boolean, text, text,
    text, text, text, integer, integer, integer, text, boolean)
	TO "termgate-fcgi";
GRANT SELECT ON termgate.access TO "termgate-auditor";
