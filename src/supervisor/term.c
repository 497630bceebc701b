/*
 * proc.c - starting, probing, signalling and recognising terminals.
 *
 * A terminal is two processes, each in a session and process group of its
 * own so that stopping it reaches whatever it started: the pty holder
 * (termgate-pty hold), which runs the session's shell for the session's
 * whole life, and the backend (ttyd or shellinaboxd), which runs
 * `termgate-pty attach` for each browser connection. A child resets
 * everything it inherited that could matter (signal mask and
 * dispositions, descriptors, environment, privileges) before execve; a
 * failed exec exits 127 and is seen as a process that died while
 * starting. Each process is held by a pidfd from the moment it is known
 * (at fork, or at adoption before its identity is checked), so a signal
 * can never reach a process that took a recycled pid, and an adopted one
 * is watched by polling its pidfd. Readiness is probed with non-blocking
 * connects so the loop never waits on a backend.
 */
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "sup.h"

#ifndef SBINDIR
#define SBINDIR		"/usr/sbin"
#endif

const char *
proc_pty_path(const struct sup *sup)
{
	return sup->cfg.pty_path[0] != '\0' ? sup->cfg.pty_path :
	    SBINDIR "/termgate-pty";
}

struct term *
proc_find(struct sup *sup, const char *id)
{
	struct term *t;

	TAILQ_FOREACH(t, &sup->terms, entry)
		if (strcmp(t->id, id) == 0)
			return t;
	return NULL;
}

struct term *
proc_find_pid(struct sup *sup, pid_t pid, struct tproc **p)
{
	struct term *t;

	TAILQ_FOREACH(t, &sup->terms, entry) {
		if (t->backend.pid == pid && t->backend.child)
			*p = &t->backend;
		else if (t->holder.pid == pid && t->holder.child)
			*p = &t->holder;
		else
			continue;
		return t;
	}
	return NULL;
}

struct term *
proc_new(struct sup *sup, const char *id, const struct tg_endpoint *ep)
{
	struct term *t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		log_err("session=%.12s out of memory", id);
		return NULL;
	}
	strlcpy(t->id, id, sizeof(t->id));
	t->probe = t->backend.pidfd = t->holder.pidfd = -1;
	t->ep = *ep;
	/* socket_dir is short (cfg.c): DIR/ID.pty always fits. */
	(void)ep_session_socket(&t->pty, sup->cfg.socket_dir, id, "pty");
	t->state = T_STARTING;
	t->started = clock_ms();
	t->deadline = t->started + sup->cfg.spawn_timeout * 1000LL;
	TAILQ_INSERT_TAIL(&sup->terms, t, entry);
	sup->nterms++;
	return t;
}

/* In the child: never returns. */
static void __attribute__((noreturn))
child(struct sup *sup, const char *id, struct tg_argv *argv)
{
	char e_home[300], e_id[96];
	char *envp[] = { "PATH=/usr/local/bin:/usr/bin:/bin", e_home,
	    "TERM=xterm-256color", "LANG=C.UTF-8", e_id, NULL };
	sigset_t none;
	int fd, sig;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	(void)setsid();
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	closefrom(3);
	if (sup->nofile.rlim_cur != RLIM_INFINITY)
		(void)setrlimit(RLIMIT_NOFILE, &sup->nofile);
	umask(027);
	if (geteuid() == 0 && sup->uid != (uid_t)-1 &&
	    (initgroups(sup->user, sup->gid) == -1 ||
	    setgid(sup->gid) == -1 || setuid(sup->uid) == -1)) {
		log_err("spawn: cannot drop to %s: %s", sup->user,
		    strerror(errno));
		_exit(126);
	}
	/* "/" always exists; were it refused, the exec fails below */
	if (chdir(sup->home) == -1 && chdir("/") == -1)
		log_warn("spawn: chdir /: %s", strerror(errno));
	snprintf(e_home, sizeof(e_home), "HOME=%s", sup->home);
	snprintf(e_id, sizeof(e_id), "TERMGATE_SESSION_ID=%s", id);
	execve(argv->v[0], argv->v, envp);
	log_err("spawn: exec %s: %s", argv->v[0], strerror(errno));
	_exit(127);
}

int
proc_start(struct sup *sup, struct term *t, struct tproc *p,
    struct tg_argv *argv)
{
	pid_t pid;

