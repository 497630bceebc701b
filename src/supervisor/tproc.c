/*
 * tproc.c - holding and signalling one process of a terminal.
 *
 * Each process is held by a pidfd from the moment it is known (at fork,
 * or at adoption before its identity is checked), so a signal can never
 * reach a process that took a recycled pid, and an adopted one, which
 * is not our child and sends no SIGCHLD, is watched by polling its
 * pidfd.
 */
#include <sys/pidfd.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "proc.h"
#include "sup.h"

int
tproc_watch(struct tproc *p, pid_t pid)
{
	if (pid <= 1 || (p->pidfd = pidfd_open(pid, 0)) == -1)
		return -1;
	p->pid = pid;
	p->child = 0;
	return 0;
}

void
tproc_gone(struct tproc *p)
{
	if (p->pidfd != -1)
		close(p->pidfd);
	p->pidfd = -1;
	p->pid = 0;
}

int
tproc_exited(const struct tproc *p)
{
	struct pollfd pfd = { p->pidfd, POLLIN, 0 };

	if (p->pid == 0)
		return 1;
	if (p->pidfd == -1)
		return !proc_alive(p->pid);
	return poll(&pfd, 1, 0) == 1;
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
tproc_signal(struct term *t, int sig)
{
	signal_one(&t->holder, sig);
	signal_one(&t->backend, sig);
}
