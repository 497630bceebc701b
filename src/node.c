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
	const char *params[] = { node, DB_ITOA(pid, getpid()),
	    DB_ITOA(n, terminals) };

	return db_run(db, STMT_NODE_ALIVE, params);
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
node_list(struct tg_db *db, const char *node, json_object **out)
{
	static const char *const keys[] = { "node" };
	const char *params[] = { node };

	return db_rows(db, STMT_NODE_LIST, params, keys, 1, out);
}
