/*
 * tnet.c - what the e2e test clients (wsclient, siaclient) share: a
 * monotonic clock, whole writes, reads bounded by a deadline, a TCP
 * connection to nginx on 127.0.0.1, the ready file a test waits for, and
 * how INPUT is typed (tnet_type: one frame, or raw bytes in several
 * frames, key by key if asked).
 * Test code: libc only, blocking I/O with poll.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Sends frame [D, D+N) with SEND, or each of its bytes KEYMS ms apart. */
static int
send_keys(int (*send)(void *, const char *, size_t), void *arg,
    const char *d, size_t n, int keyms)
{
	size_t i;

	if (keyms <= 0)
		return n > 0 ? send(arg, d, n) : 0;
	for (i = 0; i < n; i++) {
		if (i > 0)
			poll(NULL, 0, keyms);
		if (send(arg, d + i, 1) == -1)
			return -1;
	}
	return 0;
}

/* The byte of the escape after a backslash at *P (advanced); -1: bad. */
static int
unescape(const char **p)
{
	static const char *hex = "0123456789abcdef";
	const char *h, *l;
	char c = *(*p)++;

	switch (c) {
	case 'r':	return '\r';
	case 'n':	return '\n';
	case 't':	return '\t';
	case 'e':	return 033;
	case '\\':	return '\\';
	case 'x':
		if ((*p)[0] == '\0' || (*p)[1] == '\0' ||
		    (h = strchr(hex, (*p)[0] | 0x20)) == NULL ||
		    (l = strchr(hex, (*p)[1] | 0x20)) == NULL)
			return -1;
		*p += 2;
		return (h - hex) << 4 | (l - hex);
	default:	return -1;
	}
}

/*
 * Types INPUT through SEND(ARG, bytes, length), which sends one frame
 * (a WebSocket message, a shellinabox keys= request): by default INPUT
 * and a carriage return in one frame. With $WS_RAW set, INPUT as written,
 * with the escapes \r \n \t \e \\ and \xHH, no carriage return added,
 * and "\|" ending a frame: the next one goes $WS_FRAME_MS (100) later,
 * so that the terminal reads them apart. With $WS_KEY_MS set, each byte
 * is a frame of its own, that many ms after the previous one (a person
 * typing). Returns 0, or -1 when SEND failed or INPUT is malformed.
 */
int
tnet_type(const char *input, int (*send)(void *, const char *, size_t),
    void *arg)
{
	static char buf[4096];
	const char *k = getenv("WS_KEY_MS"), *g = getenv("WS_FRAME_MS");
	const char *p = input;
	int keyms = k != NULL ? atoi(k) : 0, gapms = g != NULL ? atoi(g) : 100;
	size_t n = 0;
	int c;

	if (getenv("WS_RAW") == NULL) {
		if ((size_t)snprintf(buf, sizeof(buf), "%s\r", input) >=
		    sizeof(buf))
			return -1;
		return send_keys(send, arg, buf, strlen(buf), keyms);
	}
	while (*p != '\0') {
		if (p[0] == '\\' && p[1] == '|') {
			p += 2;
			if (send_keys(send, arg, buf, n, keyms) == -1)
				return -1;
			n = 0;
			poll(NULL, 0, gapms);
			continue;
		}
		c = *p == '\\' ? (p++, unescape(&p)) : (unsigned char)*p++;
		if (c == -1 || n == sizeof(buf))
			return -1;
		buf[n++] = c;
	}
	return send_keys(send, arg, buf, n, keyms);
}
