-- 026_history_user_search.sql - a user's search that walks index
-- entries, not rows.
--
-- A search for an everyday word, or for the one or two characters the
-- panel sends while the user types, reads the user's newest rows until
-- a page matches (or, through 011's keys, every match, to sort them):
-- one heap page per row, since a user's rows are spread over the table,
-- and a case-insensitive comparison each. At a million rows that was 2-5
-- ms of CPU a search, twice a page's (contrib/bench/history, README.md).
--
-- This index holds what the search compares (command, and the host,
-- exit status and source the panel filters on) beside the keyset order,
-- so that hist_search (src/stmt.c) walks a user's entries, a hundred to
-- a leaf page, without visiting a row, and fetches only the page it
-- answers.
--
-- Additive and idempotent: the index created if missing (a plain CREATE
-- INDEX: seconds at a million rows, with writes to command_history
-- waiting meanwhile).
CREATE INDEX IF NOT EXISTS command_history_user_search
	ON termgate.command_history
	(user_id, started_at DESC, id DESC)
	INCLUDE (host_id, exit_status, source, command);
