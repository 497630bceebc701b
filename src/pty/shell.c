/*
 * shell.c - the holder's pty and the process on it.
 *
 * The pty is made non-blocking on the master side, with IUTF8 set, and
 * the process started on its slave as a session leader whose controlling
 * terminal it is (as login(1) would). Hanging up is SIGHUP and SIGCONT to
 * the shell's process group and the pty's foreground group, then SIGKILL
 * to both after the grace period; a shell running as another account is
 * not ours to signal, so closing the master hangs its terminal up and the
 * kernel signals it. Once it is reaped, its output is read for
 * SHELL_DRAIN_MS more at most (a background job may keep the pty open).
 */
#include <sys/ioctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "proc.h"
#include "shell.h"

extern char **environ;

/* In the child: "termgate-pty: cannot run CMD: ERR" on standard error,
 * the pty, in one write (a reader sees it whole). */
static void
cannot_run(const char *cmd, int err)
{
	char msg[512] = "termgate-pty: cannot run ";

	(void)strlcat(msg, cmd, sizeof(msg));
	(void)strlcat(msg, ": ", sizeof(msg));
	(void)strlcat(msg, strerror(err), sizeof(msg));
	(void)strlcat(msg, "\r\n", sizeof(msg));
	(void)!write(STDERR_FILENO, msg, strlen(msg));
}

/*
 * In the child: O's command on the pty SLAVE, with ENVP. Never returns.
 * Unless SH->other, the child was made by vfork and shares the holder's
 * memory until it execs: it only makes system calls on its own stack
 * (ENVP was built before). Another account's shell (runas_shell: its
 * cgroup, its limits) is forked.
 */
static void __attribute__((noreturn))
child(const struct shell *sh, const struct holder_opts *o, int slave,
    char *const envp[])
{
	if (proc_child_reset() == -1 || ioctl(slave, TIOCSCTTY, 0) == -1 ||
	    dup2(slave, STDIN_FILENO) == -1 ||
	    dup2(slave, STDOUT_FILENO) == -1 ||
	    dup2(slave, STDERR_FILENO) == -1)
		_exit(126);
	/* the pty is the shell's own, as login(1) would make it */
	if (sh->other && (fchown(slave, sh->as.uid, (gid_t)-1) == -1 ||
	    runas_shell(&sh->as, o->nproc, o->cgroups) == -1)) {
		dprintf(STDERR_FILENO, "termgate-pty: cannot become %s: %s\r\n",
		    sh->as.name, strerror(errno));
		_exit(126);
	}
	(void)proc_exec(o->argv, envp);
	cannot_run(o->argv[0], errno);
	_exit(127);
}

/*
 * The shell's environment: the holder's, TERM if it has none, and
 * TERMGATE_NONCE set to NONCE (the shell integration's marks carry it:
 * output that only imitates them cannot), or unset when NONCE is "".
 * One allocation, the strings inside it; freed by the caller.
 */
#define NONCE_VAR	"TERMGATE_NONCE="
#define TERM_VAR	"TERM=xterm-256color"

static char **
shell_env(const char *nonce)
{
	size_t n = 0, i, k = 0, len;
	char **env, *p;

	len = sizeof(NONCE_VAR) + strlen(nonce);
	while (environ[n] != NULL)
		n++;
	if ((env = malloc((n + 3) * sizeof(*env) + len)) == NULL)
		return NULL;
	p = (char *)(env + n + 3);
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], NONCE_VAR, strlen(NONCE_VAR)) != 0)
			env[k++] = environ[i];
	if (getenv("TERM") == NULL)
		env[k++] = TERM_VAR;
	if (nonce[0] != '\0') {
		env[k++] = p;
		sprintf(p, NONCE_VAR "%s", nonce);
	}
	env[k] = NULL;
	return env;
}

