-- 033_history_host_scan.sql - a search on one host reads that host's
-- rows in order.
--
-- A search with host_id read the user's newest rows from user_time (031)
-- and checked the host on each index tuple: a user who works on five
-- hosts had a fifth of each read on the one asked for, and a word with
-- exit_status=nonzero beside it found a match in one row of a thousand
-- or fewer. For a user with a million rows the first read (2,000 tuples)
-- then often found none, and the search went to the trigram keys, which
-- fetched every row holding the word (40,000-110,000 of them) to keep
-- the few on the host (contrib/bench/history, BENCH_HEAVY: p99 790 ms).
--
-- user_host_time now carries what user_time carries, so that hist_scan
-- reads a host's rows alone, newest first, and checks the word, the exit
-- status and the source on the index's tuples (STMT_HIST_SCAN_HOST).
-- It replaces itself: an insert updates as many indexes as before.
-- Rebuilt here: about 20 seconds per million rows on two CPUs, writes to
-- command_history waiting meanwhile.
DROP INDEX termgate.command_history_user_host_time;
CREATE INDEX command_history_user_host_time ON termgate.command_history
	(user_id, host_id, started_at DESC, id DESC)
	INCLUDE (command_fold, exit_status, source);
