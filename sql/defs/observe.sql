-- observe.sql - observe(NAME, SECONDS): one observation into the latency
-- histogram NAME (015_latency.sql): one bucket row (the smallest upper
-- bound that holds it) and the sum row. Run by the lifecycle's
-- triggers as the owner.
CREATE OR REPLACE FUNCTION termgate.observe(hist text,
    secs double precision) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
	UPDATE termgate.latency_buckets SET count = count + 1
	WHERE name = $1 AND le = (SELECT min(b.le)
	    FROM termgate.latency_buckets b
	    WHERE b.name = $1 AND b.le >= greatest($2, 0));
	UPDATE termgate.latency_sums SET sum = sum + greatest($2, 0)
	WHERE name = $1;
$$;
REVOKE ALL ON FUNCTION termgate.observe(text, double precision) FROM PUBLIC;
