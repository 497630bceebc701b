/*
 * capture.c - turns shell-integration marks, or typed lines, into one
 * JSON record per command, appended to the session's command file.
 *
 * With marks (an OSC 133 or 633 B, C or E seen in the session: a shell
 * with the integration; an A or D alone may be anyone's): a command's text
 * is its 633 E line if the shell sent one, else what the screen shows
 * between where the cursor was at B (command line starts) and where it
 * is at C (output starts), with the lines of it that scrolled off the
 * top meanwhile (screen_keep); its cwd is the one known at C (OSC 7 or 633
 * P;Cwd); it starts at C (or B) and ends at D, whose argument is the exit
 * status. A command the shell ends without D (another A, B or C, or the
 * end of the session) is recorded with a null status.
 *
 * Without marks, the line typed before Enter is recorded ("source":
 * "typed", started at Enter, its end not known), edited as a line
 * discipline would (backspace, ^U, ^W; ^C discards; escape sequences
 * such as arrow keys are skipped), except:
 * in the alternate screen; when the pty hid the input (ECHO off while it
 * edits lines itself: password prompts, "read -s"); and, when the
 * program does its own echo (ECHO and ICANON off: readline, zle, ssh),
 * unless the screen shows the line just before the cursor, which a
 * hidden password (sudo over ssh) never is. A line entered before the
 * program has echoed it (pasted with its newline, typed ahead on a slow
 * link) waits for that echo: it is recorded if the screen shows it just
 * before the cursor at a line end before the PENDING_ENDS-th line feed of
 * the output that follows, and forgotten otherwise. Several lines entered at
 * once (a paste) wait in order, each from when the one before it was
 * echoed or forgotten, and through PENDING_BEHIND line feeds (or until a
 * line typed after them shows: they were read before it): one record
 * each, and a line a password prompt
 * read unechoed is never shown, so never recorded.
 *
 * A record is written in cmdrec's line format (src/cmdrec.h), which the
 * supervisor's spool reads with the same module. Each record is one
 * write() to a file opened O_APPEND, so readers never see half a line,
 * followed by fdatasync.
 *
 * What a session may write is bounded, since its output alone (a loop
 * printing marks, a file someone cats) makes records: a budget of RATE
 * records a minute (a bucket of RATE, refilled continuously), beyond
 * which records are dropped, counted, and said once, at the end, as a
 * capture_dropped event line; and MAX bytes of file, at which capture
 * stops for good with a capture_stopped event line. Event lines
 * (cmdrec_event) become session_events rows, not commands.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "capture.h"
#include "clock.h"
#include "cmdrec.h"
#include "holder.h"
#include "log.h"
#include "marks.h"
#include "screen.h"
#include "tok.h"

enum { C_IDLE, C_TYPING, C_RUNNING };

/* Line feeds a line entered waits through for its echo: alone, and
 * behind another (whose command's output and the next prompt come first) */
#define PENDING_ENDS	2
#define PENDING_BEHIND	5
#define PENDING_MAX	8	/* lines entered that wait at once */

/* Who entered a line: a client's grant, "" for the owner (holder.h). */
typedef char	 by_t[HOLDER_GRANT_LEN + 1];

/* A line entered before the program echoed it. */
struct pending {
	struct buf	 line;
	int64_t		 ms, rec;	/* when it was entered */
	int		 ends;		/* PENDING_ENDS or PENDING_BEHIND */
	by_t		 by;
};

