-- 032_history_counts.sql - frequent commands from counts kept as rows
-- are written, not from the rows themselves.
--
-- The panel's frequent commands grouped a user's rows by command_norm
-- through user_norm (005): every row read, at each call. For a user with
-- a long history that is the whole history: a million rows, 860 ms
-- (contrib/bench/history, BENCH_HEAVY). Here each (user, host, command)
-- has one row with its count and its newest use, which the triggers of
-- sql/defs/command_counts.sql keep in step with command_history in the
-- same transaction as every insert, delete and update: a call reads the
-- user's distinct commands (a few thousand at most), not its rows.
--
-- A count changes with every use, and never its key: with room left in
-- each page (fillfactor), the new version of the row goes beside the
-- old one and the primary key is not written (a HOT update).
--
-- No foreign key to users: a count exists only while rows of
-- command_history, which have theirs, do (one check less a write).
--
-- Only the counted commands: command_norm '' (a command of blanks) is
-- not one, as STMT_HIST_FREQUENT never counted it.
--
-- Filled here from the rows there are, with writes to command_history
-- waiting until the migration commits (the lock, taken first, is the
-- one the triggers' creation takes anyway): no row can be counted twice
-- or missed. About two seconds a million rows.
LOCK TABLE termgate.command_history IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE termgate.command_counts (
	user_id		bigint NOT NULL,
	host_id		text NOT NULL,
	command_norm	text NOT NULL CHECK (command_norm <> ''),
	uses		bigint NOT NULL CHECK (uses > 0),
	last_used	timestamptz NOT NULL,
	PRIMARY KEY (user_id, host_id, command_norm)
) WITH (fillfactor = 70);

INSERT INTO termgate.command_counts
SELECT c.user_id, c.host_id, c.command_norm, count(*), max(c.started_at)
FROM termgate.command_history c
WHERE c.command_norm <> ''
GROUP BY c.user_id, c.host_id, c.command_norm;

-- Written by the triggers only (SECURITY DEFINER); read by the panel.
GRANT SELECT ON termgate.command_counts TO "termgate-fcgi";
