/*
 * api_sessions.c - the session endpoints of doc/api.md: open, list, get,
 * heartbeat, close, beacon, and nginx's authorize.
 *
 * The lifecycle rules live in SQL (sess.c and sql/defs/); a
 * handler checks its input, makes one repository call and shapes the
 * answer. The one wait is for a new terminal: after the open transaction
 * has committed, the worker waits on its own connection for the
 * NOTIFY_READY of the session, bounded by spawn_timeout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "cfg.h"
#include "clock.h"
#include "db.h"
#include "jsonx.h"
#include "log.h"
#include "hop.h"
#include "node.h"
#include "nodeauth.h"
#include "notify.h"
#include "sess.h"
#include "sessfile.h"
#include "share.h"
#include "tok.h"
#include "users.h"
#include "valid.h"

#define TOKEN_MAX	256		/* longest token we look at */

static const char *const outcome_names[] = {
	[SESS_CREATED] = "created", [SESS_REUSED] = "reused",
	[SESS_PENDING] = "pending", [SESS_LIMIT] = "limit",
	[SESS_UNKNOWN_HOST] = "unknown_host", [SESS_NO_PORT] = "no_port",
	[SESS_NO_CAPACITY] = "no_capacity",
};

static void
add_int(json_object *o, const char *key, long long v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

static const char *
str_of(json_object *o, const char *key)
{
	const char *v = NULL;

	return jsonx_get_str(o, key, &v) == 0 ? v : "";
}

/* Adds the fields every session body has beyond session_json. */
static void
decorate(const struct tg_cfg *cfg, json_object *s)
{
	char url[256];

	snprintf(url, sizeof(url), "%s/%s/", cfg->url_prefix,
	    str_of(s, "session_id"));
	jsonx_add_str(s, "url", url);
	add_int(s, "heartbeat_interval_seconds", cfg->heartbeat_interval);
	add_int(s, "idle_timeout_seconds", cfg->idle_timeout);
}

/* Reads the open request's fields into OUT; TG_OK or a 400. */
static enum tg_err
parse_open(struct tg_req *req, json_object *body,
    struct sess_open_req *out)
{
	const char *on_limit = "error";
	int reuse = 1;

	out->user = req->user;
	out->mode = "embedded";
	if (jsonx_get_str(body, "host_id", &out->host_id) != 0 ||
	    !valid_host_id(out->host_id))
		return req->err_field = "host_id", TG_ERR_INVALID_FIELD;
	if (jsonx_get_str(body, "mode", &out->mode) == -1 ||
	    (strcmp(out->mode, "embedded") != 0 &&
	    strcmp(out->mode, "popout") != 0))
		return req->err_field = "mode", TG_ERR_INVALID_FIELD;
	if (jsonx_get_bool(body, "reuse", &reuse) == -1)
		return req->err_field = "reuse", TG_ERR_INVALID_FIELD;
	if (jsonx_get_str(body, "on_limit", &on_limit) == -1 ||
	    (strcmp(on_limit, "error") != 0 &&
	    strcmp(on_limit, "close_oldest") != 0))
		return req->err_field = "on_limit", TG_ERR_INVALID_FIELD;
	out->reuse = reuse;
	out->close_oldest = strcmp(on_limit, "close_oldest") == 0;
	return TG_OK;
}

/* Status of ID now: 1 active (its row in *OUT, the caller's), 0 ended,
 * 2 starting, -1 database error. */
static int
spawn_state(struct tg_db *db, const char *id, json_object **out)
{
	json_object *s = NULL;
	const char *st;
	int rv;

	if ((rv = sess_get(db, id, NULL, &s)) != 0)
		return rv == 1 ? 0 : -1;
	st = str_of(s, "status");
	rv = strcmp(st, SESS_STATUS_ACTIVE) == 0 ? 1 :
	    strcmp(st, SESS_STATUS_STARTING) == 0 ? 2 : 0;
	if (rv == 1)
		*out = s;
	else
		json_object_put(s);
	return rv;
}

/*
 * Waits until the terminal of ID is ready: 1 ready (its row in *OUT, the
 * caller's), 0 failed or timed out, -1 when the database went away
 * meanwhile. The worker LISTENs on
 * NOTIFY_READY from before the open, so the answer cannot be missed;
 * notifications about other sessions are other workers' business. A
 * note about ID only wakes the worker: any role that may connect may
 * NOTIFY, so the row, read again, says what became of the session.
 */
static int
await_ready(struct tg_req *req, const char *id, json_object **out)
{
	int64_t deadline = clock_ms() + req->cfg->spawn_timeout * 1000LL;
	struct db_note n;
	int rv;

	if ((rv = spawn_state(req->db, id, out)) != 2)
		return rv;
	for (;;) {
		if ((rv = db_wait_note(req->db, deadline, &n)) != 1)
			return rv;
		if (strcmp(n.channel, NOTIFY_READY) == 0 &&
		    notify_ready(n.payload, id) != -1 &&
		    (rv = spawn_state(req->db, id, out)) != 2)
			return rv;
	}
}

/* Fills a 200/201 open answer for session ID with TOKEN, from its row S
 * (taken over), or the row read now when S is NULL. */
static enum tg_err
answer_open(struct tg_req *req, struct tg_resp *resp, const char *id,
    const char *token, int reused, json_object *s)
{
	char cookie[512];
	int rv;

	if (s == NULL && (rv = sess_get(req->db, id, NULL, &s)) != 0)
		return rv == 1 ? TG_ERR_SPAWN_FAILED : TG_ERR_DATABASE;
	decorate(req->cfg, s);
	jsonx_add_str(s, "token", token);
	json_object_object_add(s, "reused", json_object_new_boolean(reused));
	snprintf(cookie, sizeof(cookie), "termgate_token=%s; Path=%s/%s/; "
	    "HttpOnly; SameSite=Strict%s", token, req->cfg->url_prefix, id,
	    req->cfg->cookie_secure ? "; Secure" : "");
	if (http_header(resp, "Set-Cookie", cookie) == -1) {
		json_object_put(s);
		return TG_ERR_INTERNAL;
	}
	resp->status = reused ? 200 : 201;
	resp->json = s;
	return TG_OK;
}

/*
 * A terminal that did not start: 503 NO_CAPACITY when the supervisor
 * said its account pool is used up (a pool account is never shared by
 * two users), else 502 SPAWN_FAILED.
 */
static enum tg_err
spawn_error(struct tg_req *req, const char *id)
{
	char why[64];

	if (sess_spawn_error(req->db, id, why, sizeof(why)) == 0 &&
	    strcmp(why, SPAWN_NO_ACCOUNT) == 0) {
		snprintf(req->err_why, sizeof(req->err_why), "its node has "
		    "no terminal account free for another user (an operator "
		    "raises run_as_pool_size)");
		return TG_ERR_NO_CAPACITY;
	}
	return TG_ERR_SPAWN_FAILED;
}

/* After created or pending: wait for the terminal, then answer. */
static enum tg_err
answer_spawned(struct tg_req *req, struct tg_resp *resp,
    struct sess_opened *o)
{
	char id[TOK_ID_LEN + 1];
	json_object *s = NULL;
	int rv;

	strlcpy(id, str_of(o->session, "session_id"), sizeof(id));
	if ((rv = await_ready(req, id, &s)) == 1)
		return answer_open(req, resp, id, o->token,
		    o->outcome == SESS_PENDING, s);
	if (rv == -1)
		return TG_ERR_DATABASE;
	log_warn("session=%.12s user=%s spawn failed or timed out", id,
	    req->user);
	(void)sess_close(req->db, id, SESS_REASON_SPAWN, NULL, NULL);
	return spawn_error(req, id);
}

enum tg_err
api_open(struct tg_req *req, struct tg_resp *resp)
{
	struct sess_open_req oreq;
	struct sess_opened o;
	json_object *body = NULL;
	enum tg_err err;

	memset(&o, 0, sizeof(o));
	if ((err = http_body_json(req, &body)) != TG_OK ||
	    (err = parse_open(req, body, &oreq)) != TG_OK)
		goto done;
	if (sess_open(req->db, req->cfg, &oreq, &o) == -1) {
		err = TG_ERR_DATABASE;
		goto done;
	}
	log_info("open user=%s host=%s outcome=%s%s", req->user,
	    oreq.host_id, outcome_names[o.outcome],
	    o.forbidden ? " reason=not_granted" : "");
	switch (o.outcome) {
	case SESS_LIMIT:
		resp->status = 429;
		resp->json = o.limit;
		o.limit = NULL;
		break;
	case SESS_UNKNOWN_HOST:
		err = TG_ERR_UNKNOWN_HOST;
		break;
	case SESS_NO_PORT:
		err = TG_ERR_NO_PORT;
		break;
	case SESS_NO_CAPACITY:
		err = TG_ERR_NO_CAPACITY;
		break;
	case SESS_REUSED:
		err = answer_open(req, resp, str_of(o.session, "session_id"),
		    o.token, 1, NULL);
		break;
	default:
		err = answer_spawned(req, resp, &o);
		break;
	}
done:
	sess_opened_clear(&o);
	json_object_put(body);
	return err;
}

enum tg_err
api_list(struct tg_req *req, struct tg_resp *resp)
{
	json_object *arr = NULL, *o;
	size_t i;
	int max;

	if (sess_list_user(req->db, req->user, &arr) == -1 ||
	    (max = users_limit(req->db, req->user,
	    req->cfg->max_sessions_per_user)) == -1) {
		json_object_put(arr);
		return TG_ERR_DATABASE;
	}
	for (i = 0; i < json_object_array_length(arr); i++)
		decorate(req->cfg, json_object_array_get_idx(arr, i));
	o = json_object_new_object();
	json_object_object_add(o, "sessions", arr);
	add_int(o, "max_active", max);
	resp->status = 200;
	resp->json = o;
	return TG_OK;
}

/* Answers 200 with the session of a lookup that returned RV and S. */
static enum tg_err
answer_session(struct tg_req *req, struct tg_resp *resp, int rv,
    json_object *s)
{
	if (rv == -1)
		return TG_ERR_DATABASE;
	if (rv == 1)
		return TG_ERR_NOT_FOUND;
	decorate(req->cfg, s);
	resp->status = 200;
	resp->json = s;
	return TG_OK;
}

enum tg_err
api_get(struct tg_req *req, struct tg_resp *resp)
{
	json_object *s = NULL;
	int rv;

	rv = sess_get(req->db, req->id, req->user, &s);
	return answer_session(req, resp, rv, s);
}

enum tg_err
api_close(struct tg_req *req, struct tg_resp *resp)
{
	json_object *s = NULL;
	int rv;

	rv = sess_close(req->db, req->id, SESS_REASON_USER, req->user, &s);
	if (rv == 0)
		log_info("close session=%.12s user=%s reason=user_close",
		    req->id, req->user);
	return answer_session(req, resp, rv, s);
}

/*
 * The reason of an admin close's optional body ({"reason": "..."}) into
 * *NOTE (owned by *BODY, which the caller puts; NULL when none or "");
 * TG_OK, or a 400: not JSON, or a reason that is not a string
 * valid_close_note takes.
 */
static enum tg_err
admin_note(struct tg_req *req, json_object **body, const char **note)
{
	enum tg_err err;
	int rv;

	*note = NULL;
	if (req->body_len == 0)
		return TG_OK;
	if ((err = http_body_json(req, body)) != TG_OK)
		return err;
	if ((rv = jsonx_get_str(*body, "reason", note)) == 1)
		return TG_OK;
	if (rv == -1 || !valid_close_note(*note)) {
		snprintf(req->err_why, sizeof(req->err_why), "a string of at "
		    "most %d bytes without control characters",
		    VALID_NOTE_MAX);
		return req->err_field = "reason", TG_ERR_INVALID_FIELD;
	}
	if ((*note)[0] == '\0')
		*note = NULL;
	return TG_OK;
}

/* Admins only: the route says so (route.c, R_ADMIN). */
enum tg_err
api_admin_close(struct tg_req *req, struct tg_resp *resp)
{
	json_object *body = NULL, *s = NULL;
	const char *note;
	enum tg_err err;
	int rv;

	if ((err = admin_note(req, &body, &note)) == TG_OK) {
		rv = sess_admin_close(req->db, req->id, req->user, note, &s);
		if (rv == 0)
			log_info("close session=%.12s admin=%s "
			    "reason=admin_close note=%s", req->id, req->user,
			    note != NULL ? "yes" : "no");
		err = answer_session(req, resp, rv, s);
	}
	json_object_put(body);
	return err;
}

enum tg_err
api_heartbeat(struct tg_req *req, struct tg_resp *resp)
{
	struct sess_beat beat;
	json_object *o;
	int rv, live;

	memset(&beat, 0, sizeof(beat));
	if ((rv = sess_update_last_seen(req->db, req->id, req->user,
	    &beat)) != 0)
		return rv == 1 ? TG_ERR_NOT_FOUND : TG_ERR_DATABASE;
	live = strcmp(beat.status, SESS_STATUS_ACTIVE) == 0 ||
	    strcmp(beat.status, SESS_STATUS_STARTING) == 0;
	o = json_object_new_object();
	jsonx_add_str(o, "session_id", req->id);
	jsonx_add_str(o, "status", beat.status);
	jsonx_add_str(o, "last_seen_at", beat.last_seen_at);
	add_int(o, "remaining_seconds", live ? beat.remaining : 0);
	json_object_object_add(o, "healthy", json_object_new_boolean(live));
	json_object_object_add(o, "reason_closed", live ? NULL :
	    json_object_new_string(beat.reason_closed));
	resp->status = 200;
	resp->json = o;
	return TG_OK;
}

/* The token of a beacon body (raw, or token=... form) into OUT; 0/-1. */
static int
beacon_token(const struct tg_req *req, char *out, size_t outlen)
{
	char raw[TOKEN_MAX + 16];
	size_t n = req->body_len;

	if (n >= sizeof(raw))
		return -1;
	memcpy(raw, req->body, n);
	raw[n] = '\0';
	if (http_ctype_is(req->content_type, HTTP_CT_FORM))
		return http_query(raw, "token", out, outlen) == 0 ? 0 : -1;
	while (n > 0 && strchr(" \t\r\n", raw[n - 1]) != NULL)
		raw[--n] = '\0';
	if (strlcpy(out, raw + strspn(raw, " \t\r\n"), outlen) >= outlen)
		return -1;
	return 0;
}

enum tg_err
api_beacon(struct tg_req *req, struct tg_resp *resp)
{
	char token[TOKEN_MAX];
	int rv;

	if (beacon_token(req, token, sizeof(token)) == -1)
		token[0] = '\0';
	rv = sess_beacon(req->db, req->cfg, req->id, token);
	explicit_bzero(token, sizeof(token));
	switch (rv) {
	case 0:
		log_info("beacon session=%.12s", req->id);
		resp->status = 204;
		return TG_OK;
	case 1:
		return TG_ERR_NOT_FOUND;
	case 2:
		return TG_ERR_FORBIDDEN;
	default:
		return TG_ERR_DATABASE;
	}
}

/* tcp mode: the session's backend credential (ttyd -c) for nginx to send
 * as Authorization; 0 or -1. */
static int
backend_auth(struct tg_resp *resp, const struct sess_auth *auth)
{
	char cred[200];
	int rv;

	memcpy(cred, "Basic ", 6);
	rv = tok_base64(auth->backend_auth, strlen(auth->backend_auth),
	    cred + 6, sizeof(cred) - 6) == 0 &&
	    http_header(resp, "X-Termgate-Backend-Auth", cred) == 0 ? 0 : -1;
	explicit_bzero(cred, sizeof(cred));
	return rv;
}

/*
 * Answers 204 with the terminal's URL UP (of SIZE bytes; LEN what
 * snprintf said of it) for nginx, and the terminal's credential when
 * AUTH (NULL: none) is a tcp one.
 */
static enum tg_err
answer_url(struct tg_resp *resp, const char *up, size_t size, int len,
    const struct sess_auth *auth)
{
	if (len < 0 || (size_t)len >= size ||
	    http_header(resp, "X-Termgate-Upstream", up) == -1 ||
	    (auth != NULL && auth->ep.kind == EP_TCP &&
	    backend_auth(resp, auth) == -1))
		return TG_ERR_INTERNAL;
	resp->status = 204;
	return TG_OK;
}

/* Sets the upstream headers nginx copies with auth_request_set: the URL
 * of the terminal ("http://unix:PATH:" or "http://127.0.0.1:PORT") and,
 * in tcp mode, its credential. */
static enum tg_err
answer_upstream(struct tg_resp *resp, const struct sess_auth *auth)
{
	char up[EP_TEXT_MAX + 1], url[EP_TEXT_MAX + 8];
	int len;

	len = ep_upstream(&auth->ep, up, sizeof(up)) == -1 ? -1 :
	    snprintf(url, sizeof(url), "http://%s", up);
	return answer_url(resp, url, sizeof(url), len, auth);
}

/* What the rest of a terminal's path may hold to reach the gateway. */
#define GW_PATH_SAFE	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" \
			"0123456789._~/-"

/*
 * The rest of the terminal's path after PREFIX/ID into *REST (N bytes,
 * "/" when there is none), when it holds GW_PATH_SAFE only and no "/.":
 * 0, or -1 (logged) when it is a path no rewritten upstream serves.
 */
static int
uri_rest(const struct tg_req *req, const char *id, const char **rest,
    int *n)
{
	const char *r;
	size_t len;

	r = req->orig_uri + strlen(req->cfg->url_prefix) + 1 + TOK_ID_LEN;
	len = strcspn(r, "?");
	if (strspn(r, GW_PATH_SAFE) < len || memmem(r, len, "/.", 2)) {
		log_info("authorize session=%.12s refused: a path the gateway "
		    "does not serve", id);
		return -1;
	}
	*rest = len == 0 ? "/" : r;
	*n = len == 0 ? 1 : (int)len;
	return 0;
}

/* "&arg=MODE&arg=GRANT" of a shared client G into BUF ("" for the
 * owner); ttyd -a appends them to termgate-pty attach (holder.h). */
static void
grant_args(const struct share_grant *g, char *buf, size_t len)
{
	if (g == NULL)
		buf[0] = '\0';
	else
		snprintf(buf, len, "&arg=%s&arg=%s", holder_mode_name(g->mode),
		    g->grant);
}

/*
 * terminal_gateway: the node's one ttyd (its socket in socket_dir, its
 * base url_prefix) serves session ID. The upstream is the whole URL,
 * whose URI nginx's proxy_pass then sends instead of the client's: the
 * rest of the path after PREFIX/ID (uri_rest), and the query arg=ID, the
 * session authorized here, then for a shared client G its mode and grant,
 * which ttyd -a hands to termgate-pty attach. Whatever query the client
 * sent is dropped.
 */
static enum tg_err
answer_gateway(const struct tg_req *req, struct tg_resp *resp,
    const char *id, const struct share_grant *g)
{
	char sock[256], up[1024], args[160];
	const char *rest;
	int len, n;

	if (uri_rest(req, id, &rest, &n) == -1)
		return TG_ERR_FORBIDDEN;
	if (sessfile_gateway(sock, sizeof(sock), req->cfg->socket_dir) == -1)
		return TG_ERR_INTERNAL;
	grant_args(g, args, sizeof(args));
	len = snprintf(up, sizeof(up), "http://unix:%s:%s%.*s?arg=%s%s",
	    sock, req->cfg->url_prefix, n, rest, id, args);
	return answer_url(resp, up, sizeof(up), len, NULL);
}

/*
 * A shared client G of a session's own shellinabox, which runs a fixed
 * command per service, chosen by the path alone (holder.h): the whole
 * URI is authorize's, the service of G's share slot, PREFIX/ID-sN, and
 * the rest of the client's path; its query is dropped (shellinabox's
 * page posts its own in the body). A grant that finds every slot of its
 * mode taken is refused.
 */
static enum tg_err
answer_slot(struct tg_req *req, struct tg_resp *resp,
    const struct sess_auth *auth, const char *id, struct share_grant *g)
{
	char ep[EP_TEXT_MAX + 1], up[1024];
	const char *rest;
	int len, n, rv;

	if (uri_rest(req, id, &rest, &n) == -1)
		return TG_ERR_FORBIDDEN;
	if ((rv = share_slot(req->db, g)) == -1)
		return TG_ERR_DATABASE;
	if (rv == 0) {
		log_info("authorize session=%.12s refused: every shellinabox "
		    "share slot for a %s client is taken", id,
		    holder_mode_name(g->mode));
		return TG_ERR_FORBIDDEN;
	}
	len = ep_upstream(&auth->ep, ep, sizeof(ep)) == -1 ? -1 :
	    snprintf(up, sizeof(up), "http://%s%s/%s-s%d%.*s", ep,
	    req->cfg->url_prefix, id, g->slot, n, rest);
	return answer_url(resp, up, sizeof(up), len, auth);
}

/*
 * A client of a session's own ttyd (started with -a): as for the
 * gateway, the whole URI is authorize's, PREFIX/ID and the rest of the
 * path, with, for a shared client G, the query arg=MODE&arg=GRANT that
 * ttyd appends to "termgate-pty attach SOCKET". The client's own query
 * is dropped: ttyd would append its arg=s too, and an owner could claim
 * a grant's name for what it types.
 */
static enum tg_err
answer_rewritten(struct tg_req *req, struct tg_resp *resp,
    const struct sess_auth *auth, const char *id, struct share_grant *g)
{
	char ep[EP_TEXT_MAX + 1], up[1024], args[160];
	const char *rest;
	int len, n;

	if (uri_rest(req, id, &rest, &n) == -1)
		return TG_ERR_FORBIDDEN;
	grant_args(g, args, sizeof(args));
	len = ep_upstream(&auth->ep, ep, sizeof(ep)) == -1 ? -1 :
	    snprintf(up, sizeof(up), "http://%s%s/%s%.*s%s%s", ep,
	    req->cfg->url_prefix, id, n, rest, args[0] ? "?" : "",
	    args[0] ? args + 1 : "");
	return answer_url(resp, up, sizeof(up), len, auth);
}

/*
 * A session of this node: through the gateway, or to its own backend;
 * G is a shared client's grant, NULL for the owner. A shared client's
 * mode goes the way of what the supervisor started (the row's backend,
 * not this configuration, which may name another), and nowhere when
 * that is not known.
 */
static enum tg_err
answer_local(struct tg_req *req, struct tg_resp *resp,
    const struct sess_auth *auth, const char *id, struct share_grant *g)
{
	/* the owner's only may be guessed from the configuration */
	int ttyd = auth->backend[0] ? strcmp(auth->backend, "ttyd") == 0 :
	    req->cfg->backend == TG_BACKEND_TTYD;

	if (g != NULL && auth->backend[0] == '\0') {
		log_info("authorize session=%.12s share refused: its terminal "
		    "was started before its backend was noted", id);
		return TG_ERR_FORBIDDEN;
	}
	if (g != NULL && !ttyd)
		return answer_slot(req, resp, auth, id, g);
	if (req->cfg->terminal_gateway && auth->ep.kind == EP_UNIX)
		return answer_gateway(req, resp, id, g);
	/* (the owner of a ttyd too: its URI without its own arg=s) */
	if (ttyd)
		return answer_rewritten(req, resp, auth, id, g);
	return answer_upstream(resp, auth);
}

/*
 * A session of another node: nginx proxies to that node's internal
 * terminal listener (nginx/termgate-node.conf) at the address hop_route
 * chooses, over TLS that checks the certificate names the node when
 * node_tls is on, with a credential for this one request of this
 * session on that node, valid node_auth_ttl seconds by the database's
 * clock (nodeauth.c); that node's authorize (api_node_authorize) names
 * the terminal. The backend credential is that node's to give. GRANT is
 * a shared client's grant, checked here, that the credential carries
 * (NULL: the owner's request): that node gives the terminal its mode.
 */
static enum tg_err
answer_hop(const struct tg_cfg *cfg, struct tg_resp *resp,
    const struct sess_auth *auth, const char *id, const char *grant)
{
	char url[HOP_URL_MAX], cred[NODEAUTH_MAX];
	const char *note = NULL, *why = "no node_secret_file here";
	enum tg_err err = TG_ERR_INTERNAL;

	if (!nodeauth_loaded() || hop_route(cfg, auth->node,
	    auth->node_address, url, sizeof(url), &note, &why) == -1) {
		log_warn("authorize session=%.12s node=%s refused: %s", id,
		    auth->node, why);
		return TG_ERR_FORBIDDEN;
	}
	if (note != NULL)
		log_warn("authorize session=%.12s node=%s row=%s hop=%s: %s",
		    id, auth->node, auth->node_address, url, note);
	if (nodeauth_mint(auth->node, id, grant, auth->db_now +
	    cfg->node_auth_ttl, cred, sizeof(cred)) == 0 &&
	    http_header(resp, "X-Termgate-Upstream", url) == 0 &&
	    http_header(resp, "X-Termgate-Node", auth->node) == 0 &&
	    http_header(resp, NODEAUTH_HEADER, cred) == 0) {
		resp->status = 204;
		err = TG_OK;
	}
	explicit_bzero(cred, sizeof(cred));
	return err;
}

/*
 * A shared client's authorize: the grant cookie of a redeemed link or an
 * admin's watch (share_authorize: its secret checked in constant time,
 * REMOTE_USER its user, its share neither revoked nor expired), for an
 * active session: of this node, the mode travels in the URI this node
 * writes; of another, the hop's credential carries the grant, and that
 * node's node-authorize writes the URI.
 */
static enum tg_err
authorize_grant(struct tg_req *req, struct tg_resp *resp, const char *id,
    const char *cookie)
{
	struct share_grant g;
	struct sess_auth auth;
	const char *why;
	enum tg_err err;
	int rv;

	if ((rv = share_authorize(req->db, cookie, req->user, id, &g,
	    &why)) == -1)
		return TG_ERR_DATABASE;
	if (rv != SHARE_OK) {
		log_info("authorize session=%.12s share refused: %s", id, why);
		return TG_ERR_FORBIDDEN;
	}
	memset(&auth, 0, sizeof(auth));
	if ((rv = sess_authorize_hop(req->db, id, NULL, &auth)) == -1)
		return TG_ERR_DATABASE;
	if (rv != SESS_AUTH_OK) {
		log_info("authorize session=%.12s share refused: the session "
		    "is not active (result=%d)", id, rv);
		return TG_ERR_FORBIDDEN;
	}
	if (strcmp(auth.node, req->cfg->node) != 0)
		err = answer_hop(req->cfg, resp, &auth, id, g.grant);
	else
		err = answer_local(req, resp, &auth, id, &g);
	explicit_bzero(&auth, sizeof(auth));
	return err;
}

enum tg_err
api_authorize(struct tg_req *req, struct tg_resp *resp)
{
	char id[TOK_ID_LEN + 1], token[TOKEN_MAX];
	struct sess_auth auth;
	enum tg_err err;
	int rv;

	if (http_cookie(req->cookie, "termgate_token", token,
	    sizeof(token)) != 0 || token[0] == '\0') {
		if (http_cookie(req->cookie, "termgate_share", token,
		    sizeof(token)) != 0 || token[0] == '\0')
			return TG_ERR_UNAUTHENTICATED;
		if (http_terminal_id(req->orig_uri, req->cfg->url_prefix,
		    id) == -1)
			return TG_ERR_FORBIDDEN;
		err = authorize_grant(req, resp, id, token);
		explicit_bzero(token, sizeof(token));
		return err;
	}
	if (http_terminal_id(req->orig_uri, req->cfg->url_prefix, id) == -1)
		return TG_ERR_FORBIDDEN;
	memset(&auth, 0, sizeof(auth));
	/* route.c refused a user that is present but not valid. */
	rv = sess_authorize(req->db, id, token, req->user, &auth);
	explicit_bzero(token, sizeof(token));
	if (rv == -1)
		return TG_ERR_DATABASE;
	if (rv != SESS_AUTH_OK) {
		log_info("authorize session=%.12s refused result=%d", id, rv);
		return TG_ERR_FORBIDDEN;
	}
	if (strcmp(auth.node, req->cfg->node) != 0)
		err = answer_hop(req->cfg, resp, &auth, id, NULL);
	else
		err = answer_local(req, resp, &auth, id, NULL);
	explicit_bzero(&auth, sizeof(auth));
	return err;
}


/* What node_hop_nonce's refusal means, for the log. */
static const char *
nonce_why(const char *why)
{
	if (strcmp(why, "replayed") == 0)
		return "its nonce was used before (a replay)";
	if (strcmp(why, "expired") == 0)
		return "it has expired";
	return "it expires further ahead than node_auth_ttl";
}

/*
 * A shared client's grant G that another node checked and put in the
 * hop's credential: still a grant of session ID whose share holds (it
 * may have been revoked since), and its mode and slot from here.
 */
static int
hop_grant(struct tg_req *req, const char *id, const char *grant,
    struct share_grant *g)
{
	const char *why;
	int rv;

	if ((rv = share_grant_live(req->db, grant, id, g, &why)) == -1)
		return -1;
	if (rv != SHARE_OK) {
		log_info("node-authorize session=%.12s share refused: %s", id,
		    why);
		return 1;
	}
	return 0;
}

/*
 * Another node's nginx asks for a terminal of this node: only with a
 * credential made for this node and the session of the request URI
 * (NODEAUTH_HEADER, its MAC compared in constant time), not expired by
 * the database's clock and never used before (node_hop_nonce), and only
 * for a session of this node that is active. The user's token was
 * checked by the node the user reached; here it is not enough alone.
 * A shared client's credential names its grant, whose mode this node
 * gives the terminal while its share holds (hop_grant).
 */
enum tg_err
api_node_authorize(struct tg_req *req, struct tg_resp *resp)
{
	char id[TOK_ID_LEN + 1];
	struct nodeauth_cred cred;
	struct share_grant g;
	struct sess_auth auth;
	enum nodeauth_result r;
	const char *why = NULL;
	enum tg_err err;
	int rv;

	if (http_terminal_id(req->orig_uri, req->cfg->url_prefix, id) == -1)
		return TG_ERR_FORBIDDEN;
	if ((r = nodeauth_check(req->node_auth, req->cfg->node, id,
	    &cred)) != NODEAUTH_OK) {
		log_warn("node-authorize session=%.12s refused: %s", id,
		    nodeauth_why(r));
		return TG_ERR_FORBIDDEN;
	}
	if ((rv = node_hop_nonce(req->db, cred.nonce, cred.expires,
	    req->cfg->node_auth_ttl, &why)) == -1)
		return TG_ERR_DATABASE;
	if (rv == 1) {
		log_warn("node-authorize session=%.12s refused: a node "
		    "credential whose MAC is right, but %s", id,
		    nonce_why(why));
		return TG_ERR_FORBIDDEN;
	}
	memset(&auth, 0, sizeof(auth));
	if ((rv = sess_authorize_hop(req->db, id, req->cfg->node, &auth)) ==
	    -1)
		return TG_ERR_DATABASE;
	if (rv != SESS_AUTH_OK) {
		log_info("node-authorize session=%.12s refused result=%d", id,
		    rv);
		return TG_ERR_FORBIDDEN;
	}
	if (cred.grant[0] != '\0' &&
	    (rv = hop_grant(req, id, cred.grant, &g)) != 0)
		return rv == -1 ? TG_ERR_DATABASE : TG_ERR_FORBIDDEN;
	err = answer_local(req, resp, &auth, id, cred.grant[0] ? &g : NULL);
	explicit_bzero(&auth, sizeof(auth));
	return err;
}
