/*
 * reconcile.c - making the terminals and the database agree again.
 *
 * Run at start, after every reconnection and once per collector cycle.
 * Live rows of this node that the supervisor holds no terminal for are
 * either adopted (their pid still runs this backend on that endpoint, as
 * /proc/PID/cmdline shows: a previous supervisor started it) or closed
 * process_exited; starting rows whose terminal a previous supervisor
 * started are failed (and what runs of it stopped), the others are left
 * to the spawn scan; terminals whose row is no longer live are stopped;
 * ports and sockets still held by ended sessions are freed, and a process
 * still serving one of them is stopped. Nothing is assumed: what was
 * missed is found by looking. A row's endpoint is used only when it is
 * the one this node would have given the session (ep_parse_session):
 * nothing else is ever unlinked or probed.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "sess.h"
#include "sup.h"
#include "valid.h"

/* Ends session ID, whose process is gone, with REASON; frees its
 * endpoint. */
static void
end_gone(struct sup *sup, const char *id, const struct tg_endpoint *ep,
    const char *reason)
{
	if (sess_close(sup->db, id, reason, NULL, NULL) == -1)
		return;
	if (ep->kind == EP_UNIX)
		(void)unlink(ep->path);
	else
		(void)sess_release_port(sup->db, id);
}

/*
 * A starting row with a pid: a previous supervisor started its terminal
 * and died before it was ready. Nobody waits for it any more; stop what
 * may still run (its group) and fail the session, which frees its port.
 */
static void
orphan_start(struct sup *sup, const char *id, pid_t pid,
    const struct tg_endpoint *ep)
{
	struct term *t;

	/* It may not have exec'd the backend yet: its environment tells. */
	if (proc_alive(pid) && (proc_matches(sup, pid, ep) ||
	    proc_is_session(pid, id)) &&
	    (t = proc_adopt(sup, id, pid, ep)) != NULL) {
		proc_stop(sup, t, MARK_SPAWN_FAILED, "orphaned_start");
		return;
	}
	log_info("session=%.12s start of pid=%ld was orphaned: spawn_failed",
	    id, (long)pid);
	end_gone(sup, id, ep, SESS_REASON_SPAWN);
}

/* Adopts the process of active row R; 0, or -1 when it is not running. */
static int
adopt(struct sup *sup, const struct sess_row *r,
    const struct tg_endpoint *ep)
{
	char detail[64];

	if (r->pid == 0 || !proc_alive(r->pid) ||
	    !proc_matches(sup, r->pid, ep) ||
	    proc_adopt(sup, r->id, r->pid, ep) == NULL)
		return -1;
	log_info("session=%.12s adopted pid=%ld", r->id, r->pid);
	snprintf(detail, sizeof(detail), "{\"pid\": %ld}", r->pid);
	(void)sess_record(sup->db, r->id, "adopted", detail);
	return 0;
}

/* A live row with no terminal: adopt its process or close it. */
static void
unknown_live(struct sup *sup, const struct sess_row *r)
{
	struct tg_endpoint ep;

	if (r->endpoint == NULL || ep_parse_session(&ep, r->endpoint,
	    sup->cfg.socket_dir, r->id) == -1) {
		log_warn("session=%.12s endpoint is not this node's: closed",
		    r->id);
		(void)sess_close(sup->db, r->id, SESS_REASON_EXITED, NULL,
		    NULL);
		return;
	}
	if (strcmp(r->status, SESS_STATUS_STARTING) == 0) {
		if (r->pid != 0)
			orphan_start(sup, r->id, r->pid, &ep);
		else
			sup->scan = 1;
		return;
	}
	if (adopt(sup, r, &ep) == 0)
		return;
	log_info("session=%.12s not running pid=%ld: process_exited", r->id,
	    r->pid);
	end_gone(sup, r->id, &ep, SESS_REASON_EXITED);
}

static void
live_row(void *arg, const struct sess_row *r)
{
	struct sup *sup = arg;
	struct term *t;

	if ((t = proc_find(sup, r->id)) != NULL)
		t->seen = 1;
	else
		unknown_live(sup, r);
}

/* Live rows against terminals; 0, or -1 if the database failed. */
static int
live_rows(struct sup *sup)
{
	struct term *t, *next;

	TAILQ_FOREACH(t, &sup->terms, entry)
		t->seen = 0;
	if (sess_each_live(sup->db, sup->cfg.node, live_row, sup) == -1)
		return -1;
	for (t = TAILQ_FIRST(&sup->terms); t != NULL; t = next) {
		next = TAILQ_NEXT(t, entry);
		if (!t->seen && t->state != T_STOPPING)
			proc_stop(sup, t, MARK_NONE, "not_live");
	}
	return 0;
}

/* An ended session ID whose process PID may still serve EP. */
static void
ended(struct sup *sup, const char *id, long pid,
    const struct tg_endpoint *ep)
{
	struct term *t;

	if (proc_find(sup, id) != NULL)
		return;			/* being stopped */
	if (pid != 0 && proc_alive(pid) && proc_matches(sup, pid, ep) &&
	    (t = proc_adopt(sup, id, pid, ep)) != NULL) {
		proc_stop(sup, t, MARK_NONE, "ended_while_away");
		return;
	}
	if (ep->kind == EP_UNIX)
		(void)unlink(ep->path);
	else
		(void)sess_release_port(sup->db, id);
}

static void
held_port(void *arg, const struct sess_row *r)
{
	struct tg_endpoint ep = { .kind = EP_TCP, .port = r->port };

	if (r->port != 0)
		ended(arg, r->id, r->pid, &ep);
}

/* A socket of socket_dir; FOUND tells whether its session has a row. */
struct sock_ctx {
	struct sup		*sup;
	struct tg_endpoint	 ep;
	int			 found;
};

static void
sock_row(void *arg, const struct sess_row *r)
{
	struct sock_ctx *c = arg;

	c->found = 1;
	if (strcmp(r->status, SESS_STATUS_STARTING) != 0 &&
	    strcmp(r->status, SESS_STATUS_ACTIVE) != 0)
		ended(c->sup, r->id, r->pid, &c->ep);
}

/* Sockets in socket_dir of sessions that are no longer live. */
static void
stale_sockets(struct sup *sup)
{
	char id[TOK_ID_LEN + 1];
	struct sock_ctx c = { .sup = sup };
	struct dirent *de;
	DIR *d;

	if ((d = opendir(sup->cfg.socket_dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) != TOK_ID_LEN + 5 ||
		    strcmp(de->d_name + TOK_ID_LEN, ".sock") != 0)
			continue;
		strlcpy(id, de->d_name, sizeof(id));
		if (!valid_session_id(id) || proc_find(sup, id) != NULL ||
		    ep_session_socket(&c.ep, sup->cfg.socket_dir, id,
		    "sock") == -1)
			continue;
		c.found = 0;
		if (sess_lookup(sup->db, id, sock_row, &c) == 1)
			ended(sup, id, 0, &c.ep);
	}
	closedir(d);
}

void
reconcile_run(struct sup *sup)
{
	if (live_rows(sup) == -1)
		return;
	if (sup->cfg.terminal_listen == TG_LISTEN_TCP)
		(void)sess_each_held_port(sup->db, sup->cfg.node, held_port,
		    sup);
	else
		stale_sockets(sup);
}
