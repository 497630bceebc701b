-- shares.sql - share links, admin watches and who is attached
-- (sql/026_shares.sql). The web tier creates, redeems and revokes
-- through these, the supervisor reports the holders' clients; nobody
-- but the owner writes the tables. Tokens arrive as their SHA-256 only,
-- already checked in constant time by the caller where one is checked
-- (src/share.c); ids are minted by the caller.
--
-- A revocation notifies termgate_drop with "SESSION GRANT" for each
-- grant of the share, at commit: the supervisor of the session's node
-- tells the holder to drop those clients (src/pty/proto.h, DROP).

-- The grant that stands for shellinabox's share slot P_SLOT: the slot's
-- number in 64 hex digits (src/holder.h, HOLDER_SLOT_GRANT).
CREATE OR REPLACE FUNCTION termgate.slot_grant(p_slot integer)
RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT lpad(to_hex(p_slot), 64, '0')
$$;
REVOKE ALL ON FUNCTION termgate.slot_grant(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.slot_grant(integer)
	TO "termgate-supervisor";

-- The grant of session P_ID whose share slot stands for P_GRANT (as a
-- holder reports it), or P_GRANT itself when it stands for no slot.
CREATE OR REPLACE FUNCTION termgate.slot_owner(p_id text, p_grant text)
RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT coalesce((SELECT g.id FROM termgate.share_grants g
	    JOIN termgate.shares sh ON sh.id = g.share_id
	    WHERE sh.session_id = p_id AND g.slot IS NOT NULL
	    AND termgate.slot_grant(g.slot) = p_grant LIMIT 1), p_grant)
$$;
REVOKE ALL ON FUNCTION termgate.slot_owner(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.slot_owner(text, text)
	TO "termgate-supervisor";

-- The share as the API shows it, with who used it.
CREATE OR REPLACE FUNCTION termgate.share_json(sh termgate.shares)
RETURNS jsonb
LANGUAGE sql STABLE AS $$
	SELECT jsonb_build_object(
	    'share_id', sh.id, 'session_id', sh.session_id,
	    'kind', sh.kind, 'mode', sh.mode, 'created_by', sh.created_by,
	    'users', to_jsonb(sh.users),
	    'created_at', termgate.rfc3339(sh.created_at),
	    'expires_at', termgate.rfc3339(sh.expires_at),
	    'revoked_at', termgate.rfc3339(sh.revoked_at),
	    'active', sh.revoked_at IS NULL AND sh.expires_at > now(),
	    'used_by', (SELECT coalesce(jsonb_agg(jsonb_build_object(
		'user', g.username,
		'first_used_at', termgate.rfc3339(g.first_used_at),
		'last_used_at', termgate.rfc3339(g.last_used_at),
		'uses', g.uses) ORDER BY g.first_used_at, g.username), '[]')
		FROM termgate.share_grants g WHERE g.share_id = sh.id))
$$;
REVOKE ALL ON FUNCTION termgate.share_json(termgate.shares) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.share_json(termgate.shares)
	TO "termgate-fcgi";

-- Who is attached to session P_ID now, but its owner: [{user, mode,
-- since}], as the holder last reported; none once the session ended
-- (its holder is gone, whatever it reported last). PL/pgSQL, whose plan
-- a connection keeps: every session's JSON asks it.
CREATE OR REPLACE FUNCTION termgate.session_viewers(p_id text)
RETURNS jsonb
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN (SELECT coalesce(jsonb_agg(jsonb_build_object('user', g.username,
	    'mode', c.mode, 'since', termgate.rfc3339(c.since))
	    ORDER BY c.since, g.username), '[]')
	FROM termgate.session_clients c
	JOIN termgate.share_grants g ON g.id = c.grant_id
	JOIN termgate.sessions s ON s.id = c.session_id
	WHERE c.session_id = p_id AND termgate.is_live(s.status));
END $$;
REVOKE ALL ON FUNCTION termgate.session_viewers(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.session_viewers(text)
	TO "termgate-fcgi";

-- Creates share P_ID on session P_SESSION, the session of P_OWNER (or of
-- anyone when NULL: an admin's watch), by P_BY. Kind 'link' with
-- P_TOKEN_HASH; kind 'watch' with the grant P_GRANT_ID/P_GRANT_HASH of
-- P_BY at once. Outcome 'ok' with the share, 'not_found', 'ended', or
-- 'old' (its terminal predates modes: sql/026_shares.sql).
CREATE OR REPLACE FUNCTION termgate.share_create(p_session text,
    p_owner text, p_id text, p_kind text, p_mode text,
    p_token_hash text, p_users text[], p_ttl integer, p_by text,
    p_grant_id text, p_grant_hash text,
    OUT outcome text, OUT share jsonb)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	s termgate.sessions;
	sh termgate.shares;
BEGIN
	SELECT * INTO s FROM termgate.sessions
	WHERE id = p_session AND (p_owner IS NULL OR username = p_owner)
	FOR SHARE;
	IF NOT FOUND THEN
		outcome := 'not_found';
		RETURN;
	END IF;
	IF NOT termgate.is_live(s.status) THEN
		outcome := 'ended';
		RETURN;
	END IF;
	IF NOT s.holder_modes THEN
		outcome := 'old';
		RETURN;
	END IF;
	INSERT INTO termgate.shares (id, session_id, kind, mode, created_by,
	    token_hash, users, expires_at)
	VALUES (p_id, p_session, p_kind, p_mode, p_by, p_token_hash,
	    p_users, now() + make_interval(secs => p_ttl))
	RETURNING * INTO sh;
	IF p_kind = 'watch' THEN
		INSERT INTO termgate.share_grants (id, share_id, username,
		    token_hash)
		VALUES (p_grant_id, p_id, p_by, p_grant_hash);
	END IF;
	PERFORM termgate.record(s, CASE WHEN p_kind = 'link'
	    THEN 'share_created' WHEN p_mode = 'view' THEN 'watch_started'
	    ELSE 'join_started' END, jsonb_build_object('share_id', p_id,
	    'mode', p_mode, 'by', p_by, 'users', to_jsonb(p_users),
	    'expires_at', termgate.rfc3339(sh.expires_at)));
	outcome := 'ok';
	share := termgate.share_json(sh);
END $$;
REVOKE ALL ON FUNCTION termgate.share_create(text, text, text, text, text,
    text, text[], integer, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.share_create(text, text, text, text,
    text, text, text[], integer, text, text, text) TO "termgate-fcgi";

-- Ends share P_SHARE of kind P_KIND on session P_SESSION (of P_OWNER, or
-- anyone's when NULL), by P_BY: revoked from now on, its connections
-- dropped (termgate_drop). Idempotent: an ended share is returned as it
-- is. NULL when there is no such share.
CREATE OR REPLACE FUNCTION termgate.share_revoke(p_session text,
    p_owner text, p_share text, p_kind text, p_by text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	s termgate.sessions;
	sh termgate.shares;
	g record;
BEGIN
	SELECT * INTO s FROM termgate.sessions
	WHERE id = p_session AND (p_owner IS NULL OR username = p_owner);
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	UPDATE termgate.shares SET revoked_at = now(), revoked_by = p_by
	WHERE id = p_share AND session_id = p_session AND kind = p_kind
	    AND revoked_at IS NULL
	RETURNING * INTO sh;
	IF NOT FOUND THEN
		SELECT * INTO sh FROM termgate.shares
		WHERE id = p_share AND session_id = p_session
		    AND kind = p_kind;
		RETURN CASE WHEN FOUND THEN termgate.share_json(sh) END;
	END IF;
	PERFORM termgate.record(s, CASE WHEN p_kind = 'link'
	    THEN 'share_revoked' ELSE 'viewer_left' END,
	    jsonb_build_object('share_id', p_share, 'mode', sh.mode,
	    'by', p_by, 'user', CASE WHEN p_kind = 'watch'
	    THEN sh.created_by END));
	FOR g IN SELECT id, slot FROM termgate.share_grants
	    WHERE share_id = p_share LOOP
		PERFORM pg_notify('termgate_drop', p_session || ' ' || g.id);
		-- shellinabox: the clients of its slot (029_share_slots.sql)
		IF g.slot IS NOT NULL THEN
			PERFORM pg_notify('termgate_drop', p_session || ' ' ||
			    termgate.slot_grant(g.slot));
		END IF;
	END LOOP;
	RETURN termgate.share_json(sh);
END $$;
REVOKE ALL ON FUNCTION termgate.share_revoke(text, text, text, text, text)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.share_revoke(text, text, text, text,
    text) TO "termgate-fcgi";

-- P_USER redeems link P_SHARE (whose token the caller checked): 'ok'
-- with the share and the user's grant (made, or given the new token
-- P_GRANT_HASH and counted), else 'revoked', 'expired', 'forbidden'
-- (not among its users) or 'ended' (its session is).
CREATE OR REPLACE FUNCTION termgate.share_redeem(p_share text,
    p_user text, p_grant_id text, p_grant_hash text,
    OUT outcome text, OUT share jsonb, OUT grant_id text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	s termgate.sessions;
	sh termgate.shares;
BEGIN
	SELECT * INTO sh FROM termgate.shares
	WHERE id = p_share AND kind = 'link';
	SELECT * INTO s FROM termgate.sessions WHERE id = sh.session_id;
	outcome := CASE WHEN sh.revoked_at IS NOT NULL THEN 'revoked'
	    WHEN sh.expires_at <= now() THEN 'expired'
	    WHEN sh.users IS NOT NULL AND NOT p_user = ANY (sh.users)
	    THEN 'forbidden'
	    WHEN NOT termgate.is_live(s.status) THEN 'ended' ELSE 'ok' END;
	IF outcome <> 'ok' THEN
		RETURN;
	END IF;
	INSERT INTO termgate.share_grants AS g (id, share_id, username,
	    token_hash)
	VALUES (p_grant_id, p_share, p_user, p_grant_hash)
	ON CONFLICT (share_id, username) DO UPDATE
	SET token_hash = EXCLUDED.token_hash, last_used_at = now(),
	    uses = g.uses + 1
	RETURNING g.id INTO grant_id;
	PERFORM termgate.record(s, 'share_used', jsonb_build_object(
	    'share_id', p_share, 'mode', sh.mode, 'user', p_user));
	share := termgate.share_json(sh);
END $$;
REVOKE ALL ON FUNCTION termgate.share_redeem(text, text, text, text)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.share_redeem(text, text, text, text)
	TO "termgate-fcgi";

-- Share slot P_GRANT's slot of session P_SESSION (shellinabox: the
-- path authorize sends it to, 029_share_slots.sql): its slot, or the
-- lowest free one of its mode (1-8 view, 9-16 control), taken under
-- the session row's lock; 0 when every one is taken; NULL when the grant
-- is not a live one of that session. A slot whose last grant's share
-- has ended is free: taking it drops whatever is still attached there.
CREATE OR REPLACE FUNCTION termgate.share_slot(p_session text,
    p_grant text)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	g record;
	n integer;
BEGIN
	PERFORM 1 FROM termgate.sessions WHERE id = p_session
	    AND termgate.is_live(status) FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	SELECT sg.slot, sh.mode INTO g FROM termgate.share_grants sg
	JOIN termgate.shares sh ON sh.id = sg.share_id
	WHERE sg.id = p_grant AND sh.session_id = p_session
	    AND sh.revoked_at IS NULL AND sh.expires_at > now();
	IF NOT FOUND THEN
		RETURN NULL;
	ELSIF g.slot IS NOT NULL THEN
		RETURN g.slot;
	END IF;
	SELECT i INTO n FROM generate_series(CASE WHEN g.mode = 'view'
	    THEN 1 ELSE 9 END, CASE WHEN g.mode = 'view' THEN 8 ELSE 16 END) i
	WHERE NOT EXISTS (SELECT 1 FROM termgate.share_grants x
	    JOIN termgate.shares y ON y.id = x.share_id
	    WHERE y.session_id = p_session AND x.slot = i
	    AND y.revoked_at IS NULL AND y.expires_at > now())
	ORDER BY i LIMIT 1;
	IF NOT FOUND THEN
		RETURN 0;
	END IF;
	UPDATE termgate.share_grants x SET slot = NULL
	FROM termgate.shares y
	WHERE y.id = x.share_id AND y.session_id = p_session AND x.slot = n;
	IF FOUND THEN
		PERFORM pg_notify('termgate_drop', p_session || ' ' ||
		    termgate.slot_grant(n));
	END IF;
	UPDATE termgate.share_grants SET slot = n WHERE id = p_grant;
	RETURN n;
END $$;
REVOKE ALL ON FUNCTION termgate.share_slot(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.share_slot(text, text)
	TO "termgate-fcgi";

-- The supervisor's report of session P_ID's clients now, P_CLIENTS a
-- JSON array of {"grant": ID or "" for the owner's, "mode", "clients"};
-- a slot's grant stands for the grant that holds the slot (slot_owner).
-- Rows of grants no longer there go, each a viewer_left event; new ones
-- start now.
CREATE OR REPLACE FUNCTION termgate.set_clients(p_id text,
    p_clients jsonb)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	s termgate.sessions;
	gone record;
BEGIN
	SELECT * INTO s FROM termgate.sessions WHERE id = p_id;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	p_clients := (SELECT coalesce(jsonb_agg(jsonb_set(e, '{grant}',
	    to_jsonb(termgate.slot_owner(p_id, e->>'grant')))), '[]')
	    FROM jsonb_array_elements(p_clients) e);
	FOR gone IN DELETE FROM termgate.session_clients c
	    WHERE c.session_id = p_id AND c.grant_id NOT IN
		(SELECT e->>'grant' FROM jsonb_array_elements(p_clients) e)
	    RETURNING c.grant_id, c.mode LOOP
		CONTINUE WHEN gone.grant_id = '';
		PERFORM termgate.record(s, 'viewer_left', jsonb_build_object(
		    'share_id', g.share_id, 'user', g.username,
		    'mode', gone.mode))
		FROM termgate.share_grants g WHERE g.id = gone.grant_id;
	END LOOP;
	INSERT INTO termgate.session_clients (session_id, grant_id, mode,
	    clients)
	SELECT p_id, e->>'grant', e->>'mode', (e->>'clients')::integer
	FROM jsonb_array_elements(p_clients) e
	ON CONFLICT (session_id, grant_id) DO UPDATE
	SET clients = EXCLUDED.clients, mode = EXCLUDED.mode;
END $$;
REVOKE ALL ON FUNCTION termgate.set_clients(text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.set_clients(text, jsonb)
	TO "termgate-supervisor";
