/*
 * shell.h - the holder's pty and the process on it: started once, read,
 * written, resized, hung up and reaped by the holder's loop (hold.c).
 */
#ifndef TG_PTY_SHELL_H
#define TG_PTY_SHELL_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "capture.h"
#include "holder.h"
#include "runas.h"

#define SHELL_IN_MAX	(256 * 1024)	/* input waiting for the shell */
#define SHELL_DRAIN_MS	1000		/* output awaited after exit */

struct shell {
	int		 master;	/* the pty's master side, or -1 */
	int		 open;		/* its slave is still open somewhere */
	pid_t		 pid;		/* the process; -1: reaped */
	int		 other;		/* it runs as another account, AS */
	struct runas	 as;
	int		 hanging_up, killed;
	int64_t		 kill_at;	/* ms: SIGKILL while hanging up */
	int64_t		 exit_at;	/* ms: give up draining its output */
	int		 cols, rows;
	struct buf	 in;		/* input it has not read yet */
};

/*
 * Opens a pty of O's size and runs O's command on it, with
 * TERMGATE_NONCE set to NONCE ("": unset), as SH->as when SH->other.
 * Failures are fatal.
 */
void	shell_start(struct shell *sh, const struct holder_opts *o,
	    const char *nonce);
/* Reads at most SIZE bytes of output into P: their number, 0 when none
 * is there now, -1 once the pty is closed on the other side. */
ssize_t	shell_read(struct shell *sh, char *p, size_t size);
/* Queues LEN bytes at P for the shell and writes what it takes; -1 when
 * out of memory (the bytes are lost). */
int	shell_input(struct shell *sh, const void *p, size_t len);
/* Writes the queued input the pty takes now. */
void	shell_write(struct shell *sh);
/* Sets the pty's size; 1 when it changed, 0 when it was that already. */
int	shell_resize(struct shell *sh, int cols, int rows);
/* How the pty treats input now: its modes and editing keys (unknown:
 * hidden input). */
struct capture_tty shell_tty(const struct shell *sh);
/* Hangs the shell up at NOW (ms): SIGHUP and SIGCONT, SIGKILL after
 * GRACE seconds (shell_due); another account's shell by closing the
 * pty. Once only. */
void	shell_hangup(struct shell *sh, int grace, int64_t now);
/* Reaps the shell if it exited (then draining its output ends by
 * SHELL_DRAIN_MS after NOW). */
void	shell_reap(struct shell *sh, int64_t now);
/* At NOW: SIGKILL if it is due; ms until the next thing due, or -1. */
int64_t	shell_due(struct shell *sh, int grace, int64_t now);
/* Whether the holder is done with the shell at NOW: reaped, and its
 * output drained or given up on. */
int	shell_gone(const struct shell *sh, int64_t now);
void	shell_close(struct shell *sh);

#endif
