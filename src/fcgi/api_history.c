/*
 * api_history.c - the command history endpoints of doc/api.md: post a
 * command, search and page, frequent commands, export, delete, and a
 * session's recording.
 *
 * A read's query string is decoded by one table of parameters into a
 * struct hq that owns the text and the hist_filter pointing into it;
 * each parameter has a checker that says why a value is refused. Who may
 * read whose rows is decided here: the caller's own, or (admins) another
 * user's or everyone's. Exports and recordings are streamed: the handler
 * checks everything it can before the head goes out (a bad filter is
 * still a 400), then the stream writes page after page, never holding
 * the whole result.
 *
 * The reads that can hold a worker for history_search_timeout or longer
 * (a search with a filter, an export, the frequent commands) are
 * admitted by heavy.c once their parameters check out and before any of
 * them reaches the database.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "cfg.h"
#include "cmdrec.h"
#include "csv.h"
#include "db.h"
#include "heavy.h"
#include "hist.h"
#include "jsonx.h"
#include "log.h"
#include "qparam.h"
#include "sess.h"
#include "sessfile.h"
#include "valid.h"

#define LIMIT_DEF	50
#define FREQUENT_DEF	20
#define FREQUENT_MAX	100
#define EXPORT_PAGE	1000

/* The decoded query of a history read; f points into the buffers. */
struct hq {
	struct hist_filter f;
	char	user[130], host_id[72], session_id[72], since[40], until[40];
	char	exit_status[16], source[16], cwd[CMDREC_CWD_MAX + 1];
	char	q[HIST_Q_MAX + 4], limit[16], cursor[HIST_CURSOR_MAX + 2];
	char	format[16];
	int	nlimit;
	int	csv;
};

static int
set_user(void *dst, char *v, const char **why)
{
	(void)dst;
	*why = "a user name, or * for every user";
	return strcmp(v, "*") == 0 || valid_username(v) ? 0 : -1;
}

static int
set_host(void *dst, char *v, const char **why)
{
	struct hq *h = dst;

	*why = "1-64 of [A-Za-z0-9._-]";
	h->f.host_id = v;
	return valid_host_id(v) ? 0 : -1;
}

static int
set_session(void *dst, char *v, const char **why)
{
	struct hq *h = dst;

	*why = "a session id, 64 lowercase hex characters";
	h->f.session_id = v;
	return valid_session_id(v) ? 0 : -1;
}

static int
set_since(void *dst, char *v, const char **why)
{
	struct hq *h = dst;

	return qparam_time(v, &h->f.since_us, &h->f.has_since, why);
}

static int
set_until(void *dst, char *v, const char **why)
{
	struct hq *h = dst;

	return qparam_time(v, &h->f.until_us, &h->f.has_until, why);
}

static int
set_exit(void *dst, char *v, const char **why)
{
	struct hq *h = dst;
	const char *e = NULL;

	*why = "0, nonzero, or an exit status";
	if (strcmp(v, "nonzero") == 0) {
		h->f.exit = HIST_EXIT_NONZERO;
		return 0;
	}
	if (strspn(v, "-0123456789") != strlen(v))
		return -1;
	h->f.exit = HIST_EXIT_IS;
	h->f.exit_status = (int)strtonum(v, INT32_MIN, INT32_MAX, &e);
	return e == NULL ? 0 : -1;
}

static int
set_source(void *dst, char *v, const char **why)
{
	struct hq *h = dst;
	enum cmdrec_source s;

	*why = cmdrec_why("source");
	h->f.source = v;
	return cmdrec_source_parse(v, &s);
}

static int
set_cwd(void *dst, char *v, const char **why)
{
	struct hq *h = dst;

	*why = "a directory prefix in UTF-8";
	h->f.cwd = v;
	return valid_utf8(v) ? 0 : -1;
}

