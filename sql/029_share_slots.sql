-- 029_share_slots.sql - sharing a shellinabox terminal.
--
-- shellinabox runs a fixed command per service, chosen by the URL path
-- alone; nothing else of a request reaches the command. A session's
-- shellinaboxd therefore serves, beside the owner's PREFIX/ID/, one
-- service per share slot, PREFIX/ID-sN/, whose "termgate-pty attach"
-- carries the slot's mode (1-8 view, 9-16 control) and a grant standing
-- for the slot (termgate.slot_grant: N in 64 hex digits; src/holder.h).
-- authorize gives a shared client's grant a free slot of its mode in its
-- session the first time it is used (termgate.share_slot) and sends the
-- client to that slot's path. The holder knows only the slot's grant:
-- the definitions that read what it reports (set_clients, the command
-- records' "by") turn it back into the grant that holds the slot, and a
-- revocation drops the slot's clients too. A slot is free again once its
-- grant's share is revoked or expired; another grant taking it drops any
-- client still attached there. NULL: no slot (every grant of a ttyd
-- session, whose attach carries the grant itself).
ALTER TABLE termgate.share_grants
	ADD COLUMN slot smallint CHECK (slot BETWEEN 1 AND 16);
