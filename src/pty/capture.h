/* capture.h - the commands of a session, as JSON lines in a file. */
#ifndef TG_PTY_CAPTURE_H
#define TG_PTY_CAPTURE_H

#include <stddef.h>
#include <stdint.h>

/* What the pty's line discipline does with input, for capture_input. */
#define CAPTURE_ECHO	0x1	/* ECHO: the pty echoes typed bytes */
#define CAPTURE_CANON	0x2	/* ICANON: the pty edits lines */
#define CAPTURE_NONCE_MAX	64	/* bytes of the marks' nonce */

/* How the pty treats input now, for capture_input. */
struct capture_tty {
	int		flags;		/* CAPTURE_ECHO, CAPTURE_CANON */
	/* its c_cc: VERASE, VKILL, VWERASE, VINTR (0: none) */
	unsigned char	erase, kill, werase, intr;
};

struct capture_time {
	int64_t	wall_ms;	/* CLOCK_REALTIME, milliseconds */
	int64_t	rec_us;		/* recording time; -1: none */
};

struct capture;
struct screen;

/* Opens the command file PATH (appending; 0600): at most RATE records a
 * minute (0: no limit), at most MAX bytes of file (0: no limit). */
struct capture	*capture_open(const char *, int rate, long long max);
/* Marks records of the shell (source "shell") only when its E and D marks
 * carry NONCE (at most CAPTURE_NONCE_MAX bytes; a longer one is ignored);
 * the others are "claimed". Without it every marked record is "shell". */
void		 capture_nonce(struct capture *, const char *nonce);
/* Appends the event line KIND with the number KEY (cmdrec_event): it
 * becomes a session event. C may be NULL. */
void		 capture_event(struct capture *, const char *kind,
		    const char *key, long long value);
/* Subscribes C to SCR (screen_subscribe): the marks of the output fed to
 * SCR, and the line ends a line typed ahead waits through. */
void		 capture_watch(struct capture *, struct screen *scr);
/* The output fed to the screen from now on came at T. */
void		 capture_at(struct capture *, const struct capture_time *t);
/* LEN bytes at P the client of grant BY ("" the owner) typed at T,
 * before they reach the pty, which treats input as TTY says; SCR shows
 * the output so far. A record says who entered it ("by"). */
void		 capture_input(struct capture *, const char *p, size_t len,
		    const char *by, const struct capture_tty *tty,
		    struct screen *scr, const struct capture_time *t);
/* A new pty's keys (^?, ^U, ^W, ^C) with FLAGS. */
struct capture_tty capture_tty(int flags);
void		 capture_close(struct capture *,
		    const struct capture_time *);

#endif
