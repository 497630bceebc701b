/*
 * audit.c - the audit trail, as the operator's console reads it.
 *
 * termgate.session_events is written by the lifecycle's triggers and
 * functions (sql/defs/); this module only reads it, for GET
 * /api/terminal/admin/events and its CSV export: one prepared statement
 * whose NULL parameters switch filters off, newest first, paged by
 * keyset on (at, id) like the command history (the cursor is
 * hist_cursor_encode's, so both APIs hand out the same kind), bounded by
 * history_search_timeout (db_read). Rows reach callers through a
 * callback; the PGresult never leaves this file.
 */
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "db_pq.h"
#include "audit.h"
#include "jsonx.h"

#define US_PARAM(buf, has, v)	((has) ? DB_ITOA(buf, v) : NULL)

int
audit_kind_valid(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= AUDIT_KIND_MAX &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz_") == n;
}

/* Column C of row I, or NULL when it is null. */
static const char *
col(PGresult *res, int i, int c)
{
	return PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c);
}

static void
read_row(PGresult *res, int i, struct audit_row *r)
{
	r->id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
	r->at = col(res, i, 1);
	r->kind = col(res, i, 2);
	r->username = col(res, i, 3);
	r->session_id = col(res, i, 4);
	r->host_id = col(res, i, 5);
	r->detail = col(res, i, 6);
	r->at_us = strtoll(PQgetvalue(res, i, 7), NULL, 10);
}

int
audit_each(struct tg_db *db, const struct tg_cfg *cfg,
    const struct audit_filter *f, int limit, audit_row_fn fn, void *arg)
{
	char since[24], until[24], cu[24], ci[24], lim[16];
	const char *params[] = { f->user, f->host_id, f->kind,
	    US_PARAM(since, f->has_since, f->since_us),
	    US_PARAM(until, f->has_until, f->until_us),
	    US_PARAM(cu, f->has_cursor, f->cursor_us),
	    f->has_cursor ? DB_ITOA(ci, f->cursor_id) : NULL,
	    DB_ITOA(lim, limit) };
	struct audit_row r;
	PGresult *res;
	int i, n;

	if ((res = db_read(db, STMT_AUDIT_LIST, params,
	    cfg->history_search_timeout)) == NULL)
		return strcmp(db_sqlstate(db), DB_CANCELED) == 0 ?
		    AUDIT_TIMEOUT : -1;
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		read_row(res, i, &r);
		if (fn(arg, &r) == -1)
			break;
	}
	PQclear(res);
	return n;
}

json_object *
audit_row_json(const struct audit_row *r)
{
	json_object *o = json_object_new_object(), *d;

	json_object_object_add(o, "id", json_object_new_int64(r->id));
	jsonx_add_str(o, "at", r->at);
	jsonx_add_str(o, "kind", r->kind);
	jsonx_add_str(o, "username", r->username);
	jsonx_add_str(o, "session_id", r->session_id);
	jsonx_add_str(o, "host_id", r->host_id);
	d = r->detail != NULL ? jsonx_parse(r->detail, strlen(r->detail)) :
	    NULL;
	json_object_object_add(o, "detail", d != NULL ? d :
	    json_object_new_object());
	return o;
}
