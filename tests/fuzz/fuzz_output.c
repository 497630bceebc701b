/*
 * fuzz_output.c - libFuzzer target: the holder's whole output path, as
 * hold.c drives it, with what a remote host may print and what a user
 * may type. The shell's output goes to the recording (cast.c) and to the
 * command capture (capture.c), which feeds the screen model (screen.c,
 * libvterm) and reads the marks (marks.c); typed input goes to the
 * capture too; a client attaching gets a paint of the screen.
 *
 * Input: 4 bytes of window size (size_of), then operations, each a
 * byte OP and what it takes, by (OP & 0x0f) % 6:
 *   0: output, the next byte's count of bytes (1-256)
 *   1: input, as many, in the tty mode of OP's bits 4-5
 *   2: resize, 4 bytes as the window size
 *   3: a client attaches: the screen is painted (the first
 *      PAINTS_MAX times)
 *   4: time passes, the next byte's count of milliseconds
 *   5: the last output again, the next byte's count of times
 *      (1-256): a line of the same cell, cheaply
 *
 * Asserted: no sanitizer report; every line the capture wrote is a
 * record cmdrec_decode takes (what the spool will read); every line of
 * the recording is JSON; a paint fed to a new screen of the same size
 * does not break it. The issue that added this (a heap over-read in
 * screen_text, reached by output alone) was found by hand: the marks
 * target alone did not reach it.
 */
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "capture.h"
#include "cast.h"
#include "cmdrec.h"
#include "holder.h"
#include "log.h"
#include "screen.h"

/* Paints per input: each costs the whole screen, up to 1000x500 cells,
 * and a slow input is a timeout, not a finding of this target. */
#define PAINTS_MAX	8

static char cmds[64], rec[64];

/*
 * A window size from 4 bytes at P: up to 257x64, or, when P[0]'s top bit
 * is set, any width and height the holder takes, in at most CELLS_MAX
 * cells (a paint or a resize of 1000x500 takes a third of a second
 * under the sanitizers: fuzzing would do little else).
 */
#define CELLS_MAX	65536
/*
 * What the screen may be made to do per input, in cells touched. A byte
 * of output costs about a cell, except a line feed at the bottom (the
 * screen moves up: every cell) and an escape (a DECALN or an erase of the
 * display: every cell). Such bytes, times the cells, stay under WORK_MAX:
 * 220 repeats of "ESC # 8" at 65,536 cells were a 15 s timeout (CI, stop
 * 32), which is the same cost as on a terminal (see README, "What a host
 * prints"), not a finding of this target. 2^22 (64 such escapes at
 * 65,536 cells, 2,000 at 80x24): 69 inputs a second, 49 at 2^25; what
 * is left of the time is mostly allocating the screens.
 */
#define WORK_MAX	(1L << 22)
/* A joined client's grant: what an input op without bit 0x80 types. */
#define FUZZ_GRANT \
	"abababababababababababababababababababababababababababababababab"

static void
size_of(const uint8_t *p, int *cols, int *rows)
{
	if (p[0] & 0x80) {
		*cols = HOLDER_COLS_MIN + (int)(((p[0] & 0x7f) << 8 | p[1]) %
		    (HOLDER_COLS_MAX - HOLDER_COLS_MIN + 1));
		*rows = 1 + (int)((p[2] << 8 | p[3]) % HOLDER_ROWS_MAX);
		if (*cols * *rows > CELLS_MAX)
			*rows = CELLS_MAX / *cols;
	} else {
		*cols = HOLDER_COLS_MIN + p[1];
		*rows = 1 + p[3] % 64;
	}
}

/* Every line of PATH passes LINE_OK, or abort(). */
static void
each_line(const char *path, int (*line_ok)(const char *, size_t))
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			n--;
		if (!line_ok(line, (size_t)n))
			abort();
	}
	free(line);
	fclose(f);
}

static int
is_record(const char *line, size_t len)
{
	json_object *hold;
	struct cmdrec r;

	if (cmdrec_decode(line, len, &r, &hold) == -1)
		return 0;
	json_object_put(hold);
	return 1;
}

static int
is_json(const char *line, size_t len)
{
	json_tokener *tok = json_tokener_new();
	json_object *o;
	int ok;

	o = json_tokener_parse_ex(tok, line, (int)len);
	ok = o != NULL && json_tokener_get_error(tok) == json_tokener_success;
	json_object_put(o);
	json_tokener_free(tok);
	return ok;
}

/* A client attaches: the paint (at most SCREEN_PAINT_MAX bytes), and the
 * paint on a screen of its own. */
