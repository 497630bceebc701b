/*
 * migrate.c - the one documented way to create and upgrade the schema.
 *
 * sql/ holds two kinds of files. Migrations, NNN_name.sql, are what
 * happens once: tables, columns, indexes, data moves, roles and table
 * grants; each is applied once, in name order, and recorded in
 * termgate.schema_migrations; a released one is never changed, only
 * followed by a new one. Definitions, sql/defs/NAME.sql in the order of
 * sql/defs/ORDER (defs.c), are the functions, triggers and views, one
 * current text each, re-run whenever their text or what they installed
 * changed.
 *
 * Until sql/defs/ existed, a migration that changed a function restated
 * it whole, so that 002, 007 and 012 each held an open_session. Those
 * copies are gone from the numbered files, which keep their other
 * statements and the comment saying where the definition went. A
 * database that applied them has them recorded and never runs them
 * again; the definitions, which have no digest recorded there yet, are
 * re-created over them by its first migrate with this tree. On a new
 * database, each definition is created right after the migration its
 * ORDER line names, before the later migrations that use it.
 *
 * A run takes a session advisory lock (a second run waits, then finds
 * nothing to do) and does everything in one transaction: the
 * definitions whose migration the database has, then each missing
 * migration followed by the definitions waiting for it, then any
 * definition whose objects a later step dropped; then it records each
 * definition it ran with its digests. A failure anywhere leaves the
 * database as it was.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "defs.h"
#include "migrate.h"
#include "stmt.h"

#define MIGRATE_LOCK	"SELECT pg_advisory_lock(" LOCK_CLASS ", 0)"
#define MIGRATE_SETUP	"SET client_min_messages = warning;" \
	" CREATE SCHEMA IF NOT EXISTS termgate;" \
	" CREATE TABLE IF NOT EXISTS termgate.schema_migrations (" \
	" version text PRIMARY KEY," \
	" applied_at timestamptz NOT NULL DEFAULT now());" \
	" DO $$ BEGIN IF to_regclass('termgate.schema_definitions') IS NULL" \
	" THEN CREATE TABLE termgate.schema_definitions (" \
	" name text PRIMARY KEY, sha256 text NOT NULL," \
	" installed text NOT NULL," \
	" applied_at timestamptz NOT NULL DEFAULT now());" \
	" REVOKE ALL ON termgate.schema_definitions FROM PUBLIC;" \
	" END IF; END $$"

static int
is_migration(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 8 && isdigit((unsigned char)d->d_name[0]) &&
	    isdigit((unsigned char)d->d_name[1]) &&
	    isdigit((unsigned char)d->d_name[2]) && d->d_name[3] == '_' &&
	    strcmp(d->d_name + n - 4, ".sql") == 0;
}

/* Runs SQL; 0, or -1 with the server's message in ERR. */
static int
exec_sql(PGconn *conn, const char *sql, int nparams, const char *const *p,
    char *err, size_t errlen)
{
	PGresult *res;
	ExecStatusType st;

	/* Without parameters: the simple protocol, several statements. */
	if (nparams == 0)
		res = PQexec(conn, sql);
	else
		res = PQexecParams(conn, sql, nparams, NULL, p, NULL, NULL, 0);
	st = PQresultStatus(res);
	/* A migration that is only comments: PGRES_EMPTY_QUERY. */
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK &&
	    st != PGRES_EMPTY_QUERY) {
		snprintf(err, errlen, "%s", PQerrorMessage(conn));
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

/*
 * Whether migration NAME is recorded: 1 yes, 0 no (also when there is no
 * schema_migrations table yet), -1 when the query fails.
 */
static int
is_applied(PGconn *conn, const char *name)
{
	const char *p[] = { name };
	PGresult *res;
	int rv = -1;

	/* Apart: a statement naming a missing table fails to plan, even
	 * behind a to_regclass() that is false. */
	res = PQexec(conn, "SELECT to_regclass('termgate.schema_migrations')"
	    " IS NOT NULL");
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		rv = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	if (rv != 1)
		return rv;
	res = PQexecParams(conn, "SELECT EXISTS (SELECT 1"
	    " FROM termgate.schema_migrations WHERE version = $1)", 1, NULL,
	    p, NULL, NULL, 0);
	rv = -1;
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		rv = PQgetvalue(res, 0, 0)[0] == 't';
	PQclear(res);
	return rv;
}

/* A run of migrate_run: the files of DIR and what became of each. */
struct run {
	PGconn		 *conn;
	const char	 *dir;
	struct dirent	**names;	/* the migrations */
	int		  n;
	char		 *applied;	/* per migration: recorded */
	struct defs	 *defs;
	char		 *ran;		/* per definition: ran in this run */
	size_t		  next;		/* the first definition not yet seen */
	int		  migrations;	/* applied in this run */
	int		  definitions;	/* (re)created in this run */
	char		 *err;
	size_t		  errlen;
};

/* Whether the migration numbered AFTER is applied (0 when none is). */
static int
after_applied(const struct run *r, const char *after)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (strncmp(r->names[i]->d_name, after, 3) == 0 &&
		    r->names[i]->d_name[3] == '_')
			return r->applied[i];
	return 0;
}

