/*
 * ws-echo.c - keystroke echo latency through nginx and ttyd, as a browser
 * sees it: the client of contrib/bench/pty.
 *
 *   make contrib/bench/ws-echo
 *   contrib/bench/ws-echo PORT PATH COOKIE KEYS
 *
 * Connects to 127.0.0.1:PORT, upgrades PATH (ttyd's /ws, subprotocol
 * "tty") with COOKIE, says ttyd's hello (80x24), waits until the shell
 * has been quiet for 500 ms (its prompt painted), then KEYS times: sends
 * one 'a' as a ttyd input message and times until an output message with
 * an 'a' comes back; every 50 keys a ^U (untimed, drained until 100 ms of
 * quiet) keeps the line short. Prints one line, "keys=N p50_us=X
 * p99_us=Y mean_us=Z". Exits 0, 1 on a failure (refused upgrade, no
 * echo within 5 s), 2 on bad usage. Wall-clock numbers: compare medians
 * of a few runs on a quiet machine.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../tests/e2e/tnet.h"
#include "../../tests/lib/pct.h"

#define BUF_MAX	65536

struct conn {
	int		fd;
	unsigned char	buf[BUF_MAX];
	size_t		len;
};

/* Sends one masked frame of OPCODE with N (< 126) bytes of D; 0 or -1. */
static int
send_frame(struct conn *c, int opcode, const char *d, size_t n)
{
	unsigned char f[6 + 125];
	size_t i;

	if (n > 125)
		return -1;
	f[0] = 0x80 | opcode;
	f[1] = 0x80 | n;
	memcpy(f + 2, "\x12\x34\x56\x78", 4);
	for (i = 0; i < n; i++)
		f[6 + i] = d[i] ^ f[2 + i % 4];
	return tnet_write_all(c->fd, f, 6 + n);
}

/* 1 when C's buffer starts with a whole frame (header HL, payload N),
 * 0 when more must be read, -1 for a length this client does not take. */
static int
whole_frame(const struct conn *c, size_t *hl, size_t *n)
{
	if (c->len < 2)
		return 0;
	*n = c->buf[1] & 0x7f;
	*hl = 2;
	if (*n == 127)
		return -1;
	if (*n == 126) {
		if (c->len < 4)
			return 0;
		*n = (c->buf[2] << 8) | c->buf[3];
		*hl = 4;
	}
	return c->len >= *hl + *n;
}

/*
 * Waits until DEADLINE for the next output frame; 1 when it holds WANT
 * (any frame counts when WANT is 0), 0 when it does not, -1 on a
 * timeout, a close or an error.
 */
static int
next_output(struct conn *c, char want, long long deadline)
{
	size_t hl, n;
	ssize_t r;
	int rv;

	while ((rv = whole_frame(c, &hl, &n)) == 0) {
		if ((r = tnet_read(c->fd, c->buf + c->len, BUF_MAX - c->len,
		    deadline)) <= 0)
			return -1;
		c->len += r;
	}
	if (rv == -1 || (c->buf[0] & 0x0f) == 8)
		return -1;
	rv = n > 1 && c->buf[hl] == '0' && (want == 0 ||
	    memchr(c->buf + hl + 1, want, n - 1) != NULL);
	memmove(c->buf, c->buf + hl + n, c->len - hl - n);
	c->len -= hl + n;
	return rv;
}

/* Reads output until QUIET ms pass without any. */
static void
drain(struct conn *c, int quiet)
{
	while (next_output(c, 0, tnet_now_ms() + quiet) != -1)
		;
}

static int
open_ws(struct conn *c, int port, const char *path, const char *cookie)
{
	static const char hello[] = "{\"AuthToken\":\"\",\"columns\":80,"
	    "\"rows\":24}";
	char req[4096], *end;
	long long deadline = tnet_now_ms() + 5000;
	ssize_t n;

	if ((c->fd = tnet_connect(port)) == -1)
		return -1;
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: localhost\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: tty\r\n"
	    "Cookie: %s\r\n\r\n", path, cookie);
	if (tnet_write_all(c->fd, req, strlen(req)) == -1)
		return -1;
	for (c->len = 0;;) {
		if ((n = tnet_read(c->fd, c->buf + c->len, BUF_MAX - 1 -
		    c->len, deadline)) <= 0)
			return -1;
		c->len += n;
		c->buf[c->len] = '\0';
		if ((end = strstr((char *)c->buf, "\r\n\r\n")) != NULL)
			break;
	}
	if (strncmp((char *)c->buf, "HTTP/1.1 101", 12) != 0) {
		fprintf(stderr, "ws-echo: %.*s\n",
		    (int)strcspn((char *)c->buf, "\r"), c->buf);
		return -1;
	}
	end += 4;
	c->len -= end - (char *)c->buf;
	memmove(c->buf, end, c->len);
	return send_frame(c, 2, hello, strlen(hello));
}

static long long
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
main(int argc, char *argv[])
{
	static struct conn c;
	long long t0, d, sum = 0;
	double *t;
	int keys, i, rv;

	if (argc != 5 || (keys = atoi(argv[4])) < 100) {
		fprintf(stderr, "usage: ws-echo PORT PATH COOKIE KEYS>=100\n");
		return 2;
	}
	if ((t = calloc(keys, sizeof(*t))) == NULL ||
	    open_ws(&c, atoi(argv[1]), argv[2], argv[3]) == -1)
		return 1;
	drain(&c, 500);
	for (i = 0; i < keys; i++) {
		if (i % 50 == 0) {
			if (send_frame(&c, 2, "0\025", 2) == -1)
				return 1;
			drain(&c, 100);
		}
		t0 = now_us();
		if (send_frame(&c, 2, "0a", 2) == -1)
			return 1;
		while ((rv = next_output(&c, 'a', tnet_now_ms() + 5000)) == 0)
			;
		if (rv == -1) {
			fprintf(stderr, "ws-echo: no echo for key %d\n", i);
			return 1;
		}
		d = now_us() - t0;
		t[i] = d;
		sum += d;
	}
	pct_sort(t, keys);
	printf("keys=%d p50_us=%.0f p99_us=%.0f mean_us=%lld\n", keys,
	    pct(t, keys, 50), pct(t, keys, 99), sum / keys);
	send_frame(&c, 8, "\x03\xe8", 2);
	close(c.fd);
	free(t);
	return 0;
}
