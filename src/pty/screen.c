/*
 * screen.c - the holder's model of the terminal, and the paint of it that
 * a newly attached client gets first.
 *
 * It is the one model of the shell's output: the holder feeds every byte
 * the shell writes here once (screen_feed), and what else needs the
 * output's meaning subscribes to it (screen_subscribe): the command
 * capture gets each shell-integration mark with the screen exactly as it
 * was where the mark ended, and, while it asks, each line end before it
 * is applied. The recording takes the bytes themselves.
 *
 * libvterm (0.1.4, Debian 12) keeps the cells, attributes, cursor, the
 * alternate screen and the lines that scroll off. Three things it parses
 * are not readable from 0.1.4: what a program set that changes what the
 * browser sends back (cursor key and keypad modes, bracketed paste, mouse
 * reporting) and the scroll region, which its state keeps private; and
 * OSC strings, which it cuts at 64 bytes (its parser's strbuffer), too
 * short for a 633 E command line and its nonce. So one small scanner
 * runs alongside, in the same pass: "ESC [ ? Pn (; Pn)* h/l", "ESC [ Pt ;
 * Pb r", "ESC =", "ESC >", "ESC c" and "ESC ] ... BEL/ST", whose payload
 * marks.c reads. libvterm's answers to terminal queries are thrown away:
 * the browser's terminal answers them itself.
 *
 * The paint is: reset, the alternate screen if it is active (libvterm
 * 0.1.4 then hides the main screen's cells, so those are not painted),
 * every non-blank cell with its attributes, the current pen, the scroll
 * region, the cursor position and visibility, then the input modes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vterm.h>

#include "buf.h"
#include "lines.h"
#include "marks.h"
#include "screen.h"

#define NPARAM	16

enum { T_GROUND, T_ESC, T_CSI, T_CSI_SKIP, T_OSC, T_OSC_ESC };

/* libvterm 0.1.4 keeps 16 CSI parameters and indexes them with no bound:
 * the 16th ';' or ':' writes past its array, over its parser's callback
 * pointer with a number the output chooses (tests/fuzz/fuzz_marks found
 * it). A CSI is cut before libvterm sees more separators than this. */
#define VT_CSI_SEPS	15

/* ESC [ Pn b, REP, when nothing of width one or more was printed last:
 * libvterm 0.1.4 then repeats a glyph of width 0 Pn times without ever
 * moving, forever (state.c; found by tests/fuzz/fuzz_marks). Not given
 * it unless the last character printed was ASCII. */
#define IS_REP(m, c)	((c) == 'b' && !(m)->priv && !(m)->inter)

/*
 * A UTF-8 sequence cut short (its lead byte, then something other than
 * the continuation bytes it needs: "caf\xe9" and a line end, from a
 * Latin-1 file): libvterm 0.1.4's decoder keeps the sequence pending
 * across everything that is not text, then decodes the next text into
 * one more code point than it has bytes, past the end of its array on
 * the stack (encoding.c decode_utf8, state.c on_text; found with
 * libvterm built with AddressSanitizer). So libvterm is given whole
 * sequences only: one cut short is replaced with U+FFFD, which is what
 * it shows for one, and one the output has not finished yet is held
 * back until it is finished (struct screen's pending).
 */
/*
 * A resize leaves libvterm 0.1.4 with a cursor and a scroll region it
 * never bounds again (state.c on_resize; both found with the screen
 * fuzzed against libvterm built with AddressSanitizer). When the window
 * loses rows it scrolls the lines below the cursor's into the
 * scrollback and moves the cursor up with them: a cursor at the top of a
 * full screen (top, watch, anything that homes it) ends above the
 * screen, and the next erase or insert writes through a NULL cell, a
 * segfault. And a scroll region whose top is now past the bottom makes
 * the next line feed move a negative number of lines. So a resize is
 * followed by a reset of the scroll region (which the browser's terminal
 * and the scanner's modes reset on a resize too) and the cursor put back
 * where it was, bounded to the screen: DECSTBM and CUP, each of which
 * libvterm ends by bounding the cursor. A sequence libvterm is inside
 * then (a read of the output ended in it) would run first with the
 * cursor unbounded (an EL: a read of freed memory): it is abandoned
 * (CAN), and the rest of a CSI skipped.
 */
#define VT_BOUND	"\033[r\033[%d;%dH"

/* The cursor DECRC (ESC 8) restores is not bounded either: one saved
 * before the window lost rows is restored below the screen, and the next
 * character reads and writes past libvterm's line array. A status
 * request (DSR 5), which changes nothing else and whose answer is thrown
 * away, follows each ESC 8 (EV_CLAMP): libvterm ends every CSI by
 * bounding the cursor. (The CSIs that restore a cursor, ?1049 l among
 * them, are bounded by that already.) */
#define VT_CLAMP	"\033[5n"

#define UTF8_MAX	6		/* libvterm takes 5 and 6 bytes too */
#define REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */
#define IS_CONT(c)	(((c) & 0xc0) == 0x80)

/* Where the scanner stopped (scan). */
enum {
	EV_NONE,		/* write the run to libvterm */
	EV_LINE_END,		/* write it; a line end is next */
	EV_STRING,		/* write it (ending in ESC ] or ESC P), then
				 * CAN: the string is not libvterm's */
	EV_SKIP,		/* a run of a string: not written */
	EV_SKIP_ESC,		/* that, then an ESC begins an escape */
	EV_MARK,		/* a string that was a mark ended */
	EV_CSI_CUT,		/* write it, then CAN: the rest of this CSI
				 * is not libvterm's (VT_CSI_SEPS) */
	EV_UTF8_CUT,		/* write it, then U+FFFD for the sequence
				 * next, cut short (its length: m.cut) */
	EV_UTF8_HOLD,		/* write it; the rest is a sequence the
				 * output has not finished: hold it */
	EV_CLAMP		/* write it: it ends in ESC 8, and the
				 * cursor is bounded next (VT_CLAMP) */
};

