-- sessions_keep_ended.sql - a closed or expired row never changes again:
-- the first reason stands. Only history_offset still moves on: the last
-- command records of a session arrive when it has already ended, and
-- the supervisor moves them into command_history (src/spool.c).
CREATE OR REPLACE FUNCTION termgate.keep_ended() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.history_offset IS DISTINCT FROM OLD.history_offset THEN
		OLD.history_offset := NEW.history_offset;
		RETURN OLD;
	END IF;
	RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION termgate.keep_ended() FROM PUBLIC;
CREATE OR REPLACE TRIGGER sessions_keep_ended
	BEFORE UPDATE ON termgate.sessions
	FOR EACH ROW WHEN (NOT termgate.is_live(OLD.status))
	EXECUTE FUNCTION termgate.keep_ended();
