/*
 * reconcile.c - making the terminals and the database agree again.
 *
 * Run at start, after every reconnection and once per collector cycle.
 * Live rows of this node that the supervisor holds no terminal for are
 * either adopted (their backend still runs on that endpoint and their pty
 * holder on that socket, as /proc/PID/cmdline shows: a previous
 * supervisor started them) or closed process_exited; starting rows whose
 * processes a previous supervisor started are failed (and what runs of
 * them stopped), the others are left to the spawn scan; terminals whose
 * row is no longer live are stopped; ports, sockets and command files
 * still held by ended sessions are freed (what a file holds is ingested
 * first), and a process still serving one of them is stopped. Nothing is
 * assumed: what was missed is found by looking. A row's endpoint is used
 * only when it is the one this node would have given the session
 * (ep_parse_session): nothing else is ever unlinked or probed.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "log.h"
#include "sess.h"
#include "sessfile.h"
#include "spool.h"
#include "sup.h"

/* Ends session ID, whose processes are gone, with REASON; frees its
 * endpoint and its holder's socket. */
static void
end_gone(struct sup *sup, const char *id, const struct tg_endpoint *ep,
    const char *reason)
{
	struct tg_endpoint pty;

	if (sess_close(sup->db, id, reason, NULL, NULL) == -1)
		return;
	if (ep->kind == EP_UNIX)
		(void)unlink(ep->path);
	else
		(void)sess_release_port(sup->db, id);
	if (ep_session_socket(&pty, sup->cfg.socket_dir, id,
	    SESSFILE_PTY) == 0)
		(void)unlink(pty.path);
}

/*
 * Takes hold of the processes BACKEND and HOLDER of row ID into a new
 * term, each only if a pidfd could be had and then /proc shows it is what
 * it should be (the backend on EP, the holder on the session's socket; or
 * either by its TERMGATE_SESSION_ID when LOOSE: it may not have exec'd
 * yet). The term, or NULL when neither runs.
 */
static struct term *
take(struct sup *sup, const char *id, const struct tg_endpoint *ep,
    long backend, long holder, int loose)
{
	struct term *t;

	if ((t = term_new(sup, id, ep)) == NULL)
		return NULL;
	if (backend != 0 && tproc_watch(&t->backend, backend) == 0 &&
	    !ident_backend(sup, backend, ep) &&
	    !(loose && ident_session(backend, id)))
		tproc_gone(&t->backend);
	if (holder != 0 && tproc_watch(&t->holder, holder) == 0 &&
	    !ident_holder(sup, holder, &t->pty) &&
	    !(loose && ident_session(holder, id)))
		tproc_gone(&t->holder);
	if (t->backend.pid == 0 && t->holder.pid == 0) {
		term_free(sup, t);
		return NULL;
	}
	t->seen = 1;
	return t;
}

/*
 * A starting row with pids: a previous supervisor started its processes
 * and died before they were ready. Nobody waits for it any more; stop
 * what may still run and fail the session, which frees its port.
 */
static void
orphan_start(struct sup *sup, const struct sess_row *r,
    const struct tg_endpoint *ep)
{
	struct term *t;

	if ((t = take(sup, r->id, ep, r->pid, r->holder_pid, 1)) != NULL) {
		pool_adopt(sup, t, r);
		term_stop(sup, t, MARK_SPAWN_FAILED, "orphaned_start");
		return;
	}
	log_info("session=%.12s start of pid=%ld was orphaned: spawn_failed",
	    r->id, r->pid);
	end_gone(sup, r->id, ep, SESS_REASON_SPAWN);
}

/* Adopts the processes of active row R; 0, or -1 when they do not run. */
static int
adopt(struct sup *sup, const struct sess_row *r,
    const struct tg_endpoint *ep)
{
	char detail[80];
	struct term *t;

	if ((t = take(sup, r->id, ep, r->pid, r->holder_pid, 0)) == NULL)
		return -1;
	pool_adopt(sup, t, r);
	(void)term_event(sup, t, TE_ADOPTED, MARK_NONE, NULL);
	/* Half a unit (a row from before holders had none) is no session;
	 * the gateway's terminal is its holder alone (its backend is the
	 * gateway, no terminal's: not taken). */
	if ((t->backend.pid == 0 && !t->gw) ||
	    (r->holder_pid != 0 && t->holder.pid == 0)) {
		log_info("session=%.12s only half of it runs: process_exited",
		    r->id);
		(void)sess_close(sup->db, r->id, SESS_REASON_EXITED, NULL,
		    NULL);
		term_stop(sup, t, MARK_NONE, "half_gone");
		return 0;
	}
	log_info("session=%.12s adopted backend=%ld holder=%ld", r->id,
	    r->pid, r->holder_pid);
	snprintf(detail, sizeof(detail), "{\"pid\": %ld, \"holder_pid\": %ld}",
	    r->pid, r->holder_pid);
	(void)sess_record(sup->db, r->id, "adopted", detail);
	return 0;
}

