/*
 * master.c - termgate-fcgi's master: configuration, the FastCGI socket,
 * and a fixed number of prefork workers kept alive.
 *
 * One straight line of setup (configuration, socket, signals), then a
 * loop that sleeps in sigsuspend with every signal it cares about blocked
 * outside it; the handlers only set flags. Dead workers are reaped with
 * waitpid(WNOHANG) and respawned, at once when they had lived a while and
 * with a doubling delay when they keep dying young. SIGHUP re-reads the
 * configuration and replaces the workers one at a time; SIGTERM or SIGINT
 * stops them (each finishes its request) and exits 0. The master never
 * touches the database. It maps the tables the workers share (stats.c,
 * inflight.c) before it forks them, and clears a dead worker's claim on
 * the heavy reads when it reaps it: a worker killed mid-read never got
 * to let go.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "clock.h"
#include "fcgi.h"
#include "inflight.h"
#include "log.h"
#include "nodeauth.h"
#include "route.h"
#include "stats.h"

#define SLOTS_MAX	256
#define YOUNG_MS	2000		/* dying younger backs off */
#define BACKOFF_MIN_MS	250
#define BACKOFF_MAX_MS	10000
#define STOP_GRACE_S	30		/* then SIGKILL */

struct slot {
	pid_t		 pid;		/* -1 when empty */
	long long	 started;	/* ms */
	long long	 respawn_at;	/* ms, when empty */
	int		 delay;		/* current back-off, ms */
	unsigned	 gen;		/* configuration generation */
	int		 retiring;	/* sent SIGTERM for a reload */
};

static volatile sig_atomic_t got_term, got_hup, got_chld, got_alrm;

static struct tg_cfg cfg;
static const char *cfg_file;
static struct slot slots[SLOTS_MAX];
static int nworkers;
static unsigned gen;
static int listen_fd = -1;
static char unix_path[108];
static int stopping;

static void
on_signal(int sig)
{
	switch (sig) {
	case SIGTERM:
	case SIGINT:
		got_term = 1;
		break;
	case SIGHUP:
		got_hup = 1;
		break;
	case SIGCHLD:
		got_chld = 1;
		break;
	case SIGALRM:
		got_alrm = 1;
		break;
	}
}

static __attribute__((noreturn)) void
usage(void)
{
	fprintf(stderr, "usage: termgate-fcgi [-c FILE] [-t]\n");
	exit(2);
}

/* Loads the configuration of cfg_file over the defaults; 0 or -1. */
static int
load_cfg(struct tg_cfg *c)
{
	char err[1024];

	cfg_defaults(c);
	if (cfg_file != NULL && cfg_load(c, cfg_file, err, sizeof(err)) == -1) {
		log_err("config: %s", err);
		return -1;
	}
	/* Read once: node_secret_file and metrics_token_file apply only at
	 * start. */
	if (nodeauth_load(c->node_secret_file, err, sizeof(err)) == -1 ||
	    route_setup(c, err, sizeof(err)) == -1) {
		log_err("config: %s", err);
		return -1;
	}
	return 0;
}

/* Gives the socket at PATH to socket_group, mode 0660. */
static void
socket_access(const char *path)
{
	struct group *gr;

	if ((gr = getgrnam(cfg.socket_group)) == NULL ||
	    chown(path, (uid_t)-1, gr->gr_gid) == -1)
		log_warn("listen: socket %s keeps its group (socket_group %s "
		    "not usable); nginx must run as %ld or share its group",
		    path, cfg.socket_group, (long)getuid());
	if (chmod(path, 0660) == -1)
		fatal("listen: chmod %s: %s", path, strerror(errno));
}

static int
open_unix(const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path))
		fatal("listen: path too long: %s", path);
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		(void)unlink(path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		fatal("listen: unix:%s: %s", path, strerror(errno));
	strlcpy(unix_path, path, sizeof(unix_path));
	socket_access(path);
	return fd;
}

/* 1 when SA is a loopback address (127.0.0.0/8 or ::1). */
static int
loopback(const struct sockaddr *sa)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;

	if (sa->sa_family == AF_INET)
		return (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
	return sa->sa_family == AF_INET6 &&
	    IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr);
}

/*
 * HOST:PORT. FastCGI carries REMOTE_USER from whoever connects, so only a
 * loopback address is taken, and even that lets every local user speak
 * for any user: a unix socket in socket_group is the safe choice.
 */
