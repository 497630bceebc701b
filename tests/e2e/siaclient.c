/*
 * siaclient - a tiny shellinabox client for termgate's end-to-end tests,
 * what wsclient is for ttyd.
 *
 *	siaclient PORT PATH COOKIE INPUT EXPECT [SECONDS]
 *
 * shellinabox speaks HTTP long-polling, not WebSocket: each request is a
 * form POST to PATH (the terminal's page, "/terminal/ID/") through nginx
 * on 127.0.0.1:PORT, sending COOKIE as the Cookie header. The first,
 * "width=80&height=24&rooturl=...", starts a terminal (a new backend
 * process: what a page load does) and names its session; each poll,
 * "session=S&width=80&height=24", answers {"session":..., "data":...}
 * once the terminal has output (or shellinabox's timeout passes); keys
 * go in "keys=HEX" (the UTF-8 bytes in hex). INPUT followed by a carriage
 * return is typed once (or, with $WS_RAW, $WS_FRAME_MS and $WS_KEY_MS,
 * raw bytes in several requests, or one a key: tnet_type), and output is
 * read until it contains EXPECT.
 * INPUT "-", $WS_WAIT, $WS_OUT, $WS_READY and $WS_HEADER mean what they
 * mean to wsclient. Exits 0 when EXPECT was seen, 1 when a request was refused
 * or SECONDS (default 5) passed, 2 on bad usage. Each request is
 * HTTP/1.0 on a connection of its own, so the answer ends at EOF.
 * Test code: libc only, blocking I/O with poll.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tnet.h"

#define OUT_MAX	65536
#define RESP_MAX (4 * OUT_MAX)

struct sia {
	int		 port;
	const char	*path, *cookie;
	char		 session[128];
	long long	 deadline;
	char		 out[OUT_MAX];	/* output text since the last reset */
	size_t		 olen;
};

/* POSTs BODY; the whole answer in RESP (NUL-terminated); 0 or -1. */
static int
post(struct sia *s, const char *body, char *resp, size_t size)
{
	const char *extra = getenv("WS_HEADER");
	char req[8192];
	size_t len = 0;
	ssize_t n;
	int fd, rv = -1;

	if (snprintf(req, sizeof(req), "POST %s HTTP/1.0\r\nHost: localhost\r\n"
	    "Cookie: %s\r\n%s%sContent-Type: application/x-www-form-urlencoded; "
	    "charset=utf-8\r\nContent-Length: %zu\r\n\r\n%s", s->path,
	    s->cookie, extra != NULL ? extra : "", extra != NULL ? "\r\n" : "",
	    strlen(body), body) >= (int)sizeof(req))
		return -1;
	if ((fd = tnet_connect(s->port)) == -1)
		return -1;
	if (tnet_write_all(fd, req, strlen(req)) == -1)
		goto done;
	while (len < size - 1 && (n = tnet_read(fd, resp + len,
	    size - 1 - len, s->deadline)) > 0)
		len += n;
	resp[len] = '\0';
	if (len < 12 || strncmp(resp, "HTTP/1.", 7) != 0 ||
	    strncmp(resp + 8, " 200", 4) != 0) {
		fprintf(stderr, "siaclient: %.*s\n", (int)strcspn(resp, "\r"),
		    len > 0 ? resp : "no answer in time");
		goto done;
	}
	rv = 0;
done:
	close(fd);
	return rv;
}

/* The byte of the JSON escape at *P (after its backslash); advances *P,
 * never past the string's end. */
static int
unescape(const char **p)
{
	unsigned int u = 0;
	char c = **p;
	int i;

	if (c == '\0')
		return '?';
	(*p)++;
	switch (c) {
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	case 'b': return '\b';
	case 'f': return '\f';
	case 'u':
		for (i = 0; i < 4 && isxdigit((unsigned char)**p); i++, (*p)++)
			u = u * 16 + (isdigit((unsigned char)**p) ? **p - '0' :
			    (tolower((unsigned char)**p) - 'a' + 10));
		return i == 4 && u < 0x80 ? (int)u : '?'; /* tests want ASCII */
	default: return c;	/* " \ / */
	}
}