/* A live row with no terminal: adopt its processes or close it. */
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
		if (r->pid != 0 || r->holder_pid != 0)
			orphan_start(sup, r, &ep);
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

	if ((t = term_find(sup, r->id)) != NULL)
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
		if (!t->seen && !term_stopping(t))
			term_stop(sup, t, MARK_NONE, "not_live");
	}
	return 0;
}

/* An ended session R whose processes may still serve EP. */
static void
ended(struct sup *sup, const struct sess_row *r,
    const struct tg_endpoint *ep)
{
	struct tg_endpoint pty;
	struct term *t;

	if (term_find(sup, r->id) != NULL)
		return;			/* being stopped */
	if ((t = take(sup, r->id, ep, r->pid, r->holder_pid, 0)) != NULL) {
		term_stop(sup, t, MARK_NONE, "ended_while_away");
		return;
	}
	if (ep->kind == EP_UNIX)
		(void)unlink(ep->path);
	else
		(void)sess_release_port(sup->db, r->id);
	if (ep_session_socket(&pty, sup->cfg.socket_dir, r->id,
	    SESSFILE_PTY) == 0)
		(void)unlink(pty.path);
}

static void
held_port(void *arg, const struct sess_row *r)
{
	struct tg_endpoint ep = { .kind = EP_TCP, .port = r->port };

	if (r->port != 0)
		ended(arg, r, &ep);
}

/* A file of socket_dir or spool_dir; FOUND: its session has a row. */
struct file_ctx {
	struct sup		*sup;
	struct tg_endpoint	 ep;
	int			 found, live;
	off_t			 offset;
};

static int
is_live(const char *status)
{
	return strcmp(status, SESS_STATUS_STARTING) == 0 ||
	    strcmp(status, SESS_STATUS_ACTIVE) == 0;
}

static void
sock_row(void *arg, const struct sess_row *r)
{
	struct file_ctx *c = arg;

	c->found = 1;
	if (!is_live(r->status))
		ended(c->sup, r, &c->ep);
}

/* Sockets in socket_dir of sessions that are no longer live. */
static void
stale_sockets(struct sup *sup)
{
	char id[TOK_ID_LEN + 1];
	struct file_ctx c = { .sup = sup };
	struct sess_row none = { .id = id };
	struct dirent *de;
	DIR *d;

	if ((d = opendir(sup->cfg.socket_dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if ((sessfile_id(de->d_name, SESSFILE_SOCK, id) == -1 &&
		    sessfile_id(de->d_name, SESSFILE_PTY, id) == -1) ||
		    term_find(sup, id) != NULL ||
		    ep_session_socket(&c.ep, sup->cfg.socket_dir, id,
		    SESSFILE_SOCK) == -1)
			continue;
		c.found = 0;
		if (sess_lookup(sup->db, id, sock_row, &c) == 1)
			ended(sup, &none, &c.ep);
	}
	closedir(d);
}

/* Only a session of this node has its commands read here: a command
 * file named for any other was put there by someone else. */
static void
spool_row(void *arg, const struct sess_row *r)
{
	struct file_ctx *c = arg;

	if (r->node == NULL || strcmp(r->node, c->sup->cfg.node) != 0) {
		log_warn("session=%.12s spool: a command file for a session "
		    "of node %s removed unread", r->id, r->node ? r->node :
		    "?");
		return;
	}
	c->found = 1;
	c->live = is_live(r->status);
}

/*
 * Command files of sessions of this node that this supervisor holds no
 * terminal for (its predecessor's, or ended ones): what they hold goes
 * into command_history, and the file of an ended session goes once all
 * of it is in. Any other command file goes unread.
 */
static void
stale_spool(struct sup *sup)
{
	char id[TOK_ID_LEN + 1], path[512];
	struct file_ctx c = { .sup = sup };
	struct dirent *de;
	struct stat st;
	off_t off;
	DIR *d;

	if ((d = opendir(sup->cfg.spool_dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (sessfile_id(de->d_name, SESSFILE_CMDS, id) == -1 ||
		    term_find(sup, id) != NULL ||
		    sessfile_path(path, sizeof(path), &sup->cfg, SESSFILE_CMDS,
		    id) == -1)
			continue;
		c.found = c.live = 0;
		if (sess_lookup(sup->db, id, spool_row, &c) == -1)
			continue;
		off = 0;
		while (c.found && (c.offset = spool_ingest(sup->db,
		    sup->cfg.node, id, path, off)) >= 0 && c.offset != off)
			off = c.offset;
		if (!c.live && (!c.found || (c.offset >= 0 &&
		    stat(path, &st) == 0 && st.st_size == c.offset)))
			(void)unlink(path);
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
	stale_sockets(sup);
	stale_spool(sup);
}
