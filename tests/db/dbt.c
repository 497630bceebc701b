/*
 * dbt.c - what the db suites share: the connections to the throwaway
 * database that tests/lib/pg.sh started, and small makers of test data.
 * Each test uses its own user, host or node names, so tests never see
 * each other's rows and need no cleanup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "dbt.h"
#include "jsonx.h"

struct tg_cfg dbt_cfg;
static struct tg_db *db;
static PGconn *raw;

int
dbt_init(void)
{
	const char *conninfo = getenv("TERMGATE_TEST_DB");

	if (conninfo == NULL) {
		fprintf(stderr, "TERMGATE_TEST_DB is not set: run through "
		    "tests/db/run\n");
		return -1;
	}
	cfg_defaults(&dbt_cfg);
	strlcpy(dbt_cfg.database, conninfo, sizeof(dbt_cfg.database));
	strlcpy(dbt_cfg.socket_dir, "/tmp/termgate-test",
	    sizeof(dbt_cfg.socket_dir));
	db = db_new(conninfo);
	raw = PQconnectdb(conninfo);
	if (db == NULL || !db_ok(db) || PQstatus(raw) != CONNECTION_OK) {
		fprintf(stderr, "cannot connect to %s\n", conninfo);
		return -1;
	}
	PQclear(PQexec(raw, "SET TIME ZONE 'UTC'"));
	/* Every user may open the hosts dbt_host makes (and no other). */
	PQclear(PQexec(raw, "INSERT INTO termgate.grants (group_name, tag)"
	    " VALUES ('everyone', '" DBT_TAG "') ON CONFLICT DO NOTHING"));
	return 0;
}

void
dbt_fini(void)
{
	db_free(db);
	PQfinish(raw);
}

struct tg_db *
dbt_db(void)
{
	return db;
}

PGconn *
dbt_raw(void)
{
	return raw;
}

const char *
dbt_sql(const char *sql, int n, const char *const *params)
{
	static char value[4096];
	PGresult *res;
	ExecStatusType st;

	res = PQexecParams(raw, sql, n, NULL, params, NULL, NULL, 0);
	st = PQresultStatus(res);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		fprintf(stderr, "dbt_sql: %s: %s", sql, PQerrorMessage(raw));
		CU_FAIL("SQL failed");
	}
	value[0] = '\0';
	if (st == PGRES_TUPLES_OK && PQntuples(res) > 0)
		strlcpy(value, PQgetvalue(res, 0, 0), sizeof(value));
	PQclear(res);
	return value;
}

void
dbt_unique(char *buf, size_t len, const char *prefix)
{
	snprintf(buf, len, "%s-%08x", prefix, arc4random());
}

void
dbt_host(const char *id)
{
	DBT_SQL1("INSERT INTO termgate.hosts (id, name, address)"
	    " VALUES ($1, 'test-host', '192.168.1.100')"
	    " ON CONFLICT DO NOTHING", id);
	DBT_SQL1("INSERT INTO termgate.host_tags (host_id, tag)"
	    " VALUES ($1, '" DBT_TAG "') ON CONFLICT DO NOTHING", id);
}

void
dbt_open(const char *user, const char *host, const char *mode, int reuse,
    struct sess_opened *out)
{
	struct sess_open_req req = { user, host, mode, reuse, 0 };

	CU_ASSERT_FATAL(sess_open(db, &dbt_cfg, &req, out) == 0);
}

void
dbt_active(const char *user, const char *host, const char *mode, char *id)
{
	struct sess_opened o;

	dbt_open(user, host, mode, 0, &o);
	CU_ASSERT_FATAL(o.outcome == SESS_CREATED);
	strlcpy(id, dbt_str(o.session, "session_id"), TOK_ID_LEN + 1);
	CU_ASSERT_FATAL(sess_mark_active(db, id, 4242) == 0);
	sess_opened_clear(&o);
}

void
dbt_share(const char *id, const char *share, const char *mode,
    const char *user, const char *grant)
{
	dbt_sql("INSERT INTO termgate.shares (id, session_id, kind, mode,"
	    " created_by, expires_at) VALUES ($1, $2, 'watch', $3, 'admin',"
	    " now() + interval '1 hour') RETURNING 1", 3,
	    (const char *[]){ share, id, mode });
	dbt_sql("INSERT INTO termgate.share_grants (id, share_id, username,"
	    " token_hash) VALUES ($1, $2, $3, repeat('0', 64)) RETURNING 1",
	    3, (const char *[]){ grant, share, user });
}

const char *
dbt_str(json_object *o, const char *key)
{
	json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) || v == NULL)
		return "";
	return json_object_get_string(v);
}

long long
dbt_int(json_object *o, const char *key)
{
	json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return -1;
	return json_object_get_int64(v);
}
