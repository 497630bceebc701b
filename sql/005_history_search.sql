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

-- A command as the panel counts it: normalize_command()
-- (sql/defs/normalize_command.sql, created before this migration runs).
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

-- The functions this migration created (add_command, regex_error,
-- delete_history, purge in batches) live in sql/defs/ now, each in the
-- file of its name.
