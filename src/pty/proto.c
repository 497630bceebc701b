/*
 * proto.c - writing and reading the frames of proto.h, for the holder
 * (its clients' INPUT and RESIZE) and for attach (the holder's OUTPUT):
 * one writer and one reader, so that both ends frame a stream the same
 * way, and the fuzz target of the frames (tests/fuzz/fuzz_frames.c) runs
 * the code they run.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "proto.h"

int
proto_put(struct buf *b, int type, const void *p, size_t len)
{
	unsigned char hdr[PROTO_HDR];

	proto_hdr(hdr, type, len);
	return buf_add(b, hdr, sizeof(hdr)) == -1 ||
	    buf_add(b, p, len) == -1 ? -1 : 0;
}

unsigned char *
proto_rx_room(struct proto_rx *rx, size_t *room)
{
	if (rx->off > 0) {
		memmove(rx->buf, rx->buf + rx->off, rx->len - rx->off);
		rx->len -= rx->off;
		rx->off = 0;
	}
	*room = sizeof(rx->buf) - rx->len;
	return rx->buf + rx->len;
}

void
proto_rx_got(struct proto_rx *rx, size_t n)
{
	rx->len += n;
}

int
proto_rx_next(struct proto_rx *rx, int *type, const unsigned char **p,
    size_t *len)
{
	const unsigned char *h = rx->buf + rx->off;
	size_t have = rx->len - rx->off;
	uint32_t n;

	if (have < PROTO_HDR)
		return 0;
	if ((n = proto_len(h)) > PROTO_MAX)
		return -1;
	if (have < PROTO_HDR + (size_t)n)
		return 0;
	*type = h[0];
	*p = h + PROTO_HDR;
	*len = n;
	rx->off += PROTO_HDR + (size_t)n;
	return 1;
}

int
proto_resize(const unsigned char *p, size_t len, int *cols, int *rows)
{
	if (len != 4)
		return -1;
	*cols = p[0] << 8 | p[1];
	*rows = p[2] << 8 | p[3];
	return *cols < PROTO_COLS_MIN || *cols > PROTO_COLS_MAX || *rows < 1 ||
	    *rows > PROTO_ROWS_MAX ? -1 : 0;
}

int
proto_put_hello(struct buf *b, int mode, const char *grant)
{
	char p[16 + HOLDER_GRANT_LEN];
	int n;

	n = snprintf(p, sizeof(p), "%s %s", holder_mode_name(mode), grant);
	if (n < 0 || (size_t)n >= sizeof(p))
		return -1;
	return proto_put(b, PROTO_HELLO, p, (size_t)n);
}

/* GRANT from the LEN bytes at P when they are one; 0 or -1. */
static int
take_grant(const unsigned char *p, size_t len,
    char grant[HOLDER_GRANT_LEN + 1])
{
	if (len != HOLDER_GRANT_LEN)
		return -1;
	memcpy(grant, p, len);
	grant[len] = '\0';
	return holder_grant_ok(grant) ? 0 : -1;
}

int
proto_hello(const unsigned char *p, size_t len, int *mode,
    char grant[HOLDER_GRANT_LEN + 1])
{
	const unsigned char *sp = memchr(p, ' ', len);
	char word[16];
	size_t n;

	if (sp == NULL || (n = (size_t)(sp - p)) >= sizeof(word))
		return -1;
	memcpy(word, p, n);
	word[n] = '\0';
	if ((*mode = holder_mode(word)) == -1)
		return -1;
	return take_grant(sp + 1, len - n - 1, grant);
}

int
proto_drop(const unsigned char *p, size_t len,
    char grant[HOLDER_GRANT_LEN + 1])
{
	return take_grant(p, len, grant);
}
