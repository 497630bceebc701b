/*
 * hold.c - the holder: one session's shell on a pty it keeps for the
 * session's whole life, and the clients attached to it.
 *
 * Setup is a straight line where any failure is fatal: the accounts, the
 * socket (clients.c), the recording, the command file, the pty and the
 * shell (shell.c). Then one poll() over a signalfd, the pty master, the
 * listening socket and every client runs until the shell is gone; nothing
 * a client or the shell does ends it.
 *
 * The pty is always read, with or without clients, so the shell never
 * stalls. Each read goes unchanged to every attached client (clients.c
 * repaints one that falls behind), then to the recording, the command
 * capture and the screen model. A client that sends a malformed frame is
 * dropped. Input from any client goes to the pty through a bounded
 * buffer: while the shell does not read it, clients are not read either.
 * The last RESIZE received sets the pty's size; a client's first frame
 * (HELLO or RESIZE, as "attach" sends them) makes the holder send it a
 * paint of the screen before any output. A read-only client (its HELLO
 * said "view") is painted and sent the output like any other, and its
 * INPUT and RESIZE frames are read and dropped here, whatever it sends:
 * read-only is the holder's rule, not the page's. A DROP from the
 * supervisor drops the clients of a grant at once.
 *
 * The poll timeout is the loop's timer: it wakes the loop when the
 * recording's buffer is due to be written, when a client behind has read
 * nothing for too long, when SIGKILL is due, and when draining ends. All
 * of them run on one clock, the monotonic one of clock.h. libvterm's
 * answers to terminal queries are dropped.
 *
 * SIGTERM, SIGINT and SIGHUP stop the session: the shell is hung up
 * (shell_hangup), and killed after the grace period. When it has exited
 * and its output is
 * drained (or a second has passed, if a background job keeps the pty
 * open) the clients are closed, the recording and command file finished,
 * the socket removed, and hold_main returns 0.
 */
#include <sys/resource.h>
#include <sys/signalfd.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture.h"
#include "cast.h"
#include "clients.h"
#include "clock.h"
#include "hold.h"
#include "log.h"
#include "proc.h"
#include "proto.h"
#include "runas.h"
#include "screen.h"
#include "shell.h"
#include "tok.h"

struct hold {
	const struct holder_opts *o;
	int		 sfd;		/* the signalfd */
	int		 stopping;
	struct runas	 hold_as;	/* the holder's, when sh.other */
	int64_t		 t0;		/* us: recording's zero */
	int		 cast_logged;
	struct shell	 sh;
	struct clients	 cl;
	struct screen	*scr;
	struct cast	*cast;
	struct capture	*cap;
	char		 nonce[TOK_ID_LEN + 1];	/* of the marks; "": none */
};

/* The recording's time now: microseconds since the holder started. */
static int64_t
rec_now(const struct hold *h)
{
	return clock_us() - h->t0;
}

/* The wall clock now; REC (recording time) if still recording, or -1. */
static void
capture_now(struct hold *h, struct capture_time *t, int64_t rec)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	t->wall_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	t->rec_us = cast_recording(h->cast) ? rec : -1;
}

/* --- setup: every failure here is fatal --- */

/* The signalfd of the signals the loop handles (blocked from now on). */
static int
signals(void)
{
	static const int sigs[] = { SIGCHLD, SIGTERM, SIGINT, SIGHUP };
	int fd;

	if ((fd = proc_signalfd(sigs, sizeof(sigs) / sizeof(sigs[0]))) == -1)
		fatal("hold: signalfd: %s", strerror(errno));
	return fd;
}

/* The signals, the recording's zero and the shell. */
static void
start_shell(struct hold *h)
{
	h->sfd = signals();
	h->t0 = clock_us();
	shell_start(&h->sh, h->o, h->nonce);
}

/*
 * With -u (as root: a supervisor with run_as_pool), the shell runs as
 * the account -u names and the holder then as -U's: never a root holder
 * reading what the shell prints. (Without -u, the shell is the caller's
 * own: the supervisor never starts a holder as root without it.)
 */