static int
open_tcp(const char *spec)
{
	struct addrinfo hints, *res = NULL;
	char host[256];
	const char *port;
	int fd, on = 1, rv;

	if ((port = strrchr(spec, ':')) == NULL || port == spec)
		fatal("listen: expected unix:PATH or HOST:PORT: %s", spec);
	snprintf(host, sizeof(host), "%.*s", (int)(port - spec), spec);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV | AI_NUMERICHOST;
	if ((rv = getaddrinfo(host, port + 1, &hints, &res)) != 0)
		fatal("listen: %s: %s (a numeric loopback address is "
		    "needed)", spec, gai_strerror(rv));
	if (!loopback(res->ai_addr))
		fatal("listen: %s is not a loopback address: whoever reaches "
		    "it could speak FastCGI as any user; use unix:PATH or "
		    "127.0.0.1:PORT", spec);
	log_warn("listen: %s: every local user can connect and speak "
	    "FastCGI as any user; unix:PATH (mode 0660, socket_group) is "
	    "safer", spec);
	if ((fd = socket(res->ai_family, SOCK_STREAM, 0)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) == -1 ||
	    bind(fd, res->ai_addr, res->ai_addrlen) == -1)
		fatal("listen: %s: %s", spec, strerror(errno));
	freeaddrinfo(res);
	return fd;
}

/* Opens (or adopts fd 0 as) the FastCGI socket, non-blocking. */
static int
open_listener(const char *spec)
{
	struct stat st;
	int fd;

	if (spec[0] == '\0') {
		if (fstat(0, &st) == -1 || !S_ISSOCK(st.st_mode))
			fatal("listen: unset, and fd 0 is not a socket");
		fd = 0;
	} else if (strncmp(spec, "unix:", 5) == 0)
		fd = open_unix(spec + 5);
	else
		fd = open_tcp(spec);
	if (fd != 0 && listen(fd, SOMAXCONN) == -1)
		fatal("listen: %s: %s", spec, strerror(errno));
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == -1)
		fatal("listen: fcntl: %s", strerror(errno));
	return fd;
}

static void
master_signals(sigset_t *waitmask)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP, SIGCHLD,
	    SIGALRM };
	struct sigaction sa;
	sigset_t block;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&block);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		sigaction(sigs[i], &sa, NULL);
		sigaddset(&block, sigs[i]);
	}
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigdelset(waitmask, sigs[i]);
}

static void
spawn(int i)
{
	struct slot *s = &slots[i];
	pid_t master = getpid();
	pid_t pid;

	if ((pid = fork()) == -1) {
		log_err("master: fork: %s", strerror(errno));
		s->respawn_at = clock_ms() + BACKOFF_MAX_MS;
		return;
	}
	if (pid == 0) {
		/* A worker never outlives its master. */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1 ||
		    getppid() != master)
			_exit(1);
		/*
		 * A session of its own, as each PostgreSQL backend makes:
		 * Linux's autogroup (on by default in Debian's kernels)
		 * shares the CPU between sessions, not processes, so every
		 * worker in the master's session had one backend's share
		 * among all of them, and searches waited for a CPU behind
		 * the backends (issue 22: p99 of a word 63 ms, 21 without).
		 * The master still stops each worker by its pid.
		 */
		(void)setsid();
		worker_main(listen_fd, &cfg, i);
	}
	s->pid = pid;
	s->started = clock_ms();
	s->gen = gen;
	s->retiring = 0;
}

static void
log_death(int i, pid_t pid, int status)
{
	if (WIFEXITED(status))
		log_msg(WEXITSTATUS(status) == 0 ? LOG_INFO : LOG_WARN,
		    "master: worker %d pid=%ld exited status=%d", i,
		    (long)pid, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		log_warn("master: worker %d pid=%ld killed signal=%d", i,
		    (long)pid, WTERMSIG(status));
}

/* Collects dead workers and schedules their replacements. */
static void
reap(void)
{
	struct slot *s;
	pid_t pid;
	int status, i;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (i = 0; i < SLOTS_MAX && slots[i].pid != pid; i++)
			;
		if (i == SLOTS_MAX)
			continue;
		s = &slots[i];
		log_death(i, pid, status);
		if (inflight_leave(i))
			log_warn("master: worker %d died in a heavy read; its "
			    "claim cleared", i);
		s->pid = -1;
		if (stopping)
			continue;
		if (s->retiring || clock_ms() - s->started >= YOUNG_MS)
			s->delay = 0;
		else
			s->delay = s->delay == 0 ? BACKOFF_MIN_MS :
			    s->delay * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS :
			    s->delay * 2;
		s->respawn_at = clock_ms() + s->delay;
		if (s->delay > 0)
			log_warn("master: worker %d dies young; respawn in "
			    "%d ms", i, s->delay);
	}
}

/* Starts the workers that are due; arms the timer for the next one. */
static void
respawn_due(void)
{
	long long now = clock_ms(), next = 0;
	struct itimerval it;
	int i;

	for (i = 0; i < nworkers; i++) {
		if (slots[i].pid != -1)
			continue;
		if (slots[i].respawn_at <= now)
			spawn(i);
		else if (next == 0 || slots[i].respawn_at < next)
			next = slots[i].respawn_at;
	}
	if (next == 0)
		return;
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (next - now) / 1000;
	it.it_value.tv_usec = (next - now) % 1000 * 1000 + 1000;
	setitimer(ITIMER_REAL, &it, NULL);
}

