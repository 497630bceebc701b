-- 030_session_backend.sql - what the supervisor started for a session.
--
-- authorize gives a shared client a share slot (shellinabox) or its mode
-- as arg= words (ttyd, per session or the gateway) by what runs, never by
-- its own configuration, which may name another backend than the
-- supervisor's did (a backend changed and termgate-fcgi not restarted):
-- arg= words shellinabox ignores would have made a viewer the owner. The
-- supervisor notes it with the pids it writes at spawn. NULL: a terminal
-- started before this column, which takes no shared connection.
ALTER TABLE termgate.sessions
	ADD COLUMN backend text CHECK (backend IN ('ttyd', 'shellinabox'));
GRANT UPDATE (backend) ON termgate.sessions TO "termgate-supervisor";
