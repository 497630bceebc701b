-- history-params.sql - psql script: the parameter sets of the history
-- benchmark, :n of each kind, in table :tab (bench_params; with :heavy 1,
-- every set is the heavy user's, hu0000, instead of one of :users drawn
-- at random). wrk (through the
-- path column) and pgbench (through \gset of the other columns) draw
-- from the same rows, so both sides ask the same questions.
--
--   page      a user's newest page
--   word      + q, an everyday word or a prefix of it as typed, 3+
--             characters (nginx, stat, journalctl, --oneline, up -d...)
--   short     + q, 1-2 characters: the panel's first keystrokes
--   rare      + q, 3-20 characters of one command of the whole table
--   filtered  + q (a word) + one of the user's hosts + nonzero
--   regex     + q, re: and a pattern (^git (log|status), (?i)NGINX$...)
--   next      the page after a word search's 50th match (its cursor)
--   deep      a page after a cursor 80% of the way into the user's rows
--   frequent  the user's most used commands on one of their hosts

\set ON_ERROR_STOP on
-- The same rows and the same questions for the same seed (BENCH_SEED).
SELECT setseed(:seed) \g /dev/null

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

CREATE TABLE :"tab" (kind text, n integer, username text,
    host text, q text, cus bigint, cid bigint, path text, lit text, lk text, alts text,
    PRIMARY KEY (kind, n));

CREATE TEMP TABLE picks AS
SELECT g AS n, CASE WHEN :heavy = 1 THEN 0
    ELSE 1 + floor(random() * :users)::int END AS u
FROM generate_series(1, :n) g;

INSERT INTO :"tab" (kind, n, username, path)
SELECT 'page', p.n, 'hu' || lpad(p.u::text, 4, '0'),
    '/api/terminal/history?limit=50'
FROM picks p;

-- What users search for: the everyday words of their commands, and each
-- of them as the panel sends it while it is typed, keystroke by
-- keystroke (n, ng, ngi, ngin, nginx), a few in another case.
CREATE TEMP TABLE everyday (w text);
INSERT INTO everyday
SELECT unnest(ARRAY['nginx', 'status', 'log', 'conf', 'dock', 'git',
    'systemctl', 'restart', 'journalctl', 'docker', 'compose', 'kubectl',
    'grep', 'pods', 'tail', 'error', 'backup', 'postgres', 'redis', 'apt',
    'install', 'ssh', 'curl', 'var', 'etc', 'tmp', 'make', 'pull', 'push',
    'since today', 'up -d', '--oneline', 'Nginx', 'GIT', 'Docker']);
-- Every prefix: those of 1-2 characters (kind short), 3+ (word).
CREATE TEMP TABLE typed AS
SELECT left(w, k) AS q, k FROM everyday, generate_series(1, 20) k
WHERE k <= length(w);

INSERT INTO :"tab" (kind, n, username, q)
SELECT 'word', p.n, 'hu' || lpad(p.u::text, 4, '0'),
    (SELECT q FROM typed WHERE k >= 3 ORDER BY random() + p.n * 0 LIMIT 1)
FROM picks p;

INSERT INTO :"tab" (kind, n, username, q)
SELECT 'short', p.n, 'hu' || lpad(p.u::text, 4, '0'),
    (SELECT q FROM typed WHERE k <= 2 ORDER BY random() + p.n * 0 LIMIT 1)
FROM picks p;

-- Rare: 3-20 characters of one command drawn from the whole table.
INSERT INTO :"tab" (kind, n, username, q)
SELECT 'rare', p.n, 'hu' || lpad(p.u::text, 4, '0'),
    (SELECT btrim(substr(c.command, 1 + floor(random() *
	greatest(1, length(c.command) - 3))::int,
	3 + floor(random() * 18)::int))
    FROM termgate.command_history c WHERE c.id = r.id)
FROM picks p, LATERAL (SELECT 1 + floor(random() * (SELECT max(id)
    FROM termgate.command_history))::bigint + p.n * 0 AS id) r;
UPDATE :"tab" SET q = 'git' WHERE kind = 'rare'
    AND (q IS NULL OR length(q) < 3);

