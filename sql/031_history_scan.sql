-- 031_history_scan.sql - a user's search that reads the newest rows in
-- order and stops at a page.
--
-- Until now every search with a word found all of the user's matches
-- through the trigram keys (011), fetched each matching row from the
-- heap, checked it with ILIKE (which lowercases the row's command and the
-- pattern on every call) and sorted them all to keep the newest 50. An
-- everyday word ("nginx", "log", "s") matches a tenth or more of a
-- user's rows: 100 heap fetches in as many blocks for an ordinary user,
-- 100,000 for one who ran a million commands. And a search of one or two
-- characters has no trigram, so it read every row of the user.
--
-- Now the newest rows are read first, from user_time alone: the index
-- carries, beside its key, the command folded to lower case and the
-- columns the panel filters on (host, exit status, source), so that a
-- word and those filters are checked on the index's own tuples, with
-- plain LIKE, in time order, and the read stops at the 50th match. Only
-- the matches are fetched from the heap. A common word is found in the
-- first few hundred tuples; a rare one costs the user's rows read in
-- order, up to history_scan_rows; past that hist.c turns to the trigram
-- keys for the older rows (src/hist.c, STMT_HIST_SCAN).
--
-- command_fold is lower(command), the very function ILIKE applies, so a
-- LIKE on it answers what ILIKE answers; NULL for a command over 1024
-- bytes, too long for an index tuple once folded, which the statement
-- then checks on the heap with ILIKE.
--
-- Adding a stored generated column rewrites command_history (about a
-- minute per million rows on two CPUs, rebuilding its indexes; writes
-- wait meanwhile), as 005 did for command_norm. user_time is rebuilt
-- with the new columns; it replaces itself, so an insert updates as many
-- indexes as before.
ALTER TABLE termgate.command_history
	ADD COLUMN command_fold text GENERATED ALWAYS AS
	    (CASE WHEN octet_length(command) <= 1024 THEN lower(command) END)
	    STORED;

DROP INDEX termgate.command_history_user_time;
CREATE INDEX command_history_user_time ON termgate.command_history
	(user_id, started_at DESC, id DESC)
	INCLUDE (command_fold, host_id, exit_status, source);

-- A search reads user_time alone only where the visibility map says a
-- heap page is all-visible; rows newer than the last VACUUM are checked
-- in the heap, and those are the very rows a search reads first. By
-- default autovacuum comes after a fifth of the table was inserted
-- (200,000 rows at a million); here after every 10,000, each pass
-- reading only the pages written since the last (the rest is marked
-- all-visible) and, with nothing deleted, skipping the btree indexes.
ALTER TABLE termgate.command_history SET
	(autovacuum_vacuum_insert_threshold = 10000,
	 autovacuum_vacuum_insert_scale_factor = 0);
