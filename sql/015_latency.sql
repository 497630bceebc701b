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

-- observe(NAME, SECONDS) records one observation; the triggers
-- sessions_spawn_started and sessions_ready observe: sql/defs/. The
-- supervisor (whose updates fire them) is granted nothing on these
-- tables, termgate-fcgi reads them for /metrics.
GRANT SELECT ON termgate.latency_buckets, termgate.latency_sums
	TO "termgate-fcgi";
