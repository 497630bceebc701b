/*
 * t_vis.c - vis_str: what an operator's terminal is shown of a stored
 * command. Rows: the text, its visible form.
 */
#include <string.h>

#include "suites.h"
#include "vis.h"

static void
test_vis(void)
{
	static const struct {
		const char	*in, *out;
	} rows[] = {
		{ "ls -la", "ls -la" },
		{ "Café 日本", "Café 日本" },
		{ "a\tb\033[2Jc\x7f", "a\\x09b\\x1b[2Jc\\x7f" },
		/* C1 controls: CSI, OSC (a clipboard write), NEL */
		{ "\xc2\x9b" "2J", "\\u{009b}2J" },
		{ "\xc2\x9d" "52;c;eA==\xc2\x9c", "\\u{009d}52;c;eA==\\u{009c}" },
		{ "\xc2\x85", "\\u{0085}" },
		/* text that reads otherwise: a right-to-left override, an
		 * isolate, zero width, a soft hyphen, a byte order mark */
		{ "ls \xe2\x80\xae" "al-", "ls \\u{202e}al-" },
		{ "a\xe2\x81\xa6" "b", "a\\u{2066}b" },
		{ "r\xe2\x80\x8bm", "r\\u{200b}m" },
		{ "s\xc2\xad" "u", "s\\u{00ad}u" },
		{ "\xef\xbb\xbfx", "\\u{feff}x" },
		/* not UTF-8: a lone C1 byte, a cut sequence, overlong, a
		 * surrogate, above U+10FFFF */
		{ "\x9b" "2J", "\\x9b2J" },
		{ "\xe6\x97", "\\xe6\\x97" },
		{ "\xc0\xaf", "\\xc0\\xaf" },
		{ "\xed\xa0\x80", "\\xed\\xa0\\x80" },
		{ "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80" },
		{ "\xfd\xbf\xbf\xbf\xbf\xbf", "\\xfd\\xbf\\xbf\\xbf\\xbf\\xbf" },
		{ "", "" },
	};
	char out[128];
	size_t i, n;

	for (i = 0; i < T_NELEM(rows); i++) {
		n = vis_str(rows[i].in, out, sizeof(out));
		T_ASSERT(strcmp(out, rows[i].out) == 0 &&
		    n == strlen(rows[i].out), rows[i].out);
	}
}

/* A form that does not fit is cut at a whole escape, and the length of
 * the whole is returned, as snprintf does. */
static void
test_vis_cut(void)
{
	char out[8];
	size_t n;

	n = vis_str("ab\033cdef", out, sizeof(out));
	T_ASSERT(n == strlen("ab\\x1bcdef") && strcmp(out, "ab\\x1bc") == 0,
	    "cut after a whole escape");
	n = vis_str("abcd\033", out, 6);
	T_ASSERT(n == 8 && strcmp(out, "abcd") == 0,
	    "an escape that does not fit is left out whole");
	T_ASSERT(vis_str("abc", NULL, 0) == 3, "size 0 only measures");
}

int
suite_vis_register(void)
{
	static const struct t_case cases[] = {
		{ "visible form of text", test_vis },
		{ "visible form, cut", test_vis_cut },
	};

	return t_register("vis", cases, T_NELEM(cases));
}