static void
accounts(struct hold *h, const struct holder_opts *o)
{
	char err[160];

	if (o->shell_as == NULL)
		return;
	if (geteuid() != 0)
		fatal("hold: -u %s: only root runs a shell as another "
		    "account", o->shell_as);
	if (runas_lookup(&h->sh.as, o->shell_as, err, sizeof(err)) == -1 ||
	    runas_lookup(&h->hold_as, o->hold_as, err, sizeof(err)) == -1)
		fatal("hold: %s", err);
	if (h->sh.as.uid == h->hold_as.uid)
		fatal("hold: -u and -U are both uid %ld: the shell could reach "
		    "its holder", (long)h->hold_as.uid);
	h->sh.other = 1;
}

/*
 * Another account's shell: the socket first, as the holder's account
 * (the file is its own), before the shell is forked, so that a client is
 * accepted as soon as the loop runs; the shell's side closes it at exec.
 * Then the holder becomes its account for good.
 */
static void
setup_other(struct hold *h, const struct holder_opts *o)
{
	/* the user's share of the CPU: the holder works for them */
	if (o->cpu_group != NULL && runas_join(o->cpu_group) == -1)
		fatal("hold: cgroup %s: %s", o->cpu_group, strerror(errno));
	if (setegid(h->hold_as.gid) == -1 || seteuid(h->hold_as.uid) == -1)
		fatal("hold: cannot act as %s: %s", h->hold_as.name,
		    strerror(errno));
	clients_listen(&h->cl, o->sock);
	if (seteuid(0) == -1 || setegid(0) == -1)
		fatal("hold: seteuid 0: %s", strerror(errno));
	start_shell(h);
	if (runas_drop(&h->hold_as) == -1)
		fatal("hold: cannot become %s: %s", h->hold_as.name,
		    strerror(errno));
}

static void
setup(struct hold *h, const struct holder_opts *o)
{
	struct rlimit none = { 0, 0 };

	memset(h, 0, sizeof(*h));
	h->o = o;
	h->sh.master = -1;
	h->sh.pid = -1;
	clients_init(&h->cl, o->clients);
	if (o->cmdfile != NULL)		/* before the shell starts */
		tok_session_id(h->nonce);
	/* its heap holds keystrokes, hidden ones too: never a core file */
	(void)setrlimit(RLIMIT_CORE, &none);
	accounts(h, o);
	clients_check(o->sock);
	if (h->sh.other)
		setup_other(h, o);
	if (o->cast && (h->cast = cast_open(o->cast, o->cols, o->rows,
	    o->maxbytes, time(NULL))) == NULL)
		fatal("hold: recording %s: %s", o->cast, strerror(errno));
	if (o->cmdfile && (h->cap = capture_open(o->cmdfile, o->rate,
	    o->capmax)) == NULL)
		fatal("hold: command file %s: %s", o->cmdfile,
		    strerror(errno));
	if ((h->scr = screen_new(o->cols, o->rows)) == NULL ||
	    screen_scrollback(h->scr, o->scrollback) == -1)
		fatal("hold: out of memory");
	if (h->cap != NULL) {
		capture_nonce(h->cap, h->nonce);
		capture_watch(h->cap, h->scr);
	}
	if (h->cl.lfd == -1)
		clients_listen(&h->cl, o->sock);
	if (!h->sh.other)
		start_shell(h);
	clients_listening();	/* from now on hold_end removes it */
}

/* --- what clients send --- */

/* C's first frame: the paint of the screen, then the stream. */
static void
join(struct hold *h, struct client *c)
{
	c->joined = 1;
	h->cl.changed = 1;
	client_paint(&h->cl, c, h->scr);
	if (!c->dead)
		log_info("client=%u attached size=%dx%d clients=%d mode=%s "
		    "grant=%.12s", c->id, h->sh.cols, h->sh.rows, h->cl.n,
		    holder_mode_name(c->mode), c->grant[0] ? c->grant : "-");
}

static void
resize(struct hold *h, int cols, int rows)
{
	if (!shell_resize(&h->sh, cols, rows))
		return;
	screen_resize(h->scr, cols, rows);
	if (h->cast)
		(void)cast_resize(h->cast, rec_now(h), cols, rows);
}

static void
input(struct hold *h, struct client *c, const unsigned char *p, size_t len)
{
	struct capture_tty tty;
	struct capture_time t;

	if (!c->joined)
		join(h, c);
	if (h->cap) {
		tty = shell_tty(&h->sh);
		capture_now(h, &t, rec_now(h));
		capture_input(h->cap, (const char *)p, len, c->grant, &tty,
		    h->scr, &t);
	}
	if (shell_input(&h->sh, p, len) == -1)
		log_warn("client=%u input lost: out of memory", c->id);
}