/* q: a substring, or re:PATTERN (a regular expression). */
static int
set_q(void *dst, char *v, const char **why)
{
	struct hq *h = dst;

	*why = "at most 200 bytes of UTF-8 (re: and a non-empty pattern for"
	    " a regular expression)";
	if (strlen(v) > HIST_Q_MAX || !valid_utf8(v))
		return -1;
	if (strncmp(v, "re:", 3) != 0) {
		h->f.q = v;
		return 0;
	}
	h->f.re = v + 3;
	return v[3] != '\0' ? 0 : -1;
}

static int
set_limit(void *dst, char *v, const char **why)
{
	struct hq *h = dst;

	return qparam_limit(v, &h->nlimit, why);
}

static int
set_cursor(void *dst, char *v, const char **why)
{
	struct hq *h = dst;

	return qparam_cursor(v, &h->f.cursor_us, &h->f.cursor_id,
	    &h->f.has_cursor, why);
}

static int
set_format(void *dst, char *v, const char **why)
{
	struct hq *h = dst;

	*why = "csv or jsonl";
	h->csv = strcmp(v, "csv") == 0;
	return h->csv || strcmp(v, "jsonl") == 0 ? 0 : -1;
}

/* Every parameter of the history reads; absent or empty is no filter. */
static const struct qparam qparams[] = {
	QPARAM(struct hq, user, set_user),
	QPARAM(struct hq, host_id, set_host),
	QPARAM(struct hq, session_id, set_session),
	QPARAM(struct hq, since, set_since),
	QPARAM(struct hq, until, set_until),
	QPARAM(struct hq, exit_status, set_exit),
	QPARAM(struct hq, source, set_source),
	QPARAM(struct hq, cwd, set_cwd),
	QPARAM(struct hq, q, set_q),
	QPARAM(struct hq, limit, set_limit),
	QPARAM(struct hq, cursor, set_cursor),
	QPARAM(struct hq, format, set_format),
};

/* Decodes the parameters NAMES (a NULL-ended list) of the query into H;
 * TG_OK, or INVALID_FIELD naming the first bad one. */
static enum tg_err
parse_query(struct tg_req *req, struct hq *h, const char *const *names)
{
	memset(h, 0, sizeof(*h));
	h->nlimit = LIMIT_DEF;
	h->csv = 1;
	return qparam_parse(req, h, qparams,
	    sizeof(qparams) / sizeof(qparams[0]), names);
}

/* The caller's own rows, or, for an admin, user=NAME's or (*) all. */
static enum tg_err
whose(struct tg_req *req, struct hq *h)
{
	enum tg_err err;

	h->f.user = req->user;
	if (h->user[0] == '\0' || strcmp(h->user, req->user) == 0)
		return TG_OK;
	if ((err = http_require_admin(req)) != TG_OK)
		return err;
	h->f.user = strcmp(h->user, "*") == 0 ? NULL : h->user;
	return TG_OK;
}

/* A regex PostgreSQL refuses is a 400 that says why (the search itself
 * compiles it first: HIST_BAD_REGEX); one that takes longer than a
 * search may to compile is the search's timeout. */
static enum tg_err
read_error(struct tg_req *req, int rv)
{
	if (rv == HIST_BAD_REGEX) {
		strlcpy(req->err_why, db_error(req->db)->message,
		    sizeof(req->err_why));
		req->err_field = "q";
		return TG_ERR_INVALID_FIELD;
	}
	return rv == HIST_TIMEOUT ? TG_ERR_SEARCH_TIMEOUT : TG_ERR_DATABASE;
}

/* The same check, made before an export's first byte: its rows are
 * read only once the response has begun. */
static enum tg_err
check_regex(struct tg_req *req, struct hq *h)
{
	int rv;

	if (h->f.re == NULL)
		return TG_OK;
	rv = hist_regex_error(req->db, req->cfg, h->f.re, req->err_why,
	    sizeof(req->err_why));
	if (rv < 0)
		return read_error(req, rv);
	if (rv == 1)
		return req->err_field = "q", TG_ERR_INVALID_FIELD;
	return TG_OK;
}

static const char *const read_params[] = { "user", "host_id",
    "session_id", "since", "until", "exit_status", "source", "cwd", "q",
    "limit", "cursor", NULL };
