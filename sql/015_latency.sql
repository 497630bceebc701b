-- 015_latency.sql - latency histograms that live in the database: how
-- long a new session takes to become ready (open -> ready: created_at to
-- the status 'active'), and how long its terminal took to start (spawn:
-- from the supervisor's fork, when it records the terminal's pid, to
-- 'active'). Kept as Prometheus histograms, cumulative like
-- termgate.counters: every worker of every node reads the same, and
-- neither restarts nor retention purges lose them.
--
-- One row per bucket (its upper bound le, 'Infinity' for +Inf) holding
-- the observations that fell in it alone; /metrics sums them up to each
-- bound. An observation updates one bucket row and one sum row.

CREATE TABLE termgate.latency_buckets (
	name	text NOT NULL,
	le	double precision NOT NULL,
	count	bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (name, le)
);
CREATE TABLE termgate.latency_sums (
	name	text PRIMARY KEY,
	sum	double precision NOT NULL DEFAULT 0
);
INSERT INTO termgate.latency_buckets (name, le)
SELECT n, b FROM unnest(ARRAY['open_ready', 'spawn']) n,
    unnest(ARRAY[0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
    'Infinity']::double precision[]) b;
INSERT INTO termgate.latency_sums (name) VALUES ('open_ready'), ('spawn');

-- When the supervisor forked the terminal: set with its pid.
ALTER TABLE termgate.sessions ADD COLUMN spawn_started_at timestamptz;

-- observe(NAME, SECONDS): one observation into histogram NAME.
CREATE FUNCTION termgate.observe(hist text, secs double precision)
RETURNS void LANGUAGE sql AS $$
	UPDATE termgate.latency_buckets SET count = count + 1
	WHERE name = $1 AND le = (SELECT min(b.le)
	    FROM termgate.latency_buckets b
	    WHERE b.name = $1 AND b.le >= greatest($2, 0));
	UPDATE termgate.latency_sums SET sum = sum + greatest($2, 0)
	WHERE name = $1;
$$;

CREATE FUNCTION termgate.on_spawn_started() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.spawn_started_at := now();
	RETURN NEW;
END $$;
CREATE TRIGGER sessions_spawn_started BEFORE UPDATE OF ttyd_pid
	ON termgate.sessions FOR EACH ROW
	WHEN (OLD.ttyd_pid IS NULL AND NEW.ttyd_pid IS NOT NULL
	    AND NEW.status = 'starting')
	EXECUTE FUNCTION termgate.on_spawn_started();

CREATE FUNCTION termgate.on_ready() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM termgate.observe('open_ready',
	    extract(epoch FROM now() - NEW.created_at));
	IF NEW.spawn_started_at IS NOT NULL THEN
		PERFORM termgate.observe('spawn',
		    extract(epoch FROM now() - NEW.spawn_started_at));
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER sessions_ready AFTER UPDATE OF status ON termgate.sessions
	FOR EACH ROW WHEN (OLD.status = 'starting' AND NEW.status = 'active')
	EXECUTE FUNCTION termgate.on_ready();

-- As in 006: the lifecycle's functions run as their owner, with a fixed
-- search_path; the supervisor (whose updates fire these) is granted
-- nothing on the tables, termgate-fcgi reads them for /metrics.
ALTER FUNCTION termgate.observe(text, double precision)
	SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION termgate.on_spawn_started()
	SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
ALTER FUNCTION termgate.on_ready()
	SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION termgate.observe(text, double precision),
    termgate.on_spawn_started(), termgate.on_ready() FROM PUBLIC;
GRANT SELECT ON termgate.latency_buckets, termgate.latency_sums
	TO "termgate-fcgi";
