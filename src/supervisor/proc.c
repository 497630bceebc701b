/*
 * proc.c - starting, probing, signalling and recognising terminals.
 *
 * A terminal is one backend process (ttyd or shellinaboxd) in a session
 * and process group of its own, so that stopping it reaches whatever it
 * started. The child resets everything it inherited that could matter
 * (signal mask and dispositions, descriptors, environment, privileges)
 * before execv; a failed exec exits 127 and is seen as a process that
 * died while starting. Readiness is probed with non-blocking connects so
 * the loop never waits on a backend.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>
#include <arpa/inet.h>

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

#include "log.h"
#include "sup.h"

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
proc_find_pid(struct sup *sup, pid_t pid)
{
	struct term *t;

	TAILQ_FOREACH(t, &sup->terms, entry)
		if (t->pid == pid && !t->adopted)
			return t;
	return NULL;
}

/* In the child: never returns. */
static void __attribute__((noreturn))
child(struct sup *sup, struct tg_argv *argv, char **envp)
{
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
	if (geteuid() == 0 && sup->uid != (uid_t)-1 &&
	    (initgroups(sup->user, sup->gid) == -1 ||
	    setgid(sup->gid) == -1 || setuid(sup->uid) == -1)) {
		log_err("spawn: cannot drop to %s: %s", sup->user,
		    strerror(errno));
		_exit(126);
	}
	if (chdir(sup->home) == -1)
		(void)chdir("/");
	execve(argv->v[0], argv->v, envp);
	log_err("spawn: exec %s: %s", argv->v[0], strerror(errno));
	_exit(127);
}

/* Parses ENDPOINT into T (socket path or port); -1 if malformed. */
static int
set_endpoint(struct term *t, const char *endpoint)
{
	const char *errstr;

	if (strncmp(endpoint, "unix:", 5) == 0) {
		if (strlcpy(t->path, endpoint + 5, sizeof(t->path)) >=
		    sizeof(t->path))
			return -1;
		return 0;
	}
	if (strncmp(endpoint, "127.0.0.1:", 10) != 0)
		return -1;
	t->port = strtonum(endpoint + 10, 1, 65535, &errstr);
	return errstr == NULL ? 0 : -1;
}

struct term *
proc_spawn(struct sup *sup, const char *id, struct tg_argv *argv,
    const char *endpoint)
{
	char e_path[64], e_home[300], e_id[96];
	char *envp[] = { e_path, e_home, "TERM=xterm-256color",
	    "LANG=C.UTF-8", e_id, NULL };
	struct term *t;

	if ((t = calloc(1, sizeof(*t))) == NULL) {
		log_err("session=%.12s spawn: out of memory", id);
		return NULL;
	}
	strlcpy(t->id, id, sizeof(t->id));
	t->probe = -1;
	if (set_endpoint(t, endpoint) == -1) {
		log_err("session=%.12s spawn: bad endpoint", id);
		free(t);
		return NULL;
	}
	snprintf(e_path, sizeof(e_path), "PATH=/usr/local/bin:/usr/bin:/bin");
	snprintf(e_home, sizeof(e_home), "HOME=%s", sup->home);
	snprintf(e_id, sizeof(e_id), "TERMGATE_SESSION_ID=%s", id);
	if (t->path[0] != '\0')
		(void)unlink(t->path);	/* a stale socket of this id */
	t->started = now_ms();
	t->deadline = t->started + sup->cfg.spawn_timeout * 1000LL;
	if ((t->pid = fork()) == -1) {
		log_err("session=%.12s spawn: fork: %s", id, strerror(errno));
		free(t);
		return NULL;
	}
	if (t->pid == 0)
		child(sup, argv, envp);
	t->state = T_STARTING;
	TAILQ_INSERT_TAIL(&sup->terms, t, entry);
	sup->nterms++;
	log_info("session=%.12s spawn pid=%ld endpoint=%s%s%.0d", id,
	    (long)t->pid, t->path[0] ? "unix:" : "127.0.0.1:", t->path,
	    t->port);
	sup_title(sup);
	return t;
}