/* A read-only client's INPUT or RESIZE: taken, and never passed on. */
static void
ignore(struct hold *h, struct client *c)
{
	if (!c->joined)
		join(h, c);
	if (c->ignored++ == 0)
		log_info("client=%u is read-only: its input and resizes are "
		    "dropped", c->id);
}

/* The first frame of a connection: HELLO (a client saying what it may
 * do), DROP (the supervisor ending a grant) or MONITOR (the supervisor
 * following who is attached); 0, or -1 if malformed. */
static int
first_frame(struct hold *h, struct client *c, int type,
    const unsigned char *p, size_t len)
{
	char grant[HOLDER_GRANT_LEN + 1];
	int n;

	if (c->joined || c->monitor)
		return -1;
	if (type == PROTO_MONITOR) {
		if (len != 0)
			return -1;
		c->monitor = 1;
		h->cl.nmon++;
		h->cl.changed = 1;
		log_info("client=%u monitors who is attached", c->id);
		return 0;
	}
	if (type == PROTO_DROP) {
		if (proto_drop(p, len, grant) == -1)
			return -1;
		n = clients_drop_grant(&h->cl, grant);
		log_info("grant=%.12s ended: %d clients dropped", grant, n);
		client_drop(c, "closed");
		return 0;
	}
	if (proto_hello(p, len, &c->mode, c->grant) == -1)
		return -1;
	join(h, c);
	return 0;
}

/* One whole frame from C: TYPE, and LEN bytes of payload at P. */
static void
take_frame(struct hold *h, struct client *c, int type,
    const unsigned char *p, size_t len)
{
	int cols, rows;

	if (type == PROTO_HELLO || type == PROTO_DROP ||
	    type == PROTO_MONITOR) {
		if (first_frame(h, c, type, p, len) == -1)
			client_drop(c, "malformed hello");
		return;
	}
	if ((type != PROTO_INPUT && type != PROTO_RESIZE) || c->monitor) {
		client_drop(c, "malformed frame");
		return;
	}
	if (type == PROTO_RESIZE && proto_resize(p, len, &cols, &rows) == -1) {
		client_drop(c, "malformed resize");
		return;
	}
	if (c->mode == HOLDER_VIEW)
		ignore(h, c);
	else if (type == PROTO_INPUT)
		input(h, c, p, len);
	else {
		resize(h, cols, rows);
		if (!c->joined)
			join(h, c);
	}
}

static void
read_client(struct hold *h, struct client *c)
{
	const unsigned char *p;
	unsigned char *room;
	size_t space, len;
	int type, rv = 0;
	ssize_t n;

	room = proto_rx_room(&c->rx, &space);
	n = read(c->fd, room, space);
	if (n == 0)
		client_drop(c, "closed");
	if (n == -1 && errno != EAGAIN && errno != EINTR) {
		c->err = errno;
		client_drop(c, "error");
	}
	if (n <= 0)
		return;
	proto_rx_got(&c->rx, (size_t)n);
	while (!c->dead && (rv = proto_rx_next(&c->rx, &type, &p, &len)) == 1)
		take_frame(h, c, type, p, len);
	if (rv == -1)
		client_drop(c, "malformed frame");
}

/* --- the shell's output --- */

static void
record_output(struct hold *h, int64_t t, const char *p, size_t len)
{
	int e;

	if (h->cast == NULL)
		return;
	if (cast_output(h->cast, t, p, len) == -1 && !h->cast_logged++) {
		e = errno;
		log_warn("recording stopped: %s: %s", h->o->cast, strerror(e));
		capture_event(h->cap, "recording_stopped", "errno", e);
	}
	if (!cast_recording(h->cast) && !h->cast_logged++) {
		log_info("recording stopped: size limit of %lld bytes",
		    h->o->maxbytes);
		capture_event(h->cap, "recording_stopped", "max_bytes",
		    h->o->maxbytes);
	}
}

/* The screen model, which tells the command capture (if any) what the
 * output means as it goes. */
static void
model_output(struct hold *h, int64_t rec, const char *p, size_t len)
{
	struct capture_time t;

	if (h->cap != NULL) {
		capture_now(h, &t, rec);
		capture_at(h->cap, &t);
	}
	screen_feed(h->scr, p, len);
}

