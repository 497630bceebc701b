/*
 * hold.c - the holder: one session's shell on a pty it keeps for the
 * session's whole life, and the clients attached to it.
 *
 * Setup is a straight line where any failure is fatal: a check that no
 * other holder listens on the socket path, the recording, the command
 * file, the socket (bound under a temporary name with umask 0177 and
 * renamed into place, so the path accepts connections once it exists,
 * and removed again if setup fails later), the pty, the shell. Then one
 * poll() over a signalfd, the pty master, the listening socket and every
 * client runs until the shell is gone; nothing a client or the shell
 * does ends it.
 *
 * The pty is always read, with or without clients, so the shell never
 * stalls. Each read goes unchanged to every attached client, then to the
 * recording, the command capture and the screen model. A client that
 * does not read is dropped once CLIENT_BUF_MAX bytes wait for it; one
 * that sends a malformed frame is dropped too. Input from any client goes to
 * the pty through a bounded buffer: while the shell does not read it,
 * clients are not read either. The last RESIZE received sets the pty's
 * size; a client's first frame (RESIZE, as "attach" sends it) makes the
 * holder send it a paint of the screen before any output.
 *
 * The poll timeout is the loop's timer: it wakes the loop when the
 * recording's buffer is due to be written, when SIGKILL is due, and when
 * draining ends. libvterm's answers to terminal queries are dropped.
 *
 * SIGTERM, SIGINT and SIGHUP stop the session: SIGHUP and SIGCONT to the
 * shell's process group and the pty's foreground group, SIGKILL to both
 * after the grace period. When the shell has exited and its output is
 * drained (or a second has passed, if a background job keeps the pty
 * open) the clients are closed, the recording and command file finished,
 * the socket removed, and hold_main returns 0.
 */
#include <sys/ioctl.h>
#include <sys/queue.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "capture.h"
#include "cast.h"
#include "clock.h"
#include "hold.h"
#include "log.h"
#include "proc.h"
#include "proto.h"
#include "runas.h"
#include "screen.h"
#include "tok.h"

#define CLIENT_BUF_MAX	(1024 * 1024)	/* output queued for a client */
#define CLIENTS_MAX	HOLDER_CLIENTS_MAX	/* clients at once */
#define CLIENT_STUCK_MS	10000		/* behind, and nothing read since */
/* Output queued for all clients at most, when one more is painted (a
 * paint is at most SCREEN_PAINT_MAX bytes; 64 of them are not kept). */
#define PAINTS_QUEUED_MAX	(16 * 1024 * 1024)
#define TOSHELL_MAX	(256 * 1024)	/* input waiting for the shell */
#define DRAIN_MS	1000		/* output awaited after exit */

struct client {
	TAILQ_ENTRY(client) entry;
	int		 fd;
	unsigned	 id;
	int		 attached;	/* sent a frame, got the paint */
	const char	*dead;		/* why it is dropped, or NULL */
	int		 err;		/* the errno that dropped it, or 0 */
	struct proto_rx	 rx;
	size_t		 off;		/* of out, already sent */
	struct buf	 out;
	int		 behind;	/* output skipped: repaint it */
	int64_t		 moved_ms;	/* when out last moved */
};

struct hold {
	const struct holder_opts *o;
	int		 master, lfd, sfd;
	int		 master_open;	/* the slave is still open */
	pid_t		 pid;		/* the shell; -1: reaped */
	int		 stopping, killed;
	int		 other;		/* the shell is another account's */
	struct runas	 shell_as, hold_as;	/* when other */
	int64_t		 kill_at;	/* ms: SIGKILL when stopping */
	int64_t		 exit_at;	/* ms: give up draining */
	int64_t		 t0;		/* us: recording's zero */
	int		 cols, rows;
	int		 cast_logged;
	struct screen	*scr;
	struct cast	*cast;
	struct capture	*cap;
	struct buf	 toshell;
	struct buf	 paint;
	char		 nonce[TOK_ID_LEN + 1];	/* of the marks; "": none */
	TAILQ_HEAD(, client) clients;
	int		 nclients;
	unsigned	 next_id;
};

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

