-- 025_hop_nonces.sql - the nonces of the hop between nodes, each taken
-- once.
--
-- A terminal request for a session of another node carries a credential
-- the receiving node minted for that one request (src/nodeauth.c):
-- "v1.EXPIRES.NONCE.MAC", MAC an HMAC under the nodes' shared secret of
-- the target node, the session, the expiry and the nonce. The target
-- node's termgate-fcgi checks the MAC; termgate.hop_nonce()
-- (sql/defs/hop_nonce.sql) then checks the expiry against this
-- database's clock, the one every node shares, and takes the nonce here,
-- so that the same credential seen on the network opens nothing a second
-- time, whichever node's worker it reaches. Every supervisor's collection
-- deletes the rows of expired credentials (termgate.purge_hop_nonces()).
--
-- UNLOGGED: a row lives seconds and is worth no WAL. After a crash or a
-- failover to a standby the table is empty, and a credential made in the
-- last node_auth_ttl seconds before it could be used once more: the
-- price of not writing every hop to disk (README, "Several nodes").
-- Only the owner's functions touch it: no program's role has a right
-- on the table itself.
CREATE UNLOGGED TABLE termgate.hop_nonces (
	nonce text PRIMARY KEY CHECK (nonce ~ '^[0-9a-f]{32}$'),
	expires_at timestamptz NOT NULL
);
CREATE INDEX hop_nonces_expires_at ON termgate.hop_nonces (expires_at);
REVOKE ALL ON termgate.hop_nonces FROM PUBLIC;
