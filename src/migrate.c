/*
 * migrate.c - the one documented way to create and upgrade the schema.
 *
 * Migrations are the files NNN_name.sql of a directory, applied in name
 * order, each once, each in a transaction together with its row in
 * termgate.schema_migrations. A session advisory lock serializes
 * concurrent runs: the second waits, then finds nothing left to do.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "migrate.h"
#include "stmt.h"

#define MIGRATE_LOCK	"SELECT pg_advisory_lock(" LOCK_CLASS ", 0)"
#define MIGRATE_SETUP	"SET client_min_messages = warning;" \
	" CREATE SCHEMA IF NOT EXISTS termgate;" \
	" CREATE TABLE IF NOT EXISTS termgate.schema_migrations (" \
	" version text PRIMARY KEY," \
	" applied_at timestamptz NOT NULL DEFAULT now())"

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
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		snprintf(err, errlen, "%s", PQerrorMessage(conn));
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

/* Reads PATH whole into a new NUL-terminated string, or NULL. */
static char *
slurp(const char *path, char *err, size_t errlen)
{
	FILE *f;
	char *buf = NULL;
	struct stat st;

	if ((f = fopen(path, "r")) == NULL || fstat(fileno(f), &st) == -1 ||
	    (buf = malloc(st.st_size + 1)) == NULL ||
	    fread(buf, 1, st.st_size, f) != (size_t)st.st_size) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(buf);
		buf = NULL;
	} else
		buf[st.st_size] = '\0';
	if (f != NULL)
		fclose(f);
	return buf;
}

/* Applies one file unless recorded: 1 applied, 0 already there, -1. */
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

static int
apply_one(PGconn *conn, const char *dir, const char *name, char *err,
    size_t errlen)
{
	char path[4096], *sql;
	const char *p[] = { name };
	int rv = -1;

	if (is_applied(conn, name) == 1)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((sql = slurp(path, err, errlen)) == NULL)
		return -1;
	if (exec_sql(conn, "BEGIN", 0, NULL, err, errlen) == 0 &&
	    exec_sql(conn, sql, 0, NULL, err, errlen) == 0 &&
	    exec_sql(conn, "INSERT INTO termgate.schema_migrations (version)"
	    " VALUES ($1)", 1, p, err, errlen) == 0 &&
	    exec_sql(conn, "COMMIT", 0, NULL, err, errlen) == 0)
		rv = 1;
	else {
		char why[512];

		snprintf(why, sizeof(why), "%s: %s", name, err);
		snprintf(err, errlen, "%s", why);
		PQclear(PQexec(conn, "ROLLBACK"));
	}
	free(sql);
	return rv;
}

int
migrate_apply(const char *conninfo, const char *dir, char *err,
    size_t errlen)
{
	struct dirent **names = NULL;
	PGconn *conn;
	int i, n = -1, rv, applied = 0;

	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK) {
		snprintf(err, errlen, "%s", PQerrorMessage(conn));
		applied = -1;
		goto done;
	}
	if ((n = scandir(dir, &names, is_migration, alphasort)) == -1) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		applied = -1;
		goto done;
	}
	if (exec_sql(conn, MIGRATE_LOCK, 0, NULL, err, errlen) == -1 ||
	    exec_sql(conn, MIGRATE_SETUP, 0, NULL, err, errlen) == -1) {
		applied = -1;
		goto done;
	}
	for (i = 0; i < n && applied != -1; i++) {
		if ((rv = apply_one(conn, dir, names[i]->d_name, err,
		    errlen)) == -1)
			applied = -1;
		else
			applied += rv;
	}
done:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	PQfinish(conn);
	return applied;
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
