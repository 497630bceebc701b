/*
 * db.c - one PostgreSQL connection with termgate's statements prepared.
 *
 * Every statement a program runs is in the table of stmt.c; db_connect
 * prepares all of them once per connection, and db_exec runs one by id.
 * A connection the server closed (a restart, a failover) is noticed
 * before the next statement is sent and re-established then; a statement
 * whose connection broke under it is run once more on a new connection.
 * So a database restart costs no request that comes after it, and while
 * the database is away every call fails fast (503 in a worker) and the
 * next one tries again. LISTEN/NOTIFY goes through here too: channels
 * are LISTENed again on every connection, and notifications are read
 * with db_consume/db_next_note or awaited with db_wait_note. Sessions
 * run in UTC. db_read runs a search-like statement in one round trip
 * with the limits a read of unbounded cost needs (libpq's pipeline: the
 * two statements share one implicit transaction, so SET LOCAL holds for
 * the second).
 *
 * The conninfo goes to libpq whole: a multi-host string ("host=a,b
 * target_session_attrs=read-write") finds the primary after a failover
 * by itself, and nothing here reads hosts out of it. What it does not
 * set, db_connect bounds (CONNECT_DEFAULTS): a dead or unreachable
 * server costs seconds, never a hang, so that a request answers 503 and
 * the next one tries the other hosts.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "db_pq.h"
#include "jsonx.h"
#include "log.h"

#define LISTEN_MAX	4

/*
 * libpq settings the conninfo may override (it comes after them): give
 * up on a host after 5 s, and find a peer that vanished without closing
 * (a host down, a partition) in about 25 s idle or 15 s of unanswered
 * data, instead of the kernel's two hours.
 */
static const char *const connect_keys[] = { "connect_timeout",
    "keepalives", "keepalives_idle", "keepalives_interval",
    "keepalives_count", "tcp_user_timeout", "dbname", NULL };
static const char *const connect_values[] = { "5", "1", "10", "5", "3",
    "15000" };
_Static_assert(sizeof(connect_keys) / sizeof(connect_keys[0]) ==
    sizeof(connect_values) / sizeof(connect_values[0]) + 2,
    "a default for every key but dbname and the end");

struct tg_db {
	char		*conninfo;
	PGconn		*conn;
	int		 ready;		/* connected and statements prepared */
	struct db_error	 err;		/* of the last failed statement */
	unsigned	 gen;		/* successful connections */
	const char	*listen[LISTEN_MAX];	/* channels to LISTEN */
	int		 nlisten;
	int		 watch;		/* the client's fd (db_watch), or -1 */
};

struct tg_db *
db_new(const char *conninfo)
{
	struct tg_db *db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return NULL;
	if ((db->conninfo = strdup(conninfo)) == NULL) {
		free(db);
		return NULL;
	}
	db->watch = -1;
	(void)db_connect(db);
	return db;
}

void
db_free(struct tg_db *db)
{
	if (db == NULL)
		return;
	if (db->conn != NULL)
		PQfinish(db->conn);
	free(db->conninfo);
	free(db);
}

/* The first line of the connection's last error, for one-line logs. */
static const char *
last_error(struct tg_db *db)
{
	static char line[256];

	strlcpy(line, PQerrorMessage(db->conn), sizeof(line));
	line[strcspn(line, "\n")] = '\0';
	return line;
}

/* Copies field F of RES into BUF (LEN bytes), "" when absent. */
static void
field(const PGresult *res, int f, char *buf, size_t len)
{
	const char *v = PQresultErrorField(res, f);

	strlcpy(buf, v != NULL ? v : "", len);
	buf[strcspn(buf, "\n")] = '\0';
}

/* Checks RES of WHAT: 0 when it succeeded, else -1 (logged, but for a
 * refusal: a constraint violation, class 23, or a user's regular
 * expression, DB_BAD_REGEX, which the API answers with 400). */
