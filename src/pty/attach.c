/*
 * attach.c - connects the terminal it runs on (ttyd's or shellinabox's
 * pty) to a holder's socket.
 *
 * stdin, when it is a tty, goes into raw mode (cfmakeraw) so that the
 * line discipline neither echoes nor edits what the shell will: the shell
 * behind the holder does both. The window size (TIOCGWINSZ of stdin, else
 * 80x24) is sent first and again on every SIGWINCH; stdin becomes INPUT
 * frames and OUTPUT frames go to stdout. One poll() loop, all descriptors
 * non-blocking, each direction buffered up to ATTACH_BUF_MAX (beyond it
 * the other side is not read). The holder closing the connection (the
 * shell ended) and stdin reaching EOF both end it with status 0, after
 * what was pending has been written; SIGTERM, SIGINT and SIGHUP end it at
 * once. The tty's mode and descriptor flags are restored on every exit.
 *
 * The gateway's form (attach_session) is given a directory and a session
 * id that came from the WebSocket's query, which nginx wrote: it takes a
 * well-formed id only, and connects to that session's holder socket,
 * named as the supervisor names it (sessfile.c), and nothing else.
 *
 * A viewer's or a share's attach is given a mode and a grant too (the
 * same query's next arg=s, or ttyd -a's words after the socket): both
 * must be well formed (holder.h), and are sent in a HELLO before
 * anything else; the holder keeps a "view" client from the shell.
 */
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "attach.h"
#include "buf.h"
#include "endpoint.h"
#include "holder.h"
#include "proc.h"
#include "proto.h"
#include "sessfile.h"
#include "valid.h"

#define ATTACH_BUF_MAX	(1024 * 1024)

struct att {
	int		 sock, sfd;
	int		 raw;		/* stdin was put in raw mode */
	struct termios	 saved;
	int		 fl_in, fl_out;	/* stdin's, stdout's flags */
	int		 in_eof;	/* stdin ended */
	int		 sock_eof;	/* the holder closed */
	int		 mode;		/* HOLDER_CONTROL or HOLDER_VIEW */
	const char	*grant;		/* NULL: the owner's, no HELLO */
	struct buf	 tosock;
	struct buf	 toout;
	struct proto_rx	 rx;
};

static int
connect_to(const char *path)
{
	int fd;

	if ((fd = ep_connect_unix(path, 0)) == -1)
		return -1;
	if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
send_frame(struct att *a, int type, const void *p, size_t len)
{
	if (proto_put(&a->tosock, type, p, len) == -1)
		a->in_eof = a->sock_eof = 1;
}

static void
send_size(struct att *a)
{
	struct winsize ws;
	unsigned char p[4];

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == -1 || ws.ws_col == 0 ||
	    ws.ws_row == 0) {
		ws.ws_col = 80;
		ws.ws_row = 24;
	}
	if (ws.ws_col < PROTO_COLS_MIN)
		ws.ws_col = PROTO_COLS_MIN;
	if (ws.ws_col > PROTO_COLS_MAX)
		ws.ws_col = PROTO_COLS_MAX;
	if (ws.ws_row > PROTO_ROWS_MAX)
		ws.ws_row = PROTO_ROWS_MAX;
	p[0] = ws.ws_col >> 8;
	p[1] = ws.ws_col & 0xff;
	p[2] = ws.ws_row >> 8;
	p[3] = ws.ws_row & 0xff;
	send_frame(a, PROTO_RESIZE, p, sizeof(p));
}

static int
setup(struct att *a, const char *path)
{
	static const int sigs[] = { SIGWINCH, SIGTERM, SIGINT, SIGHUP };
	struct termios raw;

	if ((a->sock = connect_to(path)) == -1) {
		fprintf(stderr, "termgate-pty: cannot attach to %s: %s\r\n",
		    path, strerror(errno));
		return -1;
	}
	if ((a->sfd = proc_signalfd(sigs, sizeof(sigs) / sizeof(sigs[0]))) ==
	    -1) {
		fprintf(stderr, "termgate-pty: signalfd: %s\r\n",
		    strerror(errno));
		return -1;
	}
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &a->saved) == 0) {
		raw = a->saved;
		cfmakeraw(&raw);
		a->raw = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
	}
	a->fl_in = fcntl(STDIN_FILENO, F_GETFL);
	a->fl_out = fcntl(STDOUT_FILENO, F_GETFL);
	(void)fcntl(STDIN_FILENO, F_SETFL, a->fl_in | O_NONBLOCK);
	(void)fcntl(STDOUT_FILENO, F_SETFL, a->fl_out | O_NONBLOCK);
	if (a->grant != NULL &&
	    proto_put_hello(&a->tosock, a->mode, a->grant) == -1)
		return -1;
	send_size(a);
	return 0;
}

static void
restore(struct att *a)
{
	if (a->raw)
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &a->saved);
	if (a->fl_in != -1)
		(void)fcntl(STDIN_FILENO, F_SETFL, a->fl_in);
	if (a->fl_out != -1)
		(void)fcntl(STDOUT_FILENO, F_SETFL, a->fl_out);
}

static void
read_stdin(struct att *a)
{
	char buf[PROTO_MAX];
	ssize_t n;

	n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n > 0)
		send_frame(a, PROTO_INPUT, buf, n);
	else if (n == 0 || (errno != EAGAIN && errno != EINTR))
		a->in_eof = 1;
}