/*
 * Runs definition I again unless what it installed is as it left it or,
 * with MISSING, unless all it creates exists (the last pass: what ran
 * in this run has its digests recorded only at its end).
 */
static int
run_def(struct run *r, size_t i, int missing)
{
	struct defs_state st;

	if (defs_state(r->conn, r->defs, i, &st, r->err, r->errlen) == -1)
		return -1;
	if (missing ? st.missing[0] == '\0' : !defs_stale(&st))
		return 0;
	if (defs_run(r->conn, r->defs, i, r->err, r->errlen) == -1)
		return -1;
	if (!r->ran[i])
		r->definitions++;
	r->ran[i] = 1;
	return 0;
}

/* The definitions from r->next on whose migration is applied. */
static int
run_ready(struct run *r)
{
	for (; r->next < defs_count(r->defs) &&
	    after_applied(r, defs_after(r->defs, r->next)); r->next++)
		if (run_def(r, r->next, 0) == -1)
			return -1;
	return 0;
}

/* Applies migration I and records it. */
static int
apply_migration(struct run *r, int i)
{
	const char *name = r->names[i]->d_name, *p[] = { name };
	char path[4096], *sql, why[512];
	int rv = -1;

	snprintf(path, sizeof(path), "%s/%s", r->dir, name);
	if ((sql = defs_read(path, NULL, r->err, r->errlen)) == NULL)
		return -1;
	if (exec_sql(r->conn, sql, 0, NULL, r->err, r->errlen) == 0 &&
	    exec_sql(r->conn, "INSERT INTO termgate.schema_migrations"
	    " (version) VALUES ($1)", 1, p, r->err, r->errlen) == 0) {
		r->applied[i] = 1;
		r->migrations++;
		rv = 0;
	} else {
		snprintf(why, sizeof(why), "%s: %s", name, r->err);
		snprintf(r->err, r->errlen, "%s", why);
	}
	free(sql);
	return rv;
}

/*
 * The whole run, in the transaction migrate_run opened: the definitions
 * ready now, each missing migration and those waiting for it, the
 * definitions a later step dropped, and the record of those that ran.
 */
static int
run_all(struct run *r)
{
	size_t d;
	int i, rv;

	for (i = 0; i < r->n; i++) {
		if ((rv = is_applied(r->conn, r->names[i]->d_name)) == -1) {
			snprintf(r->err, r->errlen, "%s",
			    PQerrorMessage(r->conn));
			return -1;
		}
		r->applied[i] = rv;
	}
	if (run_ready(r) == -1)
		return -1;
	for (i = 0; i < r->n; i++)
		if (!r->applied[i] && (apply_migration(r, i) == -1 ||
		    run_ready(r) == -1))
			return -1;
	for (d = 0; d < r->next; d++)
		if (run_def(r, d, 1) == -1)
			return -1;
	for (d = 0; d < r->next; d++)
		if (r->ran[d] && defs_record(r->conn, r->defs, d, r->err,
		    r->errlen) == -1)
			return -1;
	return 0;
}

/* Locks, sets up the bookkeeping tables, and runs R in a transaction. */
static int
run_locked(struct run *r)
{
	if (exec_sql(r->conn, MIGRATE_LOCK, 0, NULL, r->err, r->errlen) == -1 ||
	    exec_sql(r->conn, MIGRATE_SETUP, 0, NULL, r->err,
	    r->errlen) == -1 ||
	    exec_sql(r->conn, "BEGIN", 0, NULL, r->err, r->errlen) == -1)
		return -1;
	if (run_all(r) == 0 &&
	    exec_sql(r->conn, "COMMIT", 0, NULL, r->err, r->errlen) == 0)
		return 0;
	PQclear(PQexec(r->conn, "ROLLBACK"));
	return -1;
}

