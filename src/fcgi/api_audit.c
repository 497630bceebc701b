/*
 * api_audit.c - the audit trail endpoint of doc/api.md, for admins:
 * GET /api/terminal/admin/events, a page of termgate.session_events as
 * JSON, or (format=csv) all of it, streamed.
 *
 * The query string is decoded by one table of parameters into a struct
 * aq that owns the text and the audit_filter pointing into it; each
 * parameter has a checker that says why a value is refused, and every
 * check is done before the head goes out. The route admits admins only
 * (route.c, R_ADMIN); every read is a heavy one (heavy.c: counted, 429
 * over the caller's share); the repository is audit.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "audit.h"
#include "cfg.h"
#include "csv.h"
#include "heavy.h"
#include "hist.h"
#include "jsonx.h"
#include "log.h"
#include "qparam.h"
#include "valid.h"

#define LIMIT_DEF	50
#define EXPORT_PAGE	1000

/* The decoded query of an audit read; f points into the buffers. */
struct aq {
	struct audit_filter f;
	char	user[130], host[72], kind[AUDIT_KIND_MAX + 2];
	char	since[40], until[40], limit[16];
	char	before[HIST_CURSOR_MAX + 2], format[16];
	int	nlimit;
	int	csv;
};

static int
set_user(void *dst, char *v, const char **why)
{
	struct aq *a = dst;

	*why = "a user name";
	a->f.user = v;
	return valid_username(v) ? 0 : -1;
}

static int
set_host(void *dst, char *v, const char **why)
{
	struct aq *a = dst;

	*why = "1-64 of [A-Za-z0-9._-]";
	a->f.host_id = v;
	return valid_host_id(v) ? 0 : -1;
}

static int
set_kind(void *dst, char *v, const char **why)
{
	struct aq *a = dst;

	*why = "an event kind, 1-32 of [a-z_]";
	a->f.kind = v;
	return audit_kind_valid(v) ? 0 : -1;
}

static int
set_since(void *dst, char *v, const char **why)
{
	struct aq *a = dst;

	return qparam_time(v, &a->f.since_us, &a->f.has_since, why);
}

static int
set_until(void *dst, char *v, const char **why)
{
	struct aq *a = dst;

	return qparam_time(v, &a->f.until_us, &a->f.has_until, why);
}

static int
set_limit(void *dst, char *v, const char **why)
{
	struct aq *a = dst;

	return qparam_limit(v, &a->nlimit, why);
}

static int
set_before(void *dst, char *v, const char **why)
{
	struct aq *a = dst;

	return qparam_cursor(v, &a->f.cursor_us, &a->f.cursor_id,
	    &a->f.has_cursor, why);
}

static int
set_format(void *dst, char *v, const char **why)
{
	struct aq *a = dst;

	*why = "json or csv";
	a->csv = strcmp(v, "csv") == 0;
	return a->csv || strcmp(v, "json") == 0 ? 0 : -1;
}

/* Every parameter; absent or empty is no filter. */
static const struct qparam aparams[] = {
	QPARAM(struct aq, user, set_user),
	QPARAM(struct aq, host, set_host),
	QPARAM(struct aq, kind, set_kind),
	QPARAM(struct aq, since, set_since),
	QPARAM(struct aq, until, set_until),
	QPARAM(struct aq, limit, set_limit),
	QPARAM(struct aq, before, set_before),
	QPARAM(struct aq, format, set_format),
};

/* Decodes the query into A; TG_OK, or INVALID_FIELD naming the first
 * bad parameter and why. */
static enum tg_err
parse_query(struct tg_req *req, struct aq *a)
{
	memset(a, 0, sizeof(*a));
	a->nlimit = LIMIT_DEF;
	return qparam_parse(req, a, aparams,
	    sizeof(aparams) / sizeof(aparams[0]), NULL);
}

static enum tg_err
read_error(int rv)
{
	return rv == AUDIT_TIMEOUT ? TG_ERR_SEARCH_TIMEOUT : TG_ERR_DATABASE;
}

/* ---------- a page, as JSON ---------- */

struct page {
	json_object	*items;
	int		 want, n;
	int64_t		 last_us;
	long long	 last_id;
};

static int
page_row(void *arg, const struct audit_row *r)
{
	struct page *p = arg;

	if (p->n == p->want)
		return -1;	/* the one past the page: more exist */
	json_object_array_add(p->items, audit_row_json(r));
	p->n++;
	p->last_us = r->at_us;
	p->last_id = r->id;
	return 0;
}