/* The DEC private modes replayed on attach, and their power-on values. */
static const struct {
	int	mode;
	int	on;
} mode_tab[] = {
	{ 1, 0 },	/* DECCKM: application cursor keys */
	{ 7, 1 },	/* DECAWM: autowrap */
	{ 1000, 0 },	/* mouse: clicks */
	{ 1002, 0 },	/* mouse: drags */
	{ 1003, 0 },	/* mouse: any motion */
	{ 1004, 0 },	/* focus events */
	{ 1005, 0 },	/* mouse: UTF-8 encoding */
	{ 1006, 0 },	/* mouse: SGR encoding */
	{ 1015, 0 },	/* mouse: urxvt encoding */
	{ 2004, 0 },	/* bracketed paste */
};

#define NMODES	(sizeof(mode_tab) / sizeof(mode_tab[0]))

struct modes {
	int		state;
	int		priv;		/* private marker byte, or 0 */
	int		inter;		/* intermediate byte, or 0 */
	int		bad;		/* sub-parameters...: ignore */
	int		nparam;
	long		param[NPARAM];
	unsigned	on;		/* bit i: mode_tab[i] is set */
	int		keypad;		/* DECKPAM */
	int		top, bottom;	/* DECSTBM, 1-based; 0: none */
	int		esc_inter;	/* an intermediate byte of the ESC */
	int		leader;		/* a CSI leader byte may come */
	int		seps;		/* ';' and ':' of the CSI */
	int		rep_ok;		/* the last character printed was
					 * ASCII: REP repeats something */
	int		dcs;		/* the string is a DCS, not an OSC */
	size_t		cut;		/* EV_UTF8_CUT's bytes */
	int		overflow;	/* the OSC is over MARKS_MAX */
	size_t		osc_len;
	char		osc[MARKS_MAX];		/* its payload */
	char		decoded[MARKS_MAX];	/* a mark's text */
};

struct screen {
	VTerm		*vt;
	VTermScreen	*vs;
	VTermState	*st;
	int		 cols, rows;
	int		 alt;		/* the alternate screen is on */
	int		 cursor_visible;
	long		 scrolled;	/* lines off the main screen */
	struct modes	 m;
	struct lines	*sb;		/* scrollback, or NULL */
	struct buf	 line;		/* a line being pushed into it */
	struct lines	*kept;		/* screen_keep's text, or NULL */
	struct screen_events ev;	/* the subscriber's */
	int		 line_ends;	/* it asked for line ends */
	struct mark	 mark;		/* the mark that ended */
	unsigned char	 pending[UTF8_MAX];	/* EV_UTF8_HOLD's bytes */
	size_t		 npending;
};

struct pen {
	unsigned	bold:1, italic:1, blink:1, reverse:1, strike:1;
	int		underline, font;
	VTermColor	fg, bg;
};

/* The modes at power-on (RIS): the scanner's state and buffers are left
 * as they are (no 32 KiB cleared for each two-byte ESC c). */
static void
modes_reset(struct modes *m)
{
	size_t i;

	m->on = 0;
	m->keypad = 0;
	m->top = m->bottom = 0;
	for (i = 0; i < NMODES; i++)
		if (mode_tab[i].on)
			m->on |= 1u << i;
}

static void
set_dec_mode(struct modes *m, long mode, int on)
{
	size_t i;

	for (i = 0; i < NMODES; i++) {
		if (mode_tab[i].mode != mode)
			continue;
		if (on)
			m->on |= 1u << i;
		else
			m->on &= ~(1u << i);
	}
}

/* Acts on a complete CSI sequence ending in FINAL. */
static void
csi_dispatch(struct modes *m, int final)
{
	int i;

	if (m->bad)
		return;
	if (m->priv == '?' && !m->inter && (final == 'h' || final == 'l')) {
		for (i = 0; i <= m->nparam; i++)
			set_dec_mode(m, m->param[i], final == 'h');
	} else if (!m->priv && !m->inter && final == 'r') {
		m->top = m->param[0] > 1 ? (int)m->param[0] : 0;
		m->bottom = m->nparam > 0 ? (int)m->param[1] : 0;
	}
}

/*
 * The scanner's escapes and CSIs move from state to state exactly as
 * libvterm 0.1.4's parser does (parser.c), so that both agree on where
 * every string and CSI starts and ends: what the scanner keeps from
 * libvterm (strings, cut CSIs) depends on it.
 */

static void
enter_esc(struct modes *m)
{
	m->state = T_ESC;
	m->esc_inter = 0;
}

/* A byte both parsers take the same way in any escape or CSI: 1 if C is
 * one (C0 runs and NUL and DEL are ignored, the sequence going on; CAN
 * and SUB end it; ESC starts another). */
static int
any_byte(struct modes *m, unsigned char c)
{
	if (c == 0x18 || c == 0x1a)
		m->state = T_GROUND;
	else if (c == 0x1b)
		enter_esc(m);
	else if (!(c < 0x20 || c == 0x7f))
		return 0;
	return 1;
}

