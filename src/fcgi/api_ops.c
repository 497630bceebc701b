/*
 * api_ops.c - the operational endpoints of doc/api.md: hosts, metrics (JSON
 * and Prometheus text), health, and the admin session list.
 *
 * Counters come from the database (sess_metrics), so every worker answers
 * the same and restarts lose nothing; /metrics adds the database's other
 * figures (metrics.c) and the workers' shared request figures
 * (stats.c). Health asks PostgreSQL whether the node's supervisor holds
 * its advisory lock and has written its heartbeat lately; either missing
 * makes the answer 503 "degraded".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "cfg.h"
#include "config.h"
#include "hosts.h"
#include "jsonx.h"
#include "metrics.h"
#include "node.h"
#include "prom.h"
#include "secret.h"
#include "sess.h"
#include "stats.h"
#include "users.h"
#include "valid.h"

#define ADMIN_LIMIT_MAX	1000
#define ADMIN_LIMIT_DEF	100

/* The hosts the caller may open: all of them for an admin. */
enum tg_err
api_hosts(struct tg_req *req, struct tg_resp *resp)
{
	json_object *arr = NULL, *o;

	if (hosts_visible(req->db, req->user, cfg_is_admin(req->cfg,
	    req->user), &arr) == -1)
		return TG_ERR_DATABASE;
	o = json_object_new_object();
	json_object_object_add(o, "hosts", arr);
	resp->status = 200;
	resp->json = o;
	return TG_OK;
}

enum tg_err
api_metrics(struct tg_req *req, struct tg_resp *resp)
{
	json_object *m = NULL;

	if (sess_metrics(req->db, &m) == -1)
		return TG_ERR_DATABASE;
	resp->status = 200;
	resp->json = m;
	return TG_OK;
}

static const struct {
	const char	*key;
	const char	*name;
	const char	*type;
	const char	*help;
} counters[] = {
	{ "sessions_created", "termgate_sessions_created_total", "counter",
	    "Sessions created." },
	{ "sessions_reused", "termgate_sessions_reused_total", "counter",
	    "Open requests answered with an existing session." },
	{ "session_limit_hits", "termgate_session_limit_hits_total",
	    "counter", "Open requests refused at the session limit." },
	{ "active_processes", "termgate_active_processes", "gauge",
	    "Sessions with a running terminal." },
	{ "gc_running", "termgate_gc_running", "gauge",
	    "1 while a collector run is in progress." },
	{ "gc_runs", "termgate_gc_runs_total", "counter",
	    "Collector runs." },
	{ "sessions_expired_ttl", "termgate_sessions_expired_ttl_total",
	    "counter", "Sessions expired at their TTL." },
	{ "sessions_expired_idle", "termgate_sessions_expired_idle_total",
	    "counter", "Sessions expired for want of heartbeats." },
	{ "sessions_client_lost", "termgate_sessions_client_lost_total",
	    "counter", "Sessions closed after a beacon." },
	{ "spawn_failures", "termgate_spawn_failures_total", "counter",
	    "Terminals that failed to start." },
	{ "sessions_closed", "termgate_sessions_closed_total", "counter",
	    "Sessions closed by a user or an admin." },
	{ "processes_exited", "termgate_processes_exited_total", "counter",
	    "Terminal processes that exited by themselves." },
};

/* Appends the cumulative counters and their gauges; 0, or -1 (db). */
static int
prom_counters(struct tg_req *req, struct prom *p)
{
	json_object *m = NULL, *v;
	size_t i;

	if (sess_metrics(req->db, &m) == -1)
		return -1;
	for (i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		if (!json_object_object_get_ex(m, counters[i].key, &v))
			continue;
		prom_family(p, counters[i].name, counters[i].type,
		    counters[i].help);
		prom_int(p, counters[i].name, "", json_object_get_int64(v));
	}
	json_object_put(m);
	return 0;
}

/*
 * Every family, in the Prometheus text format. The database's figures
 * (counters, sessions, supervisors, the open and spawn histograms) go
 * with it: while it is unreachable the answer is still 200, with
 * termgate_database_up 0 and what the workers themselves keep (request
 * latency, database errors), so that an alert can tell "termgate is
 * down" from "its database is".
 */
#define METRICS_TOKEN_MIN	32	/* characters of the token at least */

/* The token of metrics_token_file; empty: none asked for. */
static struct secret metrics_token;

int
api_prometheus_token(const char *path, char *err, size_t errlen)
{
	return secret_load(&metrics_token, "metrics_token_file", path,
	    METRICS_TOKEN_MIN, err, errlen);
}

/*
 * Whether the request may read /metrics: nginx lets only loopback
 * addresses in, which behind a local TLS terminator or proxy is every
 * request; with metrics_token_file set, the scraper must also show
 * "Authorization: Bearer TOKEN" (Prometheus's authorization block).
 */
static int
metrics_allowed(const struct tg_req *req)
{
	static const char bearer[] = "Bearer ";

	if (metrics_token.value[0] == '\0')
		return 1;
	return req->authorization != NULL && strncasecmp(req->authorization,
	    bearer, sizeof(bearer) - 1) == 0 && secret_check(&metrics_token,
	    req->authorization + sizeof(bearer) - 1);
}

