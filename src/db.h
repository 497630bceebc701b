/* db.h - one PostgreSQL connection with termgate's prepared statements. */
#ifndef TG_DB_H
#define TG_DB_H

#include <libpq-fe.h>

#include "stmt.h"

struct tg_db;

/*
 * Returns a handle for CONNINFO and tries to connect; a failed connection
 * is retried by the next db_exec, so the handle is returned anyway.
 * Returns NULL only when out of memory. Free with db_free.
 */
struct tg_db	*db_new(const char *conninfo);
void		 db_free(struct tg_db *);
/* Connects (or reconnects) and prepares every statement; 0 or -1. */
int		 db_connect(struct tg_db *);
/* 1 while the connection is usable. */
int		 db_ok(struct tg_db *);
/* The connection (may be NULL or bad) for PQsocket/PQnotifies. */
PGconn		*db_conn(struct tg_db *);
/*
 * Runs statement ID with its parameters (NULL entries are SQL NULL),
 * reconnecting first if the connection was lost. Returns the result,
 * which the caller clears, or NULL on error (logged; db_ok tells whether
 * the connection went with it). A constraint violation returns NULL too,
 * logged by nobody: the caller knows what it means.
 */
PGresult	*db_exec(struct tg_db *, enum stmt_id, const char *const *params);
/*
 * Adds CHANNEL to the channels LISTENed on every (re)connection, and
 * listens at once if connected. CHANNEL must be a plain identifier that
 * outlives the handle (a string literal).
 * 0 or -1 (too many channels).
 */
int		 db_listen(struct tg_db *, const char *channel);
/* Runs plain SQL without parameters (LISTEN, SET...); 0 or -1. */
int		 db_command(struct tg_db *, const char *sql);
/* SQLSTATE of the last failed db_exec, "" if none. */
int		 db_begin(struct tg_db *);
int		 db_commit(struct tg_db *);
int		 db_rollback(struct tg_db *);

#endif