/* Sends SIGTERM to the next worker of an old generation, one at a time. */
static void
roll(void)
{
	int i;

	for (i = 0; i < SLOTS_MAX; i++)
		if (slots[i].pid != -1 && slots[i].retiring)
			return;
	for (i = 0; i < SLOTS_MAX; i++)
		if (slots[i].pid != -1 && (slots[i].gen != gen ||
		    i >= nworkers)) {
			slots[i].retiring = 1;
			kill(slots[i].pid, SIGTERM);
			return;
		}
}

/*
 * The workers to run: WORKERS, or for 0 (the default) two per online CPU:
 * a worker spends much of a request waiting for PostgreSQL or for a
 * terminal to start, so one per CPU leaves CPUs idle. At most SLOTS_MAX.
 * Cannot fail.
 */
static int
worker_count(int workers)
{
	long n;

	if (workers > 0)
		return workers;
	if ((n = sysconf(_SC_NPROCESSORS_ONLN)) < 1)
		n = 1;
	return n > SLOTS_MAX / 2 ? SLOTS_MAX : (int)n * 2;
}

/* SIGHUP: what the workers read applies to the next ones (cfg.c marks
 * the keys the master applies only at start). */
static void
reload(void)
{
	char err[1024];

	if (cfg_reload(&cfg, cfg_file, CFG_FCGI, err, sizeof(err)) == -1) {
		log_err("master: reload failed: %s; keeping the "
		    "configuration", err);
		return;
	}
	nworkers = worker_count(cfg.workers);
	inflight_workers(nworkers);
	gen++;
	log_info("master: reloaded; replacing workers workers=%d", nworkers);
}

/*
 * SIGTERMs every worker and waits for them; after STOP_GRACE_S the ones
 * still busy are killed. The deadline is kept here rather than trusted to
 * got_alrm, which a respawn timer may have set already.
 */
static void
stop_all(const sigset_t *waitmask)
{
	long long deadline = clock_ms() + STOP_GRACE_S * 1000LL;
	int i, left;

	alarm(STOP_GRACE_S);
	got_alrm = 0;
	for (i = 0; i < SLOTS_MAX; i++)
		if (slots[i].pid != -1)
			kill(slots[i].pid, SIGTERM);
	for (;;) {
		reap();
		for (i = left = 0; i < SLOTS_MAX; i++)
			left += slots[i].pid != -1;
		if (left == 0)
			break;
		if (got_alrm && clock_ms() < deadline) {
			got_alrm = 0;
			alarm((deadline - clock_ms()) / 1000 + 1);
		} else if (got_alrm) {
			log_warn("master: %d workers busy; killing", left);
			for (i = 0; i < SLOTS_MAX; i++)
				if (slots[i].pid != -1)
					kill(slots[i].pid, SIGKILL);
			got_alrm = 0;
		}
		sigsuspend(waitmask);
	}
}

static void
run(const sigset_t *waitmask)
{
	for (;;) {
		setproctitle("master: %d workers%s", nworkers,
		    stopping ? " (stopping)" : "");
		if (got_chld) {
			got_chld = 0;
			reap();
		}
		if (got_term)
			return;
		if (got_hup) {
			got_hup = 0;
			reload();
		}
		got_alrm = 0;
		respawn_due();
		roll();
		sigsuspend(waitmask);
	}
}

int
main(int argc, char *argv[])
{
	extern char **environ;
	sigset_t waitmask;
	int ch, check = 0, i;

	setproctitle_init(argc, argv, environ);
	log_init("termgate-fcgi");
	while ((ch = getopt(argc, argv, "c:t")) != -1) {
		switch (ch) {
		case 'c': cfg_file = optarg; break;
		case 't': check = 1; break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	cfg_file = cfg_path(cfg_file);
	if (load_cfg(&cfg) == -1)
		exit(1);
	if (check) {
		printf("termgate-fcgi: configuration %s is valid\n",
		    cfg_file != NULL ? cfg_file : "(defaults)");
		return 0;
	}
	listen_fd = open_listener(cfg.listen);
	/* before any worker: they all share it */
	if (stats_init() == -1)
		fatal("master: shared statistics: %s", strerror(errno));
	if (inflight_init(SLOTS_MAX) == -1)
		fatal("master: shared read table: %s", strerror(errno));
	master_signals(&waitmask);
	nworkers = worker_count(cfg.workers);
	inflight_workers(nworkers);
	for (i = 0; i < SLOTS_MAX; i++)
		slots[i].pid = -1;
	log_info("master: listening on %s workers=%d", cfg.listen[0] ?
	    cfg.listen : "fd 0", nworkers);
	/* From now on nothing may end the master but a stop signal. */
	run(&waitmask);
	stopping = 1;
	setproctitle("master: stopping");
	stop_all(&waitmask);
	if (unix_path[0] != '\0')
		(void)unlink(unix_path);
	log_info("master: stopped");
	return 0;
}
