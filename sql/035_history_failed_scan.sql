-- 035_history_failed_scan.sql - a search of failed commands reads those
-- rows alone.
--
-- exit_status=nonzero was checked on each tuple of user_time (031) or
-- user_host_time (033), like the word: a user's failures are one command
-- in seven or fewer, so a word among them was read through seven tuples
-- for each one that could match. A heavy user's search of a word among
-- one host's failures (contrib/bench/history, BENCH_HEAVY, filtered) read
-- up to 100,000 tuples, 4.6 ms of PostgreSQL a search on average, p99
-- 120 ms at 16 connections.
--
-- These hold the failed rows only, in the same order and with the same
-- columns, and hist_scan's ..._failed statements read them (src/stmt.c).
-- An insert of a failed command updates two more indexes; of any other,
-- none. Built here: a few seconds per million rows on two CPUs, writes to
-- command_history waiting meanwhile.
CREATE INDEX command_history_user_failed ON termgate.command_history
	(user_id, started_at DESC, id DESC)
	INCLUDE (command_fold, host_id, exit_status, source)
	WHERE exit_status <> 0;
CREATE INDEX command_history_user_host_failed ON termgate.command_history
	(user_id, host_id, started_at DESC, id DESC)
	INCLUDE (command_fold, exit_status, source)
	WHERE exit_status <> 0;
