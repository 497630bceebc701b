/*
 * events.c - what the supervisor does about each thing that happens.
 *
 * Notifications (a session to spawn, a session ended), timer ticks
 * (probes, spawn deadlines, kill deadlines), process ends (reaped
 * children, adopted processes whose pidfd says they exited) and a command
 * file that grew end up here, and are turned into database updates: a
 * terminal whose two processes listen is marked active; when either of
 * them dies the session ends process_exited (or spawn_failed while
 * starting) and the other is stopped, since the holder and the backend
 * are one unit; what a holder captured is moved into command_history.
 * The database is the truth: whatever was missed while it was away is
 * found again by reconcile_run. No failure here is fatal; a failed update
 * is retried by the next reconciliation.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "db.h"
#include "holder.h"
#include "log.h"
#include "notify.h"
#include "proc.h"
#include "sess.h"
#include "sessfile.h"
#include "spool.h"
#include "sup.h"

static void
row_status(void *arg, const struct sess_row *r)
{
	int *live = arg;

	*live = strcmp(r->status, SESS_STATUS_STARTING) == 0 ||
	    strcmp(r->status, SESS_STATUS_ACTIVE) == 0;
}

/*
 * A close notification is a hint, not an order: anyone who can NOTIFY
 * could send one. T is stopped only when its row says it has ended (or
 * is gone); on a database error the next reconciliation decides.
 */
static void
closed(struct sup *sup, struct term *t)
{
	int live = 0, rv;

	if ((rv = sess_lookup(sup->db, t->id, row_status, &live)) == -1)
		return;
	if (rv == 0 && live) {
		log_warn("session=%.12s close notified but the session is "
		    "live: ignored", t->id);
		return;
	}
	term_stop(sup, t, MARK_NONE, "closed");
}

/*
 * A share revoked or a watch ended (NOTIFY_DROP): a terminal of ours has
 * its holder drop that grant's clients now. Another node's is its
 * supervisor's business.
 */
static void
drop_grant(struct sup *sup, const char *payload)
{
	char id[TOK_ID_LEN + 1], grant[HOLDER_GRANT_LEN + 1];
	struct term *t;

	if (notify_drop(payload, id, grant) == -1 ||
	    (t = term_find(sup, id)) == NULL || term_stopping(t))
		return;
	if (holder_drop(t->pty.path, grant) == -1)
		log_warn("session=%.12s grant=%.12s not dropped: %s", id,
		    grant, strerror(errno));
	else
		log_info("session=%.12s grant=%.12s dropped", id, grant);
}

void
ev_notifies(struct sup *sup, int readable)
{
	struct db_note n;
	struct term *t;

	if (readable && db_consume(sup->db) == -1) {
		log_warn("db: terminals keep running");
		return;
	}
	/* Also what arrived while another statement ran. */
	while (db_next_note(sup->db, &n)) {
		if (strcmp(n.channel, NOTIFY_SPAWN) == 0)
			sup->scan = 1;
		else if (strcmp(n.channel, NOTIFY_CLOSE) == 0 &&
		    (t = term_find(sup, n.payload)) != NULL &&
		    !term_stopping(t))
			closed(sup, t);
		else if (strcmp(n.channel, NOTIFY_DROP) == 0)
			drop_grant(sup, n.payload);
	}
}

static void
fix_socket(struct sup *sup, struct term *t)
{
	char who[32];

	if (t->ep.kind != EP_UNIX || t->gw)
		return;
	snprintf(who, sizeof(who), "session=%.12s", t->id);
	launch_give_socket(sup, t->ep.path, who);
}

/* A terminal still starting: probed, or failed once past its deadline. */
static void
tick_starting(struct sup *sup, struct term *t, int64_t now)
{
	if (t->state == T_STARTING && probe_ready(t) &&
	    term_event(sup, t, TE_PROBED, MARK_NONE, NULL) == 0)
		fix_socket(sup, t);
	if (t->state == T_READY || now < t->deadline)
		return;			/* a ready one waits for mark_ready */
	log_warn("session=%.12s spawn_failed reason=timeout", t->id);
	term_stop(sup, t, sess_close(sup->db, t->id, SESS_REASON_SPAWN, NULL,
	    NULL) == -1 ? MARK_SPAWN_FAILED : MARK_NONE, "spawn_timeout");
}