-- The panel's re: searches.
INSERT INTO :"tab" (kind, n, username, q)
SELECT 'regex', p.n, 'hu' || lpad(p.u::text, 4, '0'),
    (ARRAY['^git (log|status)', '(?i)NGINX$', '^docker (ps|logs)',
    'restart (nginx|redis)$', '\.conf$', '^kubectl .* -n prod$',
    '^(vim|nano) ', 'grep -[a-z]*i'])[1 + floor(random() * 8)::int
    + p.n * 0]
FROM picks p;

INSERT INTO :"tab" (kind, n, username, host, q)
SELECT 'filtered', p.n, 'hu' || lpad(p.u::text, 4, '0'),
    'hh' || lpad((1 + (p.u * 7 + floor(random() * 5)::int) % :hosts)::text,
    2, '0'),
    (SELECT q FROM typed WHERE k >= 3 ORDER BY random() + p.n * 0 LIMIT 1)
FROM picks p;

INSERT INTO :"tab" (kind, n, username, cus, cid)
SELECT 'deep', p.n, 'hu' || lpad(p.u::text, 4, '0'), d.us, d.id
FROM picks p, LATERAL (SELECT (extract(epoch FROM c.started_at) *
    1000000)::bigint AS us, c.id FROM termgate.command_history c
    WHERE c.user_id = (SELECT x.id FROM termgate.users x
    WHERE x.username = 'hu' || lpad(p.u::text, 4, '0'))
    ORDER BY c.started_at DESC, c.id DESC
    OFFSET (SELECT count(*) * 8 / 10 FROM termgate.command_history c2
    WHERE c2.user_id = (SELECT x.id FROM termgate.users x
    WHERE x.username = 'hu' || lpad(p.u::text, 4, '0'))) LIMIT 1) d;

-- The next page of a word search: after the cursor of its 50th match
-- (the searches with fewer matches have no next page).
INSERT INTO :"tab" (kind, n, username, q, cus, cid)
SELECT 'next', row_number() OVER (ORDER BY b.n), b.username, b.q, d.us,
    d.id
FROM :"tab" b JOIN LATERAL (SELECT (extract(epoch FROM
    c.started_at) * 1000000)::bigint AS us, c.id
    FROM termgate.command_history c
    WHERE c.user_id = (SELECT x.id FROM termgate.users x
    WHERE x.username = b.username) AND c.command ILIKE '%' ||
    replace(replace(replace(b.q, '\', '\\'), '%', '\%'), '_', '\_')
    || '%'
    ORDER BY c.started_at DESC, c.id DESC OFFSET 49 LIMIT 1) d ON true
WHERE b.kind = 'word';

INSERT INTO :"tab" (kind, n, username, host, path)
SELECT 'frequent', p.n, 'hu' || lpad(p.u::text, 4, '0'),
    'hh' || lpad((1 + (p.u * 7 + floor(random() * 5)::int) % :hosts)::text,
    2, '0'), NULL
FROM picks p;

UPDATE :"tab" SET path = '/api/terminal/history?limit=50&q=' ||
    pg_temp.urlencode(q) WHERE kind IN ('word', 'short', 'rare');
UPDATE :"tab" SET path = '/api/terminal/history?limit=50&q=' ||
    pg_temp.urlencode('re:' || q) WHERE kind = 'regex';
UPDATE :"tab" SET path = '/api/terminal/history?limit=50&q=' ||
    pg_temp.urlencode(q) || coalesce('&cursor=' || pg_temp.cursor(cus, cid),
    '') WHERE kind = 'next';
UPDATE :"tab" SET path = '/api/terminal/history?limit=50&q=' ||
    pg_temp.urlencode(q) || '&host_id=' || host || '&exit_status=nonzero'
    WHERE kind = 'filtered';
UPDATE :"tab" SET path = '/api/terminal/history?limit=50&cursor=' ||
    pg_temp.cursor(cus, cid) WHERE kind = 'deep';
UPDATE :"tab" SET path = '/api/terminal/history/frequent?limit=20' ||
    '&host_id=' || host WHERE kind = 'frequent';
