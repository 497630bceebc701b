/*
 * sess.c - the session repository.
 *
 * The rules of the lifecycle live in PostgreSQL (sql/defs/):
 * the user row lock that makes limits and reuse exact, the triggers that
 * record events and notify the supervisor, the immutability of ended rows.
 * This module calls them through the prepared statements of stmt.c, turns
 * results into json-c objects, and does the one thing SQL must not: mint
 * ids and tokens and check tokens in constant time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "db_pq.h"
#include "jsonx.h"
#include "sess.h"
#include "tok.h"
#include "valid.h"

/* Runs ID; 0 with *OUT = the JSON of row 0 column COL, 1 if none, -1. */
static int
one_json(struct tg_db *db, enum stmt_id id, const char *const *params,
    int col, json_object **out)
{
	PGresult *res;
	const char *v;
	int rv = 1;

	if ((res = db_exec(db, id, params)) == NULL)
		return -1;
	if (PQntuples(res) > 0 && !PQgetisnull(res, 0, col)) {
		v = PQgetvalue(res, 0, col);
		*out = jsonx_parse(v, strlen(v));
		rv = *out == NULL ? -1 : 0;
	}
	PQclear(res);
	return rv;
}

/* Runs ID; 0 with *OUT = an array of the JSON in column 0, or -1. */
static int
json_rows(struct tg_db *db, enum stmt_id id, const char *const *params,
    json_object **out)
{
	PGresult *res;
	json_object *arr, *o;
	const char *v;
	int i;

	if ((res = db_exec(db, id, params)) == NULL)
		return -1;
	arr = json_object_new_array();
	for (i = 0; i < PQntuples(res); i++) {
		v = PQgetvalue(res, i, 0);
		if ((o = jsonx_parse(v, strlen(v))) != NULL)
			json_object_array_add(arr, o);
	}
	PQclear(res);
	*out = arr;
	return 0;
}

static const struct {
	const char		*name;
	enum sess_outcome	 outcome;
} outcomes[] = {
	{ "created", SESS_CREATED }, { "reused", SESS_REUSED },
	{ "pending", SESS_PENDING }, { "limit", SESS_LIMIT },
	{ "unknown_host", SESS_UNKNOWN_HOST }, { "no_port", SESS_NO_PORT },
	{ "no_capacity", SESS_NO_CAPACITY },
};

