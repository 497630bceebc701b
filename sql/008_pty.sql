-- 008_pty.sql - what a session captured is ingested after it ended.
--
-- A session's pty holder writes its command records to a file that the
-- supervisor moves into command_history, advancing the session's
-- history_offset (src/spool.c). The last records of a session arrive when
-- it has already ended, so an ended row, which never changes again,
-- still lets history_offset move on.

CREATE OR REPLACE FUNCTION termgate.keep_ended() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.history_offset IS DISTINCT FROM OLD.history_offset THEN
		OLD.history_offset := NEW.history_offset;
		RETURN OLD;
	END IF;
	RETURN NULL;
END $$;