/*
 * The terminals that became ready, marked active in one statement of at
 * most READY_BATCH (sess_mark_active_set): its commit waits for the WAL
 * flush, which under load costs more than the rest of an open, and is
 * then paid once for all the terminals of a turn, not once each.
 */
#define READY_BATCH	64

struct ready_batch {
	struct sup	*sup;
	struct term	*t[READY_BATCH];
	int		 n;
	int64_t		 now;
};

/* The gateway's terminal is served by the gateway, if any runs yet. */
static pid_t
backend_pid(struct sup *sup, const struct term *t)
{
	return t->gw ? gw_pid(sup) : t->backend.pid;
}

static void
marked(void *arg, const char *id)
{
	struct ready_batch *b = arg;
	struct term *t = NULL;
	int i;

	for (i = 0; i < b->n && t == NULL; i++)
		if (b->t[i] != NULL && strcmp(b->t[i]->id, id) == 0) {
			t = b->t[i];
			b->t[i] = NULL;
		}
	if (t == NULL)
		return;
	(void)term_event(b->sup, t, TE_MARKED, MARK_NONE, NULL);
	log_info("session=%.12s ready backend=%ld holder=%ld ms=%lld", t->id,
	    (long)backend_pid(b->sup, t), (long)t->holder.pid,
	    (long long)(b->now - t->started));
}

/* Marks batch B; those not marked are no longer starting: stopped. On a
 * database error all stay ready, for the next tick. */
static void
mark_batch(struct ready_batch *b)
{
	char ids[READY_BATCH * (TOK_ID_LEN + 1) + 2];
	char pids[READY_BATCH * 21 + 2];
	size_t ni = 0, np = 0;
	pid_t pid;
	int i;

	ids[ni++] = '{';
	pids[np++] = '{';
	for (i = 0; i < b->n; i++) {
		pid = backend_pid(b->sup, b->t[i]);
		ni += snprintf(ids + ni, sizeof(ids) - ni, "%s%s", i ? "," : "",
		    b->t[i]->id);
		np += pid > 0 ? snprintf(pids + np, sizeof(pids) - np,
		    "%s%ld", i ? "," : "", (long)pid) : snprintf(pids + np,
		    sizeof(pids) - np, "%sNULL", i ? "," : "");
	}
	strlcpy(ids + ni, "}", sizeof(ids) - ni);
	strlcpy(pids + np, "}", sizeof(pids) - np);
	if (sess_mark_active_set(b->sup->db, ids, pids, marked, b) == -1)
		return;
	for (i = 0; i < b->n; i++)
		if (b->t[i] != NULL)
			term_stop(b->sup, b->t[i], MARK_NONE,
			    "no_longer_starting");
}

static void
mark_ready(struct sup *sup, int64_t now)
{
	struct ready_batch b = { .sup = sup, .now = now };
	struct term *t;

	TAILQ_FOREACH(t, &sup->terms, entry) {
		if (t->state != T_READY)
			continue;
		b.t[b.n++] = t;
		if (b.n == READY_BATCH) {
			mark_batch(&b);
			b.n = 0;
		}
	}
	if (b.n > 0)
		mark_batch(&b);
}

void
ev_tick(struct sup *sup)
{
	struct term *t, *next;
	int64_t now = clock_ms();

	for (t = TAILQ_FIRST(&sup->terms); t != NULL; t = next) {
		next = TAILQ_NEXT(t, entry);
		if (term_starting(t))
			tick_starting(sup, t, now);
		else if (t->state == T_STOPPING && now >= t->deadline) {
			log_info("session=%.12s kill after grace", t->id);
			(void)term_event(sup, t, TE_GRACE, MARK_NONE, NULL);
		}
	}
	mark_ready(sup, now);
	pool_sweep(sup, 0);
	gw_tick(sup);
}

void
ev_adopted(struct sup *sup)
{
	struct term *t, *next;

	for (t = TAILQ_FIRST(&sup->terms); t != NULL; t = next) {
		next = TAILQ_NEXT(t, entry);
		if (!t->backend.child && t->backend.pid != 0 &&
		    tproc_exited(&t->backend))
			ev_ended(sup, t, &t->backend, -1);
		else if (!t->holder.child && t->holder.pid != 0 &&
		    tproc_exited(&t->holder))
			ev_ended(sup, t, &t->holder, -1);
	}
}

