/*
 * db.c - one PostgreSQL connection with termgate's statements prepared.
 *
 * Every statement a program runs is in the table of stmt.c; db_connect
 * prepares all of them once per connection, and db_exec runs one by id.
 * A lost connection is noticed on the failing call and re-established on
 * the next one, so a worker answers 503 until the database is back and
 * never needs a restart. Sessions run in UTC.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "log.h"

struct tg_db {
	char	*conninfo;
	PGconn	*conn;
	int	 ready;		/* connected and statements prepared */
	const char *listen[4];	/* channels to LISTEN on connect */
	int	 nlisten;
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
	return db_command(db, sql);
}

static int
listen_all(struct tg_db *db)
{
	int i;

	for (i = 0; i < db->nlisten; i++)
		if (listen_one(db, db->listen[i]) == -1)
			return -1;
	return 0;
}

int
db_listen(struct tg_db *db, const char *channel)
{
	if (db->nlisten == (int)(sizeof(db->listen) / sizeof(db->listen[0])))
		return -1;
	db->listen[db->nlisten++] = channel;
	if (db_ok(db))
		return listen_one(db, channel);
	return 0;
}

int
db_connect(struct tg_db *db)
{
	db->ready = 0;
	if (db->conn != NULL)
		PQfinish(db->conn);
	db->conn = PQconnectdb(db->conninfo);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		log_warn("db: connect failed: %s",
		    last_error(db));
		return -1;
	}
	if (db_command(db, "SET TIME ZONE 'UTC'") == -1 ||
	    prepare_all(db) == -1 || listen_all(db) == -1)
		return -1;
	db->ready = 1;
	return 0;
}

int
db_ok(struct tg_db *db)
{
	return db->ready && PQstatus(db->conn) == CONNECTION_OK;
}

PGconn *
db_conn(struct tg_db *db)
{
	return db->conn;
}

static int
check(struct tg_db *db, PGresult *res, const char *what)
{
	ExecStatusType st = PQresultStatus(res);
	const char *code;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return 0;
	code = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		db->ready = 0;
		log_warn("db: connection lost during %s", what);
	} else if (code == NULL || strncmp(code, "23", 2) != 0)
		log_err("db: %s failed: sqlstate=%s %s", what,
		    code ? code : "-", last_error(db));
	return -1;
}

PGresult *
db_exec(struct tg_db *db, enum stmt_id id, const char *const *params)
{
	const struct stmt *s = stmt_get(id);
	PGresult *res;

	if (!db_ok(db) && db_connect(db) == -1)
		return NULL;
	res = PQexecPrepared(db->conn, s->name, s->nparams, params, NULL,
	    NULL, 0);
	if (check(db, res, s->name) == -1) {
		PQclear(res);
		return NULL;
	}
	return res;
}

int
db_command(struct tg_db *db, const char *sql)
{
	PGresult *res;
	int rv;

	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK)
		return -1;
	res = PQexec(db->conn, sql);
	rv = check(db, res, sql);
	PQclear(res);
	return rv;
}

int
db_begin(struct tg_db *db)
{
	if (!db_ok(db) && db_connect(db) == -1)
		return -1;
	return db_command(db, "BEGIN");
}

int
db_commit(struct tg_db *db)
{
	return db_command(db, "COMMIT");
}

int
db_rollback(struct tg_db *db)
{
	return db_command(db, "ROLLBACK");
}