static int
check(struct tg_db *db, PGresult *res, const char *what)
{
	ExecStatusType st = PQresultStatus(res);
	const char *code;

	memset(&db->err, 0, sizeof(db->err));
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return 0;
	code = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		db->ready = 0;
		log_warn("db: connection lost during %s", what);
		return -1;
	}
	field(res, PG_DIAG_SQLSTATE, db->err.sqlstate,
	    sizeof(db->err.sqlstate));
	field(res, PG_DIAG_CONSTRAINT_NAME, db->err.constraint,
	    sizeof(db->err.constraint));
	field(res, PG_DIAG_MESSAGE_PRIMARY, db->err.message,
	    sizeof(db->err.message));
	if (code != NULL && strcmp(code, DB_CANCELED) == 0)
		log_warn("db: %s canceled: %s", what, last_error(db));
	else if (code == NULL || (strncmp(code, "23", 2) != 0 &&
	    strcmp(code, DB_BAD_REGEX) != 0))
		log_err("db: %s failed: sqlstate=%s %s", what,
		    code ? code : "-", last_error(db));
	return -1;
}

/* Runs plain SQL without parameters (SET, LISTEN); 0 or -1. */
static int
command(struct tg_db *db, const char *sql)
{
	PGresult *res;
	int rv;

	res = PQexec(db->conn, sql);
	rv = check(db, res, sql);
	PQclear(res);
	return rv;
}

static int
prepare_all(struct tg_db *db)
{
	const struct stmt *s;
	PGresult *res;
	int i, ok;

	for (i = 0; i < STMT_COUNT; i++) {
		s = stmt_get(i);
		res = PQprepare(db->conn, s->name, s->sql, s->nparams, NULL);
		ok = PQresultStatus(res) == PGRES_COMMAND_OK;
		if (!ok)
			log_err("db: prepare %s failed: %s", s->name,
			    last_error(db));
		PQclear(res);
		if (!ok)
			return -1;
	}
	return 0;
}

static int
listen_one(struct tg_db *db, const char *channel)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "LISTEN %s", channel);
	return command(db, sql);
}

int
db_listen(struct tg_db *db, const char *channel)
{
	if (db->nlisten == LISTEN_MAX)
		return -1;
	db->listen[db->nlisten++] = channel;
	if (db_ok(db))
		return listen_one(db, channel);
	return 0;
}

static uid_t connect_uid = (uid_t)-1;

void
db_connect_as(uid_t uid)
{
	connect_uid = uid;
}

/* PQconnectdb of CONNINFO over connect_keys' defaults (as connect_uid). */
static PGconn *
connect_with_defaults(const char *conninfo)
{
	int as = connect_uid != (uid_t)-1 && geteuid() == 0;
	PGconn *conn;
	const char *values[sizeof(connect_keys) / sizeof(connect_keys[0])];
	size_t i, n = sizeof(connect_values) / sizeof(connect_values[0]);

	for (i = 0; i < n; i++)
		values[i] = connect_values[i];
	values[n] = conninfo;		/* "dbname": expanded, wins */
	values[n + 1] = NULL;
	if (as && seteuid(connect_uid) == -1) {
		log_err("db: seteuid %ld: %s", (long)connect_uid,
		    strerror(errno));
		as = 0;
	}
	conn = PQconnectdbParams(connect_keys, values, 1);
	if (as && seteuid(0) == -1)
		fatal("db: seteuid 0: %s", strerror(errno));
	return conn;
}

int
db_connect(struct tg_db *db)
{
	int i;

	db->ready = 0;
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = connect_with_defaults(db->conninfo);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		log_warn("db: connect failed: %s", last_error(db));
		return -1;
	}
	if (command(db, "SET TIME ZONE 'UTC'") == -1 || prepare_all(db) == -1)
		return -1;
	for (i = 0; i < db->nlisten; i++)
		if (listen_one(db, db->listen[i]) == -1)
			return -1;
	db->ready = 1;
	db->gen++;
	return 0;
}

int
db_ok(struct tg_db *db)
{
	return db->ready && PQstatus(db->conn) == CONNECTION_OK;
}

unsigned
db_generation(struct tg_db *db)
{
	return db->gen;
}

int
db_rows(struct tg_db *db, enum stmt_id id, const char *const *params,
    const char *const *keys, int n, json_object **out)
{
	json_object *arr, *o;
	PGresult *res;
	int i, k;

	if ((res = db_exec(db, id, params)) == NULL)
		return -1;
	arr = json_object_new_array();
	for (i = 0; i < PQntuples(res) && PQnfields(res) == n; i++) {
		o = json_object_new_object();
		for (k = 0; k < n; k++)
			json_object_object_add(o, keys[k],
			    json_object_new_string(PQgetvalue(res, i, k)));
		json_object_array_add(arr, o);
	}
	PQclear(res);
	*out = arr;
	return 0;
}

