/* audit.h - the audit trail (termgate.session_events), read by admins. */
#ifndef TG_AUDIT_H
#define TG_AUDIT_H

#include <stdint.h>

#include <json-c/json.h>

struct tg_db;
struct tg_cfg;

#define AUDIT_KIND_MAX	32	/* bytes of a kind: [a-z_] */

/* Errors beyond -1 (a database error): a read over its time limit. */
#define AUDIT_TIMEOUT	(-2)

/* What a read selects; NULL strings and zero flags select everything. */
struct audit_filter {
	const char	*user;
	const char	*host_id;
	const char	*kind;
	int		 has_since, has_until;
	int64_t		 since_us, until_us;	/* [since, until) */
	int		 has_cursor;	/* before (cursor_us, cursor_id) */
	int64_t		 cursor_us;
	long long	 cursor_id;
};

/* One event as a read hands it to its callback; strings live as long as
 * the callback runs, NULL when the column is. */
struct audit_row {
	long long	 id;
	const char	*at;		/* RFC 3339 */
	const char	*kind, *username, *session_id, *host_id;
	const char	*detail;	/* a JSON object, as text */
	int64_t		 at_us;		/* for the cursor */
};
/* Called for each row in order; returning -1 stops the read. */
typedef int	(*audit_row_fn)(void *arg, const struct audit_row *);

/* 1 when S may be an event kind ([a-z_], 1-AUDIT_KIND_MAX bytes); a
 * kind nothing records selects nothing. */
int	audit_kind_valid(const char *s);
/*
 * Calls FN for up to LIMIT events of F, newest first (at, then id,
 * descending), before F's cursor, under cfg history_search_timeout.
 * Returns the rows seen, -1 on a database error, or AUDIT_TIMEOUT.
 */
int	audit_each(struct tg_db *, const struct tg_cfg *,
	    const struct audit_filter *f, int limit, audit_row_fn fn,
	    void *arg);
/* A new object with the API's fields of R, which the caller puts. */
json_object	*audit_row_json(const struct audit_row *r);

#endif
