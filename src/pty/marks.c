/*
 * marks.c - finds shell-integration marks in terminal output.
 *
 * Shells that source contrib/shell/termgate.{bash,zsh} (or VS Code's
 * integration) announce prompts and commands with OSC sequences: OSC 133
 * A/B/C/D (FinalTerm), OSC 633 A/B/C/D/E/P (VS Code) and OSC 7 (the
 * working directory as a file:// URL), each ended by BEL or ST (ESC \).
 * The screen model's scanner (screen.c) finds each OSC payload in the
 * output, at most MARKS_MAX bytes of it, in the same pass as it feeds
 * libvterm; marks_parse, pure and safe on any input, turns one payload
 * into a mark, or refuses it.
 */
#include <string.h>

#include "marks.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes VS Code's escapes (\\ and \xHH) of S (LEN bytes, up to the first
 * unescaped ';' or the end) into OUT. Returns the decoded length, or -1
 * on a malformed escape.
 */
static long
unescape_633(const char *s, size_t len, char *out)
{
	size_t i, n = 0;
	int hi, lo;

	for (i = 0; i < len && s[i] != ';'; i++) {
		if (s[i] != '\\') {
			out[n++] = s[i];
			continue;
		}
		if (i + 1 < len && s[i + 1] == '\\') {
			out[n++] = '\\';
			i++;
		} else if (i + 3 < len && s[i + 1] == 'x' &&
		    (hi = hexval(s[i + 2])) != -1 &&
		    (lo = hexval(s[i + 3])) != -1) {
			out[n++] = (char)(hi << 4 | lo);
			i += 3;
		} else
			return -1;
	}
	return (long)n;
}

/* Percent-decodes S (LEN bytes) into OUT; the length, or -1 if malformed. */
static long
unescape_url(const char *s, size_t len, char *out)
{
	size_t i, n = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (s[i] != '%') {
			out[n++] = s[i];
			continue;
		}
		if (i + 2 >= len || (hi = hexval(s[i + 1])) == -1 ||
		    (lo = hexval(s[i + 2])) == -1)
			return -1;
		out[n++] = (char)(hi << 4 | lo);
		i += 2;
	}
	return (long)n;
}

/* A decoded directory: absolute, without NUL. 0 and *M set, or -1. */
static int
set_cwd(struct mark *m, char *out, long n)
{
	if (n <= 0 || out[0] != '/' || memchr(out, '\0', n) != NULL)
		return -1;
	m->kind = MARK_CWD;
	m->text = out;
	m->len = (size_t)n;
	return 0;
}

/* "file://HOST/PATH" (P, LEN bytes) of an OSC 7. */
static int
parse_7(const char *p, size_t len, struct mark *m, char *out)
{
	const char *slash;

	if (len < 7 || memcmp(p, "file://", 7) != 0)
		return -1;
	p += 7;
	len -= 7;
	if ((slash = memchr(p, '/', len)) == NULL)
		return -1;
	len -= slash - p;
	return set_cwd(m, out, unescape_url(slash, len, out));
}

/* The status of "D;N": 0-255, or -1 when absent or not such a number. */
static int
parse_status(const char *p, size_t len)
{
	size_t i;
	int v = 0;

	if (len == 0 || p[0] != ';')
		return -1;
	for (i = 1; i < len && p[i] != ';'; i++) {
		if (p[i] < '0' || p[i] > '9' || i > 3)
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return (i == 1 || v > 255) ? -1 : v;
}

/* The field after the first unescaped ';' of P (LEN bytes) into M's
 * nonce, up to the next ';'; none when there is no such ';'. */
static void
set_nonce(const char *p, size_t len, struct mark *m)
{
	const char *semi, *end;

	if ((semi = memchr(p, ';', len)) == NULL)
		return;
	m->nonce = semi + 1;
	len -= (size_t)(m->nonce - p);
	end = memchr(m->nonce, ';', len);
	m->nonce_len = end != NULL ? (size_t)(end - m->nonce) : len;
}

/* The part after "133;" or "633;" (P, LEN > 0 bytes). */
static int
parse_133(const char *p, size_t len, int vscode, struct mark *m, char *out)
{
	static const char letters[] = "ABCD";
	const char *l;
	long n;

	if (len > 1 && p[1] != ';')
		return -1;
	if (p[0] != '\0' && (l = strchr(letters, p[0])) != NULL) {
		m->kind = MARK_PROMPT + (l - letters);
		if (m->kind == MARK_DONE && len > 2) {
			m->status = parse_status(p + 1, len - 1);
			set_nonce(p + 2, len - 2, m);
		}
		return 0;
	}
	if (!vscode || len < 2)
		return -1;
	if (p[0] == 'E') {
		if ((n = unescape_633(p + 2, len - 2, out)) == -1)
			return -1;
		m->kind = MARK_CMDLINE;
		m->text = out;
		m->len = (size_t)n;
		set_nonce(p + 2, len - 2, m);
		return 0;
	}
	if (p[0] == 'P' && len > 6 && memcmp(p + 2, "Cwd=", 4) == 0)
		return set_cwd(m, out, unescape_633(p + 6, len - 6, out));
	return -1;
}

/*
 * Parses one OSC payload P of LEN bytes (what came between "ESC ]" and
 * the terminator). OUT must have room for LEN bytes: decoded text goes
 * there and M->text points into it. Returns 0 with *M set for a mark,
 * -1 for any other or malformed payload (*M then undefined).
 */
int
marks_parse(const char *p, size_t len, struct mark *m, char *out)
{
	memset(m, 0, sizeof(*m));
	m->status = -1;
	if (len > 4 && memcmp(p, "133;", 4) == 0)
		return parse_133(p + 4, len - 4, 0, m, out);
	if (len > 4 && memcmp(p, "633;", 4) == 0)
		return parse_133(p + 4, len - 4, 1, m, out);
	if (len > 2 && memcmp(p, "7;", 2) == 0)
		return parse_7(p + 2, len - 2, m, out);
	return -1;
}
