-- lock_user.sql - an open's first step: the user's id and limit, with
-- the user's row locked (created first when new). The row is the mutex
-- of that user's opens, which makes the limit and reuse exact across
-- workers and nodes.
--
-- FOR NO KEY UPDATE, not FOR UPDATE (018_user_lock_no_key.sql): it still
-- excludes another open of the same user, but not FOR KEY SHARE, the lock
-- a foreign key check takes. The supervisor's spool_ingest updates a
-- session's row and then inserts its commands, whose user_id refers to
-- the user: with FOR UPDATE, an open that had locked the user and then
-- waited for that session's row (to reuse it) deadlocked with it
-- (tests/db/t_conc.c reproduces it). Nothing changes a user's id.
CREATE OR REPLACE FUNCTION termgate.lock_user(p_user text, OUT uid bigint,
    OUT max_sessions integer)
LANGUAGE plpgsql AS $$
BEGIN
	SELECT u.id, u.max_sessions INTO uid, max_sessions
	FROM termgate.users u WHERE u.username = p_user FOR NO KEY UPDATE;
	IF NOT FOUND THEN
		INSERT INTO termgate.users (username) VALUES (p_user)
		ON CONFLICT (username) DO NOTHING;
		SELECT u.id, u.max_sessions INTO uid, max_sessions
		FROM termgate.users u WHERE u.username = p_user
		FOR NO KEY UPDATE;
	END IF;
END $$;
REVOKE ALL ON FUNCTION termgate.lock_user(text) FROM PUBLIC;
