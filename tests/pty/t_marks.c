/*
 * t_marks.c - unit tests of the shell-integration mark parser (marks.c).
 *
 * The payload table pins what each OSC 133/633/7 payload becomes, and
 * that malformed ones (bad escapes, relative paths, statuses out of
 * range, unknown letters) are refused. The stream tests, through the
 * screen model that finds them (screen.c), cover both terminators,
 * aborted sequences, payloads over MARKS_MAX, the point of the output at
 * which each mark is told, and every split of a stream across reads.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "marks.h"
#include "screen.h"
#include "suites.h"

struct pcase {
	const char	*payload;
	int		 kind;		/* 0: refused */
	int		 status;
	const char	*text;		/* NULL: no text */
	size_t		 textlen;
};

#define T(s)	s, sizeof(s) - 1

static const struct pcase payloads[] = {
	{ "133;A", MARK_PROMPT, -1, NULL, 0 },
	{ "133;A;cl=m;aid=1", MARK_PROMPT, -1, NULL, 0 },
	{ "133;B", MARK_COMMAND, -1, NULL, 0 },
	{ "133;C", MARK_OUTPUT, -1, NULL, 0 },
	{ "133;D", MARK_DONE, -1, NULL, 0 },
	{ "133;D;0", MARK_DONE, 0, NULL, 0 },
	{ "133;D;127", MARK_DONE, 127, NULL, 0 },
	{ "133;D;255", MARK_DONE, 255, NULL, 0 },
	{ "133;D;1;aid=3", MARK_DONE, 1, NULL, 0 },
	{ "133;D;256", MARK_DONE, -1, NULL, 0 },
	{ "133;D;1000", MARK_DONE, -1, NULL, 0 },
	{ "133;D;-1", MARK_DONE, -1, NULL, 0 },
	{ "133;D;abc", MARK_DONE, -1, NULL, 0 },
	{ "133;D;", MARK_DONE, -1, NULL, 0 },
	{ "133;E;ls", 0, 0, NULL, 0 },
	{ "133;P;Cwd=/tmp", 0, 0, NULL, 0 },
	{ "133;", 0, 0, NULL, 0 },
	{ "133", 0, 0, NULL, 0 },
	{ "133;Z", 0, 0, NULL, 0 },
	{ "133;AB", 0, 0, NULL, 0 },
	{ "1330;A", 0, 0, NULL, 0 },
	{ "633;A", MARK_PROMPT, -1, NULL, 0 },
	{ "633;B", MARK_COMMAND, -1, NULL, 0 },
	{ "633;C", MARK_OUTPUT, -1, NULL, 0 },
	{ "633;D;2", MARK_DONE, 2, NULL, 0 },
	{ "633;E;ls -l", MARK_CMDLINE, -1, T("ls -l") },
	{ "633;E;echo a\\x3bb;nonce123", MARK_CMDLINE, -1, T("echo a;b") },
	{ "633;E;a\\\\b", MARK_CMDLINE, -1, T("a\\b") },
	{ "633;E;l1\\x0al2\\x0A", MARK_CMDLINE, -1, T("l1\nl2\n") },
	{ "633;E;nul\\x00", MARK_CMDLINE, -1, T("nul\0") },
	{ "633;E;caf\\xc3\\xa9", MARK_CMDLINE, -1, T("caf\xc3\xa9") },
	{ "633;E;", MARK_CMDLINE, -1, T("") },
	{ "633;E;;nonce", MARK_CMDLINE, -1, T("") },
	{ "633;E", 0, 0, NULL, 0 },
	{ "633;E;bad\\q", 0, 0, NULL, 0 },
	{ "633;E;bad\\x4", 0, 0, NULL, 0 },
	{ "633;E;bad\\x4g", 0, 0, NULL, 0 },
	{ "633;E;trailing\\", 0, 0, NULL, 0 },
	{ "633;P;Cwd=/home/u", MARK_CWD, -1, T("/home/u") },
	{ "633;P;Cwd=/a\\x3bb", MARK_CWD, -1, T("/a;b") },
	{ "633;P;Cwd=", 0, 0, NULL, 0 },
	{ "633;P;Cwd=relative", 0, 0, NULL, 0 },
	{ "633;P;Cwd=/nul\\x00", 0, 0, NULL, 0 },
	{ "633;P;IsWindows=False", 0, 0, NULL, 0 },
	{ "633;Q", 0, 0, NULL, 0 },
	{ "7;file://host/tmp/a%20b", MARK_CWD, -1, T("/tmp/a b") },
	{ "7;file:///x", MARK_CWD, -1, T("/x") },
	{ "7;file://h/%e2%82%ac", MARK_CWD, -1, T("/\xe2\x82\xac") },
	{ "7;file://host", 0, 0, NULL, 0 },
	{ "7;http://host/y", 0, 0, NULL, 0 },
	{ "7;file://h/%zz", 0, 0, NULL, 0 },
	{ "7;file://h/a%2", 0, 0, NULL, 0 },
	{ "7;file://h/a%00b", 0, 0, NULL, 0 },
	{ "7;", 0, 0, NULL, 0 },
	{ "0;window title", 0, 0, NULL, 0 },
	{ "8;;http://example.org", 0, 0, NULL, 0 },
	{ "", 0, 0, NULL, 0 },
};

