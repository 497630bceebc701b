-- 019_capture_refused.sql - an event for a batch of captured commands
-- that PostgreSQL refused.
--
-- The supervisor moves a session's command file into command_history a
-- batch at a time (src/spool.c). A batch the database refuses for what
-- it holds (a data exception, a constraint) would be refused again on
-- every try, and every later command of the session would wait behind
-- it. The supervisor now sets such a batch aside: the session's
-- history_offset moves past it and the session's events say so, as
-- kind 'capture_refused' with the byte range and the server's error.
ALTER TABLE termgate.session_events
	DROP CONSTRAINT session_events_kind_check,
	ADD CONSTRAINT session_events_kind_check CHECK (kind IN ('created',
	    'reused', 'limit_hit', 'spawned', 'spawn_failed',
	    'heartbeat_lost', 'client_lost', 'closed', 'expired',
	    'process_exited', 'adopted', 'history_deleted',
	    'capture_refused'));
