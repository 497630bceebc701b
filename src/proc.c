/*
 * proc.c - the process toolkit every program of termgate uses.
 *
 * A daemon's signals go through one pollable descriptor (signalfd), as
 * in s6-supervise: the supervisor, the pty holder and the attach client
 * each block their signals and read them from the loop. A child of ours
 * resets everything it inherited that could matter (signal mask and
 * dispositions), leads a session of its own so that a signal to its
 * group reaches whatever it starts, and keeps no descriptor beyond 0-2
 * when it execs: the supervisor's terminals and the holder's shell both
 * start so (proc_child_reset, then proc_exec). proc_read and proc_alive
 * are what /proc tells of another process.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sys/signalfd.h>

#include "proc.h"

extern char **environ;

int
proc_signalfd(const int *sigs, size_t n)
{
	sigset_t set;
	size_t i;

	(void)signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	for (i = 0; i < n; i++)
		sigaddset(&set, sigs[i]);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		return -1;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int
proc_child_reset(void)
{
	sigset_t none;
	int sig;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (sig = 1; sig < NSIG; sig++)
		(void)signal(sig, SIG_DFL);
	return setsid() == -1 ? -1 : 0;
}

int
proc_exec(char *const argv[], char *const envp[])
{
	if (envp == NULL)
		envp = environ;
	closefrom(3);
	if (strchr(argv[0], '/') != NULL)
		execve(argv[0], argv, envp);
	else
		execvpe(argv[0], argv, envp);
	return -1;
}

int
proc_reader(char *const argv[], pid_t *pid)
{
	int p[2], null;

	if (pipe2(p, O_CLOEXEC) == -1)
		return -1;
	if ((*pid = fork()) == -1) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (*pid == 0) {
		if ((null = open("/dev/null", O_RDWR)) != -1) {
			dup2(null, 0);
			dup2(null, 2);
		}
		dup2(p[1], 1);
		(void)proc_exec(argv, NULL);
		_exit(127);
	}
	close(p[1]);
	return p[0];
}

int
proc_put(const char *path, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd, e;

	if ((fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return -1;
	n = write(fd, s, len);
	e = errno;
	if (close(fd) == -1 || n != (ssize_t)len) {
		if (n == -1)
			errno = e;
		else if (n != (ssize_t)len)
			errno = EIO;
		return -1;
	}
	return 0;
}

ssize_t
proc_read(pid_t pid, const char *what, char *buf, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, what);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

int
proc_alive(pid_t pid)
{
	char buf[512], *p;
	ssize_t n;

	if (pid <= 1 || (kill(pid, 0) == -1 && errno == ESRCH))
		return 0;
	/* A zombie that init has not reaped yet is gone for us. */
	if ((n = proc_read(pid, "stat", buf, sizeof(buf))) <= 0)
		return 0;
	if ((p = strrchr(buf, ')')) == NULL || p[1] == '\0')
		return 1;
	return p[2] != 'Z' && p[2] != 'X';
}