static void
csi_byte(struct modes *m, unsigned char c)
{
	int leader = m->leader;

	if (any_byte(m, c))
		return;
	m->leader = 0;
	if (leader && c >= 0x3c && c <= 0x3f) {
		m->priv = c;
		m->leader = 1;
	} else if (!m->inter && c >= '0' && c <= '9') {
		if (m->param[m->nparam] < 100000)
			m->param[m->nparam] =
			    m->param[m->nparam] * 10 + c - '0';
	} else if (!m->inter && c == ';') {
		if (m->nparam + 1 < NPARAM)
			m->nparam++;
		else
			m->bad = 1;
	} else if (!m->inter && c == ':')
		m->bad = 1;
	else if (c >= 0x20 && c <= 0x2f)
		m->inter = c;
	else {
		/* a final byte; any other one ends an invalid CSI */
		if (c >= 0x40 && c <= 0x7e)
			csi_dispatch(m, c);
		m->state = T_GROUND;
	}
}

static void
esc_byte(struct modes *m, unsigned char c)
{
	if (any_byte(m, c) || c >= 0x80)
		return;			/* (libvterm ignores bytes past ASCII) */
	if (c >= 0x20 && c <= 0x2f) {
		m->esc_inter = c;
		return;
	}
	m->state = T_GROUND;
	switch (c) {
	case ']':
	case 'P':
		m->state = T_OSC;
		m->dcs = c == 'P';
		m->osc_len = 0;
		m->overflow = 0;
		break;
	case '[':
		m->state = T_CSI;
		m->seps = 0;
		m->leader = 1;
		m->priv = m->inter = m->bad = m->nparam = 0;
		memset(m->param, 0, sizeof(m->param));
		break;
	case '=':
		if (!m->esc_inter)
			m->keypad = 1;
		break;
	case '>':
		if (!m->esc_inter)
			m->keypad = 0;
		break;
	case 'c':
		if (!m->esc_inter)
			modes_reset(m);
		break;
	}
}

/* Takes byte C of an OSC or DCS (not after its ESC); 1 when it ends it:
 * BEL (as libvterm and xterm have it), CAN or SUB. */
static int
osc_byte(struct modes *m, unsigned char c)
{
	if (c == '\007' || c == 0x18 || c == 0x1a)
		return 1;
	if (c == 0x1b)
		m->state = T_OSC_ESC;
	else if (m->osc_len < sizeof(m->osc))
		m->osc[m->osc_len++] = (char)c;
	else
		m->overflow = 1;
	return 0;
}

/* The OSC or DCS ended at byte C (BEL, CAN, SUB or the "\\" of ST): a mark
 * (s->mark set), or nothing. */
static int
string_end(struct screen *s, unsigned char c)
{
	struct modes *m = &s->m;

	m->state = T_GROUND;
	if ((c == '\007' || c == '\\') && !m->dcs && !m->overflow &&
	    s->ev.mark != NULL && marks_parse(m->osc, m->osc_len, &s->mark,
	    m->decoded) == 0)
		return EV_MARK;
	return EV_SKIP;
}

/* Scans string bytes (see scan); none of them is libvterm's. */
static int
scan_string(struct screen *s, const unsigned char *p, size_t len,
    size_t *used)
{
	struct modes *m = &s->m;
	size_t i;

	for (i = 0; i < len; i++) {
		if (m->state == T_OSC_ESC) {
			if (p[i] == '\\') {
				*used = i + 1;
				return string_end(s, p[i]);
			}
			/* the string ended at the ESC, which begins an
			 * escape with this byte */
			enter_esc(m);
			*used = i;
			return EV_SKIP_ESC;
		}
		if (osc_byte(m, p[i])) {
			*used = i + 1;
			return string_end(s, p[i]);
		}
	}
	*used = len;
	return EV_SKIP;
}

/*
 * The rest of a CSI cut for libvterm (T_CSI_SKIP), from P (LEN bytes,
 * OFF after the start of the scan's run): up to its final byte, skipped;
 * an ESC, CAN or SUB ends it too (the ESC is written, as the next run).
 */
static int
skip_csi(struct modes *m, const unsigned char *p, size_t len, size_t off,
    size_t *used)
{
	size_t i;

	if (off > 0) {			/* first the run before it */
		*used = off;
		return EV_NONE;
	}
	for (i = 0; i < len; i++) {
		if (p[i] == 0x1b) {
			m->state = T_GROUND;
			*used = i;
			return EV_SKIP;
		}
		if ((p[i] >= 0x40 && p[i] <= 0x7e) || p[i] == 0x18 ||
		    p[i] == 0x1a) {
			m->state = T_GROUND;
			*used = i + 1;
			return EV_SKIP;
		}
	}
	*used = len;
	return EV_SKIP;
}

/* The continuation bytes libvterm's decoder takes after lead byte C
 * (0: C leads no sequence). */
static size_t
utf8_need(unsigned char c)
{
	if (c >= 0xc0 && c < 0xe0)
		return 1;
	if (c >= 0xe0 && c < 0xf0)
		return 2;
	if (c >= 0xf0 && c < 0xf8)
		return 3;
	if (c >= 0xf8 && c < 0xfc)
		return 4;
	if (c >= 0xfc && c < 0xfe)
		return 5;
	return 0;
}

/*
 * The sequence whose lead byte is P[I], of the LEN at P: EV_NONE when it
 * is whole, EV_UTF8_CUT (M's cut set) when something else comes before
 * it is, EV_UTF8_HOLD when LEN ends first.
 */
