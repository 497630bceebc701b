/*
 * gc.c - the collector and the supervisor's heartbeat row.
 *
 * Every gc_interval the supervisor says it is alive (termgate.supervisors,
 * read by /health), expires and closes what is due in set-based
 * statements (sess_gc), records the run's counts for /health and
 * /metrics, and reconciles. It stops nothing itself: each session the
 * collector ends fires termgate_close, which the loop handles like any
 * other close.
 */
#include <stdio.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "sess.h"
#include "sup.h"

#define ITOA(buf, v)	(snprintf((buf), sizeof(buf), "%ld", (long)(v)), \
			    (buf))

/* Runs ID for its effect; 0 or -1. */
static int
run(struct sup *sup, enum stmt_id id, const char *const *params)
{
	PGresult *res;

	if ((res = db_exec(sup->db, id, params)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}

void
gc_heartbeat(struct sup *sup)
{
	char pid[16], n[16];
	const char *params[] = { sup->cfg.node, ITOA(pid, getpid()),
	    ITOA(n, sup->nterms) };

	(void)run(sup, STMT_SUP_HEARTBEAT, params);
}

void
gc_run(struct sup *sup)
{
	struct sess_gc_counts c;
	char t[16], i[16], l[16], p[16];
	const char *node[] = { sup->cfg.node };
	const char *end[] = { sup->cfg.node, t, i, l, p };

	gc_heartbeat(sup);
	if (run(sup, STMT_SUP_GC_BEGIN, node) == -1)
		return;
	if (sess_gc(sup->db, &sup->cfg, &c) == -1) {
		log_warn("gc: failed; retried next cycle");
		return;
	}
	ITOA(t, c.ttl);
	ITOA(i, c.idle);
	ITOA(l, c.client_lost);
	ITOA(p, c.purged);
	(void)run(sup, STMT_SUP_GC_END, end);
	log_msg(c.ttl + c.idle + c.client_lost + c.purged > 0 ? LOG_INFO :
	    LOG_DEBUG, "gc ttl=%d idle=%d client_lost=%d purged=%d "
	    "terminals=%d", c.ttl, c.idle, c.client_lost, c.purged,
	    sup->nterms);
	ev_reconcile(sup);
	sup->scan = 1;
}
