-- 024_claimed_source.sql - a command record that output only claims.
--
-- Shell-integration marks are escape sequences any output can print (a
-- file someone cats, a MOTD, a compromised host), so marks alone could
-- write "curl ... | sh, exit 0" into a user's history as if their shell
-- had said so. termgate-pty now gives the shell a per-session nonce
-- ($TERMGATE_NONCE) that the shipped integration puts in its E and D
-- marks; a record whose marks lack it is kept, as 'claimed'.
ALTER TABLE termgate.command_history
	DROP CONSTRAINT command_history_source_check,
	ADD CONSTRAINT command_history_source_check
	    CHECK (source IN ('shell', 'typed', 'claimed'));
