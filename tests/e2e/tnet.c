/*
 * tnet.c - what the e2e test clients (wsclient, siaclient) share: a
 * monotonic clock, whole writes, reads bounded by a deadline, a TCP
 * connection to nginx on 127.0.0.1, and the ready file a test waits for.
 * Test code: libc only, blocking I/O with poll.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "tnet.h"

long long
tnet_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Writes all N bytes of P to FD; 0, or -1 on an error. */
int
tnet_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, c, n)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= w;
	}
	return 0;
}

/* Reads with DEADLINE (ms); bytes read, 0 at EOF, -1 on error or timeout. */
ssize_t
tnet_read(int fd, void *p, size_t n, long long deadline)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	long long left = deadline - tnet_now_ms();

	if (left <= 0 || poll(&pfd, 1, (int)left) != 1)
		return -1;
	return read(fd, p, n);
}

/* A connection to 127.0.0.1:PORT ($WS_HOST, an IPv4 address, instead
 * when set); the descriptor, or -1. */
int
tnet_connect(int port)
{
	struct sockaddr_in sin = { 0 };
	const char *host = getenv("WS_HOST");
	int fd;

	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (host != NULL && inet_pton(AF_INET, host, &sin.sin_addr) != 1)
		return -1;
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Creates the file $WS_READY names, if it does: the client has its
 * terminal's first output (it is attached). Once per process.
 */
void
tnet_ready(void)
{
	static int done;
	const char *path = getenv("WS_READY");
	FILE *f;

	if (done || path == NULL)
		return;
	done = 1;
	if ((f = fopen(path, "w")) != NULL)
		fclose(f);
}

/*
 * The seconds a client waits for its text: SECS (NULL: 5), but at least
 * 30. A deadline bounds how long a failing check waits, never how fast a
 * passing one must be: a loaded 2-CPU machine can take seconds to start a
 * shell. A refused connection still ends the client at once.
 */
int
tnet_deadline_s(const char *secs)
{
	int s = secs != NULL ? atoi(secs) : 5;

	return s < 30 ? 30 : s;
}