/*
 * Copies the JSON string after "KEY":" in the body of RESP, unescaped,
 * to S's output ("data") or its session name ("session"); 0, or -1 if
 * it is not there.
 */
static int
field(struct sia *s, const char *resp, const char *key)
{
	char pat[32], *dst = s->out;
	const char *p;
	size_t *len = &s->olen, size = sizeof(s->out), sl = 0;
	int c;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	if ((p = strstr(resp, "\r\n\r\n")) == NULL ||
	    (p = strstr(p, pat)) == NULL)
		return -1;
	p += strlen(pat);
	if (strcmp(key, "session") == 0)
		dst = s->session, len = &sl, size = sizeof(s->session);
	while (*p != '\0' && *p != '"') {
		if (*p == '\\') {
			p++;
			c = unescape(&p);
		} else
			c = *p++;
		if (*len + 1 < size)
			dst[(*len)++] = c;
	}
	dst[*len] = '\0';
	return 0;
}

/* Polls once; new output appended to S->out; 0 or -1. */
static int
poll_once(struct sia *s)
{
	static char resp[RESP_MAX];
	char body[256];
	size_t before = s->olen;

	snprintf(body, sizeof(body), "width=80&height=24&session=%s",
	    s->session);
	if (post(s, body, resp, sizeof(resp)) == -1 ||
	    field(s, resp, "data") == -1)
		return -1;
	if (s->olen > before)
		tnet_ready();
	return 0;
}

/* Polls until the output has TEXT; 0, or -1 (error, deadline). */
static int
await(struct sia *s, const char *text)
{
	while (strstr(s->out, text) == NULL)
		if (poll_once(s) == -1)
			return -1;
	return 0;
}

/* tnet_type's sender: N bytes of D as one keys= request; 0 or -1. */
static int
send_keys(void *arg, const char *d, size_t n)
{
	static char resp[RESP_MAX];
	struct sia *s = arg;
	char body[4096];
	size_t len, i;

	len = snprintf(body, sizeof(body), "width=80&height=24&session=%s"
	    "&keys=", s->session);
	for (i = 0; i < n && len + 3 < sizeof(body); i++)
		len += snprintf(body + len, sizeof(body) - len, "%02X",
		    (unsigned char)d[i]);
	if (i < n || post(s, body, resp, sizeof(resp)) == -1)
		return -1;
	(void)field(s, resp, "data");	/* output it answered with, if any */
	return 0;
}

/* Starts the terminal (a page load); S->session named; 0 or -1. */
static int
start(struct sia *s)
{
	static char resp[RESP_MAX];

	if (post(s, "width=80&height=24&rooturl=http%3A%2F%2Flocalhost%2F",
	    resp, sizeof(resp)) == -1 || field(s, resp, "session") == -1 ||
	    s->session[0] == '\0')
		return -1;
	(void)field(s, resp, "data");
	return 0;
}

int
main(int argc, char *argv[])
{
	static struct sia s;
	const char *wait = getenv("WS_WAIT"), *expect;
	FILE *f;
	int rv = -1;

	if (argc < 6 || argc > 7)
		return 2;
	s.port = atoi(argv[1]);
	s.path = argv[2];
	s.cookie = argv[3];
	expect = argv[5];
	s.deadline = tnet_now_ms() + 1000LL * tnet_deadline_s(argc == 7 ?
	    argv[6] : NULL);
	if (start(&s) == -1)
		return 1;
	if (wait != NULL && wait[0] != '\0') {
		if (await(&s, wait) == -1) {
			fprintf(stderr, "siaclient: no '%s' in: %s\n", wait,
			    s.out);
			return 1;
		}
		s.olen = 0;
		s.out[0] = '\0';
	}
	if (strcmp(argv[4], "-") == 0 ||
	    tnet_type(argv[4], send_keys, &s) == 0)
		rv = await(&s, expect);
	if (getenv("WS_OUT") != NULL && (f = fopen(getenv("WS_OUT"), "w")) !=
	    NULL) {
		fputs(s.out, f);
		fclose(f);
	}
	if (rv == -1)
		fprintf(stderr, "siaclient: no '%s' in: %s\n", expect, s.out);
	return rv == 0 ? 0 : 1;
}