void
ev_ingest(struct sup *sup, struct term *t, int all)
{
	char path[512];
	off_t off;

	t->dirty = 0;
	if (!sup->cfg.capture)
		return;
	if (sessfile_path(path, sizeof(path), &sup->cfg, SESSFILE_CMDS,
	    t->id) == -1)
		return;
	/*
	 * One batch a turn of the loop, unless ALL: a session that writes
	 * faster than PostgreSQL takes it must not keep the supervisor from
	 * spawning, reaping and saying it is alive. Still dirty while a
	 * batch moved the offset (there may be more), or when it failed
	 * (later).
	 */
	do {
		off = spool_ingest(sup->db, sup->cfg.node, t->id, path,
		    t->ingested);
		t->dirty = off == -1 || (off >= 0 && off != t->ingested);
		if (off >= 0 && off != t->ingested)
			sup->more = 1;	/* the loop comes back at once */
		if (off >= 0)
			t->ingested = off;
	} while (all && t->dirty && off != -1);
}

static void
log_ended(struct term *t, struct tproc *p, int status)
{
	char how[32] = "gone";

	if (status != -1 && WIFEXITED(status))
		snprintf(how, sizeof(how), "exit=%d", WEXITSTATUS(status));
	else if (status != -1 && WIFSIGNALED(status))
		snprintf(how, sizeof(how), "signal=%d", WTERMSIG(status));
	log_info("session=%.12s reap %s pid=%ld %s was=%s", t->id,
	    p == &t->holder ? "holder" : "backend", (long)p->pid, how,
	    fsm_state_name(t->state));
}

/* Both processes of T are gone: the session's end, and its leftovers. */
static void
finish(struct sup *sup, struct term *t)
{
	char path[512];
	struct stat st;

	if (t->ep.kind == EP_UNIX)
		(void)unlink(t->ep.path);
	(void)unlink(t->pty.path);	/* a holder killed -9 leaves it */
	if (t->mark != MARK_NONE)
		(void)sess_close(sup->db, t->id, t->mark == MARK_EXITED ?
		    SESS_REASON_EXITED : SESS_REASON_SPAWN, NULL, NULL);
	if (t->ep.kind == EP_TCP)
		(void)sess_release_port(sup->db, t->id);
	/* The last records, then the file, once all of it is in. */
	ev_ingest(sup, t, 1);
	if (!t->dirty && sessfile_path(path, sizeof(path), &sup->cfg,
	    SESSFILE_CMDS, t->id) == 0 && stat(path, &st) == 0 &&
	    st.st_size == t->ingested)
		(void)unlink(path);
	term_free(sup, t);
}

void
ev_ended(struct sup *sup, struct term *t, struct tproc *p, int status)
{
	const char *reason;

	log_ended(t, p, status);
	/*
	 * What is left of its group goes, unless a live process has its pid
	 * again: a pidfd does not keep a reaped pid (an adopted process is
	 * reaped by init) from being handed out, and the newcomer's group id
	 * would be that pid. While the leader is a zombie, or while members
	 * of its group live on, the pid stays taken and the group is ours.
	 */
	if (!proc_alive(p->pid))
		(void)kill(-p->pid, SIGKILL);
	tproc_gone(p);
	if (!term_stopping(t)) {
		/* Holder and backend are one unit: half of it is no session. */
		reason = term_starting(t) ? SESS_REASON_SPAWN :
		    SESS_REASON_EXITED;
		term_stop(sup, t, sess_close(sup->db, t->id, reason, NULL,
		    NULL) == 0 ? MARK_NONE : term_starting(t) ?
		    MARK_SPAWN_FAILED : MARK_EXITED, p == &t->holder ?
		    "holder_exited" : "backend_exited");
	}
	if (t->backend.pid == 0 && t->holder.pid == 0)
		finish(sup, t);
}

void
ev_reap(struct sup *sup)
{
	struct tproc *p;
	struct term *t;
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (!gw_reaped(sup, pid, status) &&
		    (t = term_find_pid(sup, pid, &p)) != NULL)
			ev_ended(sup, t, p, status);
}