static void
read_shell(struct hold *h)
{
	static char buf[PROTO_MAX];
	int64_t t;
	ssize_t n;

	if ((n = shell_read(&h->sh, buf, sizeof(buf))) <= 0)
		return;
	clients_output(&h->cl, buf, n);
	t = rec_now(h);
	record_output(h, t, buf, n);
	model_output(h, t, buf, n);
}

/* --- signals, timers --- */

static void
stop(struct hold *h, int sig, int64_t now)
{
	if (h->stopping++)
		return;
	log_info("stop: %s", strsignal(sig));
	shell_hangup(&h->sh, h->o->grace, now);
}

static void
read_signals(struct hold *h, int64_t now)
{
	struct signalfd_siginfo si;

	while (read(h->sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			shell_reap(&h->sh, now);
		else
			stop(h, si.ssi_signo, now);
	}
	shell_reap(&h->sh, now);
}

/* Does what is due at NOW (ms); the poll timeout until the next. */
static int
timers(struct hold *h, int64_t now)
{
	int64_t t;

	t = clients_due(&h->cl, now);
	/* (the recording's clock: events are stamped from h->t0) */
	if (cast_due(h->cast, now * 1000 - h->t0) == 0)
		(void)cast_flush(h->cast);
	t = clock_sooner(t, cast_due(h->cast, now * 1000 - h->t0));
	t = clock_sooner(t, shell_due(&h->sh, h->o->grace, now));
	return (int)t;
}

/* --- the loop --- */

enum { P_SIGNALS, P_SHELL, P_LISTEN, P_CLIENTS };

/* Fills PFD (signals, pty, listener, clients) and WHO; the client count. */
static int
poll_set(struct hold *h, struct pollfd *pfd, struct client **who)
{
	pfd[P_SIGNALS] = (struct pollfd){ h->sfd, POLLIN, 0 };
	pfd[P_SHELL] = (struct pollfd){ h->sh.open ? h->sh.master : -1,
	    POLLIN | (h->sh.in.len ? POLLOUT : 0), 0 };
	pfd[P_LISTEN] = (struct pollfd){ h->stopping ? -1 : h->cl.lfd,
	    POLLIN, 0 };
	return clients_poll(&h->cl, pfd + P_CLIENTS, who,
	    h->sh.in.len < SHELL_IN_MAX);
}

/* The events of client WHO in REVENTS. */
static void
client_events(struct hold *h, struct client *who, short revents)
{
	if (revents & POLLOUT)
		client_flush(&h->cl, who, h->scr);
	if ((revents & (POLLIN | POLLHUP | POLLERR)) && !who->dead)
		read_client(h, who);
}

static void
loop(struct hold *h)
{
	struct pollfd pfd[P_CLIENTS + CLIENTS_MAX];
	struct client *who[CLIENTS_MAX];
	int64_t now = clock_ms();
	int timeout, i, nc;

	while (!shell_gone(&h->sh, now)) {
		timeout = timers(h, now);
		clients_reap(&h->cl);
		if (h->cl.changed)
			clients_report(&h->cl);
		nc = poll_set(h, pfd, who);
		if (poll(pfd, P_CLIENTS + nc, timeout) == -1) {
			if (errno != EINTR)
				log_err("poll: %s", strerror(errno));
			continue;
		}
		now = clock_ms();
		if (pfd[P_SIGNALS].revents)
			read_signals(h, now);
		if (pfd[P_SHELL].revents & POLLOUT)
			shell_write(&h->sh);
		if (pfd[P_SHELL].revents & (POLLIN | POLLHUP | POLLERR))
			read_shell(h);
		if (pfd[P_LISTEN].revents)
			clients_accept(&h->cl);
		for (i = 0; i < nc; i++)
			client_events(h, who[i], pfd[P_CLIENTS + i].revents);
	}
}

/* Closes everything; pending output gets one last try. */
static void
hold_end(struct hold *h)
{
	struct capture_time t;

	clients_close(&h->cl);
	capture_now(h, &t, rec_now(h));
	capture_close(h->cap, &t);
	cast_close(h->cast, rec_now(h));
	(void)unlink(h->o->sock);
	shell_close(&h->sh);
	close(h->sfd);
	screen_free(h->scr);
	log_info("hold sock=%s done", h->o->sock);
}

/*
 * Runs the session of O until its shell is gone (see the top of the
 * file). Returns 0; setup failures are fatal.
 */
int
hold_main(const struct holder_opts *o)
{
	static struct hold h;

	setup(&h, o);
	loop(&h);
	hold_end(&h);
	return 0;
}
