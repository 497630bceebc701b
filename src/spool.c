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
 * record is checked here before it goes near SQL: a malformed one is
 * skipped, never allowed to block the ones after it.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_pq.h"
#include "jsonx.h"
#include "log.h"
#include "spool.h"

#define COMMAND_MAX	8192		/* bytes, as the schema's CHECK */
#define CWD_MAX		4096

/* 1 when S is "YYYY-MM-DDTHH:MM:SS[.fff...]Z", as termgate-pty writes. */
static int
rfc3339(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i, n;

	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' :
		    s[i] != shape[i])
			return 0;
	if (s[i] == '.') {
		n = strspn(s + i + 1, "0123456789");
		if (n == 0 || n > 6)
			return 0;
		i += n + 1;
	}
	return s[i] == 'Z' && s[i + 1] == '\0';
}

/* An optional string member: absent or null is fine, else <= MAX bytes. */
static int
opt_str(json_object *o, const char *key, size_t max, int (*ok)(const char *))
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 1;
	if (!json_object_is_type(v, json_type_string) ||
	    (size_t)json_object_get_string_len(v) > max)
		return 0;
	return ok == NULL || ok(json_object_get_string(v));
}

static int
opt_num(json_object *o, const char *key, json_type type)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return 1;
	if (type == json_type_double && json_object_is_type(v, json_type_int))
		return json_object_get_int64(v) >= 0;
	if (!json_object_is_type(v, type))
		return 0;
	if (type == json_type_int)
		return json_object_get_int64(v) >= INT32_MIN &&
		    json_object_get_int64(v) <= INT32_MAX;
	return json_object_get_double(v) >= 0;
}

static int
source_ok(const char *s)
{
	return strcmp(s, "shell") == 0 || strcmp(s, "typed") == 0;
}

/* A record as the statement reads it, or NULL (the caller logs). */
static json_object *
record(const char *line, size_t len)
{
	json_object *o, *v;
	const char *cmd;

	if ((o = jsonx_parse(line, len)) == NULL)
		return NULL;
	if (!json_object_is_type(o, json_type_object) ||
	    jsonx_get_str(o, "command", &cmd) != 0 || cmd[0] == '\0' ||
	    strlen(cmd) > COMMAND_MAX ||
	    !opt_str(o, "cwd", CWD_MAX, NULL) ||
	    !opt_str(o, "started_at", 40, rfc3339) ||
	    !opt_str(o, "finished_at", 40, rfc3339) ||
	    !opt_str(o, "source", 8, source_ok) ||
	    !opt_num(o, "exit_status", json_type_int) ||
	    !opt_num(o, "recording_offset", json_type_double)) {
		json_object_put(o);
		return NULL;
	}
	if (!json_object_object_get_ex(o, "source", &v) || v == NULL)
		json_object_object_add(o, "source",
		    json_object_new_string("typed"));
	return o;
}

/* Adds the whole lines of BUF (N bytes) to ARR; the bytes they take. */
static size_t
lines(const char *id, const char *buf, size_t n, json_object *arr)
{
	const char *p = buf, *nl;
	json_object *o;

	while ((nl = memchr(p, '\n', n - (size_t)(p - buf))) != NULL) {
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
 * and a FIFO's open would wait for a writer (O_NONBLOCK), its read for
 * data.
 */
static ssize_t
read_at(const char *path, off_t offset, char *buf)
{
	struct stat st;
	ssize_t n = -1;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) == -1)
		return errno == ENOENT ? 0 : -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = pread(fd, buf, SPOOL_BATCH, offset);
	else
		errno = EINVAL;
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

/* Inserts ARR for ID and moves the offset FROM -> TO; the new offset. */
static off_t
insert(struct tg_db *db, const char *id, off_t from, off_t to,
    json_object *arr)
{
	char f[24], t[24];
	const char *params[] = { id, DB_ITOA(f, from), DB_ITOA(t, to),
	    jsonx_str(arr) };
	PGresult *res;
	int moved;

	if ((res = db_exec(db, STMT_SPOOL_INGEST, params)) == NULL)
		return -1;
	moved = PQntuples(res) == 1 && atoi(PQgetvalue(res, 0, 0)) == 1;
	PQclear(res);
	if (!moved)
		return spool_offset(db, id);
	return to;
}

off_t
spool_ingest(struct tg_db *db, const char *id, const char *path,
    off_t offset)
{
	json_object *arr;
	ssize_t n;
	size_t used;
	off_t rv;
	char *buf;

	if ((buf = malloc(SPOOL_BATCH)) == NULL)
		return -1;
	if ((n = read_at(path, offset, buf)) <= 0) {
		free(buf);
		return n == 0 ? offset : -1;
	}
	arr = json_object_new_array();
	used = lines(id, buf, (size_t)n, arr);
	if (used == 0 && n == SPOOL_BATCH) {
		/* A "line" longer than any record: not ours, skip it. */
		log_warn("session=%.12s spool: %d bytes without a newline "
		    "skipped", id, SPOOL_BATCH);
		used = (size_t)n;
	}
	rv = used == 0 ? offset : insert(db, id, offset, offset +
	    (off_t)used, arr);
	json_object_put(arr);
	free(buf);
	return rv;
}
