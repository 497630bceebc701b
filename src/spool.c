/*
 * spool.c - termgate-pty's command records into command_history.
 *
 * The pty holder of a session appends one JSON object per finished
 * command to its command file; the supervisor, which holds the node's
 * one database connection, moves them into PostgreSQL here. The file is
 * the buffer: nothing is lost while the supervisor restarts or the
 * database is away, and the session row's history_offset says how much
 * of it is in the table. Each batch goes in with one statement that
 * inserts the rows and moves the offset, guarded by the offset it read
 * from: exactly once, however often it runs.
 *
 * The file is written by a process of the terminal's user, so every
 * record is read and checked by cmdrec (the record's one definition,
 * which termgate-pty writes with) before it goes near SQL: a malformed
 * one is skipped, never allowed to block the ones after it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmdrec.h"
#include "db_pq.h"
#include "jsonx.h"
#include "log.h"
#include "sessfile.h"
#include "spool.h"

_Static_assert(CMDREC_LINE_MAX < SPOOL_BATCH, "a record fits in a batch");

/* A record of the line LINE (LEN bytes) as the statement reads it
 * (cmdrec_json, or cmdrec_event_decode's event), or NULL (the caller
 * logs). */
static json_object *
record(const char *line, size_t len)
{
	struct cmdrec r;
	json_object *hold, *o;

	switch (cmdrec_event_decode(line, len, &o)) {
	case 1:
		return o;
	case -1:
		return NULL;
	}
	if (cmdrec_decode(line, len, &r, &hold) == -1)
		return NULL;
	o = cmdrec_json(&r);
	json_object_put(hold);
	return o;
}

/* Adds the whole lines of BUF (N bytes), up to MAX records of them, to
 * ARR; the bytes they take. */
static size_t
lines(const char *id, const char *buf, size_t n, size_t max,
    json_object *arr)
{
	const char *p = buf, *nl;
	json_object *o;

	while (json_object_array_length(arr) < max &&
	    (nl = memchr(p, '\n', n - (size_t)(p - buf))) != NULL) {
		if (nl > p && (o = record(p, (size_t)(nl - p))) != NULL)
			json_object_array_add(arr, o);
		else if (nl > p)
			log_warn("session=%.12s spool: malformed record at "
			    "byte %zu skipped", id, (size_t)(p - buf));
		p = nl + 1;
	}
	return (size_t)(p - buf);
}

/*
 * Reads up to SPOOL_BATCH bytes of PATH at OFFSET into BUF; -1. Only a
 * regular file is read: a terminal's uid can plant anything in the spool,
 * and a FIFO's open would wait for a writer (sessfile_open).
 */
static ssize_t
read_at(const char *path, off_t offset, char *buf)
{
	ssize_t n;
	int fd;

	if ((fd = sessfile_open(path)) == -1)
		return errno == ENOENT ? 0 : -1;
	n = pread(fd, buf, SPOOL_BATCH, offset);
	close(fd);
	return n;
}

off_t
spool_offset(struct tg_db *db, const char *id)
{
	const char *params[] = { id };
	PGresult *res;
	off_t rv = -1;

	if ((res = db_exec(db, STMT_SPOOL_OFFSET, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1)
		rv = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
	PQclear(res);
	return rv;
}

/*
 * What PostgreSQL said of a batch it would not take: a refusal of the
 * data itself (class 22, data exception; 23, a constraint; P0, raised
 * in SQL), which the same batch would meet again, or anything else (the
 * link, a deadlock, a cancel), which a later try may not.
 */
static int
refused(struct tg_db *db)
{
	const char *st = db_sqlstate(db);

	return db_ok(db) && (strncmp(st, "22", 2) == 0 ||
	    strncmp(st, "23", 2) == 0 || strncmp(st, "P0", 2) == 0);
}

/* Sets the record FROM -> TO of session ID aside (STMT_SPOOL_REFUSED);
 * the new offset, or -1. */
static off_t
set_aside(struct tg_db *db, const char *node, const char *id, off_t from,
    off_t to)
{
	const struct db_error *e = db_error(db);
	char f[24], t[24], why[sizeof(e->message) + 8];
	const char *params[] = { id, DB_ITOA(f, from), DB_ITOA(t, to), why,
	    node };
	PGresult *res;
	int moved;

	snprintf(why, sizeof(why), "%s %s", e->sqlstate, e->message);
	log_warn("session=%.12s spool: the record at bytes %lld-%lld "
	    "refused by the database, set aside: %s", id, (long long)from,
	    (long long)to, why);
	if ((res = db_exec(db, STMT_SPOOL_REFUSED, params)) == NULL)
		return -1;
	moved = PQntuples(res) == 1;
	PQclear(res);
	return moved ? to : spool_offset(db, id);
}

/* Inserts ARR for ID and moves the offset FROM -> TO; the new offset,
 * -1, or -2 when the database refused ARR for what it holds. */
static off_t
insert(struct tg_db *db, const char *node, const char *id, off_t from,
    off_t to, json_object *arr)
{
	char f[24], t[24];
	const char *params[] = { id, DB_ITOA(f, from), DB_ITOA(t, to),
	    jsonx_str(arr), node };
	PGresult *res;
	int moved;

	if ((res = db_exec(db, STMT_SPOOL_INGEST, params)) == NULL)
		return refused(db) ? -2 : -1;
	moved = PQntuples(res) == 1 && atoi(PQgetvalue(res, 0, 0)) == 1;
	PQclear(res);
	if (!moved)
		return spool_offset(db, id);
	return to;
}

/*
 * Takes the records of BUF (N bytes read at OFFSET), at most MAX of
 * them. When the database refuses a batch, the batch's first record
 * alone is tried, and set aside if it is refused too: one record that
 * the database will never take costs the session that record only.
 */
static off_t
take(struct tg_db *db, const char *node, const char *id, const char *buf,
    size_t n, off_t offset, size_t max)
{
	json_object *arr = json_object_new_array();
	size_t used = lines(id, buf, n, max, arr), got;
	off_t rv;

	got = json_object_array_length(arr);
	if (used == 0 && n == SPOOL_BATCH) {
		/* A "line" longer than any record: not ours, skip it. */
		log_warn("session=%.12s spool: %d bytes without a newline "
		    "skipped", id, SPOOL_BATCH);
		used = n;
	}
	rv = used == 0 ? offset : insert(db, node, id, offset, offset +
	    (off_t)used, arr);
	json_object_put(arr);
	if (rv == -2 && got > 1)
		return take(db, node, id, buf, n, offset, 1);
	if (rv == -2)
		return set_aside(db, node, id, offset, offset + (off_t)used);
	return rv;
}

off_t
spool_ingest(struct tg_db *db, const char *node, const char *id,
    const char *path, off_t offset)
{
	ssize_t n;
	off_t rv;
	char *buf;

	if ((buf = malloc(SPOOL_BATCH)) == NULL)
		return -1;
	if ((n = read_at(path, offset, buf)) <= 0)
		rv = n == 0 ? offset : -1;
	else
		rv = take(db, node, id, buf, (size_t)n, offset, SIZE_MAX);
	free(buf);
	return rv;
}