	if ((pid = fork()) == -1) {
		log_err("session=%.12s spawn: fork: %s", t->id,
		    strerror(errno));
		return -1;
	}
	if (pid == 0)
		child(sup, t->id, argv);
	p->pid = pid;
	p->child = 1;
	/* Our child: its pid cannot be reused before we reap it. */
	if ((p->pidfd = pidfd_open(pid, 0)) == -1)
		log_warn("session=%.12s pidfd_open: %s", t->id,
		    strerror(errno));
	log_info("session=%.12s spawn %s pid=%ld", t->id,
	    p == &t->holder ? "holder" : "backend", (long)pid);
	return 0;
}

int
proc_watch(struct tproc *p, pid_t pid)
{
	if (pid <= 1 || (p->pidfd = pidfd_open(pid, 0)) == -1)
		return -1;
	p->pid = pid;
	p->child = 0;
	return 0;
}

void
proc_gone(struct tproc *p)
{
	if (p->pidfd != -1)
		close(p->pidfd);
	p->pidfd = -1;
	p->pid = 0;
}

int
proc_exited(const struct tproc *p)
{
	struct pollfd pfd = { p->pidfd, POLLIN, 0 };

	if (p->pid == 0)
		return 1;
	if (p->pidfd == -1)
		return !proc_alive(p->pid);
	return poll(&pfd, 1, 0) == 1;
}

/* Starts a non-blocking connect to T's endpoint; 1 done, 0 pending, -1. */
static int
probe_start(struct term *t)
{
	struct sockaddr_storage sa;
	socklen_t len;

	ep_sockaddr(&t->ep, &sa, &len);
	t->probe = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (t->probe == -1)
		return -1;
	if (connect(t->probe, (struct sockaddr *)&sa, len) == 0)
		return 1;
	/* A unix listener with a full backlog is listening all the same. */
	if (errno == EAGAIN && t->ep.kind == EP_UNIX)
		return 1;
	return errno == EINPROGRESS ? 0 : -1;
}

/* 1 once the backend accepts and the holder's socket is there. */
int
proc_probe(struct term *t)
{
	struct pollfd pfd;
	struct stat st;
	socklen_t len = sizeof(int);
	int rv, err = 0;

	/* termgate-pty renames its socket into place once it accepts. */
	if (lstat(t->pty.path, &st) == -1 || !S_ISSOCK(st.st_mode))
		return 0;
	if (t->probe == -1) {
		rv = probe_start(t);
	} else {
		pfd.fd = t->probe;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, 0) == 0)
			return 0;
		rv = getsockopt(t->probe, SOL_SOCKET, SO_ERROR, &err,
		    &len) == 0 && err == 0 ? 1 : -1;
	}
	if (rv != 0 && t->probe != -1) {
		close(t->probe);
		t->probe = -1;
	}
	return rv == 1;
}

/*
 * Signals process P and its group. The leader goes through its pidfd;
 * the group (its id is the leader's pid, setsid) only while the leader is
 * known: an unreaped child or a pidfd that has not seen it exit, so the
 * group id cannot belong to anyone else yet.
 */
static void
signal_one(struct tproc *p, int sig)
{
	if (p->pid == 0)
		return;
	if (p->pidfd != -1) {
		if (pidfd_send_signal(p->pidfd, sig, NULL, 0) == -1 &&
		    errno == ESRCH && !p->child)
			return;
	} else if (kill(p->pid, sig) == -1 && errno == ESRCH && !p->child)
		return;
	(void)kill(-p->pid, sig);
}

void
proc_signal(struct term *t, int sig)
{
	signal_one(&t->holder, sig);
	signal_one(&t->backend, sig);
}

void
proc_stop(struct sup *sup, struct term *t, enum term_mark mark,
    const char *why)
{
	if (t->state == T_STOPPING)
		return;
	if (t->probe != -1) {
		close(t->probe);
		t->probe = -1;
	}
	t->state = T_STOPPING;
	t->mark = mark;
	t->deadline = clock_ms() + sup->cfg.kill_grace * 1000LL;
	log_info("session=%.12s stop backend=%ld holder=%ld reason=%s", t->id,
	    (long)t->backend.pid, (long)t->holder.pid, why);
	proc_signal(t, sup->cfg.kill_grace > 0 ? SIGTERM : SIGKILL);
	t->killed = sup->cfg.kill_grace == 0;
}

