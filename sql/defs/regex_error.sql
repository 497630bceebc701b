-- regex_error.sql - NULL when P is a valid regular expression, else
-- PostgreSQL's reason ("invalid regular expression: parentheses () not
-- balanced"), for the history API's 400.
CREATE OR REPLACE FUNCTION termgate.regex_error(p text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	PERFORM '' ~ p;
	RETURN NULL;
EXCEPTION WHEN invalid_regular_expression THEN
	RETURN SQLERRM;
END $$;
REVOKE ALL ON FUNCTION termgate.regex_error(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION termgate.regex_error(text) TO "termgate-fcgi";
