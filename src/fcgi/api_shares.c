/*
 * api_shares.c - share links and an admin's watch (doc/api.md, "Shares"
 * and "Admin"): a session's owner makes, lists and revokes links; any
 * user redeems one for a cookie of their own; an admin watches or joins
 * any live session. The rules are in SQL (share.c, sql/defs/shares.sql);
 * a handler checks its input, makes one repository call and shapes the
 * answer. The terminal is then reached as the owner reaches it, through
 * nginx and authorize (api_sessions.c), which reads the cookie set here
 * and tells the holder the mode: never the page.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "cfg.h"
#include "jsonx.h"
#include "log.h"
#include "sess.h"
#include "share.h"
#include "valid.h"

#define SHARE_USERS_MAX	100
#define SHARE_COOKIE	"termgate_share"

/* The mode member of BODY (default "view") into *MODE; 0 or -1. */
static int
body_mode(json_object *body, const char **mode)
{
	*mode = "view";
	if (jsonx_get_str(body, "mode", mode) == -1)
		return -1;
	return holder_mode(*mode) == -1 ? -1 : 0;
}

/* The users member of BODY: *OUT a JSON array text (owned by BODY) of
 * 1-100 valid names, or NULL when absent or null; 0 or -1. */
static int
body_users(json_object *body, const char **out)
{
	json_object *arr, *u;
	size_t i, n;

	*out = NULL;
	if (!json_object_object_get_ex(body, "users", &arr) || arr == NULL)
		return 0;
	if (!json_object_is_type(arr, json_type_array) ||
	    (n = json_object_array_length(arr)) < 1 || n > SHARE_USERS_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		u = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(u, json_type_string) ||
		    !valid_username(json_object_get_string(u)))
			return -1;
	}
	*out = jsonx_str(arr);
	return 0;
}

/* Reads a link's fields from BODY into R; TG_OK or a 400. */
static enum tg_err
parse_share(struct tg_req *req, json_object *body, struct share_req *r)
{
	int max = req->cfg->share_max_ttl;

	r->ttl = req->cfg->share_default_ttl < max ?
	    req->cfg->share_default_ttl : max;
	if (body_mode(body, &r->mode) == -1)
		return req->err_field = "mode", TG_ERR_INVALID_FIELD;
	if (jsonx_get_int(body, "ttl_seconds", &r->ttl) == -1 ||
	    r->ttl < 1 || r->ttl > max) {
		snprintf(req->err_why, sizeof(req->err_why), "an integer of "
		    "seconds, 1 to share_max_ttl (%d)", max);
		return req->err_field = "ttl_seconds", TG_ERR_INVALID_FIELD;
	}
	if (body_users(body, &r->users) == -1) {
		snprintf(req->err_why, sizeof(req->err_why), "null, or an "
		    "array of 1 to %d user names", SHARE_USERS_MAX);
		return req->err_field = "users", TG_ERR_INVALID_FIELD;
	}
	return TG_OK;
}

/* The error of a share_create or share_redeem result RV (not OK). */
static enum tg_err
share_error(struct tg_req *req, int rv)
{
	static const char *const why[] = {
		[SHARE_OLD] = "this terminal was started before sharing "
		    "existed; open it again to share it",
		[SHARE_REVOKED] = "this share was revoked",
		[SHARE_EXPIRED] = "this share has expired",
		[SHARE_FORBIDDEN] = "this share is for other users",
	};

	if (rv >= 0 && (size_t)rv < sizeof(why) / sizeof(why[0]) &&
	    why[rv] != NULL)
		strlcpy(req->err_why, why[rv], sizeof(req->err_why));
	switch (rv) {
	case SHARE_NOT_FOUND:
		return TG_ERR_NOT_FOUND;
	case SHARE_ENDED:
	case SHARE_OLD:
		return TG_ERR_SESSION_ENDED;
	case SHARE_REVOKED:
	case SHARE_EXPIRED:
	case SHARE_FORBIDDEN:
		return TG_ERR_FORBIDDEN;
	default:
		return TG_ERR_DATABASE;
	}
}

/* The terminal's URL of session ID into BUF. */
static void
term_url(const struct tg_req *req, const char *id, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s/", req->cfg->url_prefix, id);
}

/* Sets the grant cookie TOKEN for session ID's terminal; 0 or -1. */
static int
set_cookie(struct tg_req *req, struct tg_resp *resp, const char *id,
    const char *token)
{
	char cookie[512];
	int rv;

	snprintf(cookie, sizeof(cookie), SHARE_COOKIE "=%s; Path=%s/%s/; "
	    "HttpOnly; SameSite=Strict%s", token, req->cfg->url_prefix, id,
	    req->cfg->cookie_secure ? "; Secure" : "");
	rv = http_header(resp, "Set-Cookie", cookie);
	explicit_bzero(cookie, sizeof(cookie));
	return rv;
}

static void
add_str(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v));
}

enum tg_err
api_share_create(struct tg_req *req, struct tg_resp *resp)
{
	struct share_req r = { .session_id = req->id, .owner = req->user,
	    .kind = "link", .by = req->user };
	struct share_made m;
	json_object *body = NULL;
	char link[SHARE_TOKEN_LEN + 16];
	enum tg_err err;
	int rv;

	memset(&m, 0, sizeof(m));
	if ((err = http_body_json(req, &body)) != TG_OK ||
	    (err = parse_share(req, body, &r)) != TG_OK)
		goto done;
	if ((rv = share_create(req->db, &r, &m)) != SHARE_OK) {
		err = share_error(req, rv);
		goto done;
	}
	log_info("share session=%.12s user=%s mode=%s ttl=%d%s", req->id,
	    req->user, r.mode, r.ttl, r.users ? " users=named" : "");
	snprintf(link, sizeof(link), "/#share=%s", m.token);
	add_str(m.share, "token", m.token);
	add_str(m.share, "link", link);
	explicit_bzero(link, sizeof(link));
	resp->status = 201;
	resp->json = m.share;
	m.share = NULL;
done:
	share_made_clear(&m);
	json_object_put(body);
	return err;
}

