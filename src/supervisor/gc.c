/*
 * gc.c - the collector.
 *
 * Every gc_interval the supervisor expires and closes what is due in
 * set-based statements (sess_gc) and records the run's counts for
 * /health and /metrics (node_gc_begin/end). It stops nothing itself:
 * each session the collector ends fires termgate_close, which the loop
 * handles like any other close.
 */
#include "db.h"
#include "log.h"
#include "node.h"
#include "sess.h"
#include "sup.h"

void
gc_run(struct sup *sup)
{
	struct sess_gc_counts c;

	if (node_gc_begin(sup->db, sup->cfg.node) == -1)
		return;
	if (sess_gc(sup->db, &sup->cfg, &c) == -1) {
		log_warn("gc: failed; retried next cycle");
		return;
	}
	(void)node_gc_end(sup->db, sup->cfg.node, &c);
	log_msg(c.ttl + c.idle + c.client_lost + c.purged > 0 ? LOG_INFO :
	    LOG_DEBUG, "gc ttl=%d idle=%d client_lost=%d purged=%d "
	    "terminals=%d", c.ttl, c.idle, c.client_lost, c.purged,
	    sup->nterms);
}
