-- hop_nonce.sql - the database's half of checking a hop credential
-- (sql/025_hop_nonces.sql): its time, by this database's clock, and its
-- nonce, taken once.
--
-- termgate.hop_nonce(P_NONCE, P_EXPIRES, P_TTL), called by the target
-- node's termgate-fcgi once the credential's MAC is right: 'expired'
-- when P_EXPIRES (Unix seconds) has passed; 'too_far' when it is more
-- than P_TTL seconds (that node's node_auth_ttl) ahead, which no node
-- mints; 'replayed' when the nonce was taken before; else 'fresh', the
-- nonce now taken until its expiry.
--
-- termgate.purge_hop_nonces(), called by every supervisor's collection:
-- deletes the nonces of credentials expired for a minute (a credential
-- is refused from its expiry on, so the minute only keeps a row from
-- going while a call that began before the expiry still inserts it).
-- Returns how many it deleted.
CREATE OR REPLACE FUNCTION termgate.hop_nonce(p_nonce text,
    p_expires bigint, p_ttl integer) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t timestamptz := to_timestamp(p_expires);
BEGIN
	IF t <= now() THEN
		RETURN 'expired';
	END IF;
	IF t > now() + make_interval(secs => p_ttl) THEN
		RETURN 'too_far';
	END IF;
	INSERT INTO termgate.hop_nonces (nonce, expires_at)
	VALUES (p_nonce, t) ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN
		RETURN 'replayed';
	END IF;
	RETURN 'fresh';
END $$;
REVOKE ALL ON FUNCTION termgate.hop_nonce(text, bigint, integer)
	FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.hop_nonce(text, bigint, integer)
	TO "termgate-fcgi";

CREATE OR REPLACE FUNCTION termgate.purge_hop_nonces() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	n integer;
BEGIN
	DELETE FROM termgate.hop_nonces
	WHERE expires_at < now() - interval '1 minute';
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END $$;
REVOKE ALL ON FUNCTION termgate.purge_hop_nonces() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.purge_hop_nonces()
	TO "termgate-supervisor";
