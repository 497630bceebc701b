-- 026_shares.sql - share links, admin watches, and who is attached now.
--
-- A session's owner may share its terminal by link (termgate.shares,
-- kind 'link'): read-only ('view') or interactive ('control'), until
-- expires_at, for any authenticated user or only those named in users.
-- An admin's watch or join is a share of kind 'watch' for that admin
-- alone. The link's token is stored only as its SHA-256 (token_hash);
-- a watch has none. Each user who redeems a link gets a grant of their
-- own (termgate.share_grants): a cookie token, again stored only as its
-- hash, that nginx's authorize takes for the terminal, and the id by
-- which the terminal's holder knows that user's connections, so that a
-- revocation drops exactly them (src/pty/proto.h, DROP).
--
-- termgate.session_clients is what the holders say is attached now, one
-- row a session and grant ('' for the owner's own connections), written
-- by the supervisor as the holder reports it.
--
-- Creation, use and revocation are session events (share_created,
-- share_used, share_revoked; watch_started and join_started for an
-- admin's, viewer_left when a shared client leaves).
ALTER TABLE termgate.session_events
	DROP CONSTRAINT session_events_kind_check,
	ADD CONSTRAINT session_events_kind_check CHECK (kind IN ('created',
	    'reused', 'limit_hit', 'spawned', 'spawn_failed',
	    'heartbeat_lost', 'client_lost', 'closed', 'expired',
	    'process_exited', 'adopted', 'history_deleted',
	    'capture_refused', 'capture_dropped', 'capture_stopped',
	    'recording_stopped', 'share_created', 'share_used',
	    'share_revoked', 'watch_started', 'join_started',
	    'viewer_left'));

CREATE TABLE termgate.shares (
	id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
	session_id text NOT NULL
	    REFERENCES termgate.sessions (id) ON DELETE CASCADE,
	kind text NOT NULL CHECK (kind IN ('link', 'watch')),
	mode text NOT NULL CHECK (mode IN ('view', 'control')),
	created_by text NOT NULL,
	token_hash text CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	users text[] CHECK (cardinality(users) BETWEEN 1 AND 100),
	created_at timestamptz NOT NULL DEFAULT now(),
	expires_at timestamptz NOT NULL,
	revoked_at timestamptz,
	revoked_by text,
	CHECK ((kind = 'link') = (token_hash IS NOT NULL))
);
CREATE INDEX shares_session_id ON termgate.shares (session_id);

CREATE TABLE termgate.share_grants (
	id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
	share_id text NOT NULL
	    REFERENCES termgate.shares (id) ON DELETE CASCADE,
	username text NOT NULL,
	token_hash text NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
	first_used_at timestamptz NOT NULL DEFAULT now(),
	last_used_at timestamptz NOT NULL DEFAULT now(),
	uses integer NOT NULL DEFAULT 1,
	UNIQUE (share_id, username)
);

CREATE TABLE termgate.session_clients (
	session_id text NOT NULL
	    REFERENCES termgate.sessions (id) ON DELETE CASCADE,
	grant_id text NOT NULL CHECK (grant_id ~ '^([0-9a-f]{64})?$'),
	mode text NOT NULL CHECK (mode IN ('view', 'control')),
	clients integer NOT NULL CHECK (clients > 0),
	since timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (session_id, grant_id)
);

-- Only the owner's functions (sql/defs/shares.sql) write them; the web
-- tier reads shares and grants, for authorize and the lists.
REVOKE ALL ON termgate.shares, termgate.share_grants,
    termgate.session_clients FROM PUBLIC;
GRANT SELECT ON termgate.shares, termgate.share_grants,
    termgate.session_clients TO "termgate-fcgi";
GRANT SELECT ON termgate.shares, termgate.share_grants
    TO "termgate-supervisor";

-- Terminals started from now on carry a client's mode (a gateway's, and
-- a per-session ttyd started with -a): a session whose terminal began
-- before could give a viewer the owner's keyboard, so it takes no share.
ALTER TABLE termgate.sessions
	ADD COLUMN holder_modes boolean NOT NULL DEFAULT false;
ALTER TABLE termgate.sessions ALTER COLUMN holder_modes SET DEFAULT true;
