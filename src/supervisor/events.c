/*
 * events.c - what the supervisor does about each thing that happens.
 *
 * Notifications (a session to spawn, a session ended), timer ticks
 * (probes, spawn deadlines, kill deadlines, adopted processes), process
 * ends and reconciliation all end up here, and this is the only file that
 * tells the database what became of a terminal. The database is the
 * truth: whatever was missed while it was away is found again by
 * ev_reconcile, which compares the live rows of this node with the
 * terminals the supervisor holds. No failure here is fatal; a failed
 * update is retried by the next reconciliation.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <fcntl.h>
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

/* Ends session ID with a lifecycle function of sess.c; 0 or -1. */
static int
mark(struct sup *sup, const char *id,
    int (*fn)(struct tg_db *, const char *, json_object **))
{
	json_object *o = NULL;
	int rv;

	rv = fn(sup->db, id, &o);
	json_object_put(o);
	return rv == -1 ? -1 : 0;
}

static void
spawn_failed(struct sup *sup, const char *id, const char *why)
{
	log_warn("session=%.12s spawn_failed reason=%s", id, why);
	(void)mark(sup, id, sess_mark_spawn_failed);
}

/* Fills B for a session whose endpoint is EP; -1 if it cannot run. */
static int
backend_of(struct sup *sup, struct argv_backend *b, const char *ep,
    const char *cred, const char *base)
{
	memset(b, 0, sizeof(*b));
	b->shellinabox = sup->cfg.backend == TG_BACKEND_SHELLINABOX;
	b->path = sup->path;
	b->user = sup->user;
	b->group = sup->group;
	b->home = sup->home;
	b->base = base;
	if (strncmp(ep, "unix:", 5) == 0) {
		b->socket = ep + 5;
		return 0;
	}
	if (strncmp(ep, "127.0.0.1:", 10) != 0)
		return -1;
	b->port = atoi(ep + 10);
	b->cred = cred;
	return cred == NULL && !b->shellinabox ? -1 : 0;
}

/* Notes the pid of a starting terminal in its row (see reconcile.c). */
static void
record_pid(struct sup *sup, const char *id, pid_t pid)
{
	char p[24];
	const char *params[] = { id, p };
	PGresult *res;

	snprintf(p, sizeof(p), "%ld", (long)pid);
	if ((res = db_exec(sup->db, STMT_SUP_SET_PID, params)) != NULL)
		PQclear(res);
}

/*
 * Another program listens on the port a session was given: a probe would
 * take it for the terminal, and nginx would hand it the session's
 * credential. Fail the session and keep the port out of the pool a while.
 */
static void
port_busy(struct sup *sup, const char *id, int port)
{
	char p[16];
	const char *params[] = { sup->cfg.node, p };
	PGresult *res;

	snprintf(p, sizeof(p), "%d", port);
	log_warn("session=%.12s port=%d is taken by another program", id,
	    port);
	if ((res = db_exec(sup->db, STMT_SUP_PORT_BUSY, params)) != NULL)
		PQclear(res);
	spawn_failed(sup, id, "port_in_use");
}

/* Spawns row I of a STMT_SUP_STARTING result unless already running. */
static void
spawn_row(struct sup *sup, PGresult *res, int i)
{
	static struct tg_argv cmd, argv;	/* 9 KB: kept off the stack */
	struct argv_fields f;
	struct argv_backend b;
	char err[160], base[256];
	const char *id = PQgetvalue(res, i, 0), *ep = PQgetvalue(res, i, 1);
	struct term *t;

	if (proc_find(sup, id) != NULL || !valid_session_id(id))
		return;
	if (PQgetisnull(res, i, 4)) {
		spawn_failed(sup, id, "host_removed");
		return;
	}
	f.session_id = id;
	f.address = PQgetvalue(res, i, 4);
	f.ssh_user = PQgetvalue(res, i, 5);
	f.ssh_port = PQgetvalue(res, i, 6);
	f.host_id = PQgetvalue(res, i, 7);
	f.host_name = PQgetvalue(res, i, 8);
	snprintf(base, sizeof(base), "%s/%s", sup->cfg.url_prefix, id);
	if (backend_of(sup, &b, ep, PQgetisnull(res, i, 3) ? NULL :
	    PQgetvalue(res, i, 3), base) == -1) {
		spawn_failed(sup, id, "bad_endpoint");
		return;
	}
	if (b.port != 0 && proc_port_taken(b.port)) {
		port_busy(sup, id, b.port);
		return;
	}
	if (argv_command(&cmd, sup->cfg.terminal_command, &f, err,
	    sizeof(err)) == -1 ||
	    argv_backend(&argv, &b, &cmd, err, sizeof(err)) == -1) {
		log_warn("session=%.12s argv: %s", id, err);
		spawn_failed(sup, id, "bad_command");
		return;
	}
	if ((t = proc_spawn(sup, id, &argv, ep)) == NULL)
		spawn_failed(sup, id, "fork");
	else
		record_pid(sup, id, t->pid);
}

void
ev_scan_starting(struct sup *sup)
{
	const char *params[] = { sup->cfg.node };
	PGresult *res;
	int i;

	if ((res = db_exec(sup->db, STMT_SUP_STARTING, params)) == NULL)
		return;
	for (i = 0; i < PQntuples(res); i++)
		spawn_row(sup, res, i);
	PQclear(res);
}