static const char *const export_params[] = { "user", "host_id",
    "session_id", "since", "until", "exit_status", "source", "cwd", "q",
    "cursor", "format", NULL };

/* Parses and authorizes a read with parameters NAMES, and admits it
 * when it is an EXPORT or has a filter. An export's regex is checked
 * here; a page's by its search. */
static enum tg_err
read_query(struct tg_req *req, struct tg_resp *resp, struct hq *h,
    const char *const *names, int export)
{
	enum tg_err err;

	if ((err = parse_query(req, h, names)) != TG_OK ||
	    (err = whose(req, h)) != TG_OK)
		return err;
	if ((export || hist_bounded(&h->f)) &&
	    (err = heavy_admit(req, resp)) != TG_OK)
		return err;
	return export ? check_regex(req, h) : TG_OK;
}

/* A page being filled: the items' JSON text, the last row's place. */
struct page {
	struct printbuf	*items;
	int		 want, n, failed;
	int64_t		 last_us;
	long long	 last_id;
};

static int
page_row(void *arg, const struct hist_row *r)
{
	struct page *p = arg;

	if (p->n == p->want)
		return -1;		/* the one past the page: more exist */
	if (printbuf_memappend(p->items, p->n > 0 ? "," : "[", 1) < 0 ||
	    hist_row_text(r, p->items) == -1) {
		p->failed = 1;
		return -1;
	}
	p->n++;
	p->last_us = r->started_us;
	p->last_id = r->id;
	return 0;
}

enum tg_err
api_history_list(struct tg_req *req, struct tg_resp *resp)
{
	char cursor[HIST_CURSOR_MAX + 1];
	struct page p = { 0 };
	json_object *items;
	struct hq h;
	enum tg_err err;
	int rv;

	if ((err = read_query(req, resp, &h, read_params, 0)) != TG_OK)
		return err;
	if ((p.items = printbuf_new()) == NULL)
		return TG_ERR_INTERNAL;
	p.want = h.nlimit;
	if ((rv = hist_each(req->db, req->cfg, &h.f, h.nlimit + 1, page_row,
	    &p)) < 0 || p.failed || printbuf_memappend(p.items, p.n > 0 ?
	    "]" : "[]", p.n > 0 ? 1 : 2) < 0) {
		printbuf_free(p.items);
		return rv < 0 ? read_error(req, rv) : TG_ERR_INTERNAL;
	}
	if ((items = jsonx_raw(p.items)) == NULL)
		return TG_ERR_INTERNAL;
	resp->json = json_object_new_object();
	json_object_object_add(resp->json, "items", items);
	if (rv > h.nlimit && hist_cursor_encode(p.last_us, p.last_id, cursor,
	    sizeof(cursor)) == 0)
		json_object_object_add(resp->json, "next_cursor",
		    json_object_new_string(cursor));
	else
		json_object_object_add(resp->json, "next_cursor", NULL);
	resp->status = 200;
	return TG_OK;
}

enum tg_err
api_history_frequent(struct tg_req *req, struct tg_resp *resp)
{
	static const char *const names[] = { "host_id", "limit", NULL };
	json_object *items = NULL;
	struct hq h;
	enum tg_err err;
	int rv;

	if ((err = parse_query(req, &h, names)) != TG_OK)
		return err;
	if (h.limit[0] == '\0')
		h.nlimit = FREQUENT_DEF;
	else if (h.nlimit > FREQUENT_MAX) {
		strlcpy(req->err_why, "a number from 1 to 100",
		    sizeof(req->err_why));
		return req->err_field = "limit", TG_ERR_INVALID_FIELD;
	}
	if ((err = heavy_admit(req, resp)) != TG_OK)
		return err;
	if ((rv = hist_frequent(req->db, req->cfg, req->user, h.f.host_id,
	    h.nlimit, &items)) < 0)
		return read_error(req, rv);
	resp->json = json_object_new_object();
	json_object_object_add(resp->json, "items", items);
	resp->status = 200;
	return TG_OK;
}

