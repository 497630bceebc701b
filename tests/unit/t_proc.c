/*
 * t_proc.c - the process toolkit (proc.c) on real children.
 *
 * A child is given what a careless parent leaves behind (blocked and
 * ignored signals, an inherited descriptor, no session of its own), is
 * reset and exec'd as proc_child_reset and proc_exec do it for the
 * supervisor's terminals and the holder's shell, and the program it
 * became (this test binary again, with TG_UNIT_CHILD=report) writes what
 * it inherited: its signal mask, ignored signals, whether it leads its
 * session, its descriptors and its environment. proc_signalfd is checked
 * in a child too, so that this process's signals stay as they are.
 */
#include <sys/signalfd.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "proc.h"
#include "suites.h"

extern char **environ;

/*
 * The signal set of line KEY ("SigBlk:") of /proc/self/status, without
 * glibc's own signals between 31 and SIGRTMIN, which no program can
 * change through glibc (they stay as whoever started the tests left
 * them); all ones when unreadable.
 */
static unsigned long long
status_set(const char *key)
{
	unsigned long long set = ~0ULL;
	char line[256];
	int sig;
	FILE *f;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return set;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, strlen(key)) == 0)
			set = strtoull(line + strlen(key), NULL, 16);
	fclose(f);
	for (sig = 32; sig < SIGRTMIN; sig++)
		set &= ~(1ULL << (sig - 1));
	return set;
}

int
t_proc_report(void)
{
	struct dirent *de;
	DIR *d;
	int n = 0, fd, maxfd = -1;
	char **e;

	if ((d = opendir("/proc/self/fd")) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (de->d_name[0] != '.' &&
			    (fd = atoi(de->d_name)) != dirfd(d) && fd > maxfd)
				maxfd = fd;
		closedir(d);
	}
	for (e = environ; *e != NULL; e++)
		n++;
	printf("blk=%llx ign=%llx leader=%d maxfd=%d env=%d\n",
	    status_set("SigBlk:"), status_set("SigIgn:"),
	    getsid(0) == getpid(), maxfd, n);
	return 0;
}

/* The path of this test binary; a fixed buffer. */
static const char *
self(void)
{
	static char path[4096];
	ssize_t n;

	if ((n = readlink("/proc/self/exe", path, sizeof(path) - 1)) <= 0)
		return NULL;
	path[n] = '\0';
	return path;
}

/* In the child: what a careless parent would leave, then the reset. */
static void __attribute__((noreturn))
child(int out, const char *exe)
{
	char *argv[] = { (char *)exe, NULL };
	char *envp[] = { "TG_UNIT_CHILD=report", NULL };
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGUSR2, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	(void)dup2(out, 9);		/* inherited, not close-on-exec */
	if (proc_child_reset() == -1 || dup2(out, STDOUT_FILENO) == -1)
		_exit(3);
	(void)proc_exec(argv, envp);
	_exit(127);
}

static void
test_child_reset(void)
{
	const char *exe = self();
	char buf[512] = "";
	ssize_t n;
	size_t got = 0;
	int p[2], status;
	pid_t pid;

	CU_ASSERT_PTR_NOT_NULL_FATAL(exe);
	CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
	CU_ASSERT_FATAL((pid = fork()) != -1);
	if (pid == 0)
		child(p[1], exe);
	close(p[1]);
	while (got < sizeof(buf) - 1 && (n = read(p[0], buf + got,
	    sizeof(buf) - 1 - got)) > 0)
		got += n;
	buf[got] = '\0';
	close(p[0]);
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	T_ASSERT(strstr(buf, "blk=0 ") != NULL, buf);
	T_ASSERT(strstr(buf, "ign=0 ") != NULL, buf);
	T_ASSERT(strstr(buf, "leader=1 ") != NULL, buf);
	/* stdout is the pipe; 0 and 2 are this test's, if open */
	T_ASSERT(strstr(buf, "maxfd=1 ") != NULL ||
	    strstr(buf, "maxfd=2 ") != NULL, buf);
	T_ASSERT(strstr(buf, "env=1\n") != NULL, buf);
}

/* A failed exec returns -1 with errno, for the caller to report. */
static void
test_exec_fails(void)
{
	char *argv[] = { "/nonexistent/termgate-none", NULL };
	int status;
	pid_t pid;

	CU_ASSERT_FATAL((pid = fork()) != -1);
	if (pid == 0)
		_exit(proc_exec(argv, NULL) == -1 && errno == ENOENT ? 7 : 1);
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 7);
}

/* In a child: SIGUSR1 arrives through the descriptor, SIGPIPE is
 * ignored; the exit status says which check failed. */