int
db_conninfo_has_password(const char *conninfo)
{
	PQconninfoOption *opts, *o;
	int found = 0;

	if ((opts = PQconninfoParse(conninfo, NULL)) == NULL)
		return 0;
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL &&
		    o->val[0] != '\0')
			found = 1;
	PQconninfoFree(opts);
	return found;
}

int
db_socket(struct tg_db *db)
{
	return db_ok(db) ? PQsocket(db->conn) : -1;
}

int
db_consume(struct tg_db *db)
{
	if (!db_ok(db))
		return -1;
	if (PQconsumeInput(db->conn) == 0 ||
	    PQstatus(db->conn) != CONNECTION_OK) {
		db->ready = 0;
		log_warn("db: connection lost: %s", last_error(db));
		return -1;
	}
	return 0;
}

/*
 * 1 when the connection can take a statement. An idle connection whose
 * server went away has something to read (an error, or end of file):
 * reading it tells, before a statement is sent into the void.
 */
static int
usable(struct tg_db *db)
{
	struct pollfd pfd;

	if (!db_ok(db))
		return 0;
	pfd.fd = PQsocket(db->conn);
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 0) == 1 && db_consume(db) == -1)
		return 0;
	return 1;
}

PGresult *
db_exec(struct tg_db *db, enum stmt_id id, const char *const *params)
{
	const struct stmt *s = stmt_get(id);
	PGresult *res;
	int tries;

	memset(&db->err, 0, sizeof(db->err));
	for (tries = 0; tries < 2; tries++) {
		if (!usable(db) && db_connect(db) == -1)
			return NULL;
		res = PQexecPrepared(db->conn, s->name, s->nparams, params,
		    NULL, NULL, 0);
		if (check(db, res, s->name) == 0)
			return res;
		PQclear(res);
		if (db_ok(db) || s->once)
			break;		/* the statement failed, not the link,
					 * or it may have run already */
	}
	return NULL;
}

void
db_watch(struct tg_db *db, int fd)
{
	db->watch = fd;
}

/*
 * Asks the server to cancel what the connection runs. A failure changes
 * nothing but that the statement runs to its end or its time limit.
 */
static void
cancel(struct tg_db *db)
{
	PGcancel *c;
	char why[256];

	if ((c = PQgetCancel(db->conn)) == NULL)
		return;
	if (PQcancel(c, why, sizeof(why)) == 0)
		log_warn("db: cannot cancel a read: %s", why);
	PQfreeCancel(c);
}

/*
 * Waits until a result can be read without blocking, watching the
 * client (db_watch) meanwhile: the first time it hangs up, the
 * statement is canceled, and its answer (an error) awaited as any.
 * POLLRDHUP, not POLLIN: the client's connection may hold input nobody
 * has read yet (the end of a request's empty body). 0, or -1 when the
 * connection is lost.
 */
