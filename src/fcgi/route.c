/*
 * route.c - the route table of termgate-fcgi, and the checks every route
 * shares.
 *
 * A request is matched against one table of (method, pattern, handler,
 * flags); the checks every route shares run here in a fixed order (404,
 * 405 with Allow, 403 for a user termgate cannot take, 401, 413, 415,
 * 400 for a bad session id, then 403 on an admin route for a caller who
 * is not one) before any handler. The layers of termgate-fcgi, each
 * calling only those below it:
 *
 *	master.c, worker.c	processes, FastCGI (fcgi.h)
 *	route.c			this table and its checks (route.h)
 *	api_*.c			the handlers (api.h; only this file calls them)
 *	csv.c, heavy.c		the exports' CSV fields (csv.h), the gate
 *				of heavy reads (heavy.h)
 *	http.c, stats.c,	the request layer: requests, responses,
 *	inflight.c		errors, parsers, the admin check (http.h),
 *				the workers' shared figures and heavy reads
 *
 * tests/layers/run fails on a circle among the files of termgate-fcgi
 * (by the symbols their objects use) and on a file but this one that
 * includes api.h.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "cfg.h"
#include "http.h"
#include "route.h"
#include "stats.h"
#include "valid.h"

#define R_USER		0x01	/* needs REMOTE_USER */
#define R_JSON		0x02	/* needs Content-Type: application/json
				 * (a bodyless DELETE may have none) */
#define R_BEACON	0x04	/* needs the content type of a beacon */
#define R_ID		0x08	/* the pattern has an {id} segment */
#define R_NUM		0x10	/* ... that is a history row id */
#define R_ADMIN		0x20	/* admins only (after every other check) */
#define R_SUB		0x40	/* the pattern has a {share_id} segment,
				 * 64 hex like a session id */

static const struct route {
	const char	*method;
	const char	*pattern;
	api_fn		 fn;
	int		 flags;
} routes[] = {
	{ "POST", "/api/terminal/sessions", api_open, R_USER | R_JSON },
	{ "GET", "/api/terminal/sessions", api_list, R_USER },
	{ "GET", "/api/terminal/sessions/{id}", api_get, R_USER | R_ID },
	{ "DELETE", "/api/terminal/sessions/{id}", api_close,
	    R_USER | R_ID | R_JSON },
	{ "POST", "/api/terminal/sessions/{id}/heartbeat", api_heartbeat,
	    R_USER | R_ID | R_JSON },
	{ "POST", "/api/terminal/sessions/{id}/beacon", api_beacon,
	    R_ID | R_BEACON },
	{ "GET", "/api/terminal/authorize", api_authorize, 0 },
	{ "GET", "/api/terminal/node-authorize", api_node_authorize, 0 },
	{ "GET", "/api/terminal/hosts", api_hosts, R_USER },
	{ "GET", "/api/terminal/metrics", api_metrics, R_USER },
	{ "GET", "/api/terminal/health", api_health, R_USER },
	{ "GET", "/api/terminal/admin/sessions", api_admin_list,
	    R_USER | R_ADMIN },
	{ "DELETE", "/api/terminal/admin/sessions/{id}", api_admin_close,
	    R_USER | R_ID | R_JSON | R_ADMIN },
	{ "GET", "/api/terminal/admin/events", api_admin_events,
	    R_USER | R_ADMIN },
	{ "POST", "/api/terminal/sessions/{id}/commands", api_history_add,
	    R_USER | R_ID | R_JSON },
	{ "GET", "/api/terminal/sessions/{id}/recording", api_recording,
	    R_USER | R_ID },
	{ "GET", "/api/terminal/history", api_history_list, R_USER },
	{ "DELETE", "/api/terminal/history", api_history_delete_before,
	    R_USER | R_JSON },
	{ "GET", "/api/terminal/history/frequent", api_history_frequent,
	    R_USER },
	{ "GET", "/api/terminal/history/export", api_history_export, R_USER },
	{ "DELETE", "/api/terminal/history/{id}", api_history_delete,
	    R_USER | R_NUM | R_JSON },
	{ "POST", "/api/terminal/sessions/{id}/shares", api_share_create,
	    R_USER | R_ID | R_JSON },
	{ "GET", "/api/terminal/sessions/{id}/shares", api_share_list,
	    R_USER | R_ID },
	{ "DELETE", "/api/terminal/sessions/{id}/shares/{share_id}",
	    api_share_revoke, R_USER | R_ID | R_SUB | R_JSON },
	{ "POST", "/api/terminal/shares/redeem", api_share_redeem,
	    R_USER | R_JSON },
	{ "POST", "/api/terminal/admin/sessions/{id}/watch", api_watch_start,
	    R_USER | R_ID | R_JSON | R_ADMIN },
	{ "DELETE", "/api/terminal/admin/sessions/{id}/watch/{share_id}",
	    api_watch_end, R_USER | R_ID | R_SUB | R_JSON | R_ADMIN },
	{ "GET", "/metrics", api_prometheus, R_USER },
};

#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

/* The handlers whose latency /metrics shows (stats.c). */
static const struct {
	api_fn		 fn;
	enum stats_kind	 kind;
} timed[] = {
	{ api_authorize, STATS_AUTHORIZE },
	{ api_heartbeat, STATS_HEARTBEAT },
};

