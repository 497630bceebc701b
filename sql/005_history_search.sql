-- 005_history_search.sql - command history that users search, page,
-- export and delete through the API, and that stays fast at millions of
-- rows.
--
-- The panel's reads are a user's newest rows, optionally on one host or
-- in one session, in keyset order (started_at DESC, id DESC), optionally
-- with a substring or a regular expression. Each shape has an index that
-- serves it without sorting a user's whole history:
--   user_time         (user_id, started_at DESC, id DESC)     from 001
--   user_host_time    (user_id, host_id, started_at DESC, id DESC)
--   session_time      (session_id, started_at DESC, id DESC)
--   time              (started_at, id): every user's (admins' "user=*")
--                     and the retention purge's oldest-first batches
--   user_trgm         GIN (user_id, command gin_trgm_ops): a user's
--                     substring and regex searches; btree_gin lets
--                     user_id share the trigram index, so a search reads
--                     only that user's matches
--   user_norm         (user_id, command_norm) INCLUDE (host_id,
--                     started_at): the most used commands, counted from
--                     the index alone, already grouped, without reading
--                     or sorting the rows
-- 001's command-only trigram index and (user_id, host_id, started_at) are
-- replaced by these.

CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;

-- A command as the panel counts it: whitespace runs made one space, and
-- only its first 256 characters (a btree entry must stay small).
CREATE FUNCTION termgate.normalize_command(c text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT left(regexp_replace(btrim(c, E' \t\r\n'), E'[ \t\r\n]+',
	    ' ', 'g'), 256)
$$;
ALTER TABLE termgate.command_history
	ADD COLUMN command_norm text NOT NULL
	    GENERATED ALWAYS AS (termgate.normalize_command(command)) STORED;

DROP INDEX termgate.command_history_trgm;
DROP INDEX termgate.command_history_user_host;
CREATE INDEX command_history_user_trgm ON termgate.command_history
	USING gin (user_id, command public.gin_trgm_ops);
CREATE INDEX command_history_user_host_time ON termgate.command_history
	(user_id, host_id, started_at DESC, id DESC);
CREATE INDEX command_history_session_time ON termgate.command_history
	(session_id, started_at DESC, id DESC);
CREATE INDEX command_history_time ON termgate.command_history
	(started_at, id);
CREATE INDEX command_history_user_norm ON termgate.command_history
	(user_id, command_norm) INCLUDE (host_id, started_at);

-- The per-session rate limit of commands posted through the API: a token
-- bucket in the session row, refilled at the configured rate up to the
-- burst, taken under the row's lock (termgate.add_command). NULL: full.
ALTER TABLE termgate.sessions
	ADD COLUMN history_tokens double precision,
	ADD COLUMN history_tokens_at timestamptz;

-- Records a command of session P_SESSION, owned by P_USER, posted
-- through the API (source 'shell'). outcome: created (id set) |
-- not_found (no such session of P_USER) | ended | limited (retry_after:
-- seconds until a token is back). Lock: the session row only.
CREATE FUNCTION termgate.add_command(p_session text, p_user text,
    p_command text, p_exit integer, p_cwd text, p_started timestamptz,
    p_finished timestamptz, p_rate double precision, p_burst integer,
    OUT outcome text, OUT id bigint, OUT retry_after integer)
LANGUAGE plpgsql AS $$
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
	INSERT INTO termgate.command_history (session_id, host_id, user_id,
	    command, exit_status, cwd, started_at, finished_at, source)
	VALUES (s.id, s.host_id, s.user_id, p_command, p_exit, p_cwd,
	    coalesce(p_started, p_finished, now()), p_finished, 'shell')
	RETURNING command_history.id INTO id;
	outcome := 'created';
END $$;

-- NULL when P is a valid regular expression, else PostgreSQL's reason
-- ("invalid regular expression: parentheses () not balanced").
CREATE FUNCTION termgate.regex_error(p text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	PERFORM '' ~ p;
	RETURN NULL;
EXCEPTION WHEN invalid_regular_expression THEN
	RETURN SQLERRM;
END $$;

-- Deletes history rows of user P_USER: the row P_ID, or (P_ID NULL) every
-- row started before P_BEFORE. Records one 'history_deleted' event with
-- the count and the first 1000 ids (a row's session, when one row). The
-- number of rows deleted; 0 changes nothing and records nothing.
CREATE FUNCTION termgate.delete_history(p_user text, p_id bigint,
    p_before timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
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

-- Retention, in bounded batches: at most P_BATCH history rows older than
-- P_HISTORY_DAYS, oldest first, skipping rows another transaction holds
-- (a user deleting them), so one call holds its row locks only for one
-- batch; the collector calls it once a run. Then ended sessions and
-- their events past P_SESSION_DAYS, as before. Returns how many rows of
-- each it deleted.
CREATE FUNCTION termgate.purge(p_history_days integer,
    p_session_days integer, p_batch integer, OUT history_rows integer,
    OUT session_rows integer)
LANGUAGE plpgsql AS $$
DECLARE
	n integer;
BEGIN
	-- The ids first (an index range of command_history_time), then
	-- each row by its key: never a scan of the whole table.
	DELETE FROM termgate.command_history
	WHERE id = ANY (ARRAY(SELECT c.id FROM termgate.command_history c
	    WHERE c.started_at < now() - make_interval(days => p_history_days)
	    ORDER BY c.started_at LIMIT p_batch FOR UPDATE SKIP LOCKED));
	GET DIAGNOSTICS history_rows = ROW_COUNT;
	DELETE FROM termgate.session_events e
	WHERE e.at < now() - make_interval(days => p_session_days)
	    AND NOT EXISTS (SELECT 1 FROM termgate.sessions s
	    WHERE s.id = e.session_id AND termgate.is_live(s.status));
	GET DIAGNOSTICS session_rows = ROW_COUNT;
	DELETE FROM termgate.sessions
	WHERE NOT termgate.is_live(status)
	    AND closed_at < now() - make_interval(days => p_session_days)
	    AND NOT EXISTS (SELECT 1 FROM termgate.ports p
	    WHERE p.session_id = sessions.id);
	GET DIAGNOSTICS n = ROW_COUNT;
	session_rows := session_rows + n;
END $$;

-- The two-argument form that programs older than this migration prepare:
-- one batch of 10,000 too, so that none of them deletes a whole backlog
-- in one transaction. Returns the rows deleted.
CREATE OR REPLACE FUNCTION termgate.purge(p_history_days integer,
    p_session_days integer) RETURNS integer
LANGUAGE sql AS $$
	SELECT p.history_rows + p.session_rows
	FROM termgate.purge(p_history_days, p_session_days, 10000) p
$$;