int
migrate_run(const char *conninfo, const char *dir, int *ndefs, char *err,
    size_t errlen)
{
	struct run r = { .dir = dir, .n = -1, .err = err, .errlen = errlen };
	int i, rv = -1;

	r.conn = PQconnectdb(conninfo);
	if (PQstatus(r.conn) != CONNECTION_OK)
		snprintf(err, errlen, "%s", PQerrorMessage(r.conn));
	else if ((r.n = scandir(dir, &r.names, is_migration,
	    alphasort)) == -1)
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
	else if ((r.defs = defs_load(dir, err, errlen)) == NULL)
		;
	else if ((r.applied = calloc(r.n + 1, 1)) == NULL ||
	    (r.ran = calloc(defs_count(r.defs) + 1, 1)) == NULL)
		snprintf(err, errlen, "out of memory");
	else if (run_locked(&r) == 0)
		rv = r.migrations;
	if (ndefs != NULL)
		*ndefs = rv == -1 ? 0 : r.definitions;
	for (i = 0; i < r.n; i++)
		free(r.names[i]);
	free(r.names);
	free(r.applied);
	free(r.ran);
	defs_free(r.defs);
	PQfinish(r.conn);
	return rv;
}

int
migrate_apply(const char *conninfo, const char *dir, char *err,
    size_t errlen)
{
	return migrate_run(conninfo, dir, NULL, err, errlen);
}

int
migrate_pending(const char *conninfo, const char *dir, char *first,
    size_t firstlen, char *err, size_t errlen)
{
	struct dirent **names = NULL;
	PGconn *conn;
	int i, n = -1, rv, pending = 0;

	first[0] = '\0';
	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK) {
		snprintf(err, errlen, "%s", PQerrorMessage(conn));
		pending = -1;
		goto done;
	}
	if ((n = scandir(dir, &names, is_migration, alphasort)) == -1) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		pending = -1;
		goto done;
	}
	for (i = 0; i < n && pending != -1; i++) {
		if ((rv = is_applied(conn, names[i]->d_name)) == -1) {
			snprintf(err, errlen, "%s", PQerrorMessage(conn));
			pending = -1;
		} else if (rv == 0 && pending++ == 0)
			strlcpy(first, names[i]->d_name, firstlen);
	}
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	PQfinish(conn);
	return pending;
}

/* Says what is wrong with definition I of DEFS, by CB; 1 if anything. */
static int
check_one(PGconn *conn, const struct defs *defs, size_t i,
    migrate_check_cb *cb, void *arg, char *err, size_t errlen)
{
	struct defs_state st;
	const char *file = defs_file(defs, i);
	char msg[1024];

	if (defs_state(conn, defs, i, &st, err, errlen) == -1)
		return -1;
	if (st.missing[0] != '\0')
		snprintf(msg, sizeof(msg), "%s: %s is missing", file,
		    st.missing);
	else if (!st.recorded)
		snprintf(msg, sizeof(msg), "%s: no digest recorded for it "
		    "(%s)", file, defs_objects(defs, i));
	else if (st.file_changed)
		snprintf(msg, sizeof(msg), "%s: the file changed since "
		    "migrate ran it", file);
	else if (st.changed)
		snprintf(msg, sizeof(msg), "%s: %s changed since migrate "
		    "created it", file, defs_objects(defs, i));
	else {
		cb(arg, file, NULL);
		return 0;
	}
	cb(arg, file, msg);
	return 1;
}

int
migrate_check(const char *conninfo, const char *dir, migrate_check_cb *cb,
    void *arg, char *err, size_t errlen)
{
	struct defs *defs = NULL;
	PGconn *conn;
	size_t i;
	int rv = 0, bad = 0;

	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK) {
		snprintf(err, errlen, "%s", PQerrorMessage(conn));
		rv = -1;
	} else if ((defs = defs_load(dir, err, errlen)) == NULL)
		rv = -1;
	for (i = 0; rv != -1 && i < defs_count(defs); i++)
		if ((rv = check_one(conn, defs, i, cb, arg, err,
		    errlen)) == 1)
			bad++;
	defs_free(defs);
	PQfinish(conn);
	return rv == -1 ? -1 : bad;
}