/* ---------- posting a command ---------- */

/* The body of POST .../commands into N (cmdrec's members); TG_OK or a
 * 400 naming the member and why. */
static enum tg_err
parse_command(struct tg_req *req, json_object *body, struct hist_new *n)
{
	const char *field;

	if ((field = cmdrec_from_json(body, &n->rec)) == NULL)
		return TG_OK;
	strlcpy(req->err_why, cmdrec_why(field), sizeof(req->err_why));
	return req->err_field = field, TG_ERR_INVALID_FIELD;
}

/* TG_OK with BODY, or INVALID_JSON saying why when it is a NUL. */
static enum tg_err
command_body(struct tg_req *req, json_object **body)
{
	enum tg_err err;

	if ((err = http_body_json(req, body)) != TG_OK &&
	    memmem(req->body, req->body_len, "\\u0000", 6) != NULL)
		strlcpy(req->err_why, "a string holds \\u0000 (NUL), which"
		    " PostgreSQL text cannot store", sizeof(req->err_why));
	return err;
}

/* Answers the outcome RV of an add: 201, 404, 409 or 429. */
static enum tg_err
answer_add(struct tg_req *req, struct tg_resp *resp, int rv,
    long long id, int retry)
{
	char secs[16];

	switch (rv) {
	case HIST_ADDED:
		resp->json = json_object_new_object();
		json_object_object_add(resp->json, "id",
		    json_object_new_int64(id));
		resp->status = 201;
		return TG_OK;
	case HIST_NO_SESSION:
		return TG_ERR_NOT_FOUND;
	case HIST_ENDED:
		return TG_ERR_SESSION_ENDED;
	case HIST_LIMITED:
		snprintf(secs, sizeof(secs), "%d", retry > 0 ? retry : 1);
		(void)http_header(resp, "Retry-After", secs);
		log_info("commands session=%.12s user=%s rate limited",
		    req->id, req->user);
		return TG_ERR_RATE_LIMITED;
	default:
		return TG_ERR_DATABASE;
	}
}

enum tg_err
api_history_add(struct tg_req *req, struct tg_resp *resp)
{
	struct hist_new n;
	json_object *body = NULL;
	long long id = 0;
	enum tg_err err;
	int rv, retry = 0;

	memset(&n, 0, sizeof(n));
	n.session_id = req->id;
	n.user = req->user;
	if ((err = command_body(req, &body)) == TG_OK &&
	    (err = parse_command(req, body, &n)) == TG_OK) {
		rv = hist_add(req->db, req->cfg, &n, &id, &retry);
		err = answer_add(req, resp, rv, id, retry);
	}
	json_object_put(body);
	return err;
}

/* ---------- deleting ---------- */

enum tg_err
api_history_delete(struct tg_req *req, struct tg_resp *resp)
{
	long long id, n;

	id = strtoll(req->id, NULL, 10);	/* digits only (R_NUM) */
	if ((n = hist_delete(req->db, req->user, id, 0)) == -1)
		return TG_ERR_DATABASE;
	if (n == 0)
		return TG_ERR_NOT_FOUND;
	log_info("history deleted user=%s id=%lld", req->user, id);
	resp->status = 204;
	return TG_OK;
}

enum tg_err
api_history_delete_before(struct tg_req *req, struct tg_resp *resp)
{
	char before[40];
	int64_t us;
	long long n;

	if (http_query(req->query, "before", before, sizeof(before)) != 0 ||
	    !valid_rfc3339(before, &us)) {
		strlcpy(req->err_why, "required, an RFC 3339 time",
		    sizeof(req->err_why));
		return req->err_field = "before", TG_ERR_INVALID_FIELD;
	}
	if ((n = hist_delete(req->db, req->user, 0, us)) == -1)
		return TG_ERR_DATABASE;
	log_info("history deleted user=%s before=%s rows=%lld", req->user,
	    before, n);
	resp->status = 204;
	return TG_OK;
}

/* ---------- export ---------- */