static void
paint(struct screen *scr)
{
	struct buf b = { 0 };
	struct screen *copy;
	int cols, rows;

	if (screen_paint(scr, &b) == 0) {
		if (b.len > SCREEN_PAINT_MAX + SCREEN_SCROLLBACK_MAX +
		    HOLDER_ROWS_MAX + 16)
			abort();	/* what a client is sent is bounded */
		screen_size(scr, &cols, &rows);
		if ((copy = screen_new(cols, rows)) != NULL) {
			screen_feed(copy, b.p, b.len);
			screen_free(copy);
		}
	}
	buf_free(&b);
}

/* The bytes of P (N bytes) that may touch every cell of the screen. */
static long
screenwide(const uint8_t *p, size_t n)
{
	long k = 0;

	while (n-- > 0)
		k += memchr("\n\v\f\033\204\205\215\233", *p++, 8) != NULL;
	return k;
}

/*
 * The shell printed P (N bytes): as read_master hands it on, if *WORK
 * has room for it; returns -1 when not.
 */
static int
output(struct cast *cast, struct capture *cap, struct screen *scr,
    const struct capture_time *t, const uint8_t *p, size_t n, long *work)
{
	int cols, rows;

	screen_size(scr, &cols, &rows);
	*work += (screenwide(p, n) + 1) * cols * rows;
	if (*work > WORK_MAX)
		return -1;
	(void)cast_output(cast, t->rec_us, (const char *)p, n);
	capture_at(cap, t);
	screen_feed(scr, (const char *)p, n);
	return 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	log_init("fuzz_output");
	snprintf(cmds, sizeof(cmds), "/tmp/fuzz_output.%ld.cmds",
	    (long)getpid());
	snprintf(rec, sizeof(rec), "/tmp/fuzz_output.%ld.cast",
	    (long)getpid());
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct capture_time t = { 1700000000000LL, 0 };
	struct capture_tty tty;
	struct screen *scr;
	struct capture *cap;
	struct cast *cast;
	const uint8_t *last = NULL;	/* the last output */
	size_t off = 4, n, last_n = 0;
	long work = 0;
	int cols, rows, op, paints = 0;

	if (size < 4)
		return 0;
	size_of(data, &cols, &rows);
	unlink(cmds);
	unlink(rec);
	scr = screen_new(cols, rows);
	cap = capture_open(cmds, 0, 0);
	cast = cast_open(rec, cols, rows, 1 << 20, 1700000000);
	if (scr == NULL || cap == NULL || cast == NULL)
		abort();
	capture_nonce(cap, "n0");	/* marks with ";n0" are the shell's */
	capture_watch(cap, scr);
	if (screen_scrollback(scr, 64) == -1)
		abort();
	while (off + 1 < size) {
		op = data[off++];
		switch ((op & 0x0f) % 6) {
		case 0:
			n = 1 + (size_t)data[off++];
			last = data + off;
			last_n = n < size - off ? n : size - off;
			off += last_n;
			if (output(cast, cap, scr, &t, last, last_n,
			    &work) == -1)
				off = size;
			break;
		case 1:
			n = 1 + (size_t)data[off++];
			if (n > size - off)
				n = size - off;
			tty = capture_tty((op >> 4) & 3);
			if (op & 0x40) {	/* stty erase ^H kill ^X */
				tty.erase = 0x08;
				tty.kill = 0x18;
			}
			capture_input(cap, (const char *)data + off, n,
			    op & 0x80 ? "" : FUZZ_GRANT, &tty, scr, &t);
			off += n;
			break;
		case 2:
			if (size - off < 4) {
				off = size;
				break;
			}
			size_of(data + off, &cols, &rows);
			off += 4;
			screen_resize(scr, cols, rows);
			(void)cast_resize(cast, t.rec_us, cols, rows);
			break;
		case 3:
			if (paints++ < PAINTS_MAX)
				paint(scr);
			break;
		case 4:
			t.wall_ms += data[off];
			t.rec_us += data[off++] * 1000LL;
			if (cast_due(cast, t.rec_us))
				(void)cast_flush(cast);
			break;
		default:
			for (n = (size_t)data[off++] + 1; last != NULL &&
			    n > 0; n--)
				if (output(cast, cap, scr, &t, last, last_n,
				    &work) == -1) {
					off = size;
					break;
				}
			break;
		}
	}
	capture_close(cap, &t);
	cast_close(cast, t.rec_us);
	screen_free(scr);
	each_line(cmds, is_record);
	each_line(rec, is_json);
	return 0;
}
