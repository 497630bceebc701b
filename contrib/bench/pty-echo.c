/*
 * pty-echo.c - what termgate-pty costs: keystroke echo latency with and
 * without the holder, and the holder's memory.
 *
 *   make contrib/bench/pty-echo
 *   contrib/bench/pty-echo [-n KEYS] [-c CMD] src/pty/termgate-pty
 *
 * Direct: CMD (default "bash --norc --noprofile -i") runs on a pty this
 * program is the terminal of. Held: "termgate-pty hold" runs CMD, and
 * "termgate-pty attach" runs on a pty this program is the terminal of,
 * as ttyd would run it. For each, KEYS (default 1000) times: write one
 * 'a' to the pty, and time until the echoed 'a' is read back; every 50
 * keys a ^U (untimed, drained until 100 ms of quiet) keeps the line
 * short. Prints p50, p99 and the mean in microseconds for both, their
 * difference, and the holder's VmRSS (from /proc/PID/status) with an
 * idle shell before any attach and after the run; and per key, the CPU
 * time the holder and attach took and the time they waited in a run
 * queue for a CPU (/proc/PID/schedstat): on a busy machine that wait,
 * not their work, makes the p99. Wall-clock numbers: run it a few times
 * on a quiet machine and compare medians.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "../../tests/lib/pct.h"

static long long
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Reads from FD until QUIET ms pass without data (or WANT is seen). */
static int
drain(int fd, int quiet, char want)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char buf[4096];
	ssize_t n, i;

	for (;;) {
		if (poll(&pfd, 1, quiet) <= 0)
			return 0;
		if ((n = read(fd, buf, sizeof(buf))) <= 0)
			return -1;
		for (i = 0; want && i < n; i++)
			if (buf[i] == want)
				return 1;
	}
}

