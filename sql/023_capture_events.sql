-- 023_capture_events.sql - what happened to a session's capture and
-- recording, as session events.
--
-- A session's output alone can make command records (a loop printing
-- shell-integration marks, a file someone cats), so the holder bounds
-- them: records over the session's budget (capture_rate a minute) are
-- dropped and counted ('capture_dropped', {"dropped": N}); at
-- capture_max_bytes of command file, capture stops ('capture_stopped',
-- {"max_bytes": N}); and a recording that stops at recording_max_bytes
-- or on a write error says so ('recording_stopped', {"max_bytes": N} or
-- {"errno": N}). The holder writes them as event lines in the command
-- file, and the supervisor's spool turns them into these rows.
ALTER TABLE termgate.session_events
	DROP CONSTRAINT session_events_kind_check,
	ADD CONSTRAINT session_events_kind_check CHECK (kind IN ('created',
	    'reused', 'limit_hit', 'spawned', 'spawn_failed',
	    'heartbeat_lost', 'client_lost', 'closed', 'expired',
	    'process_exited', 'adopted', 'history_deleted',
	    'capture_refused', 'capture_dropped', 'capture_stopped',
	    'recording_stopped'));