static enum tg_err
answer_page(struct tg_req *req, struct tg_resp *resp, struct aq *a)
{
	char cursor[HIST_CURSOR_MAX + 1];
	struct page p = { 0 };
	int rv;

	p.items = json_object_new_array();
	p.want = a->nlimit;
	if ((rv = audit_each(req->db, req->cfg, &a->f, a->nlimit + 1,
	    page_row, &p)) < 0) {
		json_object_put(p.items);
		return read_error(rv);
	}
	resp->json = json_object_new_object();
	json_object_object_add(resp->json, "items", p.items);
	if (rv > a->nlimit && hist_cursor_encode(p.last_us, p.last_id,
	    cursor, sizeof(cursor)) == 0)
		json_object_object_add(resp->json, "next_before",
		    json_object_new_string(cursor));
	else
		json_object_object_add(resp->json, "next_before", NULL);
	resp->status = 200;
	return TG_OK;
}

/* ---------- all of it, as CSV ---------- */

struct export {
	struct aq	 a;
	http_sink_fn	 sink;
	void		*out;
	int		 failed;	/* the client went away */
	int64_t		 last_us;
	long long	 last_id;
};

static const char csv_header[] = "id,at,kind,username,session_id,host_id,"
    "detail\r\n";

static int
export_row(void *arg, const struct audit_row *r)
{
	struct export *x = arg;

	x->last_us = r->at_us;
	x->last_id = r->id;
	if (csv_number(x->sink, x->out, 1, r->id, ",") == -1 ||
	    csv_field(x->sink, x->out, r->at, ",") == -1 ||
	    csv_field(x->sink, x->out, r->kind, ",") == -1 ||
	    csv_field(x->sink, x->out, r->username, ",") == -1 ||
	    csv_field(x->sink, x->out, r->session_id, ",") == -1 ||
	    csv_field(x->sink, x->out, r->host_id, ",") == -1 ||
	    csv_field(x->sink, x->out, r->detail, "\r\n") == -1) {
		x->failed = 1;
		return -1;
	}
	return 0;
}

/* Pages through the whole result, EXPORT_PAGE rows a statement. */
static int
export_stream(struct tg_req *req, void *arg, http_sink_fn sink, void *out)
{
	struct export *x = arg;
	int n;

	x->sink = sink;
	x->out = out;
	if (sink(out, csv_header, sizeof(csv_header) - 1) == -1)
		return -1;
	for (;;) {
		n = audit_each(req->db, req->cfg, &x->a.f, EXPORT_PAGE,
		    export_row, x);
		if (n < 0 || x->failed) {
			log_warn("events export admin=%s failed: %s",
			    req->user, n == AUDIT_TIMEOUT ? "search timeout" :
			    n < 0 ? "database" : "client gone");
			return -1;
		}
		if (n < EXPORT_PAGE)
			return 0;
		x->a.f.has_cursor = 1;
		x->a.f.cursor_us = x->last_us;
		x->a.f.cursor_id = x->last_id;
	}
}

static enum tg_err
answer_csv(struct tg_req *req, struct tg_resp *resp, struct export *x)
{
	if (http_header(resp, "Content-Disposition",
	    "attachment; filename=\"termgate-events.csv\"") == -1)
		return TG_ERR_INTERNAL;
	log_info("events export admin=%s", req->user);
	resp->status = 200;
	resp->ctype = "text/csv; charset=utf-8";
	resp->stream = export_stream;
	resp->stream_arg = x;
	resp->stream_free = free;
	return TG_OK;
}

/*
 * Admins only: the route says so (route.c, R_ADMIN). A page is answered
 * at once; an export hands its state over to the stream, which frees it
 * when the response ends.
 */
enum tg_err
api_admin_events(struct tg_req *req, struct tg_resp *resp)
{
	struct export *x;
	enum tg_err err;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		return TG_ERR_INTERNAL;
	if ((err = parse_query(req, &x->a)) != TG_OK ||
	    (err = heavy_admit(req, resp)) != TG_OK)
		goto done;
	if (!x->a.csv) {
		err = answer_page(req, resp, &x->a);
		goto done;
	}
	if ((err = answer_csv(req, resp, x)) == TG_OK)
		return TG_OK;
done:
	free(x);
	return err;
}
