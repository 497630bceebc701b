/*
 * fuzz_marks.c - libFuzzer target: termgate-pty's reading of
 * shell-integration marks (src/pty/marks.c) in a shell's output, which is
 * whatever the terminal's user makes the shell print.
 *
 * Input: the output stream, fed once whole and once in chunks cut where
 * the input's first byte says (so a sequence split across reads is seen
 * too). Asserted: both feedings find the same marks; every mark's kind is
 * known, its status in -1..255, its text within the payload buffer and
 * no longer than MARKS_MAX; marks_feed always consumes something.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pty/marks.h"

#define KEEP	64		/* marks compared between the two feedings */

struct seen {
	int	n;
	int	kind[KEEP], status[KEEP];
	size_t	len[KEEP];
};

static void
check(const struct marks *st, const struct mark *m)
{
	if (m->kind < MARK_PROMPT || m->kind > MARK_CWD ||
	    m->status < -1 || m->status > 255)
		abort();
	if ((m->kind == MARK_CMDLINE || m->kind == MARK_CWD) &&
	    (m->len > MARKS_MAX || m->text < st->decoded ||
	    m->text + m->len > st->decoded + sizeof(st->decoded)))
		abort();
}

/* Feeds DATA in chunks of at most CHUNK bytes into SEEN. */
static void
feed(const uint8_t *data, size_t size, size_t chunk, struct seen *seen)
{
	static struct marks st;
	struct mark m;
	size_t off = 0, n, used;

	marks_init(&st);
	seen->n = 0;
	while (off < size) {
		n = size - off < chunk ? size - off : chunk;
		while (n > 0) {
			used = 0;
			if (marks_feed(&st, (const char *)data + off, n, &used,
			    &m) == 1) {
				check(&st, &m);
				if (seen->n < KEEP) {
					seen->kind[seen->n] = m.kind;
					seen->status[seen->n] = m.status;
					seen->len[seen->n] = m.len;
				}
				seen->n++;
			}
			if (used == 0 || used > n)
				abort();
			off += used;
			n -= used;
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct seen whole, parts;
	int i;

	if (size == 0)
		return 0;
	feed(data + 1, size - 1, size, &whole);
	feed(data + 1, size - 1, 1 + data[0] % 7, &parts);
	if (whole.n != parts.n)
		abort();
	for (i = 0; i < whole.n && i < KEEP; i++)
		if (whole.kind[i] != parts.kind[i] ||
		    whole.status[i] != parts.status[i] ||
		    whole.len[i] != parts.len[i])
			abort();
	return 0;
}