static int
await_result(struct tg_db *db, const char *what, int *canceled)
{
	struct pollfd pfd[2];

	while (PQisBusy(db->conn)) {
		pfd[0].fd = PQsocket(db->conn);
		pfd[0].events = POLLIN;
		pfd[1].fd = *canceled ? -1 : db->watch;
		pfd[1].events = POLLRDHUP;
		pfd[0].revents = pfd[1].revents = 0;
		if (poll(pfd, 2, -1) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (pfd[1].revents != 0) {
			*canceled = 1;
			log_info("db: %s canceled: the client went away",
			    what);
			cancel(db);
		}
		if (pfd[0].revents != 0 && PQconsumeInput(db->conn) == 0)
			return -1;
	}
	return 0;
}

/*
 * The results of a pipeline of NQ statements and its sync: the result of
 * the last statement, or NULL when any failed (logged by check) or the
 * connection went. Consumes everything up to the sync.
 */
static PGresult *
pipeline_results(struct tg_db *db, int nq, const char *what)
{
	PGresult *res, *last = NULL;
	int q = 0, nulls = 0, failed = 0, canceled = 0;
	ExecStatusType st;

	for (;;) {
		if (db->watch != -1 && await_result(db, what, &canceled) == -1)
			break;
		if ((res = PQgetResult(db->conn)) == NULL) {
			/* The end of one statement's results. */
			if (PQstatus(db->conn) != CONNECTION_OK || ++nulls > nq)
				break;
			q++;
			continue;
		}
		nulls = 0;
		if ((st = PQresultStatus(res)) == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			if (!failed)
				return last;
			break;
		}
		if (st == PGRES_PIPELINE_ABORTED)
			failed = 1;
		else if (check(db, res, what) == -1)
			failed = 1;
		else if (q == nq - 1) {
			PQclear(last);
			last = res;
			continue;
		}
		PQclear(res);
	}
	PQclear(last);
	return NULL;
}

/* One try of db_read: limits and statement ID in one pipeline. */
static PGresult *
read_once(struct tg_db *db, const struct stmt *s, const char *const *params,
    const char *const *limits)
{
	const struct stmt *l = stmt_get(STMT_READ_LIMITS);
	PGresult *res = NULL;

	if (PQenterPipelineMode(db->conn) == 0)
		return NULL;
	if (PQsendQueryPrepared(db->conn, l->name, l->nparams, limits, NULL,
	    NULL, 0) == 1 && PQsendQueryPrepared(db->conn, s->name,
	    s->nparams, params, NULL, NULL, 0) == 1 &&
	    PQpipelineSync(db->conn) == 1)
		res = pipeline_results(db, 2, s->name);
	if (PQexitPipelineMode(db->conn) == 0 && db_ok(db)) {
		/* Results left unread: this connection cannot be trusted. */
		log_err("db: %s left the pipeline unfinished", s->name);
		db->ready = 0;
	}
	return res;
}

PGresult *
db_read(struct tg_db *db, enum stmt_id id, const char *const *params,
    int timeout_ms)
{
	const struct stmt *s = stmt_get(id);
	char ms[16];
	/* A statement planned once keeps its plan; any other is planned
	 * for the values it is given (db_pq.h). */
	const char *limits[] = { DB_ITOA(ms, timeout_ms), s->generic ?
	    "force_generic_plan" : "force_custom_plan" };
	PGresult *res;
	int tries;

	memset(&db->err, 0, sizeof(db->err));
	for (tries = 0; tries < 2; tries++) {
		if (!usable(db) && db_connect(db) == -1)
			return NULL;
		if ((res = read_once(db, s, params, limits)) != NULL)
			return res;
		if (db_ok(db))
			break;		/* the statement failed, not the link */
	}
	return NULL;
}

const char *
db_sqlstate(struct tg_db *db)
{
	return db->err.sqlstate;
}

const struct db_error *
db_error(struct tg_db *db)
{
	return &db->err;
}

int
db_run(struct tg_db *db, enum stmt_id id, const char *const *params)
{
	PGresult *res;

	if ((res = db_exec(db, id, params)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int
db_next_note(struct tg_db *db, struct db_note *out)
{
	PGnotify *n;

	if (db->conn == NULL || (n = PQnotifies(db->conn)) == NULL)
		return 0;
	strlcpy(out->channel, n->relname, sizeof(out->channel));
	strlcpy(out->payload, n->extra, sizeof(out->payload));
	PQfreemem(n);
	return 1;
}

int
db_wait_note(struct tg_db *db, int64_t deadline, struct db_note *out)
{
	struct pollfd pfd;
	int64_t left;

	for (;;) {
		if (db_next_note(db, out))
			return 1;
		if (!db_ok(db))
			return -1;
		if ((left = deadline - clock_ms()) <= 0)
			return 0;
		pfd.fd = PQsocket(db->conn);
		pfd.events = POLLIN;
		if (poll(&pfd, 1, (int)left) == -1 && errno != EINTR)
			return -1;
		if ((pfd.revents & (POLLIN | POLLHUP | POLLERR)) != 0 &&
		    db_consume(db) == -1)
			return -1;
	}
}

void
db_refresh(struct tg_db *db)
{
	struct db_note n;

	if (usable(db))
		while (db_next_note(db, &n))
			;
}

json_object *
db_json(PGresult *res, int col)
{
	const char *v;

	if (PQgetisnull(res, 0, col))
		return NULL;
	v = PQgetvalue(res, 0, col);
	return jsonx_parse(v, strlen(v));
}