/* Reads frames from the holder; -1 on a malformed one. */
static int
read_sock(struct att *a)
{
	const unsigned char *p;
	unsigned char *room;
	size_t space, len;
	ssize_t n;
	int type, rv;

	room = proto_rx_room(&a->rx, &space);
	n = read(a->sock, room, space);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR))
		a->sock_eof = 1;
	if (n <= 0)
		return 0;
	proto_rx_got(&a->rx, (size_t)n);
	while ((rv = proto_rx_next(&a->rx, &type, &p, &len)) == 1)
		if (type != PROTO_OUTPUT || buf_add(&a->toout, p, len) == -1)
			return -1;
	return rv;
}

/* Writes what is pending in B to FD; -1 when FD is gone. */
static int
flush(int fd, struct buf *b)
{
	ssize_t n;

	if (b->len == 0)
		return 0;
	if ((n = write(fd, b->p, b->len)) == -1)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	buf_consume(b, n);
	return 0;
}

/* Drains the signalfd; 1 when a signal asks to end. */
static int
read_signals(struct att *a)
{
	struct signalfd_siginfo si;
	int end = 0;

	while (read(a->sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGWINCH)
			send_size(a);
		else
			end = 1;
	}
	return end;
}

/* 0 at a normal end (holder gone, stdin ended), -1 on an error. */
static int
loop(struct att *a)
{
	struct pollfd pfd[4];

	for (;;) {
		if (a->sock_eof && a->toout.len == 0)
			return 0;
		if (a->in_eof && a->tosock.len == 0)
			return 0;
		pfd[0] = (struct pollfd){ a->sfd, POLLIN, 0 };
		pfd[1] = (struct pollfd){ a->in_eof ||
		    a->tosock.len >= ATTACH_BUF_MAX ? -1 : STDIN_FILENO,
		    POLLIN, 0 };
		pfd[2] = (struct pollfd){ a->sock_eof ? -1 : a->sock,
		    (a->toout.len < ATTACH_BUF_MAX ? POLLIN : 0) |
		    (a->tosock.len ? POLLOUT : 0), 0 };
		pfd[3] = (struct pollfd){ a->toout.len ? STDOUT_FILENO : -1,
		    POLLOUT, 0 };
		if (poll(pfd, 4, -1) == -1 && errno != EINTR)
			return -1;
		if (pfd[0].revents && read_signals(a))
			return 0;
		if (pfd[1].revents)
			read_stdin(a);
		if ((pfd[2].revents & POLLOUT) && flush(a->sock, &a->tosock))
			a->sock_eof = a->in_eof = 1;
		if ((pfd[2].revents & ~POLLOUT) && read_sock(a) == -1)
			return -1;
		if (pfd[3].revents && flush(STDOUT_FILENO, &a->toout) == -1)
			return -1;
	}
}

/* The one attach: PATH, and the HELLO of MODE and GRANT unless GRANT
 * is NULL; the exit status (see attach_main). */
static int
attach(const char *path, int mode, const char *grant)
{
	static struct att a;
	int rv;

	a.sock = a.sfd = a.fl_in = a.fl_out = -1;
	a.mode = mode;
	a.grant = grant;
	if (setup(&a, path) == -1)
		rv = 1;
	else if ((rv = loop(&a)) == -1)
		fprintf(stderr, "\r\ntermgate-pty: connection to %s lost\r\n",
		    path);
	restore(&a);
	if (a.sock != -1)
		close(a.sock);
	if (a.sfd != -1)
		close(a.sfd);
	buf_free(&a.tosock);
	buf_free(&a.toout);
	return rv == 0 ? 0 : 1;
}

/* MODE_WORD and GRANT (both NULL: the owner) into *MODE; 0 or -1 when
 * either is not well formed, checked as if they came from anyone. */
static int
grant_words(const char *mode_word, const char *grant, int *mode)
{
	*mode = HOLDER_CONTROL;
	if (mode_word == NULL && grant == NULL)
		return 0;
	if (mode_word == NULL || grant == NULL ||
	    (*mode = holder_mode(mode_word)) == -1 || !holder_grant_ok(grant))
		return -1;
	return 0;
}

/*
 * Attaches the terminal on stdin/stdout to the holder listening on PATH
 * until either ends (see the top of the file), as a client of MODE_WORD
 * ("view" or "control") let in under GRANT, or as the owner when both
 * are NULL. Returns the exit status: 0, or 1 when the words are not well
 * formed, the holder cannot be reached or breaks the protocol.
 */
int
attach_main(const char *path, const char *mode_word, const char *grant)
{
	int mode;

	if (grant_words(mode_word, grant, &mode) == -1) {
		fprintf(stderr, "\r\ntermgate-pty: not a mode and grant\r\n");
		return 1;
	}
	return attach(path, mode, grant);
}

/*
 * The gateway's attach: to the holder of session ID in DIR. ID (and MODE
 * and GRANT, or neither) are the last words of the command ttyd -a ran
 * (the WebSocket's arg=s, which nginx wrote from authorize's answer),
 * checked here as if they came from anyone. Returns the exit status: 1
 * when ID is not a session id or its holder cannot be reached, else
 * attach_main's.
 */
int
attach_session(const char *dir, const char *id, const char *mode_word,
    const char *grant)
{
	char path[SESSFILE_PATH_MAX];

	if (!valid_session_id(id) || dir[0] != '/' ||
	    sessfile_path_in(path, sizeof(path), dir, SESSFILE_PTY,
	    id) == -1) {
		fprintf(stderr, "\r\ntermgate-pty: not a session\r\n");
		return 1;
	}
	return attach_main(path, mode_word, grant);
}
