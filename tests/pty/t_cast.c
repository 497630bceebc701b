/*
 * t_cast.c - unit tests of the asciicast v2 writer (cast.c).
 *
 * Each test writes a recording to a temporary file and compares the file
 * with the exact lines it must hold: the header, JSON escaping, UTF-8
 * carried across writes, U+FFFD for bytes that are not UTF-8, resize
 * events, when events are written, and the size cap's final marker.
 * (tests/pty/run checks that asciinema reads what the holder records.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cast.h"
#include "suites.h"

#define HDR	"{\"version\": 2, \"width\": 80, \"height\": 24, " \
		"\"timestamp\": 1700000000, \"env\": {\"TERM\": " \
		"\"xterm-256color\"}}\n"

/* One write: at time T, LEN bytes of S (S NULL: a resize to LEN x 30). */
struct w {
	int64_t		 t;
	const char	*s;
	int		 len;
};

struct ccase {
	const char	*name;
	struct w	 w[4];
	const char	*want;	/* the file after the header */
};

#define O(t, s)		{ t, s, sizeof(s) - 1 }
#define R(t, cols)	{ t, NULL, cols }

static const struct ccase cases[] = {
	{ "plain", { O(1, "hello") }, "[0.000001, \"o\", \"hello\"]\n" },
	{ "time", { O(1500000, "x"), O(61000007, "y") },
	    "[1.500000, \"o\", \"x\"]\n[61.000007, \"o\", \"y\"]\n" },
	{ "escapes", { O(0, "a\"b\\c/\r\n\001\033[0m\177") },
	    "[0.000000, \"o\", \"a\\\"b\\\\c/\\u000d\\u000a\\u0001"
	    "\\u001b[0m\\u007f\"]\n" },
	{ "NUL", { O(0, "a\0b") }, "[0.000000, \"o\", \"a\\u0000b\"]\n" },
	{ "UTF-8 whole", { O(0, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") },
	    "[0.000000, \"o\", \"caf\xc3\xa9 \xe2\x82\xac "
	    "\xf0\x9f\x98\x80\"]\n" },
	{ "UTF-8 split 2", { O(0, "h\xc3"), O(1, "\xa9llo") },
	    "[0.000000, \"o\", \"h\"]\n[0.000001, \"o\", \"\xc3\xa9llo\"]\n" },
	{ "UTF-8 split 4 as 1+1+2", { O(0, "\xf0"), O(1, "\x9f"),
	    O(2, "\x98\x80!") },
	    "[0.000002, \"o\", \"\xf0\x9f\x98\x80!\"]\n" },
	{ "invalid bytes", { O(0, "\xff|\x80|\xc0\xaf|\xed\xa0\x80|"
	    "\xf4\x90\x80\x80|\xc3(") },
	    "[0.000000, \"o\", \"\xef\xbf\xbd|\xef\xbf\xbd|\xef\xbf\xbd"
	    "\xef\xbf\xbd|\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd|\xef\xbf\xbd(\"]\n" },
	{ "carried start, then invalid", { O(0, "\xe2\x82"), O(1, "X") },
	    "[0.000001, \"o\", \"\xef\xbf\xbd\xef\xbf\xbdX\"]\n" },
	{ "carry left at the end", { O(0, "ok\xe2\x82") },
	    "[0.000000, \"o\", \"ok\"]\n[0.000009, \"o\", \"\xef\xbf\xbd"
	    "\xef\xbf\xbd\"]\n" },
	{ "resize", { O(5, "a"), R(6, 100), O(7, "b") },
	    "[0.000005, \"o\", \"a\"]\n[0.000006, \"r\", \"100x30\"]\n"
	    "[0.000007, \"o\", \"b\"]\n" },
};

static void
test_events(void)
{
	char path[64], desc[128];
	struct cast *c;
	size_t i, j, len;
	char *got;

	for (i = 0; i < T_NELEM(cases); i++) {
		const struct ccase *k = &cases[i];

		snprintf(desc, sizeof(desc), "cast: %s", k->name);
		if (t_tmpfile(path, sizeof(path)) == -1 ||
		    (c = cast_open(path, 80, 24, 1 << 20, 1700000000)) ==
		    NULL) {
			T_ASSERT(0, desc);
			continue;
		}
		for (j = 0; j < T_NELEM(k->w) && k->w[j].len; j++) {
			if (k->w[j].s == NULL)
				cast_resize(c, k->w[j].t, k->w[j].len, 30);
			else
				cast_output(c, k->w[j].t, k->w[j].s,
				    k->w[j].len);
		}
		cast_close(c, 9);
		got = t_slurp(path, &len);
		T_ASSERT(got != NULL && strncmp(got, HDR, strlen(HDR)) == 0,
		    desc);
		T_ASSERT(got != NULL && strcmp(got + strlen(HDR), k->want) ==
		    0, desc);
		if (got && strcmp(got + strlen(HDR), k->want) != 0)
			fprintf(stderr, "%s: got\n%s", desc, got);
		free(got);
		unlink(path);
	}
}

static size_t
file_size(const char *path)
{
	size_t len = 0;
	char *p = t_slurp(path, &len);

	free(p);
	return len;
}

/* Events wait for CAST_FLUSH_MS or CAST_FLUSH_BYTES, not one write each. */
static void
test_flush(void)
{
	static char big[CAST_FLUSH_BYTES];
	char path[64];
	struct cast *c;
	size_t hdr = strlen(HDR);

	if (t_tmpfile(path, sizeof(path)) == -1 ||
	    (c = cast_open(path, 80, 24, 1 << 30, 1700000000)) == NULL) {
		T_ASSERT(0, "cast_open");
		return;
	}
	T_ASSERT(file_size(path) == hdr, "the header is written at once");
	T_ASSERT(cast_due(c, 0) == -1, "nothing pending, nothing due");
	cast_output(c, 1000000, "a", 1);
	cast_output(c, 1010000, "b", 1);
	T_ASSERT(file_size(path) == hdr, "small events wait");
	T_ASSERT(cast_due(c, 1010000) == CAST_FLUSH_MS - 10,
	    "due CAST_FLUSH_MS after the first pending event");
	T_ASSERT(cast_due(c, 1000000 + CAST_FLUSH_MS * 1000) == 0,
	    "due now once CAST_FLUSH_MS passed");
	T_ASSERT(cast_flush(c) == 0 && file_size(path) > hdr &&
	    cast_due(c, 2000000) == -1, "cast_flush writes them");
	memset(big, 'x', sizeof(big));
	cast_output(c, 3000000, big, sizeof(big));
	T_ASSERT(file_size(path) > hdr + sizeof(big),
	    "CAST_FLUSH_BYTES pending are written at once");
	cast_close(c, 4000000);
	unlink(path);
}

/* The cap: a final marker, the file never over it, nothing after. */
static void
test_cap(void)
{
	static const char marker[] = "\"m\", \"recording stopped: size "
	    "limit\"]\n";
	char path[64], line[100];
	struct cast *c;
	size_t len, max = 4096;
	char *got, *last;
	int i;

	if (t_tmpfile(path, sizeof(path)) == -1 ||
	    (c = cast_open(path, 80, 24, max, 1700000000)) == NULL) {
		T_ASSERT(0, "cast_open");
		return;
	}
	memset(line, 'z', sizeof(line));
	for (i = 0; i < 100; i++)
		cast_output(c, i * 1000000LL, line, sizeof(line));
	T_ASSERT(!cast_recording(c), "recording stops at the cap");
	cast_output(c, 200000000, "after", 5);
	cast_resize(c, 200000001, 90, 30);
	cast_close(c, 300000000);
	got = t_slurp(path, &len);
	T_ASSERT(got != NULL && len <= max, "the file stays under the cap");
	T_ASSERT(got != NULL && len > max - 200, "the cap is used up");
	last = got ? strrchr(got, '[') : NULL;
	T_ASSERT(last != NULL && strstr(last, marker) != NULL &&
	    strlen(strstr(last, marker)) == strlen(marker),
	    "the last event is the marker");
	T_ASSERT(got != NULL && strstr(got, "after") == NULL &&
	    strstr(got, "\"r\"") == NULL, "nothing is recorded after it");
	free(got);
	unlink(path);
}

int
suite_cast_register(void)
{
	static const struct t_case cases[] = {
		{ "events and escaping", test_events },
		{ "flush policy", test_flush },
		{ "size cap", test_cap },
	};

	return t_register("cast", cases, T_NELEM(cases));
}