enum tg_err
api_prometheus(struct tg_req *req, struct tg_resp *resp)
{
	struct prom *p;
	char lab[64];
	int up;

	if (!metrics_allowed(req)) {
		(void)http_header(resp, "WWW-Authenticate",
		    "Bearer realm=\"termgate metrics\"");
		return TG_ERR_UNAUTHENTICATED;
	}
	if ((p = prom_new()) == NULL)
		return TG_ERR_INTERNAL;
	up = prom_counters(req, p) == 0 &&
	    metrics_sessions(req->db, p) == 0 &&
	    metrics_nodes(req->db, node_alive_age(req->cfg), p) == 0 &&
	    metrics_latency(req->db, p) == 0;
	prom_family(p, "termgate_database_up", "gauge",
	    "1 when this scrape read the database.");
	prom_int(p, "termgate_database_up", "", up);
	stats_render(p);
	prom_family(p, "termgate_build_info", "gauge",
	    "The running termgate-fcgi's version, in its label.");
	if (prom_labels(lab, sizeof(lab), "version", PACKAGE_VERSION,
	    NULL) == 0)
		prom_int(p, "termgate_build_info", lab, 1);
	if ((resp->text = prom_take(p)) == NULL)
		return TG_ERR_INTERNAL;
	resp->status = 200;
	resp->ctype = "text/plain; version=0.0.4; charset=utf-8";
	return TG_OK;
}

/* The supervisor part of health into *SUP; 1 alive, 0 not, -1 db. */
static int
supervisor_health(struct tg_req *req, json_object **sup)
{
	const struct tg_cfg *cfg = req->cfg;
	struct node_health h;

	if (node_health(req->db, cfg->node, node_alive_age(cfg), &h) == -1)
		return -1;
	*sup = json_object_new_object();
	json_object_object_add(*sup, "node",
	    json_object_new_string(cfg->node));
	json_object_object_add(*sup, "alive",
	    json_object_new_boolean(h.alive));
	json_object_object_add(*sup, "last_gc_at", h.last_gc_at[0] ?
	    json_object_new_string(h.last_gc_at) : NULL);
	json_object_object_add(*sup, "gc_running",
	    json_object_new_boolean(h.gc_running));
	return h.alive;
}

enum tg_err
api_health(struct tg_req *req, struct tg_resp *resp)
{
	json_object *o, *sup = NULL, *problems;
	int alive;

	o = json_object_new_object();
	problems = json_object_new_array();
	if ((alive = supervisor_health(req, &sup)) == -1)
		json_object_array_add(problems,
		    json_object_new_string("database unavailable"));
	else if (alive == 0)
		json_object_array_add(problems,
		    json_object_new_string("supervisor not running"));
	json_object_object_add(o, "status", json_object_new_string(
	    alive == 1 ? "ok" : "degraded"));
	json_object_object_add(o, "database", json_object_new_string(
	    alive == -1 ? "unavailable" : "ok"));
	json_object_object_add(o, "supervisor", sup);
	json_object_object_add(o, "version",
	    json_object_new_string(PACKAGE_VERSION));
	if (alive == 1)
		json_object_put(problems);
	else
		json_object_object_add(o, "problems", problems);
	resp->status = alive == 1 ? 200 : 503;
	resp->json = o;
	return TG_OK;
}

/* Reads the admin list filters of the query; TG_OK or INVALID_FIELD. */
static enum tg_err
admin_filters(struct tg_req *req, char *status, char *user, char *host,
    int *limit)
{
	static const char *const statuses[] = { SESS_STATUS_STARTING,
	    SESS_STATUS_ACTIVE, SESS_STATUS_CLOSED, SESS_STATUS_EXPIRED };
	char lim[16];
	const char *e;
	size_t i;
	int rv;

	if ((rv = http_query(req->query, "status", status, 16)) == -1)
		return req->err_field = "status", TG_ERR_INVALID_FIELD;
	for (i = 0; rv == 0 && status[0] != '\0' && i < 4; i++)
		if (strcmp(status, statuses[i]) == 0)
			break;
	if (rv == 0 && status[0] != '\0' && i == 4)
		return req->err_field = "status", TG_ERR_INVALID_FIELD;
	if ((rv = http_query(req->query, "user_id", user, 130)) == -1 ||
	    (rv == 0 && user[0] != '\0' && !valid_username(user)))
		return req->err_field = "user_id", TG_ERR_INVALID_FIELD;
	if ((rv = http_query(req->query, "host_id", host, 80)) == -1 ||
	    (rv == 0 && host[0] != '\0' && !valid_host_id(host)))
		return req->err_field = "host_id", TG_ERR_INVALID_FIELD;
	*limit = ADMIN_LIMIT_DEF;
	if ((rv = http_query(req->query, "limit", lim, sizeof(lim))) == 0 &&
	    lim[0] != '\0') {
		*limit = strtonum(lim, 1, ADMIN_LIMIT_MAX, &e);
		if (e != NULL)
			return req->err_field = "limit", TG_ERR_INVALID_FIELD;
	} else if (rv == -1)
		return req->err_field = "limit", TG_ERR_INVALID_FIELD;
	return TG_OK;
}

/* Admins only: the route says so (route.c, R_ADMIN). */
enum tg_err
api_admin_list(struct tg_req *req, struct tg_resp *resp)
{
	char status[16] = "", user[130] = "", host[80] = "";
	json_object *arr = NULL, *o;
	enum tg_err err;
	int limit;

	if ((err = admin_filters(req, status, user, host, &limit)) != TG_OK)
		return err;
	if (sess_admin_list(req->db, status[0] ? status : NULL,
	    user[0] ? user : NULL, host[0] ? host : NULL, limit, &arr) == -1)
		return TG_ERR_DATABASE;
	o = json_object_new_object();
	json_object_object_add(o, "sessions", arr);
	resp->status = 200;
	resp->json = o;
	return TG_OK;
}
