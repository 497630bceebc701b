/*
 * probe.c - is a starting terminal ready (whether a port is free is
 * ep_port_taken's, in the library: doctor asks it too).
 *
 * A terminal is ready once its holder's socket is in place (termgate-pty
 * renames it there once it accepts) and its backend accepts a
 * connection. The backend is probed with a non-blocking connect, kept
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
	struct pollfd pfd;
	struct stat st;
	socklen_t len = sizeof(int);
	int rv, err = 0;

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
	if (rv != 0)
		probe_close(t);
	return rv == 1;
}
