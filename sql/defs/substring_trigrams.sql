-- substring_trigrams.sql - the trigrams that every text containing Q (in
-- any case) has: those pg_trgm finds in Q whatever surrounds it.
-- show_trgm(Q) alone claims too much: it pads Q's first and last words
-- as if they began and ended there, so "base" would ask for "  b" and
-- " ba", and "rebas" for "as ", none of which "git pull --rebase" has. A
-- word character glued to each end (x, then y) takes that padding away
-- where Q may go on inside a word; what both gluings share is what Q
-- guarantees. Empty when Q guarantees no trigram (fewer than three word
-- characters in a row, say): the statement then reads the user's rows
-- by time.
CREATE OR REPLACE FUNCTION termgate.substring_trigrams(q text)
RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
	RETURN ARRAY(SELECT pg_catalog.unnest(public.show_trgm('x' || q || 'x'))
	    INTERSECT
	    SELECT pg_catalog.unnest(public.show_trgm('y' || q || 'y'))
	    ORDER BY 1);
END $$;
REVOKE ALL ON FUNCTION termgate.substring_trigrams(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.substring_trigrams(text)
	TO "termgate-fcgi";