void
ev_notifies(struct sup *sup, int readable)
{
	PGconn *c = db_conn(sup->db);
	PGnotify *n;
	struct term *t;

	if (c == NULL)
		return;
	if (readable && PQconsumeInput(c) == 0) {
		log_warn("db: connection lost; terminals keep running");
		return;
	}
	/* Also what arrived while another statement ran. */
	while ((n = PQnotifies(c)) != NULL) {
		if (strcmp(n->relname, "termgate_spawn") == 0)
			sup->scan = 1;
		else if (strcmp(n->relname, "termgate_close") == 0 &&
		    (t = proc_find(sup, n->extra)) != NULL)
			proc_stop(sup, t, MARK_NONE, "closed");
		PQfreemem(n);
	}
}

/*
 * Gives a new terminal's unix socket to socket_group, mode 0660, before
 * its session is active (so before nginx is sent to it). The backend
 * made it as its own user, and is not asked to do this itself: it may not
 * be in socket_group, and the shell it starts must not be. As root the
 * supervisor also takes the socket over (root:socket_group), since every
 * terminal runs as the same user, and a socket of that user's would let
 * each shell connect to every other session's terminal. Not root, it can
 * give the socket only to a group it is a member of. A symlink is never
 * followed; a failure is logged.
 */
static void
fix_socket(struct sup *sup, struct term *t)
{
	char fdpath[32];
	struct stat st;
	uid_t owner = geteuid() == 0 ? 0 : (uid_t)-1;
	int fd;

	if (t->path[0] == '\0')
		return;
	if ((fd = open(t->path, O_PATH | O_NOFOLLOW | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1 || !S_ISSOCK(st.st_mode)) {
		log_warn("session=%.12s socket %s: not a socket", t->id,
		    t->path);
		goto out;
	}
	if (fchownat(fd, "", owner, sup->sock_gid, AT_EMPTY_PATH) == -1)
		log_warn("session=%.12s chown socket to group %s: %m", t->id,
		    sup->cfg.socket_group);
	/* chmod through the descriptor: the inode it holds, no new lookup */
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd);
	if (chmod(fdpath, 0660) == -1)
		log_warn("session=%.12s chmod socket: %m", t->id);
out:
	if (fd != -1)
		close(fd);
}

static void
tick_starting(struct sup *sup, struct term *t, int64_t now)
{
	int rv;

	if (!t->ready && proc_probe(sup, t)) {
		t->ready = 1;
		fix_socket(sup, t);
	}
	if (t->ready) {
		if ((rv = sess_mark_active(sup->db, t->id, t->pid)) == 0) {
			t->state = T_ACTIVE;
			log_info("session=%.12s ready pid=%ld ms=%lld", t->id,
			    (long)t->pid, (long long)(now - t->started));
		} else if (rv == 1)
			proc_stop(sup, t, MARK_NONE, "no_longer_starting");
		return;			/* -1: retried next tick */
	}
	if (now < t->deadline)
		return;
	log_warn("session=%.12s spawn_failed reason=timeout", t->id);
	proc_stop(sup, t, mark(sup, t->id, sess_mark_spawn_failed) == 0 ?
	    MARK_NONE : MARK_SPAWN_FAILED, "spawn_timeout");
}

void
ev_tick(struct sup *sup)
{
	struct term *t, *next;
	int64_t now = now_ms();

	for (t = TAILQ_FIRST(&sup->terms); t != NULL; t = next) {
		next = TAILQ_NEXT(t, entry);
		if (t->adopted && !proc_alive(t->pid)) {
			ev_gone(sup, t, -1);
			continue;
		}
		if (t->state == T_STARTING)
			tick_starting(sup, t, now);
		else if (t->state == T_STOPPING && !t->killed &&
		    now >= t->deadline) {
			log_info("session=%.12s kill pid=%ld after grace",
			    t->id, (long)t->pid);
			proc_signal(t, SIGKILL);
			t->killed = 1;
		}
	}
}

static const char *const state_names[] = { "starting", "active",
    "stopping" };

static void
log_gone(struct term *t, int status)
{
	char how[32] = "gone";

	if (status != -1 && WIFEXITED(status))
		snprintf(how, sizeof(how), "exit=%d", WEXITSTATUS(status));
	else if (status != -1 && WIFSIGNALED(status))
		snprintf(how, sizeof(how), "signal=%d", WTERMSIG(status));
	log_info("session=%.12s reap pid=%ld %s was=%s", t->id, (long)t->pid,
	    how, state_names[t->state]);
}

void
ev_gone(struct sup *sup, struct term *t, int status)
{
	enum term_mark m = t->mark;

	log_gone(t, status);
	(void)kill(-t->pid, SIGKILL);	/* what is left of its group */
	if (t->path[0] != '\0')
		(void)unlink(t->path);
	if (t->state == T_STARTING)
		m = MARK_SPAWN_FAILED;
	else if (t->state == T_ACTIVE)
		m = MARK_EXITED;
	if (m == MARK_SPAWN_FAILED)
		(void)mark(sup, t->id, sess_mark_spawn_failed);
	else if (m == MARK_EXITED)
		(void)mark(sup, t->id, sess_mark_process_exited);
	if (t->port != 0)
		(void)sess_release_port(sup->db, t->id);
	proc_free(sup, t);
}

void
ev_reap(struct sup *sup)
{
	struct term *t;
	pid_t pid;
	int status;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if ((t = proc_find_pid(sup, pid)) != NULL)
			ev_gone(sup, t, status);
}
