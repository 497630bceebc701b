/*
 * wsclient - a tiny WebSocket client for termgate's end-to-end tests.
 *
 *	wsclient PORT PATH COOKIE INPUT EXPECT [SECONDS]
 *
 * Connects to 127.0.0.1:PORT (nginx; $WS_HOST, an IPv4 address, instead
 * of 127.0.0.1 when set: tests/multinode's nodes), upgrades PATH with
 * subprotocol "tty"
 * sending COOKIE as the Cookie header, says ttyd's JSON hello, types
 * INPUT followed by a carriage return as a ttyd input message ('0'...),
 * and reads output messages until their text contains EXPECT. With
 * $WS_RAW, $WS_FRAME_MS and $WS_KEY_MS, INPUT is raw bytes in several
 * messages, or one a key (tnet_type). The hello's
 * AuthToken is $WS_AUTHTOKEN (what ttyd's /token gave), or empty. An INPUT
 * of "-" types nothing (the client only watches: what an attach paints,
 * what another client makes appear). With $WS_WAIT set, INPUT is typed
 * only once that text has arrived (a prompt: the shell is listening and
 * the terminal set up), and EXPECT is looked for only in what arrives
 * after it. $WS_HEADER, when set, is one more header line of the
 * upgrade (an Authorization: nginx's basic authentication). With $WS_OUT
 * set, the output text is written to that file at
 * the end. With $WS_READY set, that file is created once the first
 * output has arrived (the client is attached). Exits 0 when EXPECT was
 * seen, 1 when the upgrade was refused or SECONDS (default 5) passed, 2
 * on bad usage.
 * Test code: libc only, blocking I/O with poll.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tnet.h"

#define OUT_MAX	65536

/* Sends one masked frame of OPCODE with N bytes of D; 0 or -1. */
static int
send_frame(int fd, int opcode, const char *d, size_t n)
{
	static const unsigned char mask[4] = { 0x12, 0x34, 0x56, 0x78 };
	unsigned char h[14], *p;
	size_t hl = 2, i;
	int rv;

	h[0] = 0x80 | opcode;
	if (n < 126)
		h[1] = 0x80 | n;
	else {
		h[1] = 0x80 | 126;
		h[2] = n >> 8;
		h[3] = n & 0xff;
		hl = 4;
	}
	memcpy(h + hl, mask, 4);
	hl += 4;
	if ((p = malloc(n + 1)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		p[i] = d[i] ^ mask[i % 4];
	rv = tnet_write_all(fd, h, hl) == 0 &&
	    tnet_write_all(fd, p, n) == 0 ? 0 : -1;
	free(p);
	return rv;
}

/* tnet_type's sender: N bytes of D as one ttyd input message. */
static int
send_input(void *arg, const char *d, size_t n)
{
	static char msg[4097];

	if (n + 1 > sizeof(msg))
		return -1;
	msg[0] = '0';
	memcpy(msg + 1, d, n);
	return send_frame(*(int *)arg, 2, msg, n + 1);
}

/* Sends the upgrade; leftover bytes after the headers go to BUF/LEN. */
static int
upgrade(int fd, const char *path, const char *cookie, unsigned char *buf,
    size_t *len, long long deadline)
{
	const char *extra = getenv("WS_HEADER");
	char req[4096], *end;
	ssize_t n;

	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: localhost\r\n"
	    "Upgrade: websocket\r\nConnection: Upgrade\r\n"
	    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: tty\r\n"
	    "Cookie: %s\r\n%s%s\r\n", path, cookie,
	    extra != NULL ? extra : "", extra != NULL ? "\r\n" : "");
	if (tnet_write_all(fd, req, strlen(req)) == -1)
		return -1;
	*len = 0;
	for (;;) {
		n = tnet_read(fd, buf + *len, OUT_MAX - 1 - *len, deadline);
		if (n <= 0)
			return -1;
		*len += n;
		buf[*len] = '\0';
		if ((end = strstr((char *)buf, "\r\n\r\n")) != NULL)
			break;
	}
	if (strncmp((char *)buf, "HTTP/1.1 101", 12) != 0) {
		fprintf(stderr, "wsclient: %.*s\n", (int)strcspn((char *)buf,
		    "\r"), buf);
		return -1;
	}
	end += 4;
	*len -= end - (char *)buf;
	memmove(buf, end, *len);
	return 0;
}

/*
 * Takes the complete server frames out of BUF, appending output text to
 * OUT; returns 1 when OUT has EXPECT, -1 on a close frame, else 0.
 */
static int
take_frames(unsigned char *buf, size_t *len, char *out, size_t *olen,
    const char *expect)
{
	size_t hl, n;

	while (*len >= 2) {
		n = buf[1] & 0x7f;
		hl = 2;
		if (n == 126) {
			if (*len < 4)
				break;
			n = (buf[2] << 8) | buf[3];
			hl = 4;
		} else if (n == 127)
			return -1;
		if (*len < hl + n)
			break;
		if ((buf[0] & 0x0f) == 8)
			return -1;
		if (n > 1 && buf[hl] == '0' && *olen + n < OUT_MAX) {
			memcpy(out + *olen, buf + hl + 1, n - 1);
			*olen += n - 1;
			out[*olen] = '\0';
			tnet_ready();
		}
		memmove(buf, buf + hl + n, *len - hl - n);
		*len -= hl + n;
	}
	return strstr(out, expect) != NULL ? 1 : 0;
}

/* Reads until TEXT has arrived, then forgets the output so far; 0, -1. */
static int
await(int fd, unsigned char *buf, size_t *len, char *out, size_t *olen,
    const char *text, long long deadline)
{
	ssize_t n;
	int rv;

	while ((rv = take_frames(buf, len, out, olen, text)) == 0) {
		if ((n = tnet_read(fd, buf + *len, OUT_MAX - *len,
		    deadline)) <= 0)
			return -1;
		*len += n;
	}
	if (rv == -1)
		return -1;
	*olen = 0;
	out[0] = '\0';
	return 0;
}

int
main(int argc, char *argv[])
{
	static unsigned char buf[OUT_MAX];
	static char out[OUT_MAX], hello[1024];
	const char *auth = getenv("WS_AUTHTOKEN"), *wait = getenv("WS_WAIT");
	long long deadline;
	size_t len, olen = 0;
	ssize_t n;
	FILE *f;
	int fd, rv;

	if (argc < 6 || argc > 7)
		return 2;
	deadline = tnet_now_ms() + 1000LL * tnet_deadline_s(argc == 7 ?
	    argv[6] : NULL);
	if ((fd = tnet_connect(atoi(argv[1]))) == -1 ||
	    upgrade(fd, argv[2], argv[3], buf, &len, deadline) == -1)
		return 1;
	snprintf(hello, sizeof(hello), "{\"AuthToken\":\"%s\",\"columns\":80,"
	    "\"rows\":24}", auth != NULL ? auth : "");
	if (send_frame(fd, 2, hello, strlen(hello)) == -1)
		return 1;
	if (wait != NULL && await(fd, buf, &len, out, &olen, wait,
	    deadline) == -1) {
		fprintf(stderr, "wsclient: no '%s' in: %s\n", wait, out);
		return 1;
	}
	if (strcmp(argv[4], "-") != 0 &&
	    tnet_type(argv[4], send_input, &fd) == -1)
		return 1;
	for (;;) {
		if ((rv = take_frames(buf, &len, out, &olen, argv[5])) != 0)
			break;
		if ((n = tnet_read(fd, buf + len, sizeof(buf) - len,
		    deadline)) <= 0) {
			rv = -1;
			break;
		}
		len += n;
	}
	send_frame(fd, 8, "\x03\xe8", 2);
	close(fd);
	if (getenv("WS_OUT") != NULL && (f = fopen(getenv("WS_OUT"), "w")) !=
	    NULL) {
		fputs(out, f);
		fclose(f);
	}
	if (rv != 1)
		fprintf(stderr, "wsclient: no '%s' in: %s\n", argv[5], out);
	return rv == 1 ? 0 : 1;
}
