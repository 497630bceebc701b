-- 018_user_lock_no_key.sql - an open locks the user's row FOR NO KEY
-- UPDATE, not FOR UPDATE.
--
-- The user's row is the mutex of that user's opens (001, 002): FOR NO
-- KEY UPDATE still excludes another open of the same user. What it no
-- longer excludes is FOR KEY SHARE, the lock a foreign key check takes
-- on the row an inserted row refers to. The supervisor's spool_ingest
-- updates a session's row and then inserts its commands, whose user_id
-- refers to the user: with FOR UPDATE, an open that had locked the user
-- and then waited for that session's row (to reuse it) deadlocked with
-- it (contrib/bench/soak: three deadlocks in its first seven minutes;
-- PostgreSQL aborted the open once, which answered 503, and the ingest
-- twice; tests/db/t_conc.c reproduces it). Nothing changes a user's id.
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
