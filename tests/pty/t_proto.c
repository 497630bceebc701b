/*
 * t_proto.c - the frame reader both ends of a holder's socket use
 * (src/pty/proto.c): a stream cut anywhere gives the same frames, a
 * length over PROTO_MAX stops it, a RESIZE names a size in bounds, and
 * a HELLO or DROP is well formed or refused.
 */
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "proto.h"
#include "suites.h"

/* Appends "TYPE:PAYLOAD," to OUT, both in hex. */
static void
hex(char *out, size_t outlen, int type, const unsigned char *p, size_t n)
{
	size_t i, o = strlen(out);

	o += (size_t)snprintf(out + o, outlen - o, "%02x:", type);
	for (i = 0; i < n && o < outlen; i++)
		o += (size_t)snprintf(out + o, outlen - o, "%02x", p[i]);
	if (o < outlen)
		snprintf(out + o, outlen - o, ",");
}

/* Frames of STREAM (LEN bytes) read CHUNK bytes at a time, as hex()
 * writes them, into OUT; the last proto_rx_next result. */
static int
read_all(const unsigned char *stream, size_t len, size_t chunk, char *out,
    size_t outlen)
{
	static struct proto_rx rx;
	const unsigned char *p;
	unsigned char *room;
	size_t off = 0, space, n, plen;
	int type, rv = 0;

	memset(&rx, 0, sizeof(rx));
	out[0] = '\0';
	while (off < len) {
		room = proto_rx_room(&rx, &space);
		n = len - off < chunk ? len - off : chunk;
		n = n < space ? n : space;
		memcpy(room, stream + off, n);
		proto_rx_got(&rx, n);
		off += n;
		while ((rv = proto_rx_next(&rx, &type, &p, &plen)) == 1)
			hex(out, outlen, type, p, plen);
		if (rv == -1)
			return -1;
	}
	return rv;
}

static size_t
put(unsigned char *s, int type, const char *payload, size_t n)
{
	proto_hdr(s, type, n);
	memcpy(s + PROTO_HDR, payload, n);
	return PROTO_HDR + n;
}

static void
test_any_cut(void)
{
	static const char want[] = "01:6c73202d6c610d,02:00500018,01:,"
	    "81:6869,";
	unsigned char s[128];
	char got[256], desc[64];
	size_t n = 0, chunk;

	n += put(s + n, PROTO_INPUT, "ls -la\r", 7);
	n += put(s + n, PROTO_RESIZE, "\x00\x50\x00\x18", 4);
	n += put(s + n, PROTO_INPUT, "", 0);
	n += put(s + n, PROTO_OUTPUT, "hi", 2);
	for (chunk = 1; chunk <= n; chunk++) {
		snprintf(desc, sizeof(desc), "read %zu bytes at a time", chunk);
		T_ASSERT(read_all(s, n, chunk, got, sizeof(got)) == 0 &&
		    strcmp(got, want) == 0, desc);
	}
	/* Half a frame is no frame yet. */
	T_ASSERT(read_all(s, PROTO_HDR + 3, 1, got, sizeof(got)) == 0 &&
	    got[0] == '\0', "a partial frame waits");
}

static void
test_too_long(void)
{
	unsigned char s[PROTO_HDR * 2 + 8];
	char got[64];
	size_t n = put(s, PROTO_INPUT, "ok", 2);

	proto_hdr(s + n, PROTO_INPUT, PROTO_MAX + 1);
	T_ASSERT(read_all(s, n + PROTO_HDR, 3, got, sizeof(got)) == -1,
	    "a length over PROTO_MAX is malformed");
	T_ASSERT(strcmp(got, "01:6f6b,") == 0, "the frame before it is taken");
	proto_hdr(s, PROTO_INPUT, PROTO_MAX);
	T_ASSERT(read_all(s, PROTO_HDR, 1, got, sizeof(got)) == 0,
	    "PROTO_MAX itself is a length");
}

