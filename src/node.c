/*
 * node.c - the repository of nodes: what a supervisor says about itself.
 *
 * A supervisor holds its node's advisory lock for as long as it runs, so
 * that a second one refuses to start, and refreshes a liveness row in
 * termgate.supervisors with its collector's figures; /health reads both.
 * The tcp-mode port pool of the node is kept here too.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "node.h"
#include "sess.h"

#define ITOA(buf, v)	(snprintf((buf), sizeof(buf), "%ld", (long)(v)), \
			    (buf))

/* Runs ID for its effect; 0 or -1. */
static int
run(struct tg_db *db, enum stmt_id id, const char *const *params)
{
	PGresult *res;

	if ((res = db_exec(db, id, params)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int
node_lock(struct tg_db *db, const char *node)
{
	const char *params[] = { node };
	PGresult *res;
	int rv;

	if ((res = db_exec(db, STMT_NODE_LOCK, params)) == NULL)
		return -1;
	rv = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return rv;
}

int
node_alive(struct tg_db *db, const char *node, int terminals)
{
	char pid[16], n[16];
	const char *params[] = { node, ITOA(pid, getpid()),
	    ITOA(n, terminals) };

	return run(db, STMT_NODE_ALIVE, params);
}

int
node_gc_begin(struct tg_db *db, const char *node)
{
	const char *params[] = { node };

	return run(db, STMT_NODE_GC_BEGIN, params);
}

int
node_gc_end(struct tg_db *db, const char *node,
    const struct sess_gc_counts *c)
{
	char t[16], i[16], l[16], p[16];
	const char *params[] = { node, ITOA(t, c->ttl), ITOA(i, c->idle),
	    ITOA(l, c->client_lost), ITOA(p, c->purged) };

	return run(db, STMT_NODE_GC_END, params);
}

int
node_health(struct tg_db *db, const char *node, int max_age,
    struct node_health *out)
{
	char secs[16];
	const char *params[] = { node, ITOA(secs, max_age) };
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
	const char *params[] = { node, ITOA(l, lo), ITOA(h, hi) };

	return run(db, STMT_NODE_FILL_PORTS, params);
}

int
node_port_busy(struct tg_db *db, const char *node, int port)
{
	char p[16];
	const char *params[] = { node, ITOA(p, port) };

	return run(db, STMT_NODE_PORT_BUSY, params);
}