/* 1 when something accepts connections on PATH. */
static int
in_use(const char *path)
{
	struct sockaddr_un sun;
	int fd, rv;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	strlcpy(sun.sun_path, path, sizeof(sun.sun_path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	rv = connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0;
	close(fd);
	return rv;
}

/*
 * Refuses PATH if it is too long or another process listens there. SUN
 * gets the temporary name the socket is bound to before it is renamed
 * into place: ".pty.PID" in PATH's directory, no longer than PATH for the
 * paths termgate uses (DIR/ID.pty), so whatever fits a socket address as
 * PATH fits as that too.
 */
static void
check_socket(const char *path, struct sockaddr_un *sun)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash == NULL ? 0 : (int)(slash - path + 1);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path) ||
	    snprintf(sun->sun_path, sizeof(sun->sun_path), "%.*s.pty.%ld",
	    dirlen, path, (long)getpid()) >= (int)sizeof(sun->sun_path))
		fatal("hold: socket path too long: %s", path);
	if (in_use(path))
		fatal("hold: %s: another process listens there", path);
}

static const char *setup_sock;	/* removed if setup fails after listen */

static void
remove_setup_sock(void)
{
	if (setup_sock != NULL)
		(void)unlink(setup_sock);
}

/* Listens on PATH (SUN: its temporary name), mode 0600. */
static int
listen_on(const char *path, struct sockaddr_un *sun)
{
	mode_t old;
	int fd;

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		fatal("hold: socket: %s", strerror(errno));
	(void)unlink(sun->sun_path);
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)sun, sizeof(*sun)) == -1)
		fatal("hold: bind %s: %s", sun->sun_path, strerror(errno));
	umask(old);
	if (listen(fd, 16) == -1 || rename(sun->sun_path, path) == -1) {
		(void)unlink(sun->sun_path);
		fatal("hold: listen on %s: %s", path, strerror(errno));
	}
	setup_sock = path;
	atexit(remove_setup_sock);
	return fd;
}

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

/* In the child: the shell, on the pty SLAVE. Never returns. */
static void __attribute__((noreturn))
child(struct hold *h, int slave, char *const *argv)
{
	if (proc_child_reset() == -1 || ioctl(slave, TIOCSCTTY, 0) == -1 ||
	    dup2(slave, STDIN_FILENO) == -1 ||
	    dup2(slave, STDOUT_FILENO) == -1 ||
	    dup2(slave, STDERR_FILENO) == -1)
		_exit(126);
	/* the pty is the shell's own, as login(1) would make it */
	if (h->other && (fchown(slave, h->shell_as.uid, (gid_t)-1) == -1 ||
	    runas_shell(&h->shell_as, h->o->nproc, h->o->cgroups) == -1)) {
		dprintf(STDERR_FILENO, "termgate-pty: cannot become %s: %s\r\n",
		    h->shell_as.name, strerror(errno));
		_exit(126);
	}
	if (getenv("TERM") == NULL)
		(void)setenv("TERM", "xterm-256color", 1);
	/* The shell integration's marks carry it (capture_nonce); output
	 * that only imitates them cannot. */
	if (h->nonce[0] != '\0')
		(void)setenv("TERMGATE_NONCE", h->nonce, 1);
	else
		(void)unsetenv("TERMGATE_NONCE");
	(void)proc_exec(argv, NULL);
	dprintf(STDERR_FILENO, "termgate-pty: cannot run %s: %s\r\n", argv[0],
	    strerror(errno));
	_exit(127);
}

