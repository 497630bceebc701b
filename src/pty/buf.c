/*
 * buf.c - growable byte buffers, UTF-8 checks and JSON strings.
 *
 * A struct buf starts zeroed and owns its bytes; buf_free releases them
 * and leaves it empty again. The recording (cast.c) and the command
 * records (capture.c) both escape text with buf_json, so the two files
 * agree on what a JSON string of terminal bytes is: valid UTF-8 passes,
 * '"' and '\' are escaped, control characters and DEL become \u00XX, and
 * every byte that starts no valid sequence becomes U+FFFD.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Makes room for N more bytes (plus a NUL); 0, or -1 when out of memory. */
static int
grow(struct buf *b, size_t n)
{
	size_t cap;
	char *p;

	if (n > ((size_t)-1) / 2 - b->len)
		return -1;
	if (b->len + n + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	if ((p = realloc(b->p, cap)) == NULL)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

/* Appends LEN bytes of P; keeps a NUL after them. 0, or -1 (no memory). */
int
buf_add(struct buf *b, const void *p, size_t len)
{
	if (grow(b, len) == -1)
		return -1;
	if (len > 0)
		memcpy(b->p + b->len, p, len);
	b->len += len;
	b->p[b->len] = '\0';
	return 0;
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

/* Appends printf-formatted text; 0, or -1 (no memory). */
int
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, (size_t)n) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += n;
	return 0;
}

/* Removes the first N bytes (all of them if N >= len). */
void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		return;
	}
	memmove(b->p, b->p + n, b->len - n);
	b->len -= n;
}

/* Releases B's bytes; B may be NULL. B is empty and reusable after. */
void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/*
 * Checks the UTF-8 sequence at P (N > 0 bytes available). Returns its
 * length (1-4) when it is valid, 0 when the N bytes are a valid but
 * incomplete start of one, -1 when P[0] starts no valid sequence
 * (overlong forms, surrogates and code points over U+10FFFF included).
 */
int
utf8_len(const unsigned char *p, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	int len, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return -1;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	for (i = 1; i < len; i++) {
		if ((size_t)i >= n)
			return 0;
		if (p[i] < lo || p[i] > hi)
			return -1;
		lo = 0x80;
		hi = 0xbf;
	}
	return len;
}

/*
 * Appends the LEN bytes of S to B as the inside of a JSON string (see the
 * top of the file). Unless FINAL, an incomplete UTF-8 sequence at the end
 * is left for the caller to carry over. Returns the number of bytes of S
 * consumed; fewer than expected when out of memory (B keeps what fit).
 */
size_t
buf_json(struct buf *b, const char *s, size_t len, int final)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run;
	int n;

	while (i < len) {
		for (run = i; run < len && p[run] >= 0x20 && p[run] < 0x7f &&
		    p[run] != '"' && p[run] != '\\'; run++)
			;
		if (run > i && buf_add(b, p + i, run - i) == -1)
			return i;
		if ((i = run) >= len)
			break;
		if (p[i] == '"' || p[i] == '\\')
			n = buf_addf(b, "\\%c", p[i]);
		else if (p[i] < 0x20 || p[i] == 0x7f)
			n = buf_addf(b, "\\u%04x", p[i]);
		else if ((n = utf8_len(p + i, len - i)) == 0 && !final)
			return i;
		else if (n > 0) {
			if (buf_add(b, p + i, n) == -1)
				return i;
			i += n;
			continue;
		} else
			n = buf_adds(b, "\xef\xbf\xbd");
		if (n == -1)
			return i;
		i++;
	}
	return i;
}