static int
utf8_seq(struct modes *m, const unsigned char *p, size_t len, size_t i)
{
	size_t n, need = utf8_need(p[i]);

	for (n = 1; n <= need; n++) {
		if (i + n == len)
			return EV_UTF8_HOLD;
		if (!IS_CONT(p[i + n])) {
			m->cut = n;
			return EV_UTF8_CUT;
		}
	}
	return EV_NONE;
}

/*
 * Scans LEN bytes of output at P into a run of *USED bytes and what to do
 * with it (EV_*). OSC and DCS strings (ESC ] or ESC P, up to BEL or ST)
 * never reach libvterm: 0.1.4 keeps at most 64 bytes of one anyway (OSC
 * 0-2, a title, is all it uses, and the paint does not), and its string
 * code reads past its input on several cuts and orders of bytes, ESC \\
 * split between writes or a control between them (tests/fuzz/fuzz_marks
 * found three). It is told CAN right after the ESC ] instead: the string
 * is abandoned, and nothing of it is seen. Line ends stop the scan only
 * while the subscriber asks for them.
 */
static int
scan(struct screen *s, const unsigned char *p, size_t len, size_t *used)
{
	struct modes *m = &s->m;
	size_t i;
	int ev;

	if (m->state == T_OSC || m->state == T_OSC_ESC)
		return scan_string(s, p, len, used);
	for (i = 0; i < len; i++) {
		switch (m->state) {
		case T_GROUND:
			if (p[i] >= 0x20)
				m->rep_ok = p[i] < 0x7f;
			if (utf8_need(p[i]) > 0) {
				if ((ev = utf8_seq(m, p, len, i)) != EV_NONE) {
					*used = i;
					return ev;
				}
				i += utf8_need(p[i]);
			} else if (p[i] == 0x1b)
				enter_esc(m);
			else if (s->line_ends && (p[i] == '\r' ||
			    p[i] == '\n')) {
				*used = i;
				return EV_LINE_END;
			}
			break;
		case T_ESC:
			esc_byte(m, p[i]);
			if (m->state == T_OSC) {
				*used = i + 1;
				return EV_STRING;
			}
			if (m->state == T_GROUND && p[i] == '8' &&
			    !m->esc_inter) {
				*used = i + 1;
				return EV_CLAMP;
			}
			break;
		case T_CSI:
			if (((p[i] == ';' || p[i] == ':') &&
			    ++m->seps > VT_CSI_SEPS) ||
			    (IS_REP(m, p[i]) && !m->rep_ok)) {
				m->state = T_CSI_SKIP;
				*used = i;
				return EV_CSI_CUT;
			}
			csi_byte(m, p[i]);
			break;
		default:
			return skip_csi(m, p + i, len - i, i, used);
		}
	}
	*used = len;
	return EV_NONE;
}

static int
on_termprop(VTermProp prop, VTermValue *val, void *arg)
{
	struct screen *s = arg;

	if (prop == VTERM_PROP_ALTSCREEN)
		s->alt = val->boolean;
	else if (prop == VTERM_PROP_CURSORVISIBLE)
		s->cursor_visible = val->boolean;
	return 1;
}

static void	push_line(struct screen *, const VTermScreenCell *, int);
static void	keep_line(struct screen *, const VTermScreenCell *, int);

static int
on_pushline(int cols, const VTermScreenCell *cells, void *arg)
{
	struct screen *s = arg;

	s->scrolled++;
	if (s->sb != NULL)
		push_line(s, cells, cols);
	if (s->kept != NULL)
		keep_line(s, cells, cols);
	return 1;
}

static void
drop_output(const char *p, size_t len, void *arg)
{
	(void)p;
	(void)len;
	(void)arg;
}

static const VTermScreenCallbacks screen_cbs = {
	.settermprop = on_termprop,
	.sb_pushline = on_pushline,
};

/*
 * A blank screen of COLS x ROWS (both at least 1). The caller owns it and
 * frees it with screen_free; NULL when out of memory.
 */
struct screen *
screen_new(int cols, int rows)
{
	struct screen *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->vt = vterm_new(rows, cols)) == NULL) {
		free(s);
		return NULL;
	}
	s->cols = cols;
	s->rows = rows;
	s->cursor_visible = 1;
	modes_reset(&s->m);
	vterm_set_utf8(s->vt, 1);
	vterm_output_set_callback(s->vt, drop_output, NULL);
	s->vs = vterm_obtain_screen(s->vt);
	s->st = vterm_obtain_state(s->vt);
	vterm_screen_enable_altscreen(s->vs, 1);
	vterm_screen_set_callbacks(s->vs, &screen_cbs, s);
	vterm_screen_reset(s->vs, 1);
	return s;
}

void
screen_free(struct screen *s)
{
	if (s == NULL)
		return;
	vterm_free(s->vt);
	lines_free(s->sb);
	lines_free(s->kept);
	buf_free(&s->line);
	free(s);
}

void
screen_subscribe(struct screen *s, const struct screen_events *ev)
{
	s->ev = *ev;
}

void
screen_line_ends(struct screen *s, int on)
{
	s->line_ends = on;
}

/* Writes LEN bytes at P to libvterm. */
static void
vt_write(struct screen *s, const char *p, size_t len)
{
	if (len > 0)
		vterm_input_write(s->vt, p, len);
}

/* After a resize: VT_BOUND, libvterm between sequences (the scanner does
 * not see it: its region was reset with the resize). */