/* Runs ARGV on a new pty; its master in *FD. */
static pid_t
spawn(char **argv, int *fd)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	pid_t pid;

	if ((pid = forkpty(fd, NULL, NULL, &ws)) == -1) {
		perror("forkpty");
		exit(1);
	}
	if (pid == 0) {
		setenv("PS1", "bench$ ", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

struct result {
	double	p50, p99, mean;
};

/* KEYS echo round trips through FD; the results in microseconds. */
static int
measure(int fd, int keys, struct result *r)
{
	long long t0, d, sum = 0;
	double *t;
	int i;

	if ((t = calloc(keys, sizeof(*t))) == NULL)
		return -1;
	drain(fd, 500, 0);
	for (i = 0; i < keys; i++) {
		if (i % 50 == 0) {
			if (write(fd, "\025", 1) != 1)
				return -1;
			drain(fd, 100, 0);
		}
		t0 = now_ns();
		if (write(fd, "a", 1) != 1 || drain(fd, 5000, 'a') != 1) {
			fprintf(stderr, "pty-echo: no echo for key %d\n", i);
			return -1;
		}
		d = now_ns() - t0;
		t[i] = d;
		sum += d;
	}
	pct_sort(t, keys);
	r->p50 = pct(t, keys, 50) / 1000.0;
	r->p99 = pct(t, keys, 99) / 1000.0;
	r->mean = sum / (double)keys / 1000.0;
	free(t);
	return 0;
}

static long
rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/*
 * PID's /proc/PID/schedstat: nanoseconds on a CPU and waiting in a run
 * queue for one (0 0 when unreadable).
 */
static void
sched_ns(pid_t pid, long long *run, long long *wait)
{
	char path[64];
	FILE *f;

	*run = *wait = 0;
	snprintf(path, sizeof(path), "/proc/%ld/schedstat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return;
	if (fscanf(f, "%lld %lld", run, wait) != 2)
		*run = *wait = 0;
	fclose(f);
}

/* Starts the holder on SOCK; waits until SOCK exists. */
static pid_t
holder(const char *pty, const char *sock, char **cmd, int ncmd)
{
	char **argv;
	pid_t pid;
	int i, fd;

	argv = calloc(ncmd + 6, sizeof(*argv));
	argv[0] = (char *)pty;
	argv[1] = "hold";
	argv[2] = "-s";
	argv[3] = (char *)sock;
	argv[4] = "--";
	for (i = 0; i < ncmd; i++)
		argv[5 + i] = cmd[i];
	if ((pid = fork()) == 0) {
		setenv("PS1", "bench$ ", 1);
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, 0);
			dup2(fd, 2);
		}
		execv(pty, argv);
		_exit(127);
	}
	for (i = 0; i < 1000 && access(sock, F_OK) != 0; i++)
		poll(NULL, 0, 10);
	free(argv);
	return pid;
}

static void
print(const char *name, const struct result *r)
{
	printf("%-24s p50 %8.1f us   p99 %8.1f us   mean %8.1f us\n", name,
	    r->p50, r->p99, r->mean);
}

int
main(int argc, char **argv)
{
	char *cmd[16] = { "bash", "--norc", "--noprofile", "-i" };
	char sock[64], *attach[4];
	struct result direct, held;
	int ch, keys = 1000, ncmd = 4, fd;
	long rss0, rss1;
	long long hr0, hw0, hr1, hw1, ar0, aw0, ar1, aw1;
	pid_t sh, hp, ap;

	while ((ch = getopt(argc, argv, "n:c:")) != -1) {
		if (ch == 'n')
			keys = atoi(optarg);
		else if (ch == 'c') {
			for (ncmd = 0, cmd[0] = strtok(optarg, " ");
			    cmd[ncmd] && ncmd < 15; cmd[++ncmd] = strtok(NULL,
			    " "))
				;
		} else {
			fprintf(stderr, "usage: pty-echo [-n KEYS] [-c CMD] "
			    "TERMGATE-PTY\n");
			return 2;
		}
	}
	if (optind != argc - 1 || keys < 100) {
		fprintf(stderr, "usage: pty-echo [-n KEYS>=100] [-c CMD] "
		    "TERMGATE-PTY\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);

	sh = spawn(cmd, &fd);
	if (measure(fd, keys, &direct) == -1)
		return 1;
	kill(sh, SIGKILL);
	close(fd);
	waitpid(sh, NULL, 0);

	snprintf(sock, sizeof(sock), "/tmp/pty-echo.%ld.sock", (long)getpid());
	hp = holder(argv[optind], sock, cmd, ncmd);
	poll(NULL, 0, 1000);		/* let the shell settle */
	rss0 = rss_kb(hp);
	attach[0] = argv[optind];
	attach[1] = "attach";
	attach[2] = sock;
	attach[3] = NULL;
	ap = spawn(attach, &fd);
	sched_ns(hp, &hr0, &hw0);
	sched_ns(ap, &ar0, &aw0);
	if (measure(fd, keys, &held) == -1)
		return 1;
	sched_ns(hp, &hr1, &hw1);
	sched_ns(ap, &ar1, &aw1);
	rss1 = rss_kb(hp);
	kill(hp, SIGTERM);
	waitpid(hp, NULL, 0);
	close(fd);
	waitpid(ap, NULL, 0);

	printf("keystroke echo, %d keys, command: %s ...\n", keys, cmd[0]);
	print("shell on a pty", &direct);
	print("holder + attach", &held);
	printf("%-24s p50 %+8.1f us   p99 %+8.1f us\n", "added", held.p50 -
	    direct.p50, held.p99 - direct.p99);
	printf("per key, holder: %.1f us on a CPU, %.1f us waiting for one; "
	    "attach: %.1f us on a CPU, %.1f us waiting\n",
	    (hr1 - hr0) / 1e3 / keys, (hw1 - hw0) / 1e3 / keys,
	    (ar1 - ar0) / 1e3 / keys, (aw1 - aw0) / 1e3 / keys);
	printf("holder VmRSS: %ld kB idle before any attach, %ld kB after "
	    "the run\n", rss0, rss1);
	return 0;
}
