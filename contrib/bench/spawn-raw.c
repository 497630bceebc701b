/*
 * spawn-raw.c - how fast this machine starts and stops a terminal backend
 * alone, without termgate: the yardstick contrib/bench/spawn compares
 * termgate's open+close with.
 *
 *   spawn-raw DIR CONCURRENCY SECONDS BACKEND [ARG...]
 *
 * CONCURRENCY processes each loop for SECONDS: start BACKEND ARG... with
 * "{sock}" in an argument replaced by a fresh socket path under DIR (its
 * own subdirectory, watched with inotify, so that the socket is seen the
 * moment it is bound; then tried every millisecond until it listens),
 * connect to it until the backend accepts, SIGTERM
 * its process group, reap it. Prints one line:
 *
 *   RESULT cycles=N secs=S per_s=R p50_ms=A p99_ms=B
 *
 * (per_s: completed start+stop cycles per second over all processes;
 * p50/p99: from the exec to the first accepted connection). Exits 1 when a
 * backend does not accept within 10 s or cannot be started.
 */
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../tests/lib/pct.h"

#define SAMPLES_MAX	100000
#define ARGS_MAX	64

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* 1 when a unix socket at PATH accepts a connection, else 0. */
static int
accepts(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, ok;

	if (strlen(path) >= sizeof(sa.sun_path))
		return 0;
	strcpy(sa.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	ok = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0;
	close(fd);
	return ok;
}

static pid_t
start(char *const argv[])
{
	pid_t pid;
	int null;

	if ((pid = fork()) != 0)
		return pid;
	setsid();
	if ((null = open("/dev/null", O_RDWR)) != -1) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	execv(argv[0], argv);
	_exit(127);
}

/* One start, wait, stop cycle; its start-to-accept time, or -1. */
static double
cycle(int ino, const char *sock, char *const argv[])
{
	char buf[4096];
	struct pollfd pfd = { ino, POLLIN, 0 };
	double t0 = now_ms(), ready = -1;
	pid_t pid;
	int st;

	unlink(sock);
	if ((pid = start(argv)) == -1)
		return -1;
	while (now_ms() - t0 < 10000) {
		if (accepts(sock)) {
			ready = now_ms() - t0;
			break;
		}
		/* Woken when something is created in the directory; a
		 * socket bound but not yet listening is retried each ms. */
		if (poll(&pfd, 1, access(sock, F_OK) == 0 ? 1 : 100) == 1)
			while (read(ino, buf, sizeof(buf)) > 0)
				;
	}
	kill(-pid, SIGTERM);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	unlink(sock);
	return ready;
}

/* One of the looping processes: writes its times to FD. */
static int
runner(const char *dir, int k, double secs, int argc, char **argv)
{
	char sub[512], sock[600], *args[ARGS_MAX + 1];
	double end = now_ms() + secs * 1000, ms;
	int i, ino;

	snprintf(sub, sizeof(sub), "%s/%d", dir, k);
	snprintf(sock, sizeof(sock), "%s/b.sock", sub);
	if (mkdir(sub, 0755) == -1 && errno != EEXIST)
		return 1;
	if ((ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) == -1 ||
	    inotify_add_watch(ino, sub, IN_CREATE | IN_MOVED_TO) == -1)
		return 1;
	for (i = 0; i < argc && i < ARGS_MAX; i++)
		args[i] = strcmp(argv[i], "{sock}") == 0 ? sock : argv[i];
	args[i] = NULL;
	while (now_ms() < end) {
		if ((ms = cycle(ino, sock, args)) < 0) {
			fprintf(stderr, "spawn-raw: %s did not accept\n",
			    argv[0]);
			return 1;
		}
		printf("%.3f\n", ms);
	}
	fflush(stdout);
	rmdir(sub);
	return 0;
}

int
main(int argc, char *argv[])
{
	static double v[SAMPLES_MAX];
	double secs, t0, el;
	int conc, i, n = 0, st, bad = 0;
	char line[64];
	FILE *in;
	int fds[2];

	if (argc < 5) {
		fprintf(stderr, "usage: spawn-raw DIR CONCURRENCY SECONDS "
		    "BACKEND [ARG...]\n");
		return 2;
	}
	conc = atoi(argv[2]);
	secs = atof(argv[3]);
	if (conc < 1 || conc > 1000 || secs <= 0 || pipe(fds) == -1)
		return 2;
	t0 = now_ms();
	for (i = 0; i < conc; i++)
		if (fork() == 0) {
			close(fds[0]);
			dup2(fds[1], 1);
			_exit(runner(argv[1], i, secs, argc - 4, argv + 4));
		}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	while (fgets(line, sizeof(line), in) != NULL)
		if (n < SAMPLES_MAX)
			v[n++] = atof(line);
	while (wait(&st) > 0)
		bad |= !WIFEXITED(st) || WEXITSTATUS(st) != 0;
	el = (now_ms() - t0) / 1000;
	if (n == 0 || bad)
		return 1;
	pct_sort(v, n);
	printf("RESULT cycles=%d secs=%.1f per_s=%.1f p50_ms=%.3f "
	    "p99_ms=%.3f\n", n, el, n / el, pct(v, n, 50), pct(v, n, 99));
	return 0;
}