/* Starts a non-blocking connect to T's endpoint; 1 done, 0 pending, -1. */
static int
probe_start(struct term *t)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct sockaddr *sa;
	socklen_t len;

	if (t->path[0] != '\0') {
		strlcpy(sun.sun_path, t->path, sizeof(sun.sun_path));
		sa = (struct sockaddr *)&sun;
		len = sizeof(sun);
	} else {
		sin.sin_port = htons(t->port);
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sa = (struct sockaddr *)&sin;
		len = sizeof(sin);
	}
	t->probe = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (t->probe == -1)
		return -1;
	if (connect(t->probe, sa, len) == 0)
		return 1;
	/* A unix listener with a full backlog is listening all the same. */
	if (errno == EINPROGRESS || (errno == EAGAIN && t->path[0] != '\0'))
		return errno == EAGAIN ? 1 : 0;
	return -1;
}

int
proc_probe(struct sup *sup, struct term *t)
{
	struct pollfd pfd;
	socklen_t len = sizeof(int);
	int rv, err = 0;

	(void)sup;
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

void
proc_signal(struct term *t, int sig)
{
	/* The group is the terminal's; before setsid it is ours: pid only. */
	if (kill(-t->pid, sig) == -1)
		(void)kill(t->pid, sig);
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
	t->deadline = now_ms() + sup->cfg.kill_grace * 1000LL;
	log_info("session=%.12s stop pid=%ld reason=%s", t->id,
	    (long)t->pid, why);
	proc_signal(t, sup->cfg.kill_grace > 0 ? SIGTERM : SIGKILL);
	t->killed = sup->cfg.kill_grace == 0;
	sup_title(sup);
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

/* 1 when word W names the endpoint (socket path, or port after -p). */
static int
names_endpoint(const char *w, const char *prev, const char *path,
    const char *port)
{
	static const char siab[] = "--unixdomain-only=";
	size_t n = strlen(path);

	if (n == 0)
		return (strcmp(prev, "-p") == 0 ||
		    strcmp(prev, "--port") == 0) && strcmp(w, port) == 0;
	if (strcmp(w, path) == 0)
		return 1;
	return strncmp(w, siab, sizeof(siab) - 1) == 0 &&
	    strncmp(w + sizeof(siab) - 1, path, n) == 0 &&
	    w[sizeof(siab) - 1 + n] == ':';
}

int
proc_matches(struct sup *sup, pid_t pid, const char *endpoint)
{
	char buf[8192], want[256], port[16] = "", *w, *prev = "";
	const char *path = "";
	ssize_t n;

	if (pid <= 1 || (n = read_proc(pid, "cmdline", buf, sizeof(buf))) <= 0)
		return 0;
	strlcpy(want, sup->path, sizeof(want));
	if (strcmp(basename(buf), basename(want)) != 0)
		return 0;
	if (strncmp(endpoint, "unix:", 5) == 0)
		path = endpoint + 5;
	else if (strncmp(endpoint, "127.0.0.1:", 10) == 0)
		strlcpy(port, endpoint + 10, sizeof(port));
	else
		return 0;
	for (w = buf; w < buf + n; w += strlen(w) + 1) {
		if (strcmp(w, "--") == 0)
			break;		/* the terminal command starts */
		if (names_endpoint(w, prev, path, port))
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
	TAILQ_REMOVE(&sup->terms, t, entry);
	sup->nterms--;
	free(t);
	sup_title(sup);
}

struct term *
proc_adopt(struct sup *sup, const char *id, pid_t pid, const char *endpoint)
{
	struct term *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	strlcpy(t->id, id, sizeof(t->id));
	t->probe = -1;
	if (set_endpoint(t, endpoint) == -1) {
		free(t);
		return NULL;
	}
	t->pid = pid;
	t->adopted = 1;
	t->state = T_ACTIVE;
	t->seen = 1;
	t->started = now_ms();
	TAILQ_INSERT_TAIL(&sup->terms, t, entry);
	sup->nterms++;
	sup_title(sup);
	return t;
}
