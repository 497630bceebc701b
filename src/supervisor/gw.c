/*
 * gw.c - the node's terminal gateway (terminal_gateway = on).
 *
 * One ttyd serves every session of the node: it listens on
 * socket_dir/gateway.sock and runs `termgate-pty attach -d socket_dir ID`
 * for each WebSocket, ID being the arg= of its query (ttyd -a), which
 * nginx writes after authorize and the client cannot (termgate-fcgi's
 * authorize answer names the whole upstream URI). An open then starts
 * only a holder and its shell.
 *
 * The gateway keeps no state: the holders do. So it is started at once,
 * watched like a terminal's process (a pidfd, reaped on SIGCHLD), and
 * started again when it dies: at the next tick, or with a back-off from
 * 250 ms doubling to 5 s while it keeps dying within 5 s of its start.
 * Its socket is handed to nginx (root:socket_group 0660, as a terminal's)
 * only once the process listening on it is the gateway itself
 * (SO_PEERCRED): the name is fixed, and a shell of the run_as user could
 * bind it first while the gateway restarts. When the supervisor stops,
 * so does the gateway; the holders stay, and the next gateway serves
 * them. A gateway a killed supervisor left behind is stopped by the next
 * one before it starts its own.
 */
#include <sys/socket.h>

#include <sys/pidfd.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "endpoint.h"
#include "log.h"
#include "proc.h"
#include "sess.h"
#include "sessfile.h"
#include "sup.h"

#define GW_EARLY	5000	/* ms: a death this soon after start counts */
#define GW_BACKOFF_MAX	5000	/* ms */

void
gw_init(struct sup *sup)
{
	struct gateway *g = &sup->gw;

	g->p.pidfd = -1;
	if (!sup->cfg.terminal_gateway)
		return;
	if (sup->cfg.backend != TG_BACKEND_TTYD ||
	    sup->cfg.terminal_listen != TG_LISTEN_UNIX)
		fatal("terminal_gateway needs backend = ttyd and "
		    "terminal_listen = unix");
	if (sessfile_gateway(g->sock, sizeof(g->sock),
	    sup->cfg.socket_dir) == -1)
		fatal("socket_dir %s: too long for the gateway's socket",
		    sup->cfg.socket_dir);
}

/* The gateway's command line into ARGV; 0, or -1 (logged). */
static int
gw_argv(struct sup *sup, struct tg_argv *argv)
{
	static struct tg_argv cmd;	/* kept off the stack */
	const char *const words[] = { launch_pty_path(sup), "attach", "-d",
	    sup->cfg.socket_dir };
	struct argv_backend b;
	char err[160] = "command too long";
	size_t i;

	memset(&b, 0, sizeof(b));
	b.path = sup->path;
	b.socket = sup->gw.sock;
	b.user = sup->user;
	b.group = sup->group;
	b.home = sup->home;
	b.base = sup->cfg.url_prefix;
	b.url_arg = 1;
	argv_reset(&cmd);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (argv_push(&cmd, words[i]) == -1)
			goto fail;
	if (argv_backend(argv, &b, &cmd, err, sizeof(err)) == 0)
		return 0;
fail:
	log_err("gateway argv: %s", err);
	return -1;
}

/*
 * A gateway that a previous supervisor left (killed -9, its gateway
 * lives on and listens): found by who listens on the socket, held by a
 * pidfd, and killed only when /proc shows the backend on that very
 * socket; otherwise every restart of a crashed supervisor would leave one
 * more ttyd behind. SIGKILL, not SIGTERM: a ttyd that ends cleanly
 * removes its socket by name, which by then would be the new gateway's.
 * Its attaches end with it (their terminal hangs up); the holders stay.
 */
static void
gw_stop_left(struct sup *sup)
{
	struct gateway *g = &sup->gw;
	struct tg_endpoint ep;
	struct ucred cr;
	socklen_t len = sizeof(cr);
	int fd, pidfd;

	if ((fd = ep_connect_unix(g->sock, SOCK_NONBLOCK)) == -1)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1)
		cr.pid = 0;
	close(fd);
	if (cr.pid <= 1 || cr.pid == g->p.pid ||
	    (pidfd = pidfd_open(cr.pid, 0)) == -1)
		return;
	memset(&ep, 0, sizeof(ep));
	ep.kind = EP_UNIX;
	strlcpy(ep.path, g->sock, sizeof(ep.path));
	if (ident_backend(sup, cr.pid, &ep)) {
		log_info("gateway pid=%ld left by a previous supervisor: "
		    "killed", (long)cr.pid);
		(void)pidfd_send_signal(pidfd, SIGKILL, NULL, 0);
	}
	close(pidfd);
}

