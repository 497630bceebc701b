/*
 * gc.c - the collector.
 *
 * Every gc_interval the supervisor expires and closes what is due in
 * set-based statements (sess_gc) and records the run's counts for
 * /health and /metrics (node_gc_begin/end). It stops nothing itself:
 * each session the collector ends fires termgate_close, which the loop
 * handles like any other close. Once an hour it also removes recordings
 * past recording_retention_days whose session has ended. And it deletes
 * the nonces of expired hop credentials (node_hop_purge,
 * sql/024_hop_nonces.sql), whichever node took them: every node's
 * collector does, so they go while any node runs.
 *
 * It also ends the sessions of other nodes that went silent for
 * node_lost_after (node_end_lost), but only once this supervisor has
 * been connected for node_lost_after itself: after an outage of the
 * database every node's liveness is old, and each must be given the time
 * to refresh it before anyone counts it as lost.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "db.h"
#include "log.h"
#include "node.h"
#include "sess.h"
#include "sessfile.h"
#include "sup.h"

#define RETENTION_EVERY	(3600 * 1000LL)	/* ms between recording sweeps */

static void
live_status(void *arg, const struct sess_row *r)
{
	int *live = arg;

	*live = strcmp(r->status, SESS_STATUS_STARTING) == 0 ||
	    strcmp(r->status, SESS_STATUS_ACTIVE) == 0;
}

/* Removes ID.cast files of recording_dir older than the retention whose
 * session is not live (or gone); the count. */
static int
old_recordings(struct sup *sup)
{
	char id[TOK_ID_LEN + 1], path[512];
	time_t cut = time(NULL) - sup->cfg.recording_retention_days * 86400L;
	struct dirent *de;
	struct stat st;
	int live, n = 0;
	DIR *d;

	if ((d = opendir(sup->cfg.recording_dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (sessfile_id(de->d_name, SESSFILE_CAST, id) == -1 ||
		    sessfile_path(path, sizeof(path), &sup->cfg, SESSFILE_CAST,
		    id) == -1)
			continue;
		live = 0;
		if (lstat(path, &st) == -1 ||
		    !S_ISREG(st.st_mode) || st.st_mtime >= cut ||
		    sess_lookup(sup->db, id, live_status, &live) == -1 || live)
			continue;
		if (unlink(path) == 0)
			n++;
	}
	closedir(d);
	return n;
}

void
gc_run(struct sup *sup)
{
	struct sess_gc_counts c;
	int n;

	if (node_gc_begin(sup->db, sup->cfg.node) == -1)
		return;
	if (sess_gc(sup->db, &sup->cfg, &c) == -1) {
		log_warn("gc: failed; retried next cycle");
		return;
	}
	(void)node_gc_end(sup->db, sup->cfg.node, &c);
	if ((n = node_hop_purge(sup->db)) == -1)
		log_warn("gc: hop nonces not purged; retried next cycle");
	else if (n > 0)
		log_debug("gc: %d expired hop nonces purged", n);
	if (clock_ms() >= sup->next_retention) {
		sup->next_retention = clock_ms() + RETENTION_EVERY;
		if ((n = old_recordings(sup)) > 0)
			log_info("gc: %d recordings past %d days removed", n,
			    sup->cfg.recording_retention_days);
	}
	log_msg(c.ttl + c.idle + c.client_lost + c.purged > 0 ? LOG_INFO :
	    LOG_DEBUG, "gc ttl=%d idle=%d client_lost=%d purged=%d "
	    "terminals=%d", c.ttl, c.idle, c.client_lost, c.purged,
	    sup->nterms);
}

void
gc_judge_later(struct sup *sup)
{
	sup->judge_from = clock_ms() + sup->cfg.node_lost_after * 1000LL;
}

void
gc_lost_nodes(struct sup *sup)
{
	if (clock_ms() < sup->judge_from)
		return;
	if (node_end_lost(sup->db, sup->cfg.node,
	    sup->cfg.node_lost_after) == -1)
		log_warn("lost nodes: not judged; retried next cycle");
}
