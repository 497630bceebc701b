/*
 * node.c - the repository of nodes: what a supervisor says about itself.
 *
 * A supervisor holds its node's advisory lock for as long as it runs, so
 * that a second one refuses to start, and refreshes a liveness row in
 * termgate.supervisors with its collector's figures; /health reads both.
 * The row also says what other nodes need to know of this one
 * (sql/012_nodes.sql): where their nginx reaches its terminals, its
 * capacity, how its terminals listen. A node whose row goes silent for
 * node_lost_after is ended by the others (node_end_lost); an operator
 * drains, undrains and removes nodes. The tcp-mode port pool of the node
 * is kept here too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "db_pq.h"
#include "jsonx.h"
#include "log.h"
#include "node.h"
#include "sess.h"

int
node_lock(struct tg_db *db, const char *node, char *holder, size_t len)
{
	const char *params[] = { node };
	PGresult *res;
	int rv;

	holder[0] = '\0';
	if ((res = db_exec(db, STMT_NODE_LOCK, params)) == NULL)
		return -1;
	rv = strcmp(PQgetvalue(res, 0, 0), "t") == 0 ? 0 : 1;
	PQclear(res);
	if (rv == 1 && (res = db_exec(db, STMT_NODE_LOCK_HOLDER, params)) !=
	    NULL) {
		if (PQntuples(res) == 1) {
			snprintf(holder, len, "role %s, backend pid %s, "
			    "application %s", PQgetvalue(res, 0, 0),
			    PQgetvalue(res, 0, 1), PQgetvalue(res, 0, 2));
			if (strcmp(PQgetvalue(res, 0, 3), "f") == 0)
				rv = 2;
		}
		PQclear(res);
	}
	return rv;
}

int
node_alive(struct tg_db *db, const struct tg_cfg *cfg, int terminals)
{
	char pid[16], n[16], cap[16];
	const char *params[] = { cfg->node, DB_ITOA(pid, getpid()),
	    DB_ITOA(n, terminals),
	    cfg->node_address[0] != '\0' ? cfg->node_address : NULL,
	    cfg->node_capacity > 0 ? DB_ITOA(cap, cfg->node_capacity) : NULL,
	    cfg->terminal_listen == TG_LISTEN_TCP ? "tcp" : "unix",
	    cfg->socket_dir };

	return db_run(db, STMT_NODE_ALIVE, params);
}

int
node_cgroup(struct tg_db *db, const char *node, const char *mode)
{
	const char *params[] = { node, mode[0] != '\0' ? mode : NULL };

	return db_run(db, STMT_NODE_CGROUP, params);
}

int
node_cgroup_get(struct tg_db *db, const char *node, char *mode, size_t len)
{
	const char *params[] = { node };
	PGresult *res;

	mode[0] = '\0';
	if ((res = db_exec(db, STMT_NODE_CGROUP_GET, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1)
		strlcpy(mode, PQgetvalue(res, 0, 0), len);
	PQclear(res);
	return 0;
}

int
node_end_lost(struct tg_db *db, const char *self, int lost_after)
{
	char secs[16];
	const char *params[] = { self, DB_ITOA(secs, lost_after) };
	PGresult *res;
	int i, n = 0;

	if ((res = db_exec(db, STMT_NODE_LOST, params)) == NULL)
		return -1;
	for (i = 0; i < PQntuples(res); i++) {
		log_warn("node %s silent for over %ds: %s live sessions "
		    "ended node_lost", PQgetvalue(res, i, 0), lost_after,
		    PQgetvalue(res, i, 1));
		n += atoi(PQgetvalue(res, i, 1));
	}
	PQclear(res);
	return n;
}

int
node_set_state(struct tg_db *db, const char *node, const char *state)
{
	const char *params[] = { node, state };
	PGresult *res;
	int rv;

	if ((res = db_exec(db, STMT_NODE_STATE, params)) == NULL)
		return -1;
	rv = PQntuples(res) == 1 ? 0 : 1;
	PQclear(res);
	return rv;
}

/*
 * The one word a statement answered, in RES (which it clears): 0 for OK,
 * 1 with *WHY set for one of the N REFUSALS, -1 for anything else.
 */
static int
verdict(PGresult *res, const char *ok, const char *const *refusals,
    size_t n, const char **why)
{
	const char *word;
	size_t i;
	int rv = -1;

	if (PQntuples(res) == 1) {
		word = PQgetvalue(res, 0, 0);
		if (strcmp(word, ok) == 0)
			rv = 0;
		for (i = 0; i < n; i++)
			if (strcmp(word, refusals[i]) == 0) {
				*why = refusals[i];
				rv = 1;
			}
	}
	PQclear(res);
	return rv;
}

