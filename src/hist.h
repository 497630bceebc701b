/* hist.h - the command history repository: record, search, delete. */
#ifndef TG_HIST_H
#define TG_HIST_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>
#include <json-c/printbuf.h>

#include "cmdrec.h"

struct tg_db;
struct tg_cfg;

#define HIST_Q_MAX		200	/* bytes of a search or a pattern */
#define HIST_CURSOR_MAX		64	/* characters of a cursor */

/* Errors beyond -1 (a database error): a read over its time limit; a
 * regular expression PostgreSQL refuses (db_error's message says why). */
#define HIST_TIMEOUT		(-2)
#define HIST_BAD_REGEX		(-3)

enum hist_exit { HIST_EXIT_ANY, HIST_EXIT_IS, HIST_EXIT_NONZERO };

/* What a read selects; NULL strings and zero flags select everything. */
struct hist_filter {
	const char	*user;		/* whose rows; NULL: every user's */
	const char	*host_id;
	const char	*session_id;
	const char	*source;	/* cmdrec_source_name */
	const char	*cwd;		/* prefix */
	const char	*q;		/* substring, any case */
	const char	*re;		/* PostgreSQL regular expression */
	int		 has_since, has_until;
	int64_t		 since_us, until_us;	/* [since, until) */
	enum hist_exit	 exit;
	int		 exit_status;	/* HIST_EXIT_IS */
	int		 has_cursor;	/* rows after (cursor_us, cursor_id) */
	int64_t		 cursor_us;
	long long	 cursor_id;
};

/* One row as a read hands it to its callback; strings live as long as
 * the callback runs, NULL when the column is. */
struct hist_row {
	long long	 id;
	const char	*session_id, *host_id, *host_name, *username;
	const char	*command, *cwd, *source;
	const char	*typed_by;	/* who entered it; NULL the owner */
	const char	*started_at, *finished_at;	/* RFC 3339 */
	char		 at_text[2][64];	/* what those point to */
	int		 has_exit, has_duration, has_offset;
	int		 exit_status;
	long long	 duration_ms;
	double		 recording_offset;	/* seconds */
	int64_t		 started_us;		/* for the cursor */
};
/* Called for each row in order; returning -1 stops the read. */
typedef int	(*hist_row_fn)(void *arg, const struct hist_row *);

/* A command posted through the API for a session of USER: REC as
 * cmdrec_from_json read it (NUL-terminated strings); its source and
 * recording offset are not taken (a post is the shell's). */
struct hist_new {
	const char	*session_id;
	const char	*user;
	struct cmdrec	 rec;
};

enum hist_added {
	HIST_ADDED,		/* *ID set */
	HIST_NO_SESSION,	/* none of USER's with that id */
	HIST_ENDED,		/* the session has ended */
	HIST_LIMITED		/* rate limit: *RETRY seconds */
};

/*
 * Records a command under the session's rate limit (cfg history_rate a
 * minute, history_burst at once); returns an enum hist_added, or -1 on
 * a database error.
 */
int	hist_add(struct tg_db *, const struct tg_cfg *,
	    const struct hist_new *, long long *id, int *retry);

/*
 * Whether RE is a regular expression PostgreSQL accepts: 0 yes, 1 no
 * (its reason in WHY), -1 on a database error, HIST_TIMEOUT when
 * compiling it ran past cfg history_search_timeout.
 */
int	hist_regex_error(struct tg_db *, const struct tg_cfg *,
	    const char *re, char *why, size_t len);
/*
 * Calls FN for up to LIMIT rows of F, newest first (started_at, then id,
 * descending), after F's cursor. A read with a filter runs under cfg
 * history_search_timeout (db_read); a plain page needs no limit. A
 * user's search reads the newest cfg history_scan_rows rows first, and
 * the older ones only when those did not fill the page (hist.c).
 * Returns the rows seen, -1 on a database error, HIST_TIMEOUT or
 * HIST_BAD_REGEX, before FN saw any row.
 */
int	hist_each(struct tg_db *, const struct tg_cfg *,
	    const struct hist_filter *f, int limit, hist_row_fn fn,
	    void *arg);
/* 1 when hist_each runs F under history_search_timeout: every read but
 * a user's plain page (no filter); else 0. */
int	hist_bounded(const struct hist_filter *f);
/*
 * R with the API's fields as a JSON object's text, appended to PB (the
 * panel's pages and the export write it as it is): 0, or -1 when out of
 * memory.
 */
int		 hist_row_text(const struct hist_row *r, struct printbuf *pb);
/* The same as a new object, which the caller puts (NULL: no memory). */
json_object	*hist_row_json(const struct hist_row *r);
/*
 * USER's most used commands (whitespace runs as one space, the first 256
 * characters), on HOST_ID unless NULL, most used first: 0 with *OUT a new
 * array of {command, count, last_used}, -1, or HIST_TIMEOUT.
 */
int	hist_frequent(struct tg_db *, const struct tg_cfg *,
	    const char *user, const char *host_id, int limit,
	    json_object **out);
/*
 * Deletes USER's row ID, or (ID 0) every row of USER started before
 * BEFORE_US, and records a history_deleted event: the number of rows
 * deleted (0: none, nothing recorded), or -1.
 */
long long	hist_delete(struct tg_db *, const char *user, long long id,
		    int64_t before_us);

/* The opaque cursor of the row at (US, ID) into OUT; 0 or -1 (no room). */
int	hist_cursor_encode(int64_t us, long long id, char *out,
	    size_t outlen);
/* Reads a cursor hist_cursor_encode wrote; 0, or -1 if it is not one. */
int	hist_cursor_decode(const char *s, int64_t *us, long long *id);

#endif