/* Reads /proc/PID/WHAT into BUF; its length, or -1. */
static ssize_t
read_proc(pid_t pid, const char *what, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, what);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n > 0)
		buf[n] = '\0';
	return n;
}

/* 1 when word W (after PREV) names EP: its socket path, or its port
 * after -p. */
static int
names_endpoint(const char *w, const char *prev,
    const struct tg_endpoint *ep)
{
	static const char siab[] = "--unixdomain-only=";
	size_t n = strlen(ep->path);
	char port[16];

	if (ep->kind == EP_TCP) {
		snprintf(port, sizeof(port), "%d", ep->port);
		return (strcmp(prev, "-p") == 0 ||
		    strcmp(prev, "--port") == 0) && strcmp(w, port) == 0;
	}
	if (strcmp(w, ep->path) == 0)
		return 1;
	return strncmp(w, siab, sizeof(siab) - 1) == 0 &&
	    strncmp(w + sizeof(siab) - 1, ep->path, n) == 0 &&
	    w[sizeof(siab) - 1 + n] == ':';
}

int
proc_matches(struct sup *sup, pid_t pid, const struct tg_endpoint *ep)
{
	char buf[8192], want[256], *w, *prev = "";
	ssize_t n;

	if (pid <= 1 || (n = read_proc(pid, "cmdline", buf, sizeof(buf))) <= 0)
		return 0;
	strlcpy(want, sup->path, sizeof(want));
	if (strcmp(basename(buf), basename(want)) != 0)
		return 0;
	for (w = buf; w < buf + n; w += strlen(w) + 1) {
		if (strcmp(w, "--") == 0)
			break;		/* the terminal command starts */
		if (names_endpoint(w, prev, ep))
			return 1;
		prev = w;
	}
	return 0;
}

int
proc_is_session(pid_t pid, const char *id)
{
	char buf[16384], want[sizeof("TERMGATE_SESSION_ID=") + TOK_ID_LEN];
	ssize_t n;
	char *w;

	if (pid <= 1 || getsid(pid) != pid ||
	    (n = read_proc(pid, "environ", buf, sizeof(buf))) <= 0)
		return 0;
	snprintf(want, sizeof(want), "TERMGATE_SESSION_ID=%s", id);
	for (w = buf; w < buf + n; w += strlen(w) + 1)
		if (strcmp(w, want) == 0)
			return 1;
	return 0;
}
int
proc_holds(struct sup *sup, pid_t pid, const struct tg_endpoint *pty)
{
	char buf[8192], want[256], *w, *prev = "";
	ssize_t n;

	if (pid <= 1 || (n = read_proc(pid, "cmdline", buf, sizeof(buf))) <= 0)
		return 0;
	strlcpy(want, proc_pty_path(sup), sizeof(want));
	if (strcmp(basename(buf), basename(want)) != 0)
		return 0;
	w = buf + strlen(buf) + 1;
	if (w >= buf + n || strcmp(w, "hold") != 0)
		return 0;
	for (; w < buf + n; w += strlen(w) + 1) {
		if (strcmp(w, "--") == 0)
			break;		/* the session's command starts */
		if (strcmp(prev, "-s") == 0 && strcmp(w, pty->path) == 0)
			return 1;
		prev = w;
	}
	return 0;
}

int
proc_port_taken(int port)
{
	struct sockaddr_in sin;
	int fd, on = 1, taken;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	/* As the backends do: only a listener, not TIME_WAIT, blocks it. */
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	taken = bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 &&
	    errno == EADDRINUSE;
	close(fd);
	return taken;
}

int
proc_alive(pid_t pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	if (pid <= 1 || (kill(pid, 0) == -1 && errno == ESRCH))
		return 0;
	/* A zombie that init has not reaped yet is gone for us. */
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL || p[1] == '\0')
		return 1;
	return p[2] != 'Z' && p[2] != 'X';
}

void
proc_free(struct sup *sup, struct term *t)
{
	if (t->probe != -1)
		close(t->probe);
	proc_gone(&t->backend);
	proc_gone(&t->holder);
	TAILQ_REMOVE(&sup->terms, t, entry);
	sup->nterms--;
	free(t);
}