static void
test_resize(void)
{
	static const struct {
		unsigned char	p[4];
		size_t		len;
		int		ok, cols, rows;
	} cases[] = {
		{ { 0, 80, 0, 24 }, 4, 1, 80, 24 },
		{ { 0, 2, 0, 1 }, 4, 1, 2, 1 },
		{ { 0, 1, 0, 24 }, 4, 0, 0, 0 },
		{ { PROTO_COLS_MAX >> 8, PROTO_COLS_MAX & 0xff,
		    PROTO_ROWS_MAX >> 8, PROTO_ROWS_MAX & 0xff }, 4, 1,
		    PROTO_COLS_MAX, PROTO_ROWS_MAX },
		{ { 0, 0, 0, 24 }, 4, 0, 0, 0 },
		{ { 0, 80, 0, 0 }, 4, 0, 0, 0 },
		{ { (PROTO_COLS_MAX + 1) >> 8, (PROTO_COLS_MAX + 1) & 0xff,
		    0, 24 }, 4, 0, 0, 0 },
		{ { 0, 80, (PROTO_ROWS_MAX + 1) >> 8,
		    (PROTO_ROWS_MAX + 1) & 0xff }, 4, 0, 0, 0 },
		{ { 0xff, 0xff, 0xff, 0xff }, 4, 0, 0, 0 },
		{ { 0, 80, 0, 24 }, 3, 0, 0, 0 },
	};
	char desc[64];
	size_t i;
	int c, r;

	for (i = 0; i < T_NELEM(cases); i++) {
		snprintf(desc, sizeof(desc), "resize case %zu", i);
		c = r = -1;
		T_ASSERT((proto_resize(cases[i].p, cases[i].len, &c, &r) ==
		    0) == cases[i].ok, desc);
		if (cases[i].ok)
			T_ASSERT(c == cases[i].cols && r == cases[i].rows,
			    desc);
	}
}

#define G64	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"

/* A HELLO is "MODE GRANT" exactly, written and read by the same code. */
static void
test_hello(void)
{
	static const struct {
		const char	*p;
		int		 ok, mode;
	} cases[] = {
		{ "view " G64, 1, HOLDER_VIEW },
		{ "control " G64, 1, HOLDER_CONTROL },
		{ "View " G64, 0, 0 },
		{ "admin " G64, 0, 0 },
		{ "view  " G64, 0, 0 },
		{ "view " G64 " ", 0, 0 },
		{ "view " G64 "0", 0, 0 },
		{ "view 0123456789ABCDEF0123456789abcdef"
		    "0123456789abcdef0123456789abcdef", 0, 0 },
		{ "view ../" G64, 0, 0 },
		{ "view", 0, 0 },
		{ "", 0, 0 },
		{ G64, 0, 0 },
	};
	char grant[HOLDER_GRANT_LEN + 1], desc[64];
	struct buf b = { 0 };
	size_t i;
	int mode;

	for (i = 0; i < T_NELEM(cases); i++) {
		snprintf(desc, sizeof(desc), "hello case %zu", i);
		T_ASSERT((proto_hello((const unsigned char *)cases[i].p,
		    strlen(cases[i].p), &mode, grant) == 0) == cases[i].ok,
		    desc);
		if (cases[i].ok)
			T_ASSERT(mode == cases[i].mode &&
			    strcmp(grant, G64) == 0, desc);
	}
	T_ASSERT(proto_put_hello(&b, HOLDER_VIEW, G64) == 0 &&
	    b.len == PROTO_HDR + 5 + HOLDER_GRANT_LEN &&
	    (unsigned char)b.p[0] == PROTO_HELLO &&
	    proto_hello((unsigned char *)b.p + PROTO_HDR, b.len - PROTO_HDR,
	    &mode, grant) == 0 && mode == HOLDER_VIEW, "hello written, read");
	buf_free(&b);
	T_ASSERT(proto_drop((const unsigned char *)G64, 64, grant) == 0,
	    "drop of a grant");
	T_ASSERT(proto_drop((const unsigned char *)G64, 63, grant) == -1,
	    "drop of less");
	T_ASSERT(proto_drop((const unsigned char *)"view " G64, 69,
	    grant) == -1, "drop of a hello");
}

int
suite_proto_register(void)
{
	static const struct t_case cases[] = {
		{ "a stream cut anywhere", test_any_cut },
		{ "a length over PROTO_MAX", test_too_long },
		{ "resize bounds", test_resize },
		{ "hello and drop", test_hello },
	};

	return t_register("proto", cases, T_NELEM(cases));
}