static void
bound_cursor(struct screen *s)
{
	char seq[32];
	VTermPos pos;
	int n;

	vterm_state_get_cursorpos(s->st, &pos);
	pos.row = pos.row < 0 ? 0 : pos.row >= s->rows ? s->rows - 1 : pos.row;
	pos.col = pos.col < 0 ? 0 : pos.col >= s->cols ? s->cols - 1 : pos.col;
	n = snprintf(seq, sizeof(seq), VT_BOUND, pos.row + 1, pos.col + 1);
	vterm_input_write(s->vt, seq, (size_t)n);
}

/*
 * Goes on with the sequence held back (EV_UTF8_HOLD) from the LEN bytes at
 * P: to libvterm once it is whole, U+FFFD once it is cut short. The bytes
 * it took.
 */
static size_t
finish_pending(struct screen *s, const char *p, size_t len)
{
	size_t need = utf8_need(s->pending[0]) + 1, n = 0;

	while (s->npending < need && n < len &&
	    IS_CONT((unsigned char)p[n]))
		s->pending[s->npending++] = (unsigned char)p[n++];
	if (s->npending == need)
		vt_write(s, (const char *)s->pending, need);
	else if (n < len)
		vt_write(s, REPLACEMENT, sizeof(REPLACEMENT) - 1);
	else
		return n;		/* still not finished */
	s->npending = 0;
	return n;
}

/* Feeds LEN bytes the shell wrote, telling the subscriber (see the top of
 * the file). Cannot fail. */
void
screen_feed(struct screen *s, const char *p, size_t len)
{
	size_t used;
	int ev;

	if (s->npending > 0) {
		used = finish_pending(s, p, len);
		p += used;
		len -= used;
	}
	while (len > 0) {
		ev = scan(s, (const unsigned char *)p, len, &used);
		if (ev != EV_SKIP && ev != EV_SKIP_ESC && ev != EV_MARK)
			vt_write(s, p, used);
		p += used;
		len -= used;
		if (ev == EV_STRING || ev == EV_CSI_CUT)
			vterm_input_write(s->vt, "\030", 1);
		else if (ev == EV_SKIP_ESC)
			vt_write(s, "\033", 1);
		else if (ev == EV_MARK)
			s->ev.mark(s->ev.arg, &s->mark, s);
		else if (ev == EV_CLAMP)
			vterm_input_write(s->vt, VT_CLAMP, sizeof(VT_CLAMP) - 1);
		else if (ev == EV_UTF8_CUT) {
			vt_write(s, REPLACEMENT, sizeof(REPLACEMENT) - 1);
			p += s->m.cut;
			len -= s->m.cut;
		} else if (ev == EV_UTF8_HOLD) {
			memcpy(s->pending, p, len);
			s->npending = len;
			return;
		} else if (ev == EV_LINE_END) {
			if (s->ev.line_end != NULL)
				s->ev.line_end(s->ev.arg, s, *p);
			vt_write(s, p, 1);
			p++;
			len--;
		}
	}
}

/* Resizes to COLS x ROWS (at least 1 each); the scroll region resets. */
int
screen_scrollback(struct screen *s, int lines)
{
	lines_free(s->sb);
	s->sb = NULL;
	if (lines > 0 && (s->sb = lines_new(lines,
	    SCREEN_SCROLLBACK_MAX)) == NULL)
		return -1;
	return 0;
}

void
screen_resize(struct screen *s, int cols, int rows)
{
	if (cols == s->cols && rows == s->rows)
		return;
	if (s->m.state == T_ESC || s->m.state == T_CSI) {
		vterm_input_write(s->vt, "\030", 1);	/* see VT_BOUND */
		s->m.state = s->m.state == T_CSI ? T_CSI_SKIP : T_GROUND;
	}
	vterm_set_size(s->vt, rows, cols);
	s->cols = cols;
	s->rows = rows;
	s->m.top = s->m.bottom = 0;
	bound_cursor(s);
}

void
screen_cursor(struct screen *s, int *row, int *col)
{
	VTermPos pos;

	vterm_state_get_cursorpos(s->st, &pos);
	*row = pos.row;
	*col = pos.col;
}

void
screen_size(struct screen *s, int *cols, int *rows)
{
	*cols = s->cols;
	*rows = s->rows;
}

/* How many lines have scrolled off the top of the main screen so far. */
long
screen_scrolled(struct screen *s)
{
	return s->scrolled;
}

int
screen_altscreen(struct screen *s)
{
	return s->alt;
}

static int
color_eq(const VTermColor *a, const VTermColor *b)
{
	if ((a->type & VTERM_COLOR_DEFAULT_MASK) !=
	    (b->type & VTERM_COLOR_DEFAULT_MASK))
		return 0;
	if (a->type & VTERM_COLOR_DEFAULT_MASK)
		return 1;
	return vterm_color_is_equal(a, b);
}

static int
pen_eq(const struct pen *a, const struct pen *b)
{
	return a->bold == b->bold && a->italic == b->italic &&
	    a->blink == b->blink && a->reverse == b->reverse &&
	    a->strike == b->strike && a->underline == b->underline &&
	    a->font == b->font && color_eq(&a->fg, &b->fg) &&
	    color_eq(&a->bg, &b->bg);
}

static void
pen_default(struct pen *p)
{
	memset(p, 0, sizeof(*p));
	p->fg.type = VTERM_COLOR_DEFAULT_FG;
	p->bg.type = VTERM_COLOR_DEFAULT_BG;
}

static void
pen_of_cell(struct pen *p, const VTermScreenCell *c)
{
	memset(p, 0, sizeof(*p));
	p->bold = c->attrs.bold;
	p->italic = c->attrs.italic;
	p->blink = c->attrs.blink;
	p->reverse = c->attrs.reverse;
	p->strike = c->attrs.strike;
	p->underline = c->attrs.underline;
	p->font = c->attrs.font;
	p->fg = c->fg;
	p->bg = c->bg;
}