/* The state of one export stream: its query and where it is. */
struct export {
	struct hq	 h;
	http_sink_fn	 sink;
	void		*out;
	int		 failed;	/* the client went away */
	int64_t		 last_us;
	long long	 last_id;
	struct printbuf	*line;		/* a JSON line being written */
};

/* S as one CSV field, then SEP (csv.h: the guard against formulas). */
static int
csv_text(struct export *x, const char *s, const char *sep)
{
	return csv_field(x->sink, x->out, s, sep);
}

static const char csv_header[] = "id,session_id,host_id,host_name,"
    "username,command,exit_status,cwd,started_at,finished_at,duration_ms,"
    "source,recording_offset,typed_by\r\n";

/* One row as CSV: RFC 4180, every text field quoted, CRLF. */
static int
csv_row(struct export *x, const struct hist_row *r)
{
	char id[24], ex[16], dur[24], off[32];

	snprintf(id, sizeof(id), "%lld", r->id);
	snprintf(ex, sizeof(ex), "%d", r->exit_status);
	snprintf(dur, sizeof(dur), "%lld", r->duration_ms);
	snprintf(off, sizeof(off), "%.3f", r->recording_offset);
	if (x->sink(x->out, id, strlen(id)) == -1 ||
	    x->sink(x->out, ",", 1) == -1 ||
	    csv_text(x, r->session_id, ",") == -1 ||
	    csv_text(x, r->host_id, ",") == -1 ||
	    csv_text(x, r->host_name, ",") == -1 ||
	    csv_text(x, r->username, ",") == -1 ||
	    csv_text(x, r->command, ",") == -1 ||
	    x->sink(x->out, ex, r->has_exit ? strlen(ex) : 0) == -1 ||
	    x->sink(x->out, ",", 1) == -1 ||
	    csv_text(x, r->cwd, ",") == -1 ||
	    csv_text(x, r->started_at, ",") == -1 ||
	    csv_text(x, r->finished_at, ",") == -1 ||
	    x->sink(x->out, dur, r->has_duration ? strlen(dur) : 0) == -1 ||
	    x->sink(x->out, ",", 1) == -1 ||
	    csv_text(x, r->source, ",") == -1)
		return -1;
	if (x->sink(x->out, off, r->has_offset ? strlen(off) : 0) == -1 ||
	    x->sink(x->out, ",", 1) == -1)
		return -1;
	return csv_text(x, r->typed_by, "\r\n");
}

static int
export_row(void *arg, const struct hist_row *r)
{
	struct export *x = arg;
	int rv;

	if (x->h.csv)
		rv = csv_row(x, r);
	else {
		printbuf_reset(x->line);
		rv = hist_row_text(r, x->line) == -1 ||
		    printbuf_memappend(x->line, "\n", 1) < 0 ? -1 :
		    x->sink(x->out, x->line->buf, (size_t)x->line->bpos);
	}
	x->last_us = r->started_us;
	x->last_id = r->id;
	if (rv == -1)
		x->failed = 1;
	return rv;
}

/* Pages through the whole result, EXPORT_PAGE rows a statement. */
static int
export_pages(struct tg_req *req, struct export *x)
{
	int n;

	if (x->h.csv && x->sink(x->out, csv_header, sizeof(csv_header) - 1) ==
	    -1)
		return -1;
	for (;;) {
		n = hist_each(req->db, req->cfg, &x->h.f, EXPORT_PAGE,
		    export_row, x);
		if (n < 0 || x->failed) {
			log_warn("export user=%s failed: %s", req->user, n ==
			    HIST_TIMEOUT ? "search timeout" : n < 0 ?
			    "database" : "client gone or no memory");
			return -1;
		}
		if (n < EXPORT_PAGE)
			return 0;
		x->h.f.has_cursor = 1;
		x->h.f.cursor_us = x->last_us;
		x->h.f.cursor_id = x->last_id;
	}
}

