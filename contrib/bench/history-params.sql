-- history-params.sql - psql script: the parameter sets of the history
-- benchmark, :n of each kind, in table bench_params. wrk (through the
-- path column) and pgbench (through \gset of the other columns) draw
-- from the same rows, so both sides ask the same questions.
--
--   page      a user's newest page
--   search    + q, a substring of 3-20 characters of a real command
--   filtered  + q (a common word) + one of the user's hosts + nonzero
--   deep      a page after a cursor 80% of the way into the user's rows
--   frequent  the user's most used commands on one of their hosts

\set ON_ERROR_STOP on

CREATE FUNCTION pg_temp.urlencode(s text) RETURNS text LANGUAGE sql AS $$
	SELECT coalesce(string_agg(CASE WHEN b BETWEEN 48 AND 57
	    OR b BETWEEN 65 AND 90 OR b BETWEEN 97 AND 122 OR b IN (45, 46, 95)
	    THEN chr(b) ELSE '%' || lpad(upper(to_hex(b)), 2, '0') END, ''
	    ORDER BY i), '')
	FROM (SELECT i, get_byte(convert_to(s, 'UTF8'), i) AS b
	    FROM generate_series(0, octet_length(s) - 1) i) x
$$;

-- The cursor the API hands out for the row at (US, ID).
CREATE FUNCTION pg_temp.cursor(us bigint, id bigint) RETURNS text
LANGUAGE sql AS $$
	SELECT rtrim(translate(encode(convert_to(us || ',' || id, 'UTF8'),
	    'base64'), E'+/\n', '-_'), '=')
$$;

CREATE TABLE bench_params (kind text, n integer, username text,
    host text, q text, cus bigint, cid bigint, path text,
    PRIMARY KEY (kind, n));

CREATE TEMP TABLE picks AS
SELECT g AS n, 1 + floor(random() * :users)::int AS u
FROM generate_series(1, :n) g;

INSERT INTO bench_params (kind, n, username, path)
SELECT 'page', p.n, 'hu' || lpad(p.u::text, 4, '0'),
    '/api/terminal/history?limit=50'
FROM picks p;

-- Substrings of commands drawn from the whole table.
INSERT INTO bench_params (kind, n, username, q)
SELECT 'search', p.n, 'hu' || lpad(p.u::text, 4, '0'),
    (SELECT btrim(substr(c.command, 1 + floor(random() *
	greatest(1, length(c.command) - 3))::int,
	3 + floor(random() * 18)::int))
    FROM termgate.command_history c WHERE c.id = r.id)
FROM picks p, LATERAL (SELECT 1 + floor(random() * (SELECT max(id)
    FROM termgate.command_history))::bigint + p.n * 0 AS id) r;
UPDATE bench_params SET q = 'git' WHERE kind = 'search'
    AND (q IS NULL OR length(q) < 3);

INSERT INTO bench_params (kind, n, username, host, q)
SELECT 'filtered', p.n, 'hu' || lpad(p.u::text, 4, '0'),
    'hh' || lpad((1 + (p.u * 7 + floor(random() * 5)::int) % :hosts)::text,
    2, '0'),
    (ARRAY['git', 'systemctl', 'docker', 'grep', 'nginx', 'kubectl',
    'apt', 'ssh', 'make', 'restart', 'log', 'tar'])[1 +
    floor(random() * 12)::int + p.n * 0]
FROM picks p;

INSERT INTO bench_params (kind, n, username, cus, cid)
SELECT 'deep', p.n, 'hu' || lpad(p.u::text, 4, '0'), d.us, d.id
FROM picks p, LATERAL (SELECT (extract(epoch FROM c.started_at) *
    1000000)::bigint AS us, c.id FROM termgate.command_history c
    WHERE c.user_id = (SELECT x.id FROM termgate.users x
    WHERE x.username = 'hu' || lpad(p.u::text, 4, '0'))
    ORDER BY c.started_at DESC, c.id DESC
    OFFSET (SELECT count(*) * 8 / 10 FROM termgate.command_history c2
    WHERE c2.user_id = (SELECT x.id FROM termgate.users x
    WHERE x.username = 'hu' || lpad(p.u::text, 4, '0'))) LIMIT 1) d;

INSERT INTO bench_params (kind, n, username, host, path)
SELECT 'frequent', p.n, 'hu' || lpad(p.u::text, 4, '0'),
    'hh' || lpad((1 + (p.u * 7 + floor(random() * 5)::int) % :hosts)::text,
    2, '0'), NULL
FROM picks p;

UPDATE bench_params SET path = '/api/terminal/history?limit=50&q=' ||
    pg_temp.urlencode(q) WHERE kind = 'search';
UPDATE bench_params SET path = '/api/terminal/history?limit=50&q=' ||
    pg_temp.urlencode(q) || '&host_id=' || host || '&exit_status=nonzero'
    WHERE kind = 'filtered';
UPDATE bench_params SET path = '/api/terminal/history?limit=50&cursor=' ||
    pg_temp.cursor(cus, cid) WHERE kind = 'deep';
UPDATE bench_params SET path = '/api/terminal/history/frequent?limit=20' ||
    '&host_id=' || host WHERE kind = 'frequent';
