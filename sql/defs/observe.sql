-- observe.sql - observe(NAME, SECONDS): one observation into the latency
-- histogram NAME (015_latency.sql): one bucket row (the smallest upper
-- bound that holds it) and the sum row. Run by the lifecycle's
-- triggers as the owner. In PL/pgSQL, whose plans a connection keeps:
-- an SQL function's body is parsed and planned again at every call.
CREATE OR REPLACE FUNCTION termgate.observe(hist text,
    secs double precision) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	UPDATE termgate.latency_buckets SET count = count + 1
	WHERE name = hist AND le = (SELECT min(b.le)
	    FROM termgate.latency_buckets b
	    WHERE b.name = hist AND b.le >= greatest(secs, 0));
	UPDATE termgate.latency_sums SET sum = sum + greatest(secs, 0)
	WHERE name = hist;
END $$;
REVOKE ALL ON FUNCTION termgate.observe(text, double precision) FROM PUBLIC;