static int
signalfd_child(void)
{
	static const int sigs[] = { SIGUSR1, SIGCHLD };
	struct signalfd_siginfo si;
	struct sigaction sa;
	sigset_t cur;
	int fd;

	if ((fd = proc_signalfd(sigs, 2)) == -1)
		return 1;
	if (fcntl(fd, F_GETFD) != FD_CLOEXEC ||
	    !(fcntl(fd, F_GETFL) & O_NONBLOCK))
		return 2;
	if (read(fd, &si, sizeof(si)) != -1 || errno != EAGAIN)
		return 3;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	if (!sigismember(&cur, SIGUSR1) || !sigismember(&cur, SIGCHLD))
		return 4;
	if (sigaction(SIGPIPE, NULL, &sa) == -1 || sa.sa_handler != SIG_IGN)
		return 5;
	raise(SIGUSR1);
	if (read(fd, &si, sizeof(si)) != sizeof(si) || si.ssi_signo != SIGUSR1)
		return 6;
	return 0;
}

static void
test_signalfd(void)
{
	int status;
	pid_t pid;

	CU_ASSERT_FATAL((pid = fork()) != -1);
	if (pid == 0)
		_exit(signalfd_child());
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
	CU_ASSERT(WIFEXITED(status));
	CU_ASSERT_EQUAL(WEXITSTATUS(status), 0);
}

static void
test_read_alive(void)
{
	char buf[64];
	siginfo_t si;
	int status;
	pid_t pid;

	CU_ASSERT(proc_read(getpid(), "comm", buf, sizeof(buf)) > 0);
	CU_ASSERT_EQUAL(proc_read(0, "comm", buf, sizeof(buf)), -1);
	CU_ASSERT(proc_alive(getpid()));
	CU_ASSERT(!proc_alive(1) && !proc_alive(0));
	CU_ASSERT_FATAL((pid = fork()) != -1);
	if (pid == 0)
		_exit(0);
	/* Exited, not reaped: a zombie is gone for proc_alive. */
	CU_ASSERT_EQUAL(waitid(P_PID, pid, &si, WEXITED | WNOWAIT), 0);
	CU_ASSERT(!proc_alive(pid));
	CU_ASSERT_EQUAL(waitpid(pid, &status, 0), pid);
}

/* proc_reader: the child's output on the pipe, nothing else on it; a
 * program that cannot run ends with 127 and writes nothing. */
static void
test_put(void)
{
	char dir[] = "/tmp/tg-put.XXXXXX", file[64], link[64], buf[16];
	int fd;
	ssize_t n;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/f", dir);
	snprintf(link, sizeof(link), "%s/l", dir);
	fd = open(file, O_WRONLY | O_CREAT, 0600);
	CU_ASSERT_FATAL(fd != -1);
	close(fd);
	CU_ASSERT_EQUAL(proc_put(file, "40"), 0);
	fd = open(file, O_RDONLY);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_NSTRING_EQUAL(buf, "40", 2);
	/* a link in a control file's place is not followed, nor made */
	CU_ASSERT_EQUAL(symlink(file, link), 0);
	CU_ASSERT_EQUAL(proc_put(link, "1"), -1);
	CU_ASSERT_EQUAL(errno, ELOOP);
	unlink(link);
	CU_ASSERT_EQUAL(proc_put(link, "1"), -1);
	CU_ASSERT_EQUAL(errno, ENOENT);
	unlink(file);
	rmdir(dir);
}

static void
test_reader(void)
{
	char *argv[] = { "/bin/sh", "-c", "echo out; echo err >&2", NULL };
	char *bad[] = { "/nonexistent/termgate-none", NULL };
	char buf[64];
	ssize_t n;
	pid_t pid;
	int fd, st;

	fd = proc_reader(argv, &pid);
	CU_ASSERT_FATAL(fd != -1);
	n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	CU_ASSERT_STRING_EQUAL(buf, "out\n");
	CU_ASSERT(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0);
	fd = proc_reader(bad, &pid);
	CU_ASSERT_FATAL(fd != -1);
	CU_ASSERT_EQUAL(read(fd, buf, sizeof(buf)), 0);
	close(fd);
	CU_ASSERT(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	    WEXITSTATUS(st) == 127);
}

int
suite_proc_register(void)
{
	static const struct t_case cases[] = {
		{ "a reset child inherits no mask, ignore or descriptor",
		    test_child_reset },
		{ "a failed exec returns -1 with errno", test_exec_fails },
		{ "proc_signalfd blocks, reads, ignores SIGPIPE",
		    test_signalfd },
		{ "proc_read and proc_alive", test_read_alive },
		{ "proc_reader: the child's output", test_reader },
		{ "proc_put writes a file, never through a link", test_put },
	};

	return t_register("proc", cases, T_NELEM(cases));
}