static void
gw_start(struct sup *sup)
{
	static struct tg_argv argv;	/* kept off the stack */
	struct gateway *g = &sup->gw;

	g->started = clock_ms();
	g->up = 0;
	gw_stop_left(sup);
	/* A stale socket, or one a shell of run_as bound in its place. */
	if (unlink(g->sock) == -1 && errno != ENOENT)
		log_warn("gateway unlink %s: %s", g->sock, strerror(errno));
	if (gw_argv(sup, &argv) == -1 ||
	    launch_proc(sup, NULL, &g->p, &argv, 0) == -1) {
		g->fails++;
		g->next = g->started + GW_BACKOFF_MAX;
		return;
	}
	log_info("gateway spawn pid=%ld socket=%s", (long)g->p.pid, g->sock);
}

/* 1 when the process that listens on the gateway's socket is ours. */
static int
listener_ours(struct gateway *g, int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1) {
		log_warn("gateway SO_PEERCRED: %s", strerror(errno));
		return 0;
	}
	if (cr.pid == g->p.pid)
		return 1;
	log_warn("gateway socket %s: pid %ld uid %ld listens on it, not the "
	    "gateway (pid %ld): not given to nginx; the gateway is restarted",
	    g->sock, (long)cr.pid, (long)cr.uid, (long)g->p.pid);
	return 0;
}

/*
 * The rows of the sessions the gateway serves name it as their backend
 * (ttyd_pid): a new one replaces the pid of the last. Their ids go as
 * one text[] parameter, in batches; a failure leaves old pids, which
 * nothing signals (reconcile identifies a backend by its command line).
 */
static void
note_served(struct sup *sup)
{
	char ids[64 * (TOK_ID_LEN + 1) + 3];
	struct term *t;
	size_t n = 0;

	TAILQ_FOREACH(t, &sup->terms, entry) {
		if (!t->gw || t->state != T_ACTIVE)
			continue;
		ids[n] = n == 0 ? '{' : ',';
		n++;
		memcpy(ids + n, t->id, TOK_ID_LEN);
		n += TOK_ID_LEN;
		if (n + TOK_ID_LEN + 3 > sizeof(ids)) {
			memcpy(ids + n, "}", 2);
			(void)sess_set_gateway(sup->db, ids, sup->gw.p.pid);
			n = 0;
		}
	}
	if (n > 0) {
		memcpy(ids + n, "}", 2);
		(void)sess_set_gateway(sup->db, ids, sup->gw.p.pid);
	}
}

/*
 * The gateway runs and did not accept yet: connect (a unix connect is
 * done or refused at once; a full backlog is tried again next tick),
 * check who listens, hand the socket over.
 */
static void
gw_probe(struct sup *sup)
{
	struct gateway *g = &sup->gw;
	int fd, ok;

	if ((fd = ep_connect_unix(g->sock, SOCK_NONBLOCK)) == -1)
		return;
	if (!(ok = listener_ours(g, fd)))
		(void)pidfd_send_signal(g->p.pidfd, SIGKILL, NULL, 0);
	close(fd);
	if (!ok)
		return;
	launch_give_socket(sup, g->sock, "gateway");
	g->up = 1;
	note_served(sup);
	log_info("gateway ready pid=%ld ms=%lld", (long)g->p.pid,
	    (long long)(clock_ms() - g->started));
}

void
gw_tick(struct sup *sup)
{
	struct gateway *g = &sup->gw;

	if (!sup->cfg.terminal_gateway || sup->quit)
		return;
	if (g->p.pid == 0 && clock_ms() >= g->next)
		gw_start(sup);
	if (g->p.pid != 0 && !g->up)
		gw_probe(sup);
}

int
gw_reaped(struct sup *sup, pid_t pid, int status)
{
	struct gateway *g = &sup->gw;
	int64_t now = clock_ms(), wait;
	char how[32] = "gone";

	if (g->p.pid == 0 || pid != g->p.pid)
		return 0;
	if (WIFEXITED(status))
		snprintf(how, sizeof(how), "exit=%d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(how, sizeof(how), "signal=%d", WTERMSIG(status));
	/* What is left of its group (attaches are ttyd's own children). */
	if (!proc_alive(pid))
		(void)kill(-pid, SIGKILL);
	tproc_gone(&g->p);
	g->up = 0;
	g->fails = now - g->started < GW_EARLY ? g->fails + 1 : 0;
	wait = g->fails == 0 ? 0 : 250LL << (g->fails < 5 ? g->fails - 1 : 4);
	if (wait > GW_BACKOFF_MAX)
		wait = GW_BACKOFF_MAX;
	g->next = now + wait;
	log_warn("gateway reap pid=%ld %s; starting again in %lld ms",
	    (long)pid, how, (long long)wait);
	return 1;
}

int
gw_busy(const struct sup *sup)
{
	return sup->cfg.terminal_gateway && !sup->quit && !sup->gw.up;
}

pid_t
gw_pid(const struct sup *sup)
{
	return sup->gw.p.pid;
}

void
gw_stop(struct sup *sup)
{
	struct gateway *g = &sup->gw;

	if (g->p.pid == 0)
		return;
	log_info("gateway stop pid=%ld", (long)g->p.pid);
	if (pidfd_send_signal(g->p.pidfd, SIGTERM, NULL, 0) == -1)
		(void)kill(g->p.pid, SIGTERM);
}