/* The stats_kind of route R: STATS_NONE unless it is timed. */
static enum stats_kind
stats_of(const struct route *r)
{
	size_t i;

	for (i = 0; i < sizeof(timed) / sizeof(timed[0]); i++)
		if (timed[i].fn == r->fn)
			return timed[i].kind;
	return STATS_NONE;
}

/*
 * Matches PATH against PATTERN, whose "{id}" and "{share_id}" segments
 * match any one non-empty segment (copied, possibly cut, into ID and
 * SUB, each IDLEN bytes). 1 on a match.
 */
static int
match(const char *pattern, const char *path, char *id, char *sub,
    size_t idlen)
{
	size_t n;
	int is_id;

	while (*pattern != '\0') {
		if ((is_id = strncmp(pattern, "{id}", 4) == 0) ||
		    strncmp(pattern, "{share_id}", 10) == 0) {
			if ((n = strcspn(path, "/")) == 0)
				return 0;
			snprintf(is_id ? id : sub, idlen, "%.*s", (int)n,
			    path);
			pattern += is_id ? 4 : 10;
			path += n;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return *path == '\0';
}

/* Finds the route of REQ, or sets *ERR (404, or 405 with req->allow). */
static const struct route *
find_route(struct tg_req *req, enum tg_err *err)
{
	const struct route *found = NULL;
	char id[sizeof(req->id)], sub[sizeof(req->sub)];
	size_t i;

	req->allow[0] = '\0';
	*err = TG_ERR_NOT_FOUND;
	for (i = 0; i < NROUTES; i++) {
		id[0] = sub[0] = '\0';
		if (!match(routes[i].pattern, req->path, id, sub, sizeof(id)))
			continue;
		if (strcmp(routes[i].method, req->method) == 0) {
			strlcpy(req->id, id, sizeof(req->id));
			strlcpy(req->sub, sub, sizeof(req->sub));
			found = &routes[i];
		}
		if (req->allow[0] != '\0')
			strlcat(req->allow, ", ", sizeof(req->allow));
		strlcat(req->allow, routes[i].method, sizeof(req->allow));
		*err = TG_ERR_METHOD;
	}
	return found;
}

/*
 * The checks every route shares, in order; TG_OK when all pass. A user
 * nginx named but termgate cannot take (not valid_username) is refused
 * on every route, including those that need no user: it is never read
 * as no user at all. Every state-changing route needs its content type
 * even without a body, which a cross-site form or a no-cors fetch cannot
 * send (a beacon's types need its token instead); only a DELETE without
 * a body may come without one: a browser sends a cross-site DELETE only
 * after a CORS preflight, which termgate never grants.
 */
static int
json_typed(const struct tg_req *req)
{
	if (http_ctype_is(req->content_type, HTTP_CT_JSON))
		return 1;
	return strcmp(req->method, "DELETE") == 0 && req->body_len == 0 &&
	    (req->content_type == NULL || req->content_type[0] == '\0');
}

static enum tg_err
check(const struct route *r, struct tg_req *req)
{
	if (req->user != NULL && !valid_username(req->user))
		return TG_ERR_FORBIDDEN;
	if ((r->flags & R_USER) && req->user == NULL)
		return TG_ERR_UNAUTHENTICATED;
	if (req->body_too_large)
		return TG_ERR_BODY_TOO_LARGE;
	if ((r->flags & R_JSON) && !json_typed(req))
		return req->err_field = HTTP_CT_JSON, TG_ERR_MEDIA_TYPE;
	if ((r->flags & R_BEACON) &&
	    !http_ctype_is(req->content_type, HTTP_CT_TEXT) &&
	    !http_ctype_is(req->content_type, HTTP_CT_FORM))
		return req->err_field = HTTP_CT_TEXT " or " HTTP_CT_FORM,
		    TG_ERR_MEDIA_TYPE;
	if ((r->flags & R_ID) && !valid_session_id(req->id))
		return TG_ERR_INVALID_SESSION_ID;
	if ((r->flags & R_SUB) && !valid_session_id(req->sub))
		return req->err_field = "share_id", TG_ERR_INVALID_FIELD;
	if ((r->flags & R_NUM) && (req->id[0] == '0' ||
	    strspn(req->id, "0123456789") != strlen(req->id) ||
	    strlen(req->id) > 18))
		return req->err_field = "id", TG_ERR_INVALID_FIELD;
	if (r->flags & R_ADMIN)
		return http_require_admin(req);
	return TG_OK;
}

int
route_setup(const struct tg_cfg *cfg, char *err, size_t errlen)
{
	return api_prometheus_token(cfg->metrics_token_file, err, errlen);
}

void
route_handle(struct tg_req *req, struct tg_resp *resp)
{
	const struct route *r;
	enum tg_err err;

	memset(resp, 0, sizeof(*resp));
	req->err_field = NULL;
	req->err_why[0] = '\0';
	if (req->user != NULL && req->user[0] == '\0')
		req->user = NULL;		/* empty: no user */
	req->stats = STATS_NONE;
	if ((r = find_route(req, &err)) != NULL &&
	    (err = check(r, req)) == TG_OK) {
		req->stats = stats_of(r);
		err = r->fn(req, resp);
	}
	if (err == TG_ERR_DATABASE)
		stats_db_error();
	if (err != TG_OK) {
		http_resp_free(resp);
		http_error_why(resp, err, err == TG_ERR_METHOD ? req->allow :
		    req->err_field, req->err_why);
	} else if (resp->status == 0)
		http_error(resp, TG_ERR_INTERNAL, NULL);
}

