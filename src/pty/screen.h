/* screen.h - the holder's model of the terminal screen (libvterm). */
#ifndef TG_PTY_SCREEN_H
#define TG_PTY_SCREEN_H

#include <stddef.h>

/* The most screen_paint appends. A 1000 x 500 screen painted as its text
 * alone (one character of up to four bytes a cell) fits. */
#define SCREEN_PAINT_MAX	(2 * 1024 * 1024)
/* The most the scrollback keeps (and adds to a paint), whatever its lines. */
#define SCREEN_SCROLLBACK_MAX	(4 * 1024 * 1024)
/* What screen_keep keeps: enough for a command line of the longest
 * record (CMDREC_COMMAND_MAX bytes) on the narrowest window. */
#define SCREEN_KEPT_LINES	8192
#define SCREEN_KEPT_MAX		(64 * 1024)

struct buf;
struct mark;
struct screen;

/* What the model tells its subscriber as the output is fed, ARG first. */
struct screen_events {
	/* A shell-integration mark ended; SCR shows the output up to it. */
	void	(*mark)(void *arg, const struct mark *, struct screen *scr);
	/* While screen_line_ends asks: a line end, END ('\r' or '\n'),
	 * comes next; SCR shows the output before it. */
	void	(*line_end)(void *arg, struct screen *scr, char end);
	void	*arg;
};

struct screen	*screen_new(int, int);
void		 screen_free(struct screen *);
/* The one subscriber to what the output means (a copy of EV's). */
void		 screen_subscribe(struct screen *,
		    const struct screen_events *ev);
/* Whether the subscriber is told of line ends (ON), or not. */
void		 screen_line_ends(struct screen *, int on);
/* Feeds LEN bytes of the shell's output at P: the model, then the
 * subscriber at each event, in the order of the output. */
void		 screen_feed(struct screen *, const char *p, size_t len);
void		 screen_resize(struct screen *, int, int);
/* Keeps the last LINES (0: none) lines that scroll off the top of the
 * main screen, for screen_paint; 0, or -1 when out of memory. */
int		 screen_scrollback(struct screen *, int lines);
int		 screen_paint(struct screen *, struct buf *);
void		 screen_cursor(struct screen *, int *, int *);
void		 screen_size(struct screen *, int *, int *);
long		 screen_scrolled(struct screen *);
int		 screen_altscreen(struct screen *);
/*
 * Keeps the text of the lines that scroll off the top from now on (ON),
 * the last SCREEN_KEPT_LINES of them and SCREEN_KEPT_MAX bytes at most,
 * for screen_text; or no more (0). 0, or -1 when out of memory.
 */
int		 screen_keep(struct screen *, int on);
/*
 * Appends to B the text from row ROW0, column COL0 to row ROW1, column
 * COL1 (exclusive), a line end between rows that did not wrap. A row
 * above the screen (negative: -1 is the last line that scrolled off) is
 * read from what screen_keep kept; rows not kept are left out. 0, or -1
 * when out of memory.
 */
int		 screen_text(struct screen *, int row0, int col0, int row1,
		    int col1, struct buf *b);

#endif
