/*
 * probe.c - is a starting terminal ready (whether a port is free is
 * ep_port_taken's, in the library: doctor asks it too).
 *
 * A terminal is ready once its holder's socket is in place (termgate-pty
 * renames it there once it accepts) and its backend accepts a
 * connection (a gateway's terminal has no backend of its own: the holder
 * alone). The backend is probed with a non-blocking connect, kept
 * across ticks, so that the loop never waits on a backend.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "sup.h"

/* A non-blocking connect to EP into *FD: 1 connected, 0 pending (*FD
 * kept for the next call), -1 refused; *FD is closed unless pending. */
static int
probe_connect(const struct tg_endpoint *ep, int *fd)
{
	struct sockaddr_storage sa;
	struct pollfd pfd;
	socklen_t len = sizeof(int);
	int rv, err = 0;

	if (*fd == -1) {
		ep_sockaddr(ep, &sa, &len);
		if ((*fd = socket(sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0)) == -1)
			return -1;
		if (connect(*fd, (struct sockaddr *)&sa, len) == 0)
			rv = 1;
		/* A unix listener with a full backlog listens all the same. */
		else if (errno == EAGAIN && ep->kind == EP_UNIX)
			rv = 1;
		else
			rv = errno == EINPROGRESS ? 0 : -1;
	} else {
		pfd.fd = *fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, 0) == 0)
			return 0;
		rv = getsockopt(*fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
		    err == 0 ? 1 : -1;
	}
	if (rv != 0) {
		close(*fd);
		*fd = -1;
	}
	return rv;
}

void
probe_close(struct term *t)
{
	if (t->probe != -1)
		close(t->probe);
	t->probe = -1;
}

/* 1 once the backend accepts and the holder's socket is there. */
int
probe_ready(struct term *t)
{
	struct stat st;

	if (lstat(t->pty.path, &st) == -1 || !S_ISSOCK(st.st_mode))
		return 0;
	return t->gw || probe_connect(&t->ep, &t->probe) == 1;
}