static int
export_stream(struct tg_req *req, void *arg, http_sink_fn sink, void *out)
{
	struct export *x = arg;
	int rv;

	x->sink = sink;
	x->out = out;
	if ((x->line = printbuf_new()) == NULL)
		return -1;
	rv = export_pages(req, x);
	printbuf_free(x->line);
	x->line = NULL;
	return rv;
}

enum tg_err
api_history_export(struct tg_req *req, struct tg_resp *resp)
{
	struct export *x;
	enum tg_err err;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		return TG_ERR_INTERNAL;
	if ((err = read_query(req, resp, &x->h, export_params, 1)) != TG_OK) {
		free(x);
		return err;
	}
	if (http_header(resp, "Content-Disposition", x->h.csv ?
	    "attachment; filename=\"termgate-history.csv\"" :
	    "attachment; filename=\"termgate-history.jsonl\"") == -1) {
		free(x);
		return TG_ERR_INTERNAL;
	}
	log_info("export user=%s who=%s format=%s", req->user,
	    x->h.f.user ? x->h.f.user : "*", x->h.csv ? "csv" : "jsonl");
	resp->status = 200;
	resp->ctype = x->h.csv ? "text/csv; charset=utf-8" :
	    "application/x-ndjson";
	resp->stream = export_stream;
	resp->stream_arg = x;
	resp->stream_free = free;
	return TG_OK;
}

/* ---------- recordings ---------- */

struct recording {
	int	fd;
};

static void
recording_free(void *arg)
{
	struct recording *rec = arg;

	if (rec != NULL && rec->fd != -1)
		close(rec->fd);
	free(rec);
}

/* Copies the file as it is now, to its current end. */
static int
recording_stream(struct tg_req *req, void *arg, http_sink_fn sink,
    void *out)
{
	struct recording *rec = arg;
	char buf[65536];
	ssize_t n;

	while ((n = read(rec->fd, buf, sizeof(buf))) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			log_warn("recording session=%.12s read: %s", req->id,
			    strerror(errno));
			return -1;
		}
		if (sink(out, buf, (size_t)n) == -1)
			return -1;
	}
	return 0;
}

/* TG_OK when the caller may see session ID's recording: its owner, or
 * an admin. Anyone else is told there is no such session. */
static enum tg_err
may_see_session(struct tg_req *req)
{
	json_object *s = NULL;
	enum tg_err err;
	int rv;

	if ((rv = sess_get(req->db, req->id, req->user, &s)) == 1) {
		if ((err = http_require_admin(req)) != TG_OK)
			return err == TG_ERR_FORBIDDEN ? TG_ERR_NOT_FOUND :
			    err;
		rv = sess_get(req->db, req->id, NULL, &s);
	}
	json_object_put(s);
	return rv == -1 ? TG_ERR_DATABASE : rv == 1 ? TG_ERR_NOT_FOUND :
	    TG_OK;
}

/* Opens recording_dir/ID.cast, a regular file: the fd, or -1. */
static int
open_recording(struct tg_req *req)
{
	char path[512];
	int fd;

	if (sessfile_path(path, sizeof(path), req->cfg, SESSFILE_CAST,
	    req->id) == -1)
		return -1;
	/* (a FIFO planted here must not hold the worker) */
	if ((fd = sessfile_open(path)) == -1 && errno != ENOENT)
		log_warn("recording %s: %s", path, strerror(errno));
	return fd;
}

enum tg_err
api_recording(struct tg_req *req, struct tg_resp *resp)
{
	struct recording *rec;
	enum tg_err err;
	int fd;

	if ((err = may_see_session(req)) != TG_OK)
		return err;
	if ((fd = open_recording(req)) == -1) {
		strlcpy(req->err_why, "this session has no recording",
		    sizeof(req->err_why));
		return TG_ERR_NOT_FOUND;
	}
	if ((rec = malloc(sizeof(*rec))) == NULL) {
		close(fd);
		return TG_ERR_INTERNAL;
	}
	rec->fd = fd;
	resp->status = 200;
	resp->ctype = "application/x-asciicast";
	resp->stream = recording_stream;
	resp->stream_arg = rec;
	resp->stream_free = recording_free;
	return TG_OK;
}