/* Opens the pty (COLS x ROWS) and starts the command on it. */
static void
spawn(struct hold *h)
{
	struct winsize ws = { .ws_row = h->rows, .ws_col = h->cols };
	struct termios tio;
	char name[64];
	int slave;

	h->master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (h->master == -1 || grantpt(h->master) == -1 ||
	    unlockpt(h->master) == -1 ||
	    ptsname_r(h->master, name, sizeof(name)) != 0)
		fatal("hold: cannot open a pty: %s", strerror(errno));
	if ((slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		fatal("hold: open %s: %s", name, strerror(errno));
	if (tcgetattr(slave, &tio) == 0) {
		tio.c_iflag |= IUTF8;
		(void)tcsetattr(slave, TCSANOW, &tio);
	}
	if (ioctl(h->master, TIOCSWINSZ, &ws) == -1 ||
	    fcntl(h->master, F_SETFL, O_NONBLOCK) == -1)
		fatal("hold: pty setup: %s", strerror(errno));
	if ((h->pid = fork()) == -1)
		fatal("hold: fork: %s", strerror(errno));
	if (h->pid == 0)
		child(h, slave, h->o->argv);
	close(slave);
	h->master_open = 1;
	log_info("hold sock=%s pid=%ld tty=%s size=%dx%d command=%s",
	    h->o->sock, (long)h->pid, name, h->cols, h->rows, h->o->argv[0]);
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
	if (runas_lookup(&h->shell_as, o->shell_as, err, sizeof(err)) == -1 ||
	    runas_lookup(&h->hold_as, o->hold_as, err, sizeof(err)) == -1)
		fatal("hold: %s", err);
	if (h->shell_as.uid == h->hold_as.uid)
		fatal("hold: -u and -U are both uid %ld: the shell could reach "
		    "its holder", (long)h->hold_as.uid);
	h->other = 1;
}

static void
setup(struct hold *h, const struct holder_opts *o)
{
	struct sockaddr_un sun;
	struct rlimit none = { 0, 0 };

	memset(h, 0, sizeof(*h));
	h->o = o;
	h->master = h->lfd = -1;
	h->pid = -1;
	h->cols = o->cols;
	h->rows = o->rows;
	TAILQ_INIT(&h->clients);
	if (o->cmdfile != NULL)		/* before the shell starts */
		tok_session_id(h->nonce);
	/* its heap holds keystrokes, hidden ones too: never a core file */
	(void)setrlimit(RLIMIT_CORE, &none);
	accounts(h, o);
	check_socket(o->sock, &sun);
	if (h->other) {
		/* the user's share of the CPU: the holder works for them */
		if (o->cpu_group != NULL && runas_join(o->cpu_group) == -1)
			fatal("hold: cgroup %s: %s", o->cpu_group,
			    strerror(errno));
		/*
		 * The socket first, as the holder's account (the file is
		 * its own), before the shell is forked: a client is
		 * accepted as soon as the holder's loop runs, not after
		 * the fork. The shell's side closes it at exec.
		 */
		if (setegid(h->hold_as.gid) == -1 ||
		    seteuid(h->hold_as.uid) == -1)
			fatal("hold: cannot act as %s: %s", h->hold_as.name,
			    strerror(errno));
		h->lfd = listen_on(o->sock, &sun);
		if (seteuid(0) == -1 || setegid(0) == -1)
			fatal("hold: seteuid 0: %s", strerror(errno));
		h->sfd = signals();
		h->t0 = clock_us();
		spawn(h);
		if (runas_drop(&h->hold_as) == -1)
			fatal("hold: cannot become %s: %s", h->hold_as.name,
			    strerror(errno));
	}
	if (o->cast && (h->cast = cast_open(o->cast, o->cols, o->rows,
	    o->maxbytes, time(NULL))) == NULL)
		fatal("hold: recording %s: %s", o->cast, strerror(errno));
	if (o->cmdfile && (h->cap = capture_open(o->cmdfile, o->rate,
	    o->capmax)) == NULL)
		fatal("hold: command file %s: %s", o->cmdfile,
		    strerror(errno));
	if (h->cap != NULL)
		capture_nonce(h->cap, h->nonce);
	if ((h->scr = screen_new(o->cols, o->rows)) == NULL ||
	    screen_scrollback(h->scr, o->scrollback) == -1)
		fatal("hold: out of memory");
	if (h->lfd == -1)
		h->lfd = listen_on(o->sock, &sun);
	if (!h->other) {
		h->sfd = signals();
		h->t0 = clock_us();
		spawn(h);
	}
	setup_sock = NULL;	/* from now on finish() removes it */
}

/* --- clients --- */

static void
drop(struct client *c, const char *why)
{
	if (c->dead == NULL)
		c->dead = why;
}

/* Drops C for the error in errno. */
static void
drop_errno(struct client *c)
{
	if (c->dead == NULL)
		c->err = errno;
	drop(c, "error");
}

/* Sends what waits for C; drops C on an error. */
static void
client_flush(struct client *c)
{
	ssize_t n;

	if (c->dead || c->off == c->out.len)
		return;
	n = send(c->fd, c->out.p + c->off, c->out.len - c->off,
	    MSG_NOSIGNAL | MSG_DONTWAIT);
	if (n == -1) {
		if (errno != EAGAIN && errno != EINTR)
			drop_errno(c);
		return;
	}
	c->off += n;
	c->moved_ms = clock_ms();
	if (c->off == c->out.len) {
		c->off = c->out.len = 0;
		if (c->out.cap > PROTO_MAX * 4)
			buf_free(&c->out);	/* a burst is over */
	} else if (c->off > CLIENT_BUF_MAX / 2) {
		buf_consume(&c->out, c->off);
		c->off = 0;
	}
}

/* Queues a frame of TYPE with payload P (LEN bytes) for C, and sends. */
static void
client_send(struct client *c, int type, const char *p, size_t len,
    int bounded)
{
	unsigned char hdr[PROTO_HDR];
	size_t chunk;

	if (bounded && c->behind)
		return;			/* the repaint will show it */
	if (bounded && c->out.len - c->off + len > CLIENT_BUF_MAX) {
		/* as tmux does: what it missed is repainted once it has
		 * read what waits for it (caught_up) */
		c->behind = 1;
		c->moved_ms = clock_ms();
		log_info("client=%u fell behind: it is repainted once it "
		    "has read what waits for it", c->id);
		return;
	}
	do {
		chunk = len > PROTO_MAX ? PROTO_MAX : len;
		proto_hdr(hdr, type, chunk);
		if (buf_add(&c->out, hdr, sizeof(hdr)) == -1 ||
		    buf_add(&c->out, p, chunk) == -1) {
			drop(c, "out of memory");
			return;
		}
		p += chunk;
		len -= chunk;
	} while (len > 0);
	client_flush(c);
}

/* Sends C a paint of the screen. */
static void
paint(struct hold *h, struct client *c)
{
	struct client *o;
	size_t queued = 0;

	h->paint.len = 0;
	if (screen_paint(h->scr, &h->paint) == -1) {
		drop(c, "out of memory");
		return;
	}
	TAILQ_FOREACH(o, &h->clients, entry)
		queued += o->out.len - o->off;
	if (queued + h->paint.len > PAINTS_QUEUED_MAX) {
		drop(c, "busy: output queued for the other clients");
		return;
	}
	client_send(c, PROTO_OUTPUT, h->paint.p, h->paint.len, 0);
}

/* The client's first frame: the paint of the screen, then the stream. */
static void
attach(struct hold *h, struct client *c)
{
	c->attached = 1;
	paint(h, c);
	if (!c->dead)
		log_info("client=%u attached size=%dx%d clients=%d", c->id,
		    h->cols, h->rows, h->nclients);
}

/* C, behind, has read all that waited for it: the screen as it is now. */
static void
caught_up(struct hold *h, struct client *c)
{
	if (!c->behind || c->dead || c->off != c->out.len)
		return;
	c->behind = 0;
	log_info("client=%u caught up: repainted", c->id);
	paint(h, c);
}

static void
resize(struct hold *h, int cols, int rows)
{
	struct winsize ws = { .ws_row = rows, .ws_col = cols };

	if (cols == h->cols && rows == h->rows)
		return;
	h->cols = cols;
	h->rows = rows;
	if (ioctl(h->master, TIOCSWINSZ, &ws) == -1)
		log_warn("resize: %s", strerror(errno));
	screen_resize(h->scr, cols, rows);
	if (h->cast)
		(void)cast_resize(h->cast, clock_us() - h->t0, cols, rows);
}

/* The pty's c_cc key I, or 0 when it is disabled. */
static unsigned char
cc_key(const struct termios *tio, int i)
{
	return tio->c_cc[i] == _POSIX_VDISABLE ? 0 : tio->c_cc[i];
}

/*
 * How the pty is set now (termios ioctls on the master act on the slave):
 * CAPTURE_ECHO, CAPTURE_CANON and its editing keys; unknown counts as
 * hidden input.
 */
static struct capture_tty
tty_mode(struct hold *h)
{
	struct capture_tty t = capture_tty(CAPTURE_CANON);
	struct termios tio;

	if (tcgetattr(h->master, &tio) == -1)
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

static void
write_shell(struct hold *h)
{
	ssize_t n;

	if (h->toshell.len == 0)
		return;
	if (!h->master_open) {
		h->toshell.len = 0;
		return;
	}
	n = write(h->master, h->toshell.p, h->toshell.len);
	if (n > 0)
		buf_consume(&h->toshell, n);
	else if (n == -1 && errno != EAGAIN && errno != EINTR)
		h->toshell.len = 0;
}

static void
input(struct hold *h, struct client *c, const unsigned char *p, size_t len)
{
	struct capture_tty tty;
	struct capture_time t;

	if (!c->attached)
		attach(h, c);
	if (h->cap) {
		tty = tty_mode(h);
		capture_now(h, &t, clock_us() - h->t0);
		capture_input(h->cap, (const char *)p, len, &tty, h->scr, &t);
	}
	if (buf_add(&h->toshell, p, len) == -1)
		log_warn("client=%u input lost: out of memory", c->id);
	write_shell(h);
}

/* One complete frame from C. */
static void
frame(struct hold *h, struct client *c, int type, const unsigned char *p,
    size_t len)
{
	int cols, rows;

	if (type == PROTO_INPUT) {
		input(h, c, p, len);
		return;
	}
	if (type != PROTO_RESIZE) {
		drop(c, "malformed frame");
		return;
	}
	if (proto_resize(p, len, &cols, &rows) == -1) {
		drop(c, "malformed resize");
		return;
	}
	resize(h, cols, rows);
	if (!c->attached)
		attach(h, c);
}

static void
client_read(struct hold *h, struct client *c)
{
	const unsigned char *p;
	unsigned char *room;
	size_t space, len;
	int type, rv = 0;
	ssize_t n;

	room = proto_rx_room(&c->rx, &space);
	n = read(c->fd, room, space);
	if (n == 0)
		drop(c, "closed");
	if (n == -1 && errno != EAGAIN && errno != EINTR)
		drop_errno(c);
	if (n <= 0)
		return;
	proto_rx_got(&c->rx, (size_t)n);
	while (!c->dead && (rv = proto_rx_next(&c->rx, &type, &p, &len)) == 1)
		frame(h, c, type, p, len);
	if (rv == -1)
		drop(c, "malformed frame");
}

/*
 * Only our own uid (the backend's attach, run as the same service
 * account) and root (the supervisor) may be clients: the socket's mode
 * says so too, this holds even if a directory above it lets a terminal
 * put its own socket in between.
 */
static int
peer_ok(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof(cr);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == -1) {
		log_warn("client refused: SO_PEERCRED: %s", strerror(errno));
		return 0;
	}
	if (cr.uid == 0 || cr.uid == geteuid())
		return 1;
	log_warn("client refused: uid %ld pid %ld is not ours",
	    (long)cr.uid, (long)cr.pid);
	return 0;
}

/* Tells a client refused for the limit why, as one OUTPUT frame, if the
 * socket takes it at once (best effort: the close says it anyway). */
static void
say_full(int fd, int max)
{
	unsigned char msg[PROTO_HDR + 96];
	int n;

	n = snprintf((char *)msg + PROTO_HDR, sizeof(msg) - PROTO_HDR,
	    "\r\ntermgate: this session has its %d clients already\r\n",
	    max);
	if (n < 0 || (size_t)n >= sizeof(msg) - PROTO_HDR)
		return;
	proto_hdr(msg, PROTO_OUTPUT, (size_t)n);
	(void)!write(fd, msg, PROTO_HDR + (size_t)n);
}

static void
client_accept(struct hold *h)
{
	int max = h->o->clients > 0 ? h->o->clients : CLIENTS_MAX;
	struct client *c;
	int fd;

	fd = accept4(h->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("accept: %s", strerror(errno));
		return;
	}
	if (!peer_ok(fd)) {
		close(fd);
		return;
	}
	if (h->nclients >= max || (c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("client refused: %s (%d)", h->nclients >= max ?
		    "too many clients" : "out of memory", h->nclients);
		if (h->nclients >= max)
			say_full(fd, max);
		close(fd);
		return;
	}
	c->fd = fd;
	c->id = ++h->next_id;
	TAILQ_INSERT_TAIL(&h->clients, c, entry);
	h->nclients++;
}

/* Frees the clients that were dropped since the last call. */
static void
reap_clients(struct hold *h)
{
	struct client *c, *next;

	for (c = TAILQ_FIRST(&h->clients); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->dead == NULL)
			continue;
		log_info("client=%u %s%s", c->id, strcmp(c->dead, "closed") ?
		    "dropped: " : "", c->err ? strerror(c->err) : c->dead);
		TAILQ_REMOVE(&h->clients, c, entry);
		h->nclients--;
		close(c->fd);
		buf_free(&c->out);
		free(c);
	}
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

/* The screen model, and the command capture (which feeds it) if any. */
static void
model_output(struct hold *h, int64_t rec, const char *p, size_t len)
{
	struct capture_time t;

	if (h->cap == NULL) {
		screen_feed(h->scr, p, len);
		return;
	}
	capture_now(h, &t, rec);
	capture_output(h->cap, h->scr, p, len, &t);
}

static void
read_master(struct hold *h)
{
	static char buf[PROTO_MAX];
	struct client *c;
	int64_t t;
	ssize_t n;

	if ((n = read(h->master, buf, sizeof(buf))) == -1 &&
	    (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* EIO: the slave side is closed everywhere. */
		h->master_open = 0;
		return;
	}
	TAILQ_FOREACH(c, &h->clients, entry)
		if (c->attached && !c->dead)
			client_send(c, PROTO_OUTPUT, buf, n, 1);
	t = clock_us() - h->t0;
	record_output(h, t, buf, n);
	model_output(h, t, buf, n);
}

/* --- signals, stopping --- */

static void
signal_shell(struct hold *h, int sig)
{
	pid_t fg;

	if (h->pid == -1)
		return;
	/* Before the shell's setsid its group is not there yet: itself. */
	if (kill(-h->pid, sig) == -1 && errno == ESRCH)
		(void)kill(h->pid, sig);
	if ((fg = tcgetpgrp(h->master)) > 0 && fg != h->pid)
		(void)kill(-fg, sig);
}

static void
stop(struct hold *h, int sig, int64_t now)
{
	if (h->stopping++)
		return;
	log_info("stop: %s, hanging up the shell pid=%ld grace=%ds",
	    strsignal(sig), (long)h->pid, h->o->grace);
	/*
	 * Another account's shell is not ours to signal: closing the
	 * master hangs its terminal up, and the kernel sends SIGHUP and
	 * SIGCONT to it and its foreground job (what it prints from now
	 * on is lost).
	 */
	if (h->other && h->master_open) {
		close(h->master);
		h->master = -1;
		h->master_open = 0;
		return;
	}
	signal_shell(h, SIGHUP);
	signal_shell(h, SIGCONT);
	h->kill_at = now + h->o->grace * 1000LL;
}

static void
reap(struct hold *h, int64_t now)
{
	int status;

	if (h->pid == -1 || waitpid(h->pid, &status, WNOHANG) != h->pid)
		return;
	if (WIFEXITED(status))
		log_info("shell pid=%ld exited status=%d", (long)h->pid,
		    WEXITSTATUS(status));
	else
		log_info("shell pid=%ld killed by %s", (long)h->pid,
		    strsignal(WTERMSIG(status)));
	h->pid = -1;
	h->exit_at = now + DRAIN_MS;
}

static void
read_signals(struct hold *h, int64_t now)
{
	struct signalfd_siginfo si;

	while (read(h->sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD)
			reap(h, now);
		else
			stop(h, si.ssi_signo, now);
	}
	reap(h, now);
}

static void
timers(struct hold *h, int64_t now)
{
	struct client *c;

	TAILQ_FOREACH(c, &h->clients, entry)
		if (c->behind && !c->dead &&
		    now - c->moved_ms >= CLIENT_STUCK_MS)
			drop(c, "output buffer full, and nothing read for 10 s");
	/* (the recording's clock: events are stamped from h->t0) */
	if (h->cast && cast_due(h->cast, now * 1000 - h->t0) == 0)
		(void)cast_flush(h->cast);
	if (h->stopping && !h->killed && h->pid != -1 && now >= h->kill_at) {
		log_info("shell pid=%ld still there after %ds: %s",
		    (long)h->pid, h->o->grace, h->other ?
		    "leaving it to the supervisor" : "SIGKILL");
		h->killed = 1;
		/*
		 * One we may not signal is left behind: the supervisor
		 * kills every process of a pool account when the lease
		 * of its user ends (pool.c).
		 */
		if (h->other) {
			h->pid = -1;
			h->exit_at = now;
		} else
			signal_shell(h, SIGKILL);
	}
}

static int
poll_timeout(struct hold *h, int64_t now)
{
	struct client *c;
	int64_t t = -1, d;

	if (h->cast && (d = cast_due(h->cast, now * 1000 - h->t0)) >= 0)
		t = d;
	TAILQ_FOREACH(c, &h->clients, entry)
		if (c->behind && !c->dead) {
			d = c->moved_ms + CLIENT_STUCK_MS - now;
			d = d < 0 ? 0 : d;
			t = t == -1 || d < t ? d : t;
		}
	if (h->stopping && !h->killed && h->pid != -1) {
		d = h->kill_at > now ? h->kill_at - now : 0;
		t = t == -1 || d < t ? d : t;
	}
	if (h->pid == -1) {
		d = h->exit_at > now ? h->exit_at - now : 0;
		t = t == -1 || d < t ? d : t;
	}
	return (int)t;
}

/* --- the loop --- */

/* Fills PFD (signals, pty, listener, clients) and CL; the client count. */
static int
poll_set(struct hold *h, struct pollfd *pfd, struct client **cl)
{
	struct client *c;
	int nc = 0;

	pfd[0] = (struct pollfd){ h->sfd, POLLIN, 0 };
	pfd[1] = (struct pollfd){ h->master_open ? h->master : -1,
	    POLLIN | (h->toshell.len ? POLLOUT : 0), 0 };
	pfd[2] = (struct pollfd){ h->stopping ? -1 : h->lfd, POLLIN, 0 };
	TAILQ_FOREACH(c, &h->clients, entry) {
		cl[nc] = c;
		pfd[3 + nc++] = (struct pollfd){ c->fd,
		    (h->toshell.len < TOSHELL_MAX ? POLLIN : 0) |
		    (c->off < c->out.len ? POLLOUT : 0), 0 };
	}
	return nc;
}

static void
loop(struct hold *h)
{
	struct pollfd pfd[3 + CLIENTS_MAX];
	struct client *cl[CLIENTS_MAX];
	int64_t now;
	int n, i, nc;

	for (;;) {
		now = clock_us() / 1000;
		if (h->pid == -1 && (!h->master_open || now >= h->exit_at))
			return;
		nc = poll_set(h, pfd, cl);
		if ((n = poll(pfd, 3 + nc, poll_timeout(h, now))) == -1) {
			if (errno != EINTR)
				log_err("poll: %s", strerror(errno));
			continue;
		}
		now = clock_us() / 1000;
		if (pfd[0].revents)
			read_signals(h, now);
		if (pfd[1].revents & POLLOUT)
			write_shell(h);
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))
			read_master(h);
		if (pfd[2].revents)
			client_accept(h);
		for (i = 0; i < nc; i++) {
			if (pfd[3 + i].revents & POLLOUT) {
				client_flush(cl[i]);
				caught_up(h, cl[i]);
			}
			if (pfd[3 + i].revents & (POLLIN | POLLHUP | POLLERR))
				if (!cl[i]->dead)
					client_read(h, cl[i]);
		}
		timers(h, now);
		reap_clients(h);
	}
}

/* Closes everything; pending output gets one last try. */
static void
finish(struct hold *h)
{
	struct capture_time t;
	struct client *c;

	TAILQ_FOREACH(c, &h->clients, entry) {
		client_flush(c);
		drop(c, "closed");
	}
	reap_clients(h);
	capture_now(h, &t, clock_us() - h->t0);
	capture_close(h->cap, &t);
	cast_close(h->cast, clock_us() - h->t0);
	(void)unlink(h->o->sock);
	close(h->lfd);
	close(h->master);
	close(h->sfd);
	screen_free(h->scr);
	buf_free(&h->toshell);
	buf_free(&h->paint);
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
	finish(&h);
	return 0;
}
