-- 004_history.sql - command history as termgate-pty captures it, and what
-- the supervisor needs to run a pty holder beside each terminal.
--
-- A command has a start and an end (OSC 133 C and D), an exit status, the
-- cwd it ran in, where its output begins in the session's recording, and
-- a source: 'shell' when the shell's integration marks said exactly what
-- ran, 'typed' when only the line typed before Enter was seen.

ALTER TABLE termgate.command_history
	RENAME COLUMN executed_at TO started_at;
ALTER TABLE termgate.command_history
	ADD COLUMN finished_at timestamptz,
	ADD COLUMN source text NOT NULL DEFAULT 'shell'
	    CHECK (source IN ('shell', 'typed')),
	ADD COLUMN recording_offset double precision
	    CHECK (recording_offset >= 0);

-- The pty holder's pid (termgate-pty hold), beside ttyd_pid, the
-- backend's; and how many bytes of the holder's command file the
-- supervisor has moved into command_history (so that none is lost or
-- taken twice across restarts of either).
ALTER TABLE termgate.sessions
	ADD COLUMN holder_pid integer,
	ADD COLUMN history_offset bigint NOT NULL DEFAULT 0
	    CHECK (history_offset >= 0);

-- A user deleting history is recorded, so that an admin sees it.
ALTER TABLE termgate.session_events
	DROP CONSTRAINT session_events_kind_check,
	ADD CONSTRAINT session_events_kind_check CHECK (kind IN ('created',
	    'reused', 'limit_hit', 'spawned', 'spawn_failed',
	    'heartbeat_lost', 'client_lost', 'closed', 'expired',
	    'process_exited', 'adopted', 'history_deleted'));

-- Its purge() taking started_at: sql/defs/purge.sql now.
