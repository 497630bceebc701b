/*
 * vis.c - text from users and hosts, made safe to print to a terminal.
 *
 * A stored command is whatever a user typed or a host printed, and an
 * operator lists it with termgate-admin in their own terminal. Printed as
 * is, it could drive that terminal: C0 controls and DEL, but also the C1
 * controls U+0080 to U+009F (U+009B is CSI, U+009D OSC: a clipboard write
 * through OSC 52), and text that lies to the eye (bidi overrides and
 * isolates, zero-width characters) so that a row reads differently from
 * what it holds. As vis(3) does, each of those is written as an escape
 * that shows what it is: \xNN for a control byte or a byte that is not
 * UTF-8, \u{XXXX} for a character. Everything else passes as it is.
 */
#include <stdio.h>
#include <string.h>

#include "vis.h"

/* Characters that print nothing, or reorder what does. */
static int
deceptive(unsigned long c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0xad || c == 0x061c ||
	    (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
	    (c >= 0x2060 && c <= 0x2069) || c == 0xfeff;
}

/*
 * Decodes the UTF-8 character at S (at most 4 bytes, no overlong form,
 * no surrogate, none above U+10FFFF) into *C: its length, or 0 when S
 * does not start one.
 */
static size_t
utf8_char(const unsigned char *s, unsigned long *c)
{
	static const unsigned long min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n, i;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	*c = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*c = *c << 6 | (s[i] & 0x3f);
	}
	if (*c < min[n] || *c > 0x10ffff || (*c >= 0xd800 && *c <= 0xdfff))
		return 0;
	return n;
}

/*
 * Writes the visible form of S into OUT of SIZE bytes, NUL-terminated,
 * cut at a whole escape or character when it does not fit. Returns the
 * length of the whole visible form (as snprintf: SIZE or more means it
 * was cut). Cannot fail.
 */
size_t
vis_str(const char *s, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[16];
	unsigned long c;
	size_t len = 0, n, w;

	if (size > 0)
		out[0] = '\0';
	while (*p != '\0') {
		if (*p >= 0x20 && *p < 0x7f) {
			esc[0] = (char)*p, esc[1] = '\0';
			n = 1;
		} else if ((n = utf8_char(p, &c)) == 0 || deceptive(c)) {
			if (n == 0) {
				snprintf(esc, sizeof(esc), "\\x%02x", *p);
				n = 1;
			} else
				snprintf(esc, sizeof(esc), "\\u{%04lx}", c);
		} else {
			memcpy(esc, p, n);
			esc[n] = '\0';
		}
		w = strlen(esc);
		if (len + w < size)
			memcpy(out + len, esc, w + 1);
		else if (len < size)
			out[len] = '\0', size = len;	/* cut: nothing more */
		len += w;
		p += n;
	}
	return len;
}
