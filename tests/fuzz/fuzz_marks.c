/*
 * fuzz_marks.c - libFuzzer target: termgate-pty's reading of
 * shell-integration marks in a shell's output (the scanner of screen.c,
 * the payloads of marks.c), which is whatever the terminal's user makes
 * the shell print.
 *
 * Input: the output stream, fed to a screen model once whole and once in
 * chunks cut where the input's first byte says (so a sequence split
 * across reads is seen too). Asserted: both feedings find the same marks
 * (not at the same cursor: libvterm decodes invalid UTF-8 cut between
 * writes differently); every mark's kind is known, its status in
 * -1..255, its text no longer than MARKS_MAX; and libvterm reads nothing
 * out of bounds however the stream is cut (screen.c's vt_write).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pty/marks.h"
#include "pty/screen.h"

#define KEEP	64		/* marks compared between the two feedings */

struct seen {
	int	n;
	int	kind[KEEP], status[KEEP];
	size_t	len[KEEP];
};

static void
saw(void *arg, const struct mark *m, struct screen *scr)
{
	struct seen *w = arg;
	int row, col;

	if (m->kind < MARK_PROMPT || m->kind > MARK_CWD ||
	    m->status < -1 || m->status > 255)
		abort();
	if ((m->kind == MARK_CMDLINE || m->kind == MARK_CWD) &&
	    (m->len > MARKS_MAX || (m->len > 0 && m->text == NULL)))
		abort();
	screen_cursor(scr, &row, &col);	/* the model is there to read */
	if (row < 0 || col < 0)
		abort();
	if (w->n < KEEP) {
		w->kind[w->n] = m->kind;
		w->status[w->n] = m->status;
		w->len[w->n] = m->len;
	}
	w->n++;
}

/* Feeds DATA to a new screen in chunks of at most CHUNK bytes. */
static void
feed(const uint8_t *data, size_t size, size_t chunk, struct seen *seen)
{
	struct screen_events ev = { saw, NULL, seen };
	struct screen *scr;
	size_t off, n;

	seen->n = 0;
	if ((scr = screen_new(80, 24)) == NULL)
		abort();
	screen_subscribe(scr, &ev);
	for (off = 0; off < size; off += n) {
		n = size - off < chunk ? size - off : chunk;
		screen_feed(scr, (const char *)data + off, n);
	}
	screen_free(scr);
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