static void
test_payloads(void)
{
	char out[256], desc[300];
	struct mark m;
	size_t i;
	int rv;

	for (i = 0; i < T_NELEM(payloads); i++) {
		const struct pcase *c = &payloads[i];

		snprintf(desc, sizeof(desc), "payload \"%s\"", c->payload);
		rv = marks_parse(c->payload, strlen(c->payload), &m, out);
		if (c->kind == 0) {
			T_ASSERT(rv == -1, desc);
			continue;
		}
		T_ASSERT(rv == 0 && (int)m.kind == c->kind, desc);
		if (rv != 0)
			continue;
		T_ASSERT(m.status == c->status, desc);
		if (c->text == NULL)
			continue;
		T_ASSERT(m.len == c->textlen &&
		    memcmp(m.text, c->text, m.len) == 0, desc);
	}
}

/* What the screen's subscriber saw: the marks as "K:TEXT|", and the
 * cursor's column at each (the screen is fed up to the mark's end). */
struct seen {
	char	*out;
	size_t	 outlen;
	size_t	*cols;
	size_t	 k;
};

static void
saw_mark(void *arg, const struct mark *m, struct screen *scr)
{
	struct seen *w = arg;
	char one[64];
	int row, col;

	snprintf(one, sizeof(one), "%d:%.*s|", m->kind,
	    (int)(m->len > 20 ? 20 : m->len), m->text ? m->text : "");
	strncat(w->out, one, w->outlen - strlen(w->out) - 1);
	screen_cursor(scr, &row, &col);
	if (w->cols && w->k < 4)
		w->cols[w->k] = (size_t)col;
	w->k++;
}

/* The marks in S (LEN bytes) fed to a screen in chunks of CHUNK bytes,
 * as "K:TEXT|" in OUT; COLS (or NULL): the cursor's column at each. */
static void
scan(const char *s, size_t len, size_t chunk, char *out, size_t outlen,
    size_t *cols)
{
	struct seen w = { out, outlen, cols, 0 };
	struct screen_events ev = { saw_mark, NULL, &w };
	struct screen *scr = screen_new(200, 24);
	size_t off, n;

	out[0] = '\0';
	screen_subscribe(scr, &ev);
	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		screen_feed(scr, s + off, n);
	}
	screen_free(scr);
}

struct scase {
	const char	*stream;
	size_t		 len;
	const char	*want;
};

