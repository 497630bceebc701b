-- normalize_command.sql - a command as the history panel counts it:
-- whitespace runs made one space, and only its first 256 characters (a
-- btree entry must stay small).
--
-- command_history.command_norm is generated from it and stored
-- (005_history_search.sql), and an index is built on that column: a
-- change here applies only to rows written afterwards. Created before
-- 005, which needs it, and so before 006 makes the programs' roles a
-- requirement: 009_history_roles.sql grants it (CREATE OR REPLACE keeps
-- the grant).
CREATE OR REPLACE FUNCTION termgate.normalize_command(c text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT left(regexp_replace(btrim(c, E' \t\r\n'), E'[ \t\r\n]+',
	    ' ', 'g'), 256)
$$;
REVOKE ALL ON FUNCTION termgate.normalize_command(text) FROM PUBLIC;
