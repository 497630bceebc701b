/* spool.h - termgate-pty's command records into command_history. */
#ifndef TG_SPOOL_H
#define TG_SPOOL_H

#include <sys/types.h>

struct tg_db;

#define SPOOL_BATCH	(256 * 1024)	/* bytes read per spool_ingest */

/*
 * Moves the whole records of the command file PATH (cmdrec.h's lines, written
 * by termgate-pty hold -o) from byte OFFSET on, at most SPOOL_BATCH bytes of
 * them, into command_history for session ID of node NODE (a session of
 * another node takes nothing), in one statement that also advances the
 * session's history_offset from OFFSET: however often this runs, and
 * whoever dies in between, a record is taken exactly once. Times are
 * kept within the session's life. Malformed records are skipped
 * (logged); a record the database refuses for what it holds is set
 * aside (logged, and a capture_refused event), never retried. Returns the new
 * offset (OFFSET when nothing whole was there), the row's offset when it
 * was not OFFSET (someone else moved it), or -1 when the file cannot be
 * read or the database failed (try again later).
 */
off_t	spool_ingest(struct tg_db *, const char *node, const char *id,
	    const char *path, off_t offset);
/* The history_offset of session ID, or -1 (no such session, or the
 * database failed). */
off_t	spool_offset(struct tg_db *, const char *id);

#endif