static const struct scase streams[] = {
	{ T("\033]133;A\007"), "1:|" },
	{ T("\033]133;A\033\\"), "1:|" },
	{ T("ls\r\n\033]133;D;0\007\033]7;file://h/tmp\033\\$ "),
	    "4:|6:/tmp|" },
	{ T("\033]633;E;ls\007\033]633;C\007out"), "5:ls|3:|" },
	/* aborted: CAN, SUB, another escape sequence, a new OSC */
	{ T("\033]133;A\030\007"), "" },
	{ T("\033]133;A\032\007"), "" },
	{ T("\033]133;A\033[0m\007"), "" },
	{ T("\033]133;A\033]133;B\007"), "2:|" },
	{ T("\033\033]133;C\007"), "3:|" },
	{ T("]133;A\007"), "" },
	{ T("\033[133;A\007"), "" },
	/* other OSCs pass unseen */
	{ T("\033]0;title\007\033]133;B\033\\"), "2:|" },
	/* binary garbage around a mark */
	{ T("\377\000\033\033]\033]133;A\007\200"), "1:|" },
};

static void
test_streams(void)
{
	char got[256], desc[300];
	size_t i, chunk;

	for (i = 0; i < T_NELEM(streams); i++) {
		for (chunk = 1; chunk <= streams[i].len; chunk++) {
			scan(streams[i].stream, streams[i].len, chunk, got,
			    sizeof(got), NULL);
			snprintf(desc, sizeof(desc), "stream %zu in chunks "
			    "of %zu: got \"%s\" want \"%s\"", i, chunk, got,
			    streams[i].want);
			T_ASSERT(strcmp(got, streams[i].want) == 0, desc);
		}
	}
}

/* Each mark is told with the screen fed exactly up to its terminator,
 * in any chunking: the cursor after "abc", then after "abcdef". */
static void
test_offsets(void)
{
	static const char s[] = "abc\033]133;B\007def\033]133;C\033\\gh";
	size_t cols[4], chunk;
	char got[64], desc[64];

	for (chunk = 1; chunk < sizeof(s); chunk++) {
		memset(cols, 0, sizeof(cols));
		scan(s, sizeof(s) - 1, chunk, got, sizeof(got), cols);
		snprintf(desc, sizeof(desc), "offsets in chunks of %zu", chunk);
		T_ASSERT(strcmp(got, "2:|3:|") == 0, desc);
		T_ASSERT(cols[0] == 3 && cols[1] == 6, desc);
	}
}

/* Payloads up to MARKS_MAX bytes count, longer ones are dropped whole. */
static void
test_oversized(void)
{
	size_t big = MARKS_MAX + 4 + 10, n, len;
	char *s, got[256];

	s = malloc(big * 2 + 64);
	/* exactly MARKS_MAX bytes of payload */
	n = (size_t)sprintf(s, "\033]633;E;");
	memset(s + n, 'a', MARKS_MAX - 6);
	n += MARKS_MAX - 6;
	s[n++] = '\007';
	scan(s, n, 4096, got, sizeof(got), NULL);
	T_ASSERT(strcmp(got, "5:aaaaaaaaaaaaaaaaaaaa|") == 0,
	    "a payload of MARKS_MAX bytes is parsed");
	/* one byte more: dropped; the next mark is still seen */
	n = (size_t)sprintf(s, "\033]633;E;");
	memset(s + n, 'a', MARKS_MAX - 5);
	n += MARKS_MAX - 5;
	len = n + (size_t)sprintf(s + n, "\007\033]133;D;7\007");
	scan(s, len, 1000, got, sizeof(got), NULL);
	T_ASSERT(strcmp(got, "4:|") == 0,
	    "a payload over MARKS_MAX is dropped, the next mark seen");
	/* a megabyte-long unterminated OSC, then a mark */
	free(s);
	s = malloc(1 << 20 | 64);
	n = (size_t)sprintf(s, "\033]133;");
	memset(s + n, 'x', (1 << 20) - n);
	n = 1 << 20;
	len = n + (size_t)sprintf(s + n, "\007\033]133;A\007");
	scan(s, len, 65536, got, sizeof(got), NULL);
	T_ASSERT(strcmp(got, "1:|") == 0, "a 1 MB OSC is dropped");
	free(s);
}

int
suite_marks_register(void)
{
	static const struct t_case cases[] = {
		{ "payloads", test_payloads },
		{ "streams in every chunking", test_streams },
		{ "offsets", test_offsets },
		{ "oversized payloads", test_oversized },
	};

	return t_register("marks", cases, T_NELEM(cases));
}
