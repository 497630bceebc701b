/* db.h - one PostgreSQL connection with termgate's prepared statements. */
#ifndef TG_DB_H
#define TG_DB_H

#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>
#include <libpq-fe.h>

#include "stmt.h"

struct tg_db;

/* A notification taken off the connection (see notify.h). */
struct db_note {
	char	channel[64];
	char	payload[256];
};

/*
 * Returns a handle for CONNINFO and tries to connect; a failed connection
 * is retried by the next db_exec, so the handle is returned anyway.
 * Returns NULL only when out of memory. Free with db_free (NULL is fine).
 */
struct tg_db	*db_new(const char *conninfo);
void		 db_free(struct tg_db *);
/* Connects (or reconnects), prepares every statement and LISTENs again;
 * 0 or -1 (logged). */
int		 db_connect(struct tg_db *);
/* 1 while the connection is usable. */
int		 db_ok(struct tg_db *);
/* Counts successful connections: a change means a new server session
 * (locks and LISTENs were lost and taken again). */
unsigned	 db_generation(struct tg_db *);
/*
 * Runs statement ID with its parameters (NULL entries are SQL NULL).
 * A connection found dead first is re-established; a statement whose
 * connection broke under it is run once more on a new one (stmt.c says
 * why that is safe, and marks the one it would not be for). Returns the
 * result, which the caller clears, or NULL on error (logged; db_ok
 * tells whether the connection went with it). A constraint violation
 * returns NULL too, logged by nobody: the caller knows what it means.
 * Only repositories call this: a PGresult does not leave the module that
 * owns the statement.
 */
PGresult	*db_exec(struct tg_db *, enum stmt_id,
		    const char *const *params);
/*
 * The SQLSTATE of the last statement that the server refused ("" when it
 * succeeded or the connection went): how a caller tells a cancel by
 * statement_timeout (DB_CANCELED) from an outage. Owned by the handle.
 */
const char	*db_sqlstate(struct tg_db *);
#define DB_CANCELED	"57014"
/*
 * Runs statement ID as db_exec does, but planned for its actual
 * parameters (plan_cache_mode force_custom_plan: a generic plan of a
 * statement whose NULL parameters switch filters off fits none of them)
 * and canceled after TIMEOUT_MS (then NULL, db_sqlstate DB_CANCELED).
 * Both settings hold for this statement only (STMT_READ_LIMITS, SET
 * LOCAL in the same implicit transaction, sent in one round trip). For
 * statements that only read.
 */
PGresult	*db_read(struct tg_db *, enum stmt_id,
		    const char *const *params, int timeout_ms);
/*
 * Runs statement ID and makes each row an object whose members KEYS (N,
 * one per column, in order) hold the columns as strings: 0 with *OUT a
 * new array the caller puts, or -1 as db_exec. For listings.
 */
int		 db_rows(struct tg_db *, enum stmt_id,
		    const char *const *params, const char *const *keys, int n,
		    json_object **out);
/* Runs statement ID for its effect only: 0, or -1 as db_exec. */
int		 db_run(struct tg_db *, enum stmt_id,
		    const char *const *params);
/* Writes V in decimal into the array BUF and yields BUF: a parameter. */
#define DB_ITOA(buf, v)	(snprintf((buf), sizeof(buf), "%ld", (long)(v)), \
			    (buf))
/*
 * Adds CHANNEL to the channels LISTENed on every (re)connection, and
 * listens at once if connected. CHANNEL must be a plain identifier that
 * outlives the handle (one of notify.h). 0 or -1 (too many channels).
 */
int		 db_listen(struct tg_db *, const char *channel);

/* 1 when CONNINFO (a libpq string or URI) holds a non-empty password,
 * else 0 (also when it does not parse). Cannot fail. */
int		 db_conninfo_has_password(const char *conninfo);

/* The connection's socket for poll(), or -1 when not connected. */
int		 db_socket(struct tg_db *);
/* Reads what arrived on the socket; 0, or -1 when the connection is
 * lost (db_ok is then 0). */
int		 db_consume(struct tg_db *);
/* Takes the next notification already read: 1 with *OUT, 0 none. */
int		 db_next_note(struct tg_db *, struct db_note *out);
/*
 * Waits until DEADLINE (clock_ms) for a notification: 1 with *OUT, 0 at
 * the deadline, -1 when the connection is lost or was never there.
 */
int		 db_wait_note(struct tg_db *, int64_t deadline,
		    struct db_note *out);
/* Between requests: notices a connection the server closed while idle
 * and drops notifications nobody waits for. Cannot fail. */
void		 db_refresh(struct tg_db *);

#endif