int
node_remove(struct tg_db *db, const char *node, int lost_after, int force,
    const char **why)
{
	static const char *const refusals[] = { "no_such_node",
	    "live_sessions", "alive" };
	char secs[16];
	const char *params[] = { node, DB_ITOA(secs, lost_after),
	    force ? "t" : "f" };
	PGresult *res;

	if ((res = db_exec(db, STMT_NODE_REMOVE, params)) == NULL)
		return -1;
	return verdict(res, "removed", refusals,
	    sizeof(refusals) / sizeof(refusals[0]), why);
}

int
node_hop_nonce(struct tg_db *db, const char *nonce, long long expires,
    int ttl, const char **why)
{
	static const char *const refusals[] = { "replayed", "expired",
	    "too_far" };
	char e[24], t[16];
	const char *params[] = { nonce, DB_ITOA(e, expires),
	    DB_ITOA(t, ttl) };
	PGresult *res;

	if ((res = db_exec(db, STMT_NODE_HOP_NONCE, params)) == NULL)
		return -1;
	return verdict(res, "fresh", refusals,
	    sizeof(refusals) / sizeof(refusals[0]), why);
}

int
node_hop_purge(struct tg_db *db)
{
	PGresult *res;
	int n = -1;

	if ((res = db_exec(db, STMT_NODE_HOP_PURGE, NULL)) == NULL)
		return -1;
	if (PQntuples(res) == 1)
		n = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return n;
}

int
node_list(struct tg_db *db, int lost_after, json_object **out)
{
	static const char *const keys[] = { "node", "address", "capacity",
	    "state", "live", "alive", "heartbeat_age", "pid" };
	char secs[16];
	const char *params[] = { DB_ITOA(secs, lost_after) };

	static const char *const ints[] = { "capacity", "live",
	    "heartbeat_age", "pid", NULL };
	static const char *const bools[] = { "alive", NULL };

	if (db_rows(db, STMT_NODE_LIST, params, keys, 8, out) == -1)
		return -1;
	jsonx_type_rows(*out, ints, bools);
	return 0;
}

int
node_gc_begin(struct tg_db *db, const char *node)
{
	const char *params[] = { node };

	return db_run(db, STMT_NODE_GC_BEGIN, params);
}

int
node_gc_end(struct tg_db *db, const char *node,
    const struct sess_gc_counts *c)
{
	char t[16], i[16], l[16], p[16];
	const char *params[] = { node, DB_ITOA(t, c->ttl), DB_ITOA(i, c->idle),
	    DB_ITOA(l, c->client_lost), DB_ITOA(p, c->purged) };

	return db_run(db, STMT_NODE_GC_END, params);
}

int
node_health(struct tg_db *db, const char *node, int max_age,
    struct node_health *out)
{
	char secs[16];
	const char *params[] = { node, DB_ITOA(secs, max_age) };
	PGresult *res;

	memset(out, 0, sizeof(*out));
	if ((res = db_exec(db, STMT_NODE_HEALTH, params)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		out->alive = PQgetvalue(res, 0, 0)[0] == 't';
		strlcpy(out->last_gc_at, PQgetvalue(res, 0, 1),
		    sizeof(out->last_gc_at));
		out->gc_running = PQgetvalue(res, 0, 2)[0] == 't';
	}
	PQclear(res);
	return 0;
}

int
node_fill_ports(struct tg_db *db, const char *node, int lo, int hi)
{
	char l[16], h[16];
	const char *params[] = { node, DB_ITOA(l, lo), DB_ITOA(h, hi) };

	return db_run(db, STMT_NODE_FILL_PORTS, params);
}

int
node_port_busy(struct tg_db *db, const char *node, int port)
{
	char p[16];
	const char *params[] = { node, DB_ITOA(p, port) };

	return db_run(db, STMT_NODE_PORT_BUSY, params);
}

int
node_names(struct tg_db *db, const char *node, json_object **out)
{
	static const char *const keys[] = { "node" };
	const char *params[] = { node };

	return db_rows(db, STMT_NODE_NAMES, params, keys, 1, out);
}

int
node_alive_age(const struct tg_cfg *cfg)
{
	return cfg->gc_interval * 3 > 30 ? cfg->gc_interval * 3 : 30;
}