struct capture {
	int		 fd;
	int		 marked;	/* a 133/633 B, C or E was seen */
	int		 state;
	int		 has_cwd, has_cmdline, cmd_has_cwd;
	struct buf	 cwd;		/* the last known cwd */
	struct buf	 cmdline;	/* 633 E of the command line */
	int		 brow, bcol;	/* cursor at B */
	long		 bscroll;	/* lines scrolled away at B */
	int64_t		 bwall;		/* wall time at B */
	struct buf	 cmd;		/* the running command */
	struct buf	 cmd_cwd;
	int64_t		 started_ms, rec_us;
	struct buf	 typed;		/* the line being typed */
	int		 esc;		/* in a keyboard escape sequence */
	int		 hidden;	/* a byte of it was typed unechoed */
	struct pending	 pend[PENDING_MAX];	/* a ring, oldest first */
	int		 pend_first, pend_n;
	int		 pend_ends;	/* line ends the oldest waited */
	char		 line[CMDREC_LINE_MAX];	/* the record written */
	struct screen	*scr;		/* the model it watches, or NULL */
	struct capture_time now;	/* of the output being fed */
	int		 rate;		/* records a minute, 0: no limit */
	double		 tokens;	/* of the budget, up to RATE */
	int64_t		 refilled_ms;	/* monotonic */
	long long	 dropped;	/* records over the budget */
	long long	 size, max;	/* of the file; 0: no cap */
	int		 stopped;	/* the cap was reached */
	char		 nonce[CAPTURE_NONCE_MAX + 1];	/* "": none */
	int		 e_ok;		/* an E with the nonce since B */
	int		 cmd_ok;	/* the running command had one */
	by_t		 enter_by;	/* who sent the last line end */
	by_t		 cmd_by;	/* ... before the running command */
};

/*
 * Opens (creates, mode 0600) the command file PATH for appending. The
 * caller owns the result (capture_close); NULL with errno set on failure.
 */
struct capture *
capture_open(const char *path, int rate, long long max)
{
	struct capture *c;
	off_t end;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (c->fd == -1 || (end = lseek(c->fd, 0, SEEK_END)) == -1) {
		if (c->fd != -1)
			close(c->fd);
		free(c);
		return NULL;
	}
	c->rate = rate;
	c->tokens = rate;
	c->refilled_ms = clock_ms();
	c->size = end;
	c->max = max;
	return c;
}

void
capture_nonce(struct capture *c, const char *nonce)
{
	if (strlen(nonce) <= CAPTURE_NONCE_MAX)
		memcpy(c->nonce, nonce, strlen(nonce) + 1);
}

/* 1 when M carries the session's nonce, compared in constant time; 1
 * also when none was given (nothing to check). */
static int
nonce_ok(const struct capture *c, const struct mark *m)
{
	size_t n = strlen(c->nonce);

	if (n == 0)
		return 1;
	return m->nonce != NULL && m->nonce_len == n &&
	    tok_same(m->nonce, c->nonce, n);
}

/* Appends the line of N bytes in c->line; 0, or -1 (logged). */
static int
append(struct capture *c, int n)
{
	ssize_t w;

	if ((w = write(c->fd, c->line, (size_t)n)) != n) {
		log_warn("capture: command not recorded: %s",
		    w == -1 ? strerror(errno) : "short write");
		return -1;
	}
	c->size += n;
	if (fdatasync(c->fd) == -1 && errno != EINVAL)
		log_warn("capture: fdatasync: %s", strerror(errno));
	return 0;
}

void
capture_event(struct capture *c, const char *kind, const char *key,
    long long value)
{
	int n;

	if (c == NULL || (n = cmdrec_event_encode(kind, key, value, c->line,
	    sizeof(c->line))) == -1)
		return;
	(void)append(c, n);
}

