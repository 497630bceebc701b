/*
 * fuzz_relit.c - libFuzzer target: the text a regular expression
 * requires (src/relit.c), which parses whatever a user sends after re:.
 *
 * Input: the expression (up to its first NUL). Asserted: at most
 * RELIT_ANY runs; none of them empty or longer than RELIT_MAX - 1, each
 * printable ASCII; a single run for an expression with no character
 * that means anything but itself, and that run its text (up to the
 * longest a run may be); a LIKE pattern only beside a single run, and
 * then holding that run, escaped, whole.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "relit.h"

/* 1 when RE is plain text: printable ASCII, none of the syntax's own. */
static int
plain(const char *re)
{
	const char *p;

	for (p = re; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80 || *p < ' ' || *p == 0x7f ||
		    strchr("\\^$.[]()|*+?{}", *p) != NULL)
			return 0;
	return 1;
}

/* 1 when LIKE holds TEXT with LIKE's own characters escaped. */
static int
holds(const char *like, const char *text)
{
	char esc[2 * RELIT_MAX];
	size_t n = 0;

	for (; *text != '\0'; text++) {
		if (*text == '\\' || *text == '%' || *text == '_')
			esc[n++] = '\\';
		esc[n++] = *text;
	}
	esc[n] = '\0';
	return strstr(like, esc) != NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct relit r;
	char *re;
	const char *c;
	int i, n;

	if ((re = malloc(size + 1)) == NULL)
		return 0;
	memcpy(re, data, size);
	re[size] = '\0';
	n = relit_required(re, &r);
	if (n != r.n || n < 0 || n > RELIT_ANY)
		abort();
	for (i = 0; i < n; i++) {
		if (r.text[i][0] == '\0' ||
		    memchr(r.text[i], '\0', RELIT_MAX) == NULL)
			abort();
		for (c = r.text[i]; *c != '\0'; c++)
			if ((unsigned char)*c >= 0x80 || *c < ' ' || *c == 0x7f)
				abort();
	}
	if (memchr(r.like, '\0', RELIT_LIKE) == NULL ||
	    (r.like[0] != '\0' && (n != 1 || !holds(r.like, r.text[0]))))
		abort();
	if (*re != '\0' && strncmp(re, "***", 3) != 0 && plain(re) &&
	    (n != 1 || strncmp(r.text[0], re, RELIT_MAX - 1) != 0))
		abort();
	free(re);
	return 0;
}