static int
parse_outcome(const char *s, enum sess_outcome *out)
{
	size_t i;

	for (i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		if (strcmp(s, outcomes[i].name) == 0) {
			*out = outcomes[i].outcome;
			return 0;
		}
	return -1;
}

int
sess_open(struct tg_db *db, const struct tg_cfg *cfg,
    const struct sess_open_req *req, struct sess_opened *out)
{
	char id[TOK_ID_LEN + 1], hash[TOK_HASH_LEN + 1];
	char cred[TOK_LEN + 16], lim[16], idle[16], ttl[16], lost[16];
	const char *params[16];
	const char *why = NULL;
	PGresult *res;
	int rv = -1;

	memset(out, 0, sizeof(*out));
	tok_session_id(id);
	tok_new(out->token);
	tok_hash(out->token, hash);
	tok_new(cred + 9);
	memcpy(cred, "termgate:", 9);
	params[0] = req->user;
	params[1] = req->host_id;
	params[2] = req->mode;
	params[3] = req->reuse ? "t" : "f";
	params[4] = req->close_oldest ? "t" : "f";
	params[5] = id;
	params[6] = hash;
	params[7] = cfg->node;
	params[8] = cfg->terminal_listen == TG_LISTEN_TCP ? "tcp" : "unix";
	params[9] = cfg->socket_dir;
	params[10] = DB_ITOA(lim, cfg->max_sessions_per_user);
	params[11] = DB_ITOA(idle, cfg->idle_timeout);
	params[12] = DB_ITOA(ttl, cfg->session_ttl);
	params[13] = cred;
	params[14] = cfg_is_admin(cfg, req->user) ? "t" : "f";
	params[15] = DB_ITOA(lost, cfg->node_lost_after);
	if ((res = db_exec(db, STMT_OPEN, params)) == NULL)
		return -1;
	if (PQntuples(res) != 1 ||
	    parse_outcome(PQgetvalue(res, 0, 0), &out->outcome) == -1)
		goto done;
	out->session = db_json(res, 1);
	out->limit = db_json(res, 2);
	if (out->outcome == SESS_UNKNOWN_HOST) {
		/* Not a 429 body: why the host is "unknown", for the log. */
		out->forbidden = jsonx_get_str(out->limit, "reason",
		    &why) == 0 && strcmp(why, "forbidden") == 0;
		json_object_put(out->limit);
		out->limit = NULL;
	}
	rv = 0;
done:
	PQclear(res);
	explicit_bzero(cred, sizeof(cred));
	if (rv == -1)
		sess_opened_clear(out);
	return rv;
}

void
sess_opened_clear(struct sess_opened *o)
{
	json_object_put(o->session);
	json_object_put(o->limit);
	o->session = o->limit = NULL;
	explicit_bzero(o->token, sizeof(o->token));
}

int
sess_get(struct tg_db *db, const char *id, const char *user,
    json_object **out)
{
	const char *params[] = { id, user };

	return one_json(db, STMT_GET, params, 0, out);
}

int
sess_close(struct tg_db *db, const char *id, const char *reason,
    const char *user, json_object **out)
{
	const char *params[] = { id, reason, user };
	json_object *o = NULL;
	int rv;

	rv = one_json(db, STMT_END, params, 0, out != NULL ? out : &o);
	json_object_put(o);
	return rv;
}

int
sess_admin_close(struct tg_db *db, const char *id, const char *by,
    const char *note, json_object **out)
{
	const char *params[] = { id, by, note };

	return one_json(db, STMT_ADMIN_END, params, 0, out);
}

int
sess_update_last_seen(struct tg_db *db, const char *id, const char *user,
    struct sess_beat *out)
{
	const char *params[] = { id, user };
	PGresult *res;
	int rv = 1;

	if ((res = db_exec(db, STMT_HEARTBEAT, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		strlcpy(out->status, PQgetvalue(res, 0, 0),
		    sizeof(out->status));
		strlcpy(out->last_seen_at, PQgetvalue(res, 0, 1),
		    sizeof(out->last_seen_at));
		out->remaining = atoi(PQgetvalue(res, 0, 2));
		strlcpy(out->reason_closed, PQgetvalue(res, 0, 3),
		    sizeof(out->reason_closed));
		rv = 0;
	}
	PQclear(res);
	return rv;
}

int
sess_list_user(struct tg_db *db, const char *user, json_object **out)
{
	const char *params[] = { user };

	return json_rows(db, STMT_LIST_USER, params, out);
}

int
sess_admin_list(struct tg_db *db, const char *status, const char *user,
    const char *host_id, int limit, json_object **out)
{
	char lim[16];
	const char *params[] = { status, user, host_id, DB_ITOA(lim, limit) };

	return json_rows(db, STMT_ADMIN_LIST, params, out);
}

/* Reads the token hash of ID; 0, 1 if no such session, -1. */
static int
lookup(struct tg_db *db, const char *id, PGresult **out)
{
	const char *params[] = { id };

	if ((*out = db_exec(db, STMT_AUTH_LOOKUP, params)) == NULL)
		return -1;
	if (PQntuples(*out) == 1)
		return 0;
	PQclear(*out);
	*out = NULL;
	return 1;
}

int
sess_beacon(struct tg_db *db, const struct tg_cfg *cfg, const char *id,
    const char *token)
{
	char grace[16];
	const char *params[] = { id, DB_ITOA(grace, cfg->beacon_grace) };
	PGresult *res;
	int rv, ok;

	if ((rv = lookup(db, id, &res)) != 0)
		return rv;
	ok = tok_verify(token, PQgetvalue(res, 0, 0));
	PQclear(res);
	if (!ok)
		return 2;
	if ((res = db_exec(db, STMT_BEACON, params)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* The terminal of looked-up row RES into OUT: SESS_AUTH_OK, or
 * SESS_AUTH_NOT_ACTIVE when it has none we could reach. */
static int
auth_fill(PGresult *res, struct sess_auth *out)
{
	if (strcmp(PQgetvalue(res, 0, 1), "active") != 0 ||
	    ep_parse(&out->ep, PQgetvalue(res, 0, 2)) == -1)
		return SESS_AUTH_NOT_ACTIVE;
	strlcpy(out->backend_auth, PQgetvalue(res, 0, 4),
	    sizeof(out->backend_auth));
	strlcpy(out->node, PQgetvalue(res, 0, 5), sizeof(out->node));
	strlcpy(out->node_address, PQgetvalue(res, 0, 6),
	    sizeof(out->node_address));
	out->db_now = strtoll(PQgetvalue(res, 0, 7), NULL, 10);
	strlcpy(out->backend, PQgetvalue(res, 0, 8), sizeof(out->backend));
	return SESS_AUTH_OK;
}

int
sess_authorize(struct tg_db *db, const char *id, const char *token,
    const char *user, struct sess_auth *out)
{
	PGresult *res;
	int rv;

	if ((rv = lookup(db, id, &res)) == -1)
		return -1;
	if (rv == 1)
		return SESS_AUTH_NOT_FOUND;
	if (!tok_verify(token, PQgetvalue(res, 0, 0)) ||
	    (user != NULL && strcmp(user, PQgetvalue(res, 0, 3)) != 0))
		rv = SESS_AUTH_BAD_TOKEN;
	else
		rv = auth_fill(res, out);
	PQclear(res);
	return rv;
}

int
sess_authorize_hop(struct tg_db *db, const char *id, const char *node,
    struct sess_auth *out)
{
	PGresult *res;
	int rv;

	if ((rv = lookup(db, id, &res)) == -1)
		return -1;
	if (rv == 1)
		return SESS_AUTH_NOT_FOUND;
	if (node != NULL && strcmp(PQgetvalue(res, 0, 5), node) != 0)
		rv = SESS_AUTH_NOT_FOUND;	/* not a terminal of ours */
	else
		rv = auth_fill(res, out);
	PQclear(res);
	return rv;
}

int
sess_mark_active_set(struct tg_db *db, const char *ids, const char *pids,
    sess_id_fn fn, void *arg)
{
	const char *params[] = { ids, pids };
	PGresult *res;
	int i;

	if ((res = db_exec(db, STMT_MARK_ACTIVE, params)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(res); i++)
		fn(arg, PQgetvalue(res, i, 0));
	PQclear(res);
	return 0;
}

static void
count_one(void *arg, const char *id)
{
	(void)id;
	++*(int *)arg;
}

int
sess_mark_active(struct tg_db *db, const char *id, long pid)
{
	char ids[TOK_ID_LEN + 3], pids[32];
	int n = 0;

	if (!valid_session_id(id))
		return 1;
	snprintf(ids, sizeof(ids), "{%s}", id);
	if (pid > 0)
		snprintf(pids, sizeof(pids), "{%ld}", pid);
	else
		strlcpy(pids, "{NULL}", sizeof(pids));
	if (sess_mark_active_set(db, ids, pids, count_one, &n) == -1)
		return -1;
	return n == 1 ? 0 : 1;
}

int
sess_release_port(struct tg_db *db, const char *id)
{
	const char *params[] = { id };

	return db_run(db, STMT_RELEASE_PORT, params);
}

/* Sessions one collection statement ends at most (contrib/bench/gc:
 * 10,000 due sessions in one statement held their locks for seconds). */
#define GC_BATCH	200

/* Runs a counting statement; the count, or -1. */
static int
count(struct tg_db *db, enum stmt_id id, const char *const *params)
{
	PGresult *res;
	int n;

	if ((res = db_exec(db, id, params)) == NULL)
		return -1;
	n = PQntuples(res) == 1 ? atoi(PQgetvalue(res, 0, 0)) : 0;
	PQclear(res);
	return n;
}

/* One retention batch (STMT_PURGE): the rows it deleted, or -1. */
static int
purge(struct tg_db *db, const struct tg_cfg *cfg)
{
	char hd[16], sd[16], b[16];
	const char *params[] = { DB_ITOA(hd, cfg->history_retention_days),
	    DB_ITOA(sd, cfg->session_retention_days),
	    DB_ITOA(b, cfg->history_purge_batch) };
	PGresult *res;
	int n = 0;

	if ((res = db_exec(db, STMT_PURGE, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1)
		n = atoi(PQgetvalue(res, 0, 0)) + atoi(PQgetvalue(res, 0, 1));
	PQclear(res);
	return n;
}

/*
 * Runs collection statement ID (its $2 the batch) until a batch ends
 * fewer than GC_BATCH sessions: each in its own transaction, so that no
 * row lock is held longer than one batch takes. The sessions ended, or -1.
 */
static int
gc_all(struct tg_db *db, enum stmt_id id, const char *const *params)
{
	int n, total = 0;

	do {
		if ((n = count(db, id, params)) == -1)
			return -1;
		total += n;
	} while (n >= GC_BATCH);
	return total;
}

int
sess_gc(struct tg_db *db, const struct tg_cfg *cfg, struct sess_gc_counts *c)
{
	char idle[16], grace[16], b[16];
	const char *node[] = { cfg->node, DB_ITOA(b, GC_BATCH) };
	const char *pidle[] = { cfg->node, b,
	    DB_ITOA(idle, cfg->idle_timeout) };
	const char *plost[] = { cfg->node, b,
	    DB_ITOA(grace, cfg->beacon_grace) };

	memset(c, 0, sizeof(*c));
	if ((c->ttl = gc_all(db, STMT_GC_TTL, node)) == -1 ||
	    (c->idle = gc_all(db, STMT_GC_IDLE, pidle)) == -1 ||
	    (c->client_lost = gc_all(db, STMT_GC_CLIENT_LOST, plost)) == -1 ||
	    (c->purged = purge(db, cfg)) == -1)
		return -1;
	return 0;
}

int
sess_metrics(struct tg_db *db, json_object **out)
{
	int rv = one_json(db, STMT_METRICS, NULL, 0, out);

	return rv == 0 ? 0 : -1;
}

int
sess_line(json_object *s, char *buf, size_t len)
{
	static const char *const keys[] = { "session_id", "username",
	    "host_id", "mode", "status", "reason_closed", "created_at",
	    "last_seen_at" };
	const char *v[8];
	json_object *o;
	size_t i;

	for (i = 0; i < 8; i++)
		v[i] = json_object_object_get_ex(s, keys[i], &o) && o != NULL ?
		    json_object_get_string(o) : "-";
	return snprintf(buf, len, "%.16s %s %s %s %s %s %s %s", v[0], v[1],
	    v[2], v[3], v[4], v[5], v[6], v[7]);
}

/* Column C of row I, or NULL when null or not selected. */
static const char *
col(PGresult *res, int i, int c)
{
	if (c >= PQnfields(res) || PQgetisnull(res, i, c))
		return NULL;
	return PQgetvalue(res, i, c);
}

/* A number column; 0 when null or out of [1, MAX]. */
static long
num(PGresult *res, int i, int c, long max)
{
	const char *v = col(res, i, c), *e;
	long n;

	if (v == NULL)
		return 0;
	n = strtonum(v, 1, max, &e);
	return e == NULL ? n : 0;
}

/* Runs ID and calls FN for each row (see STMT_SESS_STARTING for the
 * columns); the number of rows, or -1. */
static int
each(struct tg_db *db, enum stmt_id id, const char *const *params,
    sess_row_fn fn, void *arg)
{
	struct sess_row r;
	PGresult *res;
	int i, n;

	if ((res = db_exec(db, id, params)) == NULL)
		return -1;
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		r.id = col(res, i, 0);
		r.status = col(res, i, 1);
		r.pid = num(res, i, 2, INT32_MAX);
		r.endpoint = col(res, i, 3);
		r.port = (int)num(res, i, 4, 65535);
		r.holder_pid = num(res, i, 5, INT32_MAX);
		r.backend_auth = col(res, i, 6);
		r.address = col(res, i, 7);
		r.ssh_user = col(res, i, 8);
		r.ssh_port = col(res, i, 9);
		r.host_id = col(res, i, 10);
		r.host_name = col(res, i, 11);
		r.node = col(res, i, 12);
		r.user = col(res, i, 13);
		r.run_uid = num(res, i, 14, INT32_MAX);
		if (r.id != NULL)
			fn(arg, &r);
	}
	PQclear(res);
	return n;
}

int
sess_each_starting(struct tg_db *db, const char *node, sess_row_fn fn,
    void *arg)
{
	const char *params[] = { node };

	return each(db, STMT_SESS_STARTING, params, fn, arg) == -1 ? -1 : 0;
}

int
sess_each_live(struct tg_db *db, const char *node, sess_row_fn fn,
    void *arg)
{
	const char *params[] = { node };

	return each(db, STMT_SESS_LIVE, params, fn, arg) == -1 ? -1 : 0;
}

int
sess_each_held_port(struct tg_db *db, const char *node, sess_row_fn fn,
    void *arg)
{
	const char *params[] = { node };

	return each(db, STMT_SESS_HELD_PORTS, params, fn, arg) == -1 ? -1 : 0;
}

int
sess_lookup(struct tg_db *db, const char *id, sess_row_fn fn, void *arg)
{
	const char *params[] = { id };
	int n;

	if ((n = each(db, STMT_SESS_LOOKUP, params, fn, arg)) == -1)
		return -1;
	return n == 0 ? 1 : 0;
}

int
sess_set_pid(struct tg_db *db, const char *id, long backend, long holder,
    const char *kind)
{
	char b[24], h[24];
	const char *params[] = { id, backend > 0 ? DB_ITOA(b, backend) : NULL,
	    DB_ITOA(h, holder), kind };

	return db_run(db, STMT_SESS_SET_PID, params);
}

int
sess_set_gateway(struct tg_db *db, const char *ids, long pid)
{
	char p[24];
	const char *params[] = { ids, DB_ITOA(p, pid) };

	return db_run(db, STMT_SESS_SET_GATEWAY, params);
}

int
sess_set_run(struct tg_db *db, const char *id, long uid, const char *name)
{
	char u[24];
	const char *params[] = { id, DB_ITOA(u, uid), name };

	return db_run(db, STMT_SESS_SET_RUN, params);
}

int
sess_set_spawn_error(struct tg_db *db, const char *id, const char *why)
{
	const char *params[] = { id, why };

	return db_run(db, STMT_SESS_SPAWN_ERROR, params);
}

int
sess_spawn_error(struct tg_db *db, const char *id, char *why, size_t len)
{
	const char *params[] = { id };
	PGresult *res;

	why[0] = '\0';
	if ((res = db_exec(db, STMT_SPAWN_ERROR, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
		strlcpy(why, PQgetvalue(res, 0, 0), len);
	PQclear(res);
	return 0;
}

int
sess_record(struct tg_db *db, const char *id, const char *kind,
    const char *detail)
{
	const char *params[] = { id, kind, detail };

	return db_run(db, STMT_RECORD, params);
}