/* The pen new output is written with, from libvterm's state. */
static void
pen_of_state(struct pen *p, VTermState *st)
{
	VTermValue v;

	memset(p, 0, sizeof(*p));
	vterm_state_get_penattr(st, VTERM_ATTR_BOLD, &v);
	p->bold = v.boolean;
	vterm_state_get_penattr(st, VTERM_ATTR_ITALIC, &v);
	p->italic = v.boolean;
	vterm_state_get_penattr(st, VTERM_ATTR_BLINK, &v);
	p->blink = v.boolean;
	vterm_state_get_penattr(st, VTERM_ATTR_REVERSE, &v);
	p->reverse = v.boolean;
	vterm_state_get_penattr(st, VTERM_ATTR_STRIKE, &v);
	p->strike = v.boolean;
	vterm_state_get_penattr(st, VTERM_ATTR_UNDERLINE, &v);
	p->underline = v.number;
	vterm_state_get_penattr(st, VTERM_ATTR_FONT, &v);
	p->font = v.number;
	vterm_state_get_penattr(st, VTERM_ATTR_FOREGROUND, &v);
	p->fg = v.color;
	vterm_state_get_penattr(st, VTERM_ATTR_BACKGROUND, &v);
	p->bg = v.color;
}

/* ";30".."37", ";90".."97", ";38;5;N" or ";38;2;R;G;B" (BASE 30 or 40). */
static int
put_color(struct buf *b, const VTermColor *c, int base)
{
	if (c->type & VTERM_COLOR_DEFAULT_MASK)
		return 0;
	if (VTERM_COLOR_IS_RGB(c))
		return buf_addf(b, ";%d;2;%d;%d;%d", base + 8, c->rgb.red,
		    c->rgb.green, c->rgb.blue);
	if (c->indexed.idx < 8)
		return buf_addf(b, ";%d", base + c->indexed.idx);
	if (c->indexed.idx < 16)
		return buf_addf(b, ";%d", base + 60 + c->indexed.idx - 8);
	return buf_addf(b, ";%d;5;%d", base + 8, c->indexed.idx);
}

/* One SGR that sets exactly pen P, starting from a reset. */
static int
put_sgr(struct buf *b, const struct pen *p)
{
	static const char *ul[] = { "", ";4", ";21", ";4:3" };
	int err = 0;

	err |= buf_adds(b, "\033[0");
	err |= buf_adds(b, p->bold ? ";1" : "");
	err |= buf_adds(b, p->italic ? ";3" : "");
	err |= buf_adds(b, ul[p->underline & 3]);
	err |= buf_adds(b, p->blink ? ";5" : "");
	err |= buf_adds(b, p->reverse ? ";7" : "");
	err |= buf_adds(b, p->strike ? ";9" : "");
	if (p->font > 0 && p->font < 10)
		err |= buf_addf(b, ";%d", 10 + p->font);
	err |= put_color(b, &p->fg, 30);
	err |= put_color(b, &p->bg, 40);
	err |= buf_adds(b, "m");
	return err;
}

static int
put_utf8(struct buf *b, uint32_t c)
{
	char u[4];

	if (c < 0x80) {
		u[0] = (char)c;
		return buf_add(b, u, 1);
	}
	if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		return buf_add(b, u, 2);
	}
	if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		return buf_add(b, u, 3);
	}
	if (c > 0x10ffff)
		return buf_add(b, "\xef\xbf\xbd", 3);
	u[0] = (char)(0xf0 | c >> 18);
	u[1] = (char)(0x80 | (c >> 12 & 0x3f));
	u[2] = (char)(0x80 | (c >> 6 & 0x3f));
	u[3] = (char)(0x80 | (c & 0x3f));
	return buf_add(b, u, 4);
}

/* A cell a reset terminal already shows: a space in the default pen. */
static int
cell_blank(const VTermScreenCell *c)
{
	struct pen p, d;

	if (c->chars[0] != 0 && c->chars[0] != ' ')
		return 0;
	pen_of_cell(&p, c);
	pen_default(&d);
	return pen_eq(&p, &d);
}

/* The last column of ROW that a reset terminal does not show; -1 if none. */
static int
row_last(struct screen *s, int row)
{
	VTermScreenCell c;
	VTermPos pos;
	int last = -1;

	pos.row = row;
	for (pos.col = 0; pos.col < s->cols; pos.col++)
		if (vterm_screen_get_cell(s->vs, pos, &c) &&
		    c.chars[0] != (uint32_t)-1 && !cell_blank(&c))
			last = pos.col;
	return last;
}

/* Appends cell C (nothing for the second half of a wide one) in its pen,
 * CUR being the pen so far; PLAIN: see paint_row. */
static int
put_cell(struct buf *b, const VTermScreenCell *c, struct pen *cur, int plain)
{
	struct pen p;
	int i, err = 0;

	if (c->chars[0] == (uint32_t)-1)
		return 0;
	pen_of_cell(&p, c);
	if (!plain && !pen_eq(&p, cur)) {
		err |= put_sgr(b, &p);
		*cur = p;
	}
	if (c->chars[0] == 0)
		err |= buf_add(b, " ", 1);
	for (i = 0; i < (plain ? 1 : VTERM_MAX_CHARS_PER_CELL) &&
	    c->chars[i]; i++)
		err |= put_utf8(b, c->chars[i]);
	return err;
}