void
shell_start(struct shell *sh, const struct holder_opts *o, const char *nonce)
{
	struct winsize ws = { .ws_row = o->rows, .ws_col = o->cols };
	struct termios tio;
	char name[64], **env;
	int slave;

	sh->cols = o->cols;
	sh->rows = o->rows;
	sh->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (sh->master == -1 || grantpt(sh->master) == -1 ||
	    unlockpt(sh->master) == -1 ||
	    ptsname_r(sh->master, name, sizeof(name)) != 0)
		fatal("hold: cannot open a pty: %s", strerror(errno));
	if ((slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		fatal("hold: open %s: %s", name, strerror(errno));
	if (tcgetattr(slave, &tio) == 0) {
		tio.c_iflag |= IUTF8;
		(void)tcsetattr(slave, TCSANOW, &tio);
	}
	if (ioctl(sh->master, TIOCSWINSZ, &ws) == -1 ||
	    fcntl(sh->master, F_SETFL, O_NONBLOCK) == -1)
		fatal("hold: pty setup: %s", strerror(errno));
	if ((env = shell_env(nonce)) == NULL)
		fatal("hold: out of memory");
	/* (vfork: no copy of the holder's memory, no copy on write) */
	if ((sh->pid = sh->other ? fork() : vfork()) == -1)
		fatal("hold: fork: %s", strerror(errno));
	if (sh->pid == 0)
		child(sh, o, slave, env);
	free(env);
	close(slave);
	sh->open = 1;
	log_info("hold sock=%s pid=%ld tty=%s size=%dx%d command=%s",
	    o->sock, (long)sh->pid, name, sh->cols, sh->rows, o->argv[0]);
}

ssize_t
shell_read(struct shell *sh, char *p, size_t size)
{
	ssize_t n;

	if (!sh->open)
		return -1;
	if ((n = read(sh->master, p, size)) == -1 &&
	    (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		/* EIO: the slave side is closed everywhere. */
		sh->open = 0;
		return -1;
	}
	return n;
}

void
shell_write(struct shell *sh)
{
	ssize_t n;

	if (sh->in.len == 0)
		return;
	if (!sh->open) {
		sh->in.len = 0;
		return;
	}
	n = write(sh->master, sh->in.p, sh->in.len);
	if (n > 0)
		buf_consume(&sh->in, n);
	else if (n == -1 && errno != EAGAIN && errno != EINTR)
		sh->in.len = 0;
}

int
shell_input(struct shell *sh, const void *p, size_t len)
{
	int rv = buf_add(&sh->in, p, len);

	shell_write(sh);
	return rv;
}

int
shell_resize(struct shell *sh, int cols, int rows)
{
	struct winsize ws = { .ws_row = rows, .ws_col = cols };

	if (cols == sh->cols && rows == sh->rows)
		return 0;
	sh->cols = cols;
	sh->rows = rows;
	if (ioctl(sh->master, TIOCSWINSZ, &ws) == -1)
		log_warn("resize: %s", strerror(errno));
	return 1;
}

/* The pty's c_cc key I, or 0 when it is disabled. */
static unsigned char
cc_key(const struct termios *tio, int i)
{
	return tio->c_cc[i] == _POSIX_VDISABLE ? 0 : tio->c_cc[i];
}

/* (termios ioctls on the master act on the slave) */
struct capture_tty
shell_tty(const struct shell *sh)
{
	struct capture_tty t = capture_tty(CAPTURE_CANON);
	struct termios tio;

	if (tcgetattr(sh->master, &tio) == -1)
		return t;
	t.flags = 0;
	if (tio.c_lflag & ECHO)
		t.flags |= CAPTURE_ECHO;
	if (tio.c_lflag & ICANON)
		t.flags |= CAPTURE_CANON;
	t.erase = cc_key(&tio, VERASE);
	t.kill = cc_key(&tio, VKILL);
	t.werase = cc_key(&tio, VWERASE);
	t.intr = (tio.c_lflag & ISIG) ? cc_key(&tio, VINTR) : 0;
	return t;
}

/* SIG to the shell's process group and the pty's foreground group. */
static void
signal_shell(struct shell *sh, int sig)
{
	pid_t fg;

	if (sh->pid == -1)
		return;
	/* Before the shell's setsid its group is not there yet: itself. */
	if (kill(-sh->pid, sig) == -1 && errno == ESRCH)
		(void)kill(sh->pid, sig);
	if ((fg = tcgetpgrp(sh->master)) > 0 && fg != sh->pid)
		(void)kill(-fg, sig);
}

void
shell_hangup(struct shell *sh, int grace, int64_t now)
{
	if (sh->hanging_up++)
		return;
	log_info("hanging up the shell pid=%ld grace=%ds", (long)sh->pid,
	    grace);
	/*
	 * Another account's shell is not ours to signal: closing the
	 * master hangs its terminal up, and the kernel sends SIGHUP and
	 * SIGCONT to it and its foreground job (what it prints from now
	 * on is lost).
	 */
	if (sh->other && sh->open) {
		close(sh->master);
		sh->master = -1;
		sh->open = 0;
		return;
	}
	signal_shell(sh, SIGHUP);
	signal_shell(sh, SIGCONT);
	sh->kill_at = now + grace * 1000LL;
}

void
shell_reap(struct shell *sh, int64_t now)
{
	int status;

	if (sh->pid == -1 || waitpid(sh->pid, &status, WNOHANG) != sh->pid)
		return;
	if (WIFEXITED(status))
		log_info("shell pid=%ld exited status=%d", (long)sh->pid,
		    WEXITSTATUS(status));
	else
		log_info("shell pid=%ld killed by %s", (long)sh->pid,
		    strsignal(WTERMSIG(status)));
	sh->pid = -1;
	sh->exit_at = now + SHELL_DRAIN_MS;
}

int64_t
shell_due(struct shell *sh, int grace, int64_t now)
{
	int64_t t = -1;

	if (sh->hanging_up && !sh->killed && sh->pid != -1 &&
	    now >= sh->kill_at) {
		log_info("shell pid=%ld still there after %ds: %s",
		    (long)sh->pid, grace, sh->other ?
		    "leaving it to the supervisor" : "SIGKILL");
		sh->killed = 1;
		/*
		 * One we may not signal is left behind: the supervisor
		 * kills every process of a pool account when the lease
		 * of its user ends (pool.c).
		 */
		if (sh->other) {
			sh->pid = -1;
			sh->exit_at = now;
		} else
			signal_shell(sh, SIGKILL);
	}
	if (sh->hanging_up && !sh->killed && sh->pid != -1)
		t = sh->kill_at > now ? sh->kill_at - now : 0;
	if (sh->pid == -1)
		t = clock_sooner(t, sh->exit_at > now ? sh->exit_at - now : 0);
	return t;
}

int
shell_gone(const struct shell *sh, int64_t now)
{
	return sh->pid == -1 && (!sh->open || now >= sh->exit_at);
}

void
shell_close(struct shell *sh)
{
	if (sh->master != -1)
		close(sh->master);
	sh->master = -1;
	sh->open = 0;
	buf_free(&sh->in);
}