enum tg_err
api_share_list(struct tg_req *req, struct tg_resp *resp)
{
	json_object *arr = NULL, *o;
	int rv;

	if ((rv = share_list(req->db, req->id, req->user, &arr)) != 0)
		return rv == 1 ? TG_ERR_NOT_FOUND : TG_ERR_DATABASE;
	o = json_object_new_object();
	json_object_object_add(o, "shares", arr);
	resp->status = 200;
	resp->json = o;
	return TG_OK;
}

/* Ends share req->sub of KIND on session req->id (of OWNER). */
static enum tg_err
revoke(struct tg_req *req, struct tg_resp *resp, const char *owner,
    const char *kind)
{
	json_object *s = NULL;
	int rv;

	rv = share_revoke(req->db, req->id, owner, req->sub, kind, req->user,
	    &s);
	if (rv != 0)
		return rv == 1 ? TG_ERR_NOT_FOUND : TG_ERR_DATABASE;
	log_info("%s session=%.12s share=%.12s ended by=%s", kind, req->id,
	    req->sub, req->user);
	resp->status = 200;
	resp->json = s;
	return TG_OK;
}

enum tg_err
api_share_revoke(struct tg_req *req, struct tg_resp *resp)
{
	return revoke(req, resp, req->user, "link");
}

/* Copies member KEY of FROM into TO as NAME. */
static void
copy_member(json_object *to, const char *name, json_object *from,
    const char *key)
{
	json_object_object_add(to, name, json_object_get(
	    json_object_object_get(from, key)));
}

/* The answer to a redeem: the share, the terminal's URL and what the
 * viewer's tab says (its host, its owner), the cookie. */
static enum tg_err
answer_redeem(struct tg_req *req, struct tg_resp *resp, json_object *s,
    const struct share_grant *g, const char *cookie)
{
	json_object *sess = NULL;
	char url[256];
	int rv;

	if ((rv = sess_get(req->db, g->session_id, NULL, &sess)) != 0) {
		json_object_put(s);
		return rv == 1 ? TG_ERR_SESSION_ENDED : TG_ERR_DATABASE;
	}
	copy_member(s, "host_id", sess, "host_id");
	copy_member(s, "host_name", sess, "host_name");
	copy_member(s, "owner", sess, "username");
	json_object_put(sess);
	term_url(req, g->session_id, url, sizeof(url));
	if (set_cookie(req, resp, g->session_id, cookie) == -1) {
		json_object_put(s);
		return TG_ERR_INTERNAL;
	}
	add_str(s, "url", url);
	resp->status = 200;
	resp->json = s;
	return TG_OK;
}

enum tg_err
api_share_redeem(struct tg_req *req, struct tg_resp *resp)
{
	char cookie[SHARE_TOKEN_LEN + 1];
	struct share_grant g;
	json_object *body = NULL, *s = NULL;
	const char *token;
	enum tg_err err;
	int rv;

	if ((err = http_body_json(req, &body)) != TG_OK)
		goto done;
	if (jsonx_get_str(body, "token", &token) != 0 ||
	    strlen(token) != SHARE_TOKEN_LEN) {
		err = (req->err_field = "token", TG_ERR_INVALID_FIELD);
		goto done;
	}
	rv = share_redeem(req->db, token, req->user, &s, &g, cookie);
	log_info("share redeemed user=%s result=%d", req->user, rv);
	if (rv != SHARE_OK)
		err = share_error(req, rv);
	else
		err = answer_redeem(req, resp, s, &g, cookie);
done:
	explicit_bzero(cookie, sizeof(cookie));
	json_object_put(body);
	return err;
}

/* Admins only (route.c, R_ADMIN): a watch ("view") or a join
 * ("control") of any live session, for share_max_ttl at most. */
enum tg_err
api_watch_start(struct tg_req *req, struct tg_resp *resp)
{
	struct share_req r = { .session_id = req->id, .kind = "watch",
	    .by = req->user, .ttl = req->cfg->share_max_ttl };
	struct share_made m;
	json_object *body = NULL, *o;
	char url[256];
	enum tg_err err;
	int rv;

	memset(&m, 0, sizeof(m));
	if ((err = http_body_json(req, &body)) != TG_OK)
		goto done;
	if (body_mode(body, &r.mode) == -1) {
		err = (req->err_field = "mode", TG_ERR_INVALID_FIELD);
		goto done;
	}
	if ((rv = share_create(req->db, &r, &m)) != SHARE_OK) {
		err = rv == SHARE_ENDED ? TG_ERR_NOT_FOUND :
		    share_error(req, rv);
		goto done;
	}
	log_info("watch session=%.12s admin=%s mode=%s", req->id, req->user,
	    r.mode);
	if (set_cookie(req, resp, req->id, m.token) == -1) {
		err = TG_ERR_INTERNAL;
		goto done;
	}
	term_url(req, req->id, url, sizeof(url));
	o = json_object_new_object();
	add_str(o, "url", url);
	add_str(o, "mode", r.mode);
	copy_member(o, "share_id", m.share, "share_id");
	copy_member(o, "expires_at", m.share, "expires_at");
	resp->status = 200;
	resp->json = o;
done:
	share_made_clear(&m);
	json_object_put(body);
	return err;
}

enum tg_err
api_watch_end(struct tg_req *req, struct tg_resp *resp)
{
	return revoke(req, resp, NULL, "watch");
}