/*
 * Paints ROW's cells up to its last non-blank one; CUR is the pen. PLAIN:
 * each cell's first character only, in the default pen (at most four
 * bytes a cell).
 */
static int
paint_row(struct screen *s, struct buf *b, int row, struct pen *cur,
    int plain)
{
	VTermScreenCell c;
	VTermPos pos;
	int last, err = 0;

	if ((last = row_last(s, row)) == -1)
		return 0;
	err |= buf_addf(b, "\033[%d;1H", row + 1);
	pos.row = row;
	for (pos.col = 0; pos.col <= last; pos.col++)
		if (vterm_screen_get_cell(s->vs, pos, &c))
			err |= put_cell(b, &c, cur, plain);
	return err;
}

/*
 * A line of N cells that scrolled off the top, into the scrollback: the
 * bytes that draw it up to its last non-blank cell, from the default pen
 * and back to it. A line that cannot be kept is left out.
 */
static void
push_line(struct screen *s, const VTermScreenCell *cells, int n)
{
	struct pen cur, d;
	int last, i, err = 0;

	for (last = n - 1; last >= 0; last--)
		if (cells[last].chars[0] != (uint32_t)-1 &&
		    !cell_blank(&cells[last]))
			break;
	s->line.len = 0;
	pen_default(&cur);
	for (i = 0; i <= last; i++)
		err |= put_cell(&s->line, &cells[i], &cur, 0);
	pen_default(&d);
	if (!pen_eq(&cur, &d))
		err |= buf_adds(&s->line, "\033[m");
	if (!err)
		(void)lines_push(s->sb, s->line.p ? s->line.p : "",
		    s->line.len);
	if (s->line.cap > 64 * 1024)
		buf_free(&s->line);
}

/*
 * The text of a line scrolling off (N CELLS) into s->kept: a first byte
 * saying whether the line is full (it wrapped into the next: no line end
 * between them), then its characters up to its last non-blank one.
 */
static void
keep_line(struct screen *s, const VTermScreenCell *cells, int n)
{
	int last, i, j, err = 0;

	for (last = n - 1; last >= 0; last--)
		if (cells[last].chars[0] != 0 && cells[last].chars[0] != ' ')
			break;
	s->line.len = 0;
	err |= buf_add(&s->line, n > 0 && cells[n - 1].chars[0] != 0 ?
	    "w" : "n", 1);
	for (i = 0; i <= last; i++) {
		if (cells[i].chars[0] == (uint32_t)-1)
			continue;
		if (cells[i].chars[0] == 0)
			err |= buf_add(&s->line, " ", 1);
		for (j = 0; j < VTERM_MAX_CHARS_PER_CELL && cells[i].chars[j];
		    j++)
			err |= put_utf8(&s->line, cells[i].chars[j]);
	}
	if (!err)
		(void)lines_push(s->kept, s->line.p, s->line.len);
}

int
screen_keep(struct screen *s, int on)
{
	lines_free(s->kept);
	s->kept = NULL;
	if (on && (s->kept = lines_new(SCREEN_KEPT_LINES,
	    SCREEN_KEPT_MAX)) == NULL)
		return -1;
	return 0;
}

/* The kept rows ROW0 to ROW1 (negative: -1 is the last line that scrolled
 * off), from column COL0 of the first, into B; those not kept are not. */
static int
kept_text(struct screen *s, int row0, int col0, int row1, struct buf *b)
{
	int n = lines_count(s->kept), row, err = 0;
	const char *p, *q, *end;
	size_t len;

	if (row0 < -n) {
		row0 = -n;
		col0 = 0;
	}
	for (row = row0; row <= row1 && row < 0; row++) {
		p = lines_get(s->kept, n + row, &len);
		end = p + len;
		for (q = p + 1; row == row0 && col0 > 0 && q < end; col0--)
			while (++q < end && (*q & 0xc0) == 0x80)
				;
		err |= buf_add(b, q < end ? q : end, q < end ? end - q : 0);
		if (*p != 'w' && row < row1)
			err |= buf_add(b, "\n", 1);
	}
	return err;
}

/* Cursor, pen, scroll region and the input modes, after the cells. */
static int
paint_state(struct screen *s, struct buf *b, struct pen *cur)
{
	VTermPos pos;
	struct pen p;
	size_t i;
	int err = 0, on;

	pen_of_state(&p, s->st);
	if (!pen_eq(&p, cur))
		err |= put_sgr(b, &p);
	if (s->m.top > 0 || (s->m.bottom > 0 && s->m.bottom < s->rows))
		if ((s->m.bottom == 0 || s->m.top < s->m.bottom) &&
		    s->m.bottom <= s->rows)
			err |= buf_addf(b, "\033[%d;%dr",
			    s->m.top ? s->m.top : 1,
			    s->m.bottom ? s->m.bottom : s->rows);
	vterm_state_get_cursorpos(s->st, &pos);
	err |= buf_addf(b, "\033[%d;%dH", pos.row + 1, pos.col + 1);
	if (!s->cursor_visible)
		err |= buf_adds(b, "\033[?25l");
	for (i = 0; i < NMODES; i++) {
		on = (s->m.on >> i) & 1;
		if (on != mode_tab[i].on)
			err |= buf_addf(b, "\033[?%d%c", mode_tab[i].mode,
			    on ? 'h' : 'l');
	}
	if (s->m.keypad)
		err |= buf_adds(b, "\033=");
	return err;
}

