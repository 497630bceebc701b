-- 034_history_row_counts.sql - each user's number of history rows, kept
-- as rows are written, so that a search knows without a read whether
-- the user has rows past those it read.
--
-- A user's search reads the newest history_scan_rows of the user's rows
-- (STMT_HIST_SCAN) and, when they did not fill the page, reads the index
-- again to the last of those rows (its keyset: where a second read
-- would go on, or none when the user has no more). For a user whose
-- whole history fits in one read, the common case, that second pass
-- found nothing at the cost of the first's index tuples again: a sixth
-- of a rare word's statement (contrib/bench/history, a million rows).
-- With the count, a user with no more rows than were read skips it.
--
-- The triggers of sql/defs/command_counts.sql keep the count in step,
-- in the transaction of every insert, delete, update and truncate of
-- command_history. A search reads the count and the rows in one
-- snapshot, so it never sees a count older than the rows. No foreign
-- key to users, as command_counts (032): one check less a write.
--
-- Filled here from the rows there are, writes waiting meanwhile (the
-- lock is the one the triggers' re-creation takes anyway).
LOCK TABLE termgate.command_history IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE termgate.history_row_counts (
	user_id		bigint PRIMARY KEY,
	row_count	bigint NOT NULL
) WITH (fillfactor = 70);

INSERT INTO termgate.history_row_counts
SELECT c.user_id, count(*) FROM termgate.command_history c
GROUP BY c.user_id;

-- Written by the triggers only (SECURITY DEFINER); read by searches.
GRANT SELECT ON termgate.history_row_counts TO "termgate-fcgi";
