/*
 * stub_db.c - the database as the request-layer fuzz target sees it:
 * always unavailable.
 *
 * fuzz_http and fuzz_form link termgate-fcgi's request layer (route.c,
 * http.c and the handlers), whose repositories call db.c. These stand-ins replace
 * db.c in those targets: every statement fails as it does while
 * PostgreSQL is away, so a handler that passed every check answers 503
 * and everything before the database (routes, checks, bodies, query
 * strings, cookies, the original URI) runs as it does in a worker.
 */
#include <stdint.h>

#include "db_pq.h"

PGresult *
db_exec(struct tg_db *db, enum stmt_id id, const char *const *params)
{
	(void)db;
	(void)id;
	(void)params;
	return NULL;
}

int
db_run(struct tg_db *db, enum stmt_id id, const char *const *params)
{
	(void)db;
	(void)id;
	(void)params;
	return -1;
}

int
db_wait_note(struct tg_db *db, int64_t deadline, struct db_note *out)
{
	(void)db;
	(void)deadline;
	(void)out;
	return -1;
}

int
db_rows(struct tg_db *db, enum stmt_id id, const char *const *params,
    const char *const *keys, int n, json_object **out)
{
	(void)db;
	(void)id;
	(void)params;
	(void)keys;
	(void)n;
	(void)out;
	return -1;
}

PGresult *
db_read(struct tg_db *db, enum stmt_id id, const char *const *params,
    int timeout_ms)
{
	(void)db;
	(void)id;
	(void)params;
	(void)timeout_ms;
	return NULL;
}

const char *
db_sqlstate(struct tg_db *db)
{
	(void)db;
	return "";
}

/* The error of the statement that failed: none said why here. */
const struct db_error *
db_error(struct tg_db *db)
{
	static const struct db_error none;

	(void)db;
	return &none;
}

/* Never reached (no statement answers rows here); for the linker. */
json_object *
db_json(PGresult *res, int col)
{
	(void)res;
	(void)col;
	return NULL;
}
