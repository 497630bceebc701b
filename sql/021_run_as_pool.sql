-- 021_run_as_pool.sql - which account a terminal ran as, and why a
-- spawn failed.
--
-- With run_as_pool, the supervisor leases each user of its node an
-- account of its own (the terminals of two users never share a uid) and
-- notes it on every session it starts: an auditor reads from
-- termgate.sessions which uid served whom, on which node and when
-- (created_at to closed_at). spawn_error keeps the supervisor's reason
-- when it could not start a terminal; the worker that waits for the
-- terminal answers by it ('no_terminal_account': 503 NO_CAPACITY).
ALTER TABLE termgate.sessions
	ADD COLUMN run_uid integer CHECK (run_uid > 0),
	ADD COLUMN run_as text,
	ADD COLUMN spawn_error text;

GRANT UPDATE (run_uid, run_as, spawn_error) ON termgate.sessions
	TO "termgate-supervisor";
