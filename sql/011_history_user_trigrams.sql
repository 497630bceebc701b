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
-- Additive and idempotent: the index created if missing (a plain CREATE
-- INDEX: about a minute at a million rows, with writes to
-- command_history waiting meanwhile).

-- The keys: trigram_keys() and command_keys(), and a search's trigrams,
-- substring_trigrams(), are in sql/defs/ (created before this migration
-- runs, with their grants).
CREATE INDEX IF NOT EXISTS command_history_user_keys
	ON termgate.command_history
	USING gin (termgate.command_keys(user_id, command));