/* 1 when the budget has a record left (taken), else 0 (one dropped). */
static int
budget(struct capture *c)
{
	int64_t now = clock_ms();

	if (c->rate <= 0)
		return 1;
	c->tokens += (double)(now - c->refilled_ms) * c->rate / 60000.0;
	if (c->tokens > c->rate)
		c->tokens = c->rate;
	c->refilled_ms = now;
	if (c->tokens >= 1) {
		c->tokens -= 1;
		return 1;
	}
	if (c->dropped++ == 0)
		log_warn("capture: over the budget of %d records a minute: "
		    "dropping records until it refills", c->rate);
	return 0;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Trims P (*LEN bytes) and cuts it to CMDREC_COMMAND_MAX at a UTF-8
 * start (cmdrec_encode makes the text storable). */
static const char *
trim(const char *p, size_t *len)
{
	size_t n = *len;

	while (n > 0 && is_space(*p)) {
		p++;
		n--;
	}
	while (n > 0 && is_space(p[n - 1]))
		n--;
	if (n > CMDREC_COMMAND_MAX) {
		n = CMDREC_COMMAND_MAX;
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--;
	}
	*len = n;
	return p;
}

/* Appends one record (see the top of the file) to the command file;
 * TO_MS -1: the end is not known (a typed line); BY who entered it. */
static void
record(struct capture *c, const char *cmd, size_t len, int status,
    const struct buf *cwd, int64_t from_ms, int64_t to_ms,
    enum cmdrec_source source, int64_t rec_us, const char *by)
{
	struct cmdrec r = { .has_exit = status >= 0, .exit_status = status,
	    .has_started = 1, .started_us = from_ms * 1000,
	    .has_finished = to_ms >= 0, .finished_us = to_ms * 1000,
	    .source = source,
	    .has_offset = rec_us >= 0, .offset_us = rec_us,
	    .by = by[0] != '\0' ? by : NULL };
	int n_line;

	r.command = trim(cmd, &len);
	if ((r.command_len = len) == 0 || c->stopped || !budget(c))
		return;
	if (cwd != NULL) {
		r.cwd = cwd->p;
		r.cwd_len = cwd->len;
	}
	if ((n_line = cmdrec_encode(&r, c->line, CMDREC_LINE_MAX)) == -1) {
		log_warn("capture: command not recorded: out of memory");
		return;
	}
	if (c->max > 0 && c->size + n_line > c->max) {
		c->stopped = 1;
		log_warn("capture stopped: the command file reached its limit "
		    "of %lld bytes", c->max);
		capture_event(c, "capture_stopped", "max_bytes", c->max);
		return;
	}
	(void)append(c, n_line);
}

/*
 * Records the running command as finished at T with STATUS (-1: none).
 * The shell said so when its E and the D that ends it (D_OK) carry the
 * nonce; any other end, or a start without it, is what output claimed.
 */
static void
end_command(struct capture *c, int status, int d_ok,
    const struct capture_time *t)
{
	if (c->state == C_RUNNING)
		record(c, c->cmd.p, c->cmd.len, status,
		    c->cmd_has_cwd ? &c->cmd_cwd : NULL, c->started_ms,
		    t->wall_ms, c->nonce[0] == '\0' || (c->cmd_ok && d_ok) ?
		    CMDREC_SHELL : CMDREC_CLAIMED, c->rec_us, c->cmd_by);
	c->state = C_IDLE;
	c->has_cmdline = 0;
}

/* Output starts (C): the command's text, cwd and start from now on. */
static void
start(struct capture *c, struct screen *scr, const struct capture_time *t)
{
	int row, col, err = 0;

	c->cmd.len = 0;
	if (c->has_cmdline)
		err = buf_add(&c->cmd, c->cmdline.p, c->cmdline.len);
	else if (c->state == C_TYPING) {
		screen_cursor(scr, &row, &col);
		err = screen_text(scr, c->brow - (int)(screen_scrolled(scr) -
		    c->bscroll), c->bcol, row, col, &c->cmd);
	}
	(void)screen_keep(scr, 0);
	c->cmd_cwd.len = 0;
	c->cmd_has_cwd = c->has_cwd &&
	    buf_add(&c->cmd_cwd, c->cwd.p, c->cwd.len) == 0;
	c->started_ms = t->wall_ms;
	c->rec_us = t->rec_us;
	c->state = err ? C_IDLE : C_RUNNING;
	c->has_cmdline = 0;
	c->cmd_ok = c->e_ok;
	c->e_ok = 0;
	memcpy(c->cmd_by, c->enter_by, sizeof(c->cmd_by));
}

/* The command line starts (B) where the cursor is. */
static void
typing(struct capture *c, struct screen *scr, const struct capture_time *t)
{
	screen_cursor(scr, &c->brow, &c->bcol);
	c->bscroll = screen_scrolled(scr);
	/* the lines of a long command line that scroll off stay readable */
	(void)screen_keep(scr, 1);
	c->bwall = t->wall_ms;
	c->state = C_TYPING;
	c->has_cmdline = 0;
}

/* D: the command ends; one that had only B and E starts at B. */
static void
done(struct capture *c, int status, int d_ok, const struct capture_time *t)
{
	if (c->state == C_TYPING && c->has_cmdline) {
		c->cmd.len = 0;
		if (buf_add(&c->cmd, c->cmdline.p, c->cmdline.len) == -1)
			return;
		c->cmd_cwd.len = 0;
		c->cmd_has_cwd = c->has_cwd &&
		    buf_add(&c->cmd_cwd, c->cwd.p, c->cwd.len) == 0;
		c->started_ms = c->bwall;
		c->rec_us = -1;
		c->state = C_RUNNING;
		c->cmd_ok = c->e_ok;
		memcpy(c->cmd_by, c->enter_by, sizeof(c->cmd_by));
	}
	end_command(c, status, d_ok, t);
}

/* Mark M ended (at the time capture_time last gave); SCR shows the
 * output up to its end. */
static void
take_mark(void *arg, const struct mark *m, struct screen *scr)
{
	struct capture *c = arg;
	const struct capture_time *t = &c->now;

	/*
	 * The shell integration is there once the shell brackets a command
	 * line (B, E) or its output (C). A prompt mark (A) or an end (D)
	 * alone is what any program may print (a file someone cats): it
	 * does not turn the typed-line capture off for good.
	 */
	if (m->kind == MARK_COMMAND || m->kind == MARK_CMDLINE ||
	    m->kind == MARK_OUTPUT) {
		c->marked = 1;
		c->typed.len = 0;
	}
	switch (m->kind) {
	case MARK_PROMPT:
		end_command(c, -1, 0, t);
		c->e_ok = 0;
		break;
	case MARK_COMMAND:
		end_command(c, -1, 0, t);
		typing(c, scr, t);
		c->e_ok = 0;
		break;
	case MARK_CMDLINE:
		/* An empty line with the nonce: the shell vouches for the
		 * line on the screen (one its history did not take). */
		c->e_ok = nonce_ok(c, m);
		c->cmdline.len = 0;
		c->has_cmdline = m->len > 0 &&
		    buf_add(&c->cmdline, m->text, m->len) == 0;
		break;
	case MARK_OUTPUT:
		if (c->state == C_RUNNING)
			end_command(c, -1, 0, t);
		start(c, scr, t);
		break;
	case MARK_DONE:
		done(c, m->status, nonce_ok(c, m), t);
		break;
	case MARK_CWD:
		c->cwd.len = 0;
		c->has_cwd = buf_add(&c->cwd, m->text, m->len) == 0;
		break;
	}
}

/* Whether the screen shows LINE (trimmed) right before the cursor. */
static int
on_screen(struct screen *scr, const char *line, size_t len)
{
	struct buf b = { 0 };
	const char *s;
	size_t n;
	int row, col, cols, rows, ok = 0;

	screen_cursor(scr, &row, &col);
	screen_size(scr, &cols, &rows);
	if (screen_text(scr, row - (int)(len / cols) - 1, 0, row, col,
	    &b) == 0 && b.len > 0) {
		n = b.len;
		s = trim(b.p, &n);
		ok = n >= len && memcmp(s + n - len, line, len) == 0;
	}
	buf_free(&b);
	return ok;
}

/*
 * Queues LINE, entered at T, behind those already waiting for their echo
 * (several lines pasted at once wait in order). Beyond PENDING_MAX it is
 * forgotten.
 */
static void
wait_echo(struct capture *c, struct screen *scr, const char *line,
    size_t len, const struct capture_time *t)
{
	struct pending *w;

	if (c->pend_n == PENDING_MAX)
		return;
	w = &c->pend[(c->pend_first + c->pend_n) % PENDING_MAX];
	w->line.len = 0;
	if (buf_add(&w->line, line, len) == -1)
		return;
	w->ms = t->wall_ms;
	w->rec = t->rec_us;
	w->ends = c->pend_n > 0 ? PENDING_BEHIND : PENDING_ENDS;
	memcpy(w->by, c->enter_by, sizeof(w->by));
	if (c->pend_n++ == 0)
		c->pend_ends = 0;
	screen_line_ends(scr, 1);
}

/* Enter: records the typed line if it may be (see the top of the file). */
static void
typed_line(struct capture *c, int tty, struct screen *scr,
    const struct capture_time *t)
{
	const char *line;
	size_t len = c->typed.len;
	int hidden = c->hidden;

	c->typed.len = 0;
	c->hidden = 0;
	line = trim(c->typed.p ? c->typed.p : "", &len);
	if (hidden || len == 0 || screen_altscreen(scr))
		return;
	if (!(tty & CAPTURE_ECHO) && (tty & CAPTURE_CANON))
		return;
	if (!(tty & CAPTURE_ECHO) && !on_screen(scr, line, len)) {
		/* Entered before the program echoed it: wait for the echo. */
		wait_echo(c, scr, line, len, t);
		return;
	}
	/* Shown now: the lines entered before it were read unechoed. */
	c->pend_n = 0;
	screen_line_ends(scr, 0);
	record(c, line, len, -1, c->has_cwd ? &c->cwd : NULL, t->wall_ms, -1,
	    CMDREC_TYPED, t->rec_us, c->enter_by);
}

/* A line end, END ('\r' or '\n'), of the output is next: the oldest line
 * entered and waiting is recorded if the screen shows it before the
 * cursor now, else waits through its line feeds at most; one forgotten
 * lets the next one look at the same line end. */
static void
echoed(void *arg, struct screen *scr, char end)
{
	struct capture *c = arg;
	struct pending *w;
	int shown = 0;

	while (c->pend_n > 0 && !shown) {
		w = &c->pend[c->pend_first];
		shown = on_screen(scr, w->line.p, w->line.len);
		if (shown)
			record(c, w->line.p, w->line.len, -1, c->has_cwd ?
			    &c->cwd : NULL, w->ms, -1, CMDREC_TYPED, w->rec,
			    w->by);
		else if (end != '\n' || ++c->pend_ends < w->ends)
			return;
		c->pend_first = (c->pend_first + 1) % PENDING_MAX;
		c->pend_n--;
		c->pend_ends = 0;
	}
	screen_line_ends(scr, c->pend_n > 0);
}

/* Backspace: removes the last character (all of its UTF-8 bytes). */
static void
rubout(struct buf *b)
{
	while (b->len > 0 && ((unsigned char)b->p[b->len - 1] & 0xc0) == 0x80)
		b->len--;
	if (b->len > 0)
		b->len--;
}

/* ^W: removes the spaces before the cursor, then the word before them. */
static void
rubout_word(struct buf *b)
{
	while (b->len > 0 && is_space(b->p[b->len - 1]))
		b->len--;
	while (b->len > 0 && !is_space(b->p[b->len - 1]))
		b->len--;
}

/* Skips keyboard escape sequences: ESC x, ESC O x, ESC [ ... final. */
static int
in_escape(struct capture *c, unsigned char ch)
{
	switch (c->esc) {
	case 0:
		if (ch != 0x1b)
			return 0;
		c->esc = 1;
		break;
	case 1:
		c->esc = ch == '[' ? 2 : ch == 'O' ? 3 : 0;
		break;
	case 2:
		if (ch >= 0x40 && ch <= 0x7e)
			c->esc = 0;
		break;
	default:
		c->esc = 0;
		break;
	}
	return 1;
}

struct capture_tty
capture_tty(int flags)
{
	struct capture_tty t = { flags, 0x7f, 0x15, 0x17, 0x03 };

	return t;
}

/*
 * Whether CH is the editing key KEY of the pty (0: none) or, when the
 * program edits the line itself (no ICANON: readline, zle), one of the
 * keys readline binds to it by default, DEF1 or DEF2 (0: none).
 */
static int
is_key(const struct capture_tty *tty, unsigned char ch, unsigned char key,
    unsigned char def1, unsigned char def2)
{
	if (key != 0 && ch == key)
		return 1;
	return !(tty->flags & CAPTURE_CANON) && ch != 0 &&
	    (ch == def1 || ch == def2);
}

/* One typed byte CH; TTY says how the pty treats input now. */
static void
typed_byte(struct capture *c, unsigned char ch, const struct capture_tty *tty,
    struct screen *scr, const struct capture_time *t)
{
	if (in_escape(c, ch))
		return;
	if (ch == '\r' || ch == '\n')
		typed_line(c, tty->flags, scr, t);
	else if (is_key(tty, ch, tty->erase, 0x7f, 0x08))
		rubout(&c->typed);
	else if (is_key(tty, ch, tty->kill, 0x15, 0))
		c->typed.len = 0;
	else if (is_key(tty, ch, tty->werase, 0x17, 0))
		rubout_word(&c->typed);
	else if (is_key(tty, ch, tty->intr, 0x03, 0)) {
		c->typed.len = 0;
		c->hidden = 0;
	} else if ((ch >= 0x20 || ch == '\t') &&
	    c->typed.len < CMDREC_COMMAND_MAX) {
		if (!(tty->flags & CAPTURE_ECHO) &&
		    (tty->flags & CAPTURE_CANON))
			c->hidden = 1;
		(void)buf_add(&c->typed, &ch, 1);
	}
}

/*
 * Takes LEN bytes the client of grant BY ("" the owner) typed at time T,
 * before they reach the pty; TTY is how the pty is set now (its modes
 * and editing keys). A line end makes BY who entered the next command;
 * the bytes are read as a line only while the session has sent no
 * marks. Cannot fail.
 */
void
capture_input(struct capture *c, const char *p, size_t len,
    const char *by, const struct capture_tty *tty, struct screen *scr,
    const struct capture_time *t)
{
	size_t i;

	if ((memchr(p, '\r', len) != NULL || memchr(p, '\n', len) != NULL) &&
	    strlen(by) < sizeof(c->enter_by))
		memcpy(c->enter_by, by, strlen(by) + 1);
	if (c->marked)
		return;
	for (i = 0; i < len; i++)
		typed_byte(c, (unsigned char)p[i], tty, scr, t);
}

void
capture_watch(struct capture *c, struct screen *scr)
{
	static const struct screen_events none;
	struct screen_events ev = { take_mark, echoed, c };

	if (c->scr != NULL)
		screen_subscribe(c->scr, &none);
	c->scr = scr;
	screen_subscribe(scr, &ev);
}

void
capture_at(struct capture *c, const struct capture_time *t)
{
	if (c != NULL)
		c->now = *t;
}

/* Ends the session at T: a running command is recorded; C may be NULL. */
void
capture_close(struct capture *c, const struct capture_time *t)
{
	static const struct screen_events none;
	int i;

	if (c == NULL)
		return;
	if (c->scr != NULL) {
		screen_subscribe(c->scr, &none);
		screen_line_ends(c->scr, 0);
	}
	end_command(c, -1, 0, t);
	if (c->dropped > 0)
		capture_event(c, "capture_dropped", "dropped", c->dropped);
	close(c->fd);
	buf_free(&c->cwd);
	buf_free(&c->cmdline);
	buf_free(&c->cmd);
	buf_free(&c->cmd_cwd);
	buf_free(&c->typed);
	for (i = 0; i < PENDING_MAX; i++)
		buf_free(&c->pend[i].line);
	free(c);
}
