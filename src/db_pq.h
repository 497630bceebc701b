/*
 * db_pq.h - the repositories' side of db.c: a statement's rows as libpq's
 * PGresult.
 *
 * Only the repository modules (and db.c) include this: a PGresult does
 * not leave the module that owns the statement, and every other file
 * sees the opaque handle of db.h alone (tests/unit/libpq-users checks).
 */
#ifndef TG_DB_PQ_H
#define TG_DB_PQ_H

#include <libpq-fe.h>

#include "db.h"

/*
 * Runs statement ID with its parameters (NULL entries are SQL NULL).
 * A connection found dead first is re-established; a statement whose
 * connection broke under it is run once more on a new one (stmt.c says
 * why that is safe, and marks the one it would not be for). Returns the
 * result, which the caller clears, or NULL on error (logged; db_ok
 * tells whether the connection went with it). A refusal (a constraint
 * violation, an exception raised in SQL) returns NULL too, logged by
 * nobody: the caller knows what it means, and db_error says which.
 */
PGresult	*db_exec(struct tg_db *, enum stmt_id,
		    const char *const *params);
/*
 * Runs statement ID as db_exec does, but planned for its actual
 * parameters (plan_cache_mode force_custom_plan: a generic plan of a
 * statement whose NULL parameters switch filters off fits none of them;
 * a statement marked generic in stmt.c, whose one plan fits every call,
 * keeps that plan instead) and canceled after TIMEOUT_MS (then NULL,
 * db_sqlstate DB_CANCELED).
 * Both settings hold for this statement only (STMT_READ_LIMITS, SET
 * LOCAL in the same implicit transaction, sent in one round trip). For
 * statements that only read.
 */
PGresult	*db_read(struct tg_db *, enum stmt_id,
		    const char *const *params, int timeout_ms);

/* Row 0's column COL of RES (JSON text) parsed: a new object the caller
 * puts, or NULL when the column is NULL or not JSON. */
json_object	*db_json(PGresult *res, int col);

#endif