/* Room kept below SCREEN_PAINT_MAX: a plain row (4 bytes a cell, up to
 * HOLDER_COLS_MAX of them) and the state after the cells. */
#define PAINT_SLACK	8192

/*
 * Appends the paint of S to B; PLAIN: see paint_row. A styled paint that
 * outgrows SCREEN_PAINT_MAX stops and returns 1; a plain one leaves out
 * the rows that do not fit. 0, or -1 when out of memory.
 */
static int
paint(struct screen *s, struct buf *b, int plain)
{
	size_t start = b->len;
	struct pen cur;
	int row, err = 0;

	if (s->alt)
		err |= buf_adds(b, "\033[?1049h");
	pen_default(&cur);
	for (row = 0; row < s->rows && !err; row++) {
		if (b->len - start > SCREEN_PAINT_MAX - PAINT_SLACK) {
			if (!plain)
				return 1;
			break;
		}
		err |= paint_row(s, b, row, &cur, plain);
	}
	err |= paint_state(s, b, &cur);
	return err ? -1 : 0;
}

/*
 * The scrollback's lines, oldest first, into the terminal's own
 * scrollback: written from the top, one a row, and then scrolled off by
 * as many line feeds on the bottom row as are left on the screen, which
 * leaves it blank.
 */
static int
paint_scrollback(struct screen *s, struct buf *b)
{
	const char *p;
	size_t len;
	int i, n = lines_count(s->sb), err = 0;

	for (i = 0; i < n; i++) {
		p = lines_get(s->sb, i, &len);
		err |= buf_add(b, p, len);
		err |= buf_adds(b, "\r\n");
	}
	if (n > 0) {
		err |= buf_addf(b, "\033[%d;1H", s->rows);
		for (i = 0; i < (n < s->rows - 1 ? n : s->rows - 1); i++)
			err |= buf_adds(b, "\n");
	}
	return err ? -1 : 0;
}

/*
 * Appends to B the bytes that make a reset terminal of the same size show
 * what S shows, with the same modes (see the top of the file), after the
 * lines of its scrollback (screen_scrollback). 0, or -1 when out of
 * memory (B then holds a partial paint). The screen takes at most
 * SCREEN_PAINT_MAX bytes: one whose styled paint is larger is painted as
 * its text alone; the scrollback at most SCREEN_SCROLLBACK_MAX.
 */
int
screen_paint(struct screen *s, struct buf *b)
{
	size_t start;
	int rv;

	if (buf_adds(b, "\033c") == -1 || paint_scrollback(s, b) == -1)
		return -1;
	start = b->len;
	if ((rv = paint(s, b, 0)) != 1)
		return rv;
	/* styled, it is too big: the text alone (which fits but for a
	 * screen far over the holder's limits; then its bottom rows go) */
	b->len = start;
	return paint(s, b, 1) == 0 ? 0 : -1;
}

/* Whether ROW's last cell holds a character (the line may go on below). */
static int
row_full(struct screen *s, int row)
{
	VTermScreenCell c;
	VTermPos pos;

	pos.row = row;
	pos.col = s->cols - 1;
	return vterm_screen_get_cell(s->vs, pos, &c) && c.chars[0] != 0;
}

/*
 * Appends to B the text of rect R, as UTF-8, through *TMP of *CAP bytes.
 * libvterm 0.1.4's vterm_screen_get_text returns the length it needed,
 * which can exceed the buffer (it encodes up to six bytes a character, and
 * what a host prints decides how many): then the buffer grows to that
 * length and the text is read again. 0, or -1 when out of memory.
 */
static int
rect_text(struct screen *s, VTermRect r, char **tmp, size_t *cap,
    struct buf *b)
{
	size_t n;
	char *p;

	if ((n = vterm_screen_get_text(s->vs, *tmp, *cap, r)) > *cap) {
		if ((p = realloc(*tmp, n)) == NULL)
			return -1;
		*tmp = p;
		*cap = n;
		n = vterm_screen_get_text(s->vs, *tmp, *cap, r);
		if (n > *cap)
			n = *cap;
	}
	return buf_add(b, *tmp, n);
}

/*
 * Appends to B the text on the screen from (ROW0, COL0) up to, not
 * including, (ROW1, COL1), as UTF-8. A row that ends in a character is
 * joined to the next one as is (a wrapped line); other rows end in "\n".
 * Positions are clamped to the screen. 0, or -1 when out of memory.
 */
int
screen_text(struct screen *s, int row0, int col0, int row1, int col1,
    struct buf *b)
{
	size_t cap = (size_t)s->cols * VTERM_MAX_CHARS_PER_CELL * 4;
	VTermRect r;
	char *tmp;
	int row, err = 0;

	if (row0 < 0) {
		if (kept_text(s, row0, col0, row1, b) == -1)
			return -1;
		row0 = col0 = 0;
	}
	if (row1 >= s->rows) {
		row1 = s->rows - 1;
		col1 = s->cols;
	}
	if ((tmp = malloc(cap)) == NULL)
		return -1;
	for (row = row0; row <= row1; row++) {
		r.start_row = row;
		r.end_row = row + 1;
		r.start_col = row == row0 ? col0 : 0;
		r.end_col = row == row1 ? col1 : s->cols;
		if (r.start_col < 0)
			r.start_col = 0;
		if (r.end_col > s->cols)
			r.end_col = s->cols;
		if (r.end_col > r.start_col)
			err |= rect_text(s, r, &tmp, &cap, b);
		if (row < row1 && !row_full(s, row))
			err |= buf_add(b, "\n", 1);
	}
	free(tmp);
	return err ? -1 : 0;
}
