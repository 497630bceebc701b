-- 011_history_user_trigrams.sql - a user's substring search that reads
-- only that user's trigrams.
--
-- 005's GIN (user_id, command gin_trgm_ops) keeps one posting list per
-- trigram for every user together: a search for "--rebase" by one user
-- decodes the lists of " re", "reb", "eba"... of all thousand users
-- (100-500 index pages at a million rows, 1-2 ms of CPU) to intersect
-- them with the user's thousand rows. Under 16 concurrent searches on
-- two cores that CPU, queued, is what put p99 past 100 ms.
--
-- Here each trigram of a command becomes a key of its own user:
-- (user_id << 24) | 24 bits of hashtext(trigram), so that a search reads
-- a handful of short posting lists (the user's rows holding each
-- trigram), 20-60 pages, about 0.1 ms. A hash collision only adds
-- candidates, which the ILIKE of the statement checks, as it checks
-- every candidate of a trigram index. hist_list (src/stmt.c) uses it
-- when it reads one user's rows with q, given as the user's id so that
-- the planner has the keys as a constant; 005's index still serves
-- regular expressions and an admin's search of every user.
--
-- Measured with pgbench on the bench's million rows, 16 clients, side
-- by side on a loaded 2-CPU machine: the substring search went from
-- 600-840 to 1,540-1,980 transactions a second, p99 from 60-88 ms to
-- 20-27 ms (contrib/bench/history, README.md).
--
-- Additive and idempotent: functions replaced, the index created if
-- missing (a plain CREATE INDEX: about a minute at a million rows, with
-- writes to command_history waiting meanwhile).

-- The keys of trigrams G of user P_USER. PL/pgSQL, as is
-- substring_trigrams: a search plans its statement for its values, and
-- so runs both while planning; PL/pgSQL keeps their plans for the
-- connection, where an SQL function's query would be planned anew on
-- each call (half of a search's planning time).
CREATE OR REPLACE FUNCTION termgate.trigram_keys(p_user bigint, g text[])
RETURNS bigint[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
	RETURN ARRAY(SELECT (p_user << 24) |
	    (pg_catalog.hashtext(t) & 16777215) FROM pg_catalog.unnest(g) t);
END $$;

-- The index keys of command C of user P_USER: its trigrams as pg_trgm
-- makes them (lower case, words padded), each the user's. SQL, inlined
-- where it is used: the index and the statement both read
-- trigram_keys(user_id, show_trgm(command)).
CREATE OR REPLACE FUNCTION termgate.command_keys(p_user bigint, c text)
RETURNS bigint[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
	SELECT termgate.trigram_keys(p_user, public.show_trgm(c))
$$;

-- The trigrams that every text containing Q (in any case) has: those
-- pg_trgm finds in Q whatever surrounds it. show_trgm(Q) alone claims
-- too much: it pads Q's first and last words as if they began and ended
-- there, so "base" would ask for "  b" and " ba", and "rebas" for
-- "as ", none of which "git pull --rebase" has. A word character glued
-- to each end (x, then y) takes that padding away where Q may go on
-- inside a word; what both gluings share is what Q guarantees. Empty
-- when Q guarantees no trigram (fewer than three word characters in a
-- row, say): the statement then reads the user's rows by time.
CREATE OR REPLACE FUNCTION termgate.substring_trigrams(q text)
RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
	RETURN ARRAY(SELECT pg_catalog.unnest(public.show_trgm('x' || q || 'x'))
	    INTERSECT
	    SELECT pg_catalog.unnest(public.show_trgm('y' || q || 'y'))
	    ORDER BY 1);
END $$;

CREATE INDEX IF NOT EXISTS command_history_user_keys
	ON termgate.command_history
	USING gin (termgate.command_keys(user_id, command));

-- Every INSERT computes the index's keys (the supervisor's captured
-- commands; add_command is SECURITY DEFINER); termgate-fcgi's searches
-- compute a search's keys.
GRANT EXECUTE ON FUNCTION termgate.trigram_keys(bigint, text[]),
    termgate.command_keys(bigint, text)
	TO "termgate-fcgi", "termgate-supervisor";
GRANT EXECUTE ON FUNCTION termgate.substring_trigrams(text)
	TO "termgate-fcgi";
