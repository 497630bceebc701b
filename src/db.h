/*
 * db.h - one PostgreSQL connection with termgate's prepared statements.
 *
 * The handle is opaque and libpq stays behind it: what a program needs of
 * the connection (its socket, its notifications, the last refusal) is
 * asked here. The repositories (sess, hist, users, hosts, node, access,
 * schema, metrics, spool) run statements through db_pq.h, the one header
 * that hands out a PGresult; nothing else includes libpq-fe.h but
 * migrate.c and defs.h, which run migrate's own connection.
 *
 * Every repository function answers in one convention:
 *   0	done, or found (*OUT set): what was asked happened;
 *   1	none: no such row, or nothing to do (already so, taken by
 *	another); *OUT untouched;
 *   2..	another outcome its header names (or an enum of them, whose
 *	first value, 0, is the success);
 *   -1	a database error (logged), or a refusal by the database (a
 *	constraint, an exception raised in SQL; not logged: the caller
 *	knows what it means, and db_error says which).
 * Functions that yield a count, an offset or a limit return it (>= 0)
 * or a negative error (-1, or one their header names).
 */
#ifndef TG_DB_H
#define TG_DB_H

#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "stmt.h"

struct tg_db;

/* What the server said of the last statement it refused. */
struct db_error {
	char	sqlstate[6];	/* "" when it succeeded or the link went */
	char	constraint[64];	/* the constraint that refused it, or "" */
	char	message[256];	/* the server's message, first line */
};

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
/*
 * For a process running as root: every later connection is opened with
 * effective uid UID, so that PostgreSQL's peer authentication sees UID
 * (a Unix socket's peer credentials are those of connect()); the
 * process is root again as soon as it is connected. (uid_t)-1: as
 * itself (the default).
 */
void		 db_connect_as(uid_t uid);
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
 * The SQLSTATE of the last statement that the server refused ("" when it
 * succeeded or the connection went): how a caller tells a cancel by
 * statement_timeout (DB_CANCELED) from an outage. Owned by the handle.
 */
const char	*db_sqlstate(struct tg_db *);
#define DB_CANCELED	"57014"
/* invalid_regular_expression: a pattern a user sent (hist.c). */
#define DB_BAD_REGEX	"2201B"
/* The whole of the last refusal (sqlstate "" when there was none), for
 * a message that says which constraint refused; owned by the handle,
 * overwritten by the next statement. Cannot fail. */
const struct db_error *db_error(struct tg_db *);
/*
 * Runs statement ID and makes each row an object whose members KEYS (N,
 * one per column, in order) hold the columns as strings: 0 with *OUT a
 * new array the caller puts, or -1 as db_exec (db_pq.h). For listings.
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
/*
 * FD, while not -1, is the client a read works for (a worker's FastCGI
 * connection): when its peer hangs up (nginx closes the connection of a
 * request whose client went away), db_read cancels the statement in
 * flight, which then fails as canceled (DB_CANCELED): a search nobody
 * waits for no longer holds the worker and its backend. Cannot fail.
 */
void		 db_watch(struct tg_db *, int fd);
/* Between requests: notices a connection the server closed while idle
 * and drops notifications nobody waits for. Cannot fail. */
void		 db_refresh(struct tg_db *);

#endif
