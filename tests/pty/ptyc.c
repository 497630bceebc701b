/*
 * ptyc.c - a scripted client of termgate-pty for the tests/pty suite.
 *
 *   ptyc [-t SECS] SOCKET STEP...     speaks the frame protocol (proto.h)
 *   ptyc [-t SECS] -e CMD STEP...     runs sh -c CMD on a new pty and is
 *                                     its terminal (for "attach")
 *   ptyc -n N SOCKET                  N attaches: connect, resize, wait
 *                                     for the paint, close
 *
 * Everything received is kept, and fed to a libvterm screen (80x24
 * until a resize step) when a step looks at the screen, so steps can
 * wait for bytes in the stream or for what a terminal would show. Waits
 * end at a deadline of SECS (default 20) seconds per step, never after a
 * fixed sleep. Steps:
 *
 *   resize:COLSxROWS   send RESIZE (or TIOCSWINSZ with -e)
 *   send:TEXT          send TEXT as INPUT (\r \n \t \a \e \\ \xHH)
 *   sendbig:N          send N bytes of input, all 'a'
 *   sendlines:N        send N bytes of input, lines of 999 'a's
 *   raw:TEXT           send TEXT's bytes as they are, unframed
 *   hello:TEXT         send TEXT as HELLO ("view GRANT", "control GRANT")
 *   drop:GRANT         send GRANT as DROP (the supervisor ending it)
 *   monitor            send MONITOR; CLIENTS frames are then kept as
 *                      output is, for expect: to find
 *   type:TEXT          send TEXT a byte at a time, each once the previous
 *                      one has brought some output (its echo)
 *   expect:TEXT        wait until TEXT arrives after the previous match
 *   screen:TEXT        wait until the screen shows TEXT on some row
 *   noscreen:TEXT      the screen does not show TEXT now
 *   alt:0|1            wait until the alternate screen is off / on
 *   count:N:TEXT       everything received so far holds TEXT N times
 *   lflag:FLAGS        (-e) the pty's ECHO and ICANON, e.g. -echo,-icanon
 *   ready:FILE         create FILE (tells the test script we are here)
 *   stall              stop reading; wait to be killed
 *   waitfile:FILE      read nothing until FILE exists (a reader that
 *                      stopped, until the test script says)
 *   eof                wait until the other side closes
 *   save:FILE          write everything received so far to FILE
 *
 * Exits 0 when every step passed, 1 naming the failed step and showing
 * the screen on stderr, 2 on usage errors.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <vterm.h>

#include "proto.h"

struct ptyc {
	int		 fd;
	int		 framed;	/* socket (frames) or pty master */
	int		 eof;
	int		 timeout;	/* seconds per step */
	VTerm		*vt;
	VTermScreen	*vs;
	int		 alt;
	int		 cols, rows;
	char		*data;		/* everything received */
	size_t		 len, cap;
	size_t		 mark;		/* the next expect looks here */
	size_t		 fed;		/* data fed to the screen */
	unsigned char	 in[PROTO_HDR + PROTO_MAX];
	size_t		 inlen;
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
die(const char *fmt, const char *arg)
{
	fprintf(stderr, "ptyc: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(2);
}

static void
keep(struct ptyc *p, const char *b, size_t n)
{
	if (p->len + n > p->cap) {
		while (p->len + n > p->cap)
			p->cap = p->cap ? p->cap * 2 : 65536;
		if ((p->data = realloc(p->data, p->cap)) == NULL)
			die("%s", "out of memory");
	}
	memcpy(p->data + p->len, b, n);
	p->len += n;
}

/* Brings the screen up to date (only when a step looks at it: cheap). */
static void
sync_screen(struct ptyc *p)
{
	if (p->fed < p->len)
		vterm_input_write(p->vt, p->data + p->fed, p->len - p->fed);
	p->fed = p->len;
}

static int
on_prop(VTermProp prop, VTermValue *val, void *arg)
{
	struct ptyc *p = arg;

	if (prop == VTERM_PROP_ALTSCREEN)
		p->alt = val->boolean;
	return 1;
}

static void
drop_output(const char *s, size_t len, void *arg)
{
	(void)s;
	(void)len;
	(void)arg;
}

static const VTermScreenCallbacks cbs = { .settermprop = on_prop };

static void
screen_init(struct ptyc *p)
{
	p->cols = 80;
	p->rows = 24;
	p->vt = vterm_new(p->rows, p->cols);
	vterm_set_utf8(p->vt, 1);
	vterm_output_set_callback(p->vt, drop_output, NULL);
	p->vs = vterm_obtain_screen(p->vt);
	vterm_screen_enable_altscreen(p->vs, 1);
	vterm_screen_set_callbacks(p->vs, &cbs, p);
	vterm_screen_reset(p->vs, 1);
}

/* Row ROW of the screen as UTF-8 into BUF (NUL-terminated). */
static void
screen_row(struct ptyc *p, int row, char *buf, size_t len)
{
	VTermRect r = { row, row + 1, 0, p->cols };
	size_t n;

	/* libvterm 0.1.4 answers the length it needed, which may be more
	 * than it wrote (issue 20's over-read in screen.c). */
	if ((n = vterm_screen_get_text(p->vs, buf, len - 1, r)) > len - 1)
		n = len - 1;
	buf[n] = '\0';
}

static int
screen_has(struct ptyc *p, const char *text)
{
	char row[PROTO_COLS_MAX * 24];
	int i;

	sync_screen(p);
	for (i = 0; i < p->rows; i++) {
		screen_row(p, i, row, sizeof(row));
		if (strstr(row, text) != NULL)
			return 1;
	}
	return 0;
}

static void
screen_dump(struct ptyc *p)
{
	char row[PROTO_COLS_MAX * 24];
	int i;

	sync_screen(p);
	fprintf(stderr, "ptyc: screen (%dx%d, alt=%d), %zu bytes received:\n",
	    p->cols, p->rows, p->alt, p->len);
	for (i = 0; i < p->rows; i++) {
		screen_row(p, i, row, sizeof(row));
		fprintf(stderr, "|%s\n", row);
	}
}

/* Reads what is there (waiting up to MS); 0, or -1 on a broken frame. */
static int
pump(struct ptyc *p, int ms)
{
	struct pollfd pfd = { p->fd, POLLIN, 0 };
	size_t off = 0;
	uint32_t len;
	ssize_t n;

	if (p->eof || poll(&pfd, 1, ms) <= 0)
		return 0;
	if (!p->framed) {
		char buf[65536];

		if ((n = read(p->fd, buf, sizeof(buf))) > 0)
			keep(p, buf, n);
		else if (n == 0 || (errno != EAGAIN && errno != EINTR))
			p->eof = 1;
		return 0;
	}
	n = read(p->fd, p->in + p->inlen, sizeof(p->in) - p->inlen);
	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR))
			p->eof = 1;
		return 0;
	}
	p->inlen += n;
	while (p->inlen - off >= PROTO_HDR) {
		len = proto_len(p->in + off);
		if ((p->in[off] != PROTO_OUTPUT &&
		    p->in[off] != PROTO_CLIENTS) || len > PROTO_MAX)
			return -1;
		if (p->inlen - off < PROTO_HDR + len)
			break;
		keep(p, (char *)p->in + off + PROTO_HDR, len);
		off += PROTO_HDR + len;
	}
	memmove(p->in, p->in + off, p->inlen - off);
	p->inlen -= off;
	return 0;
}

/* Unescapes S (\r \n \t \e \\ \xHH) into OUT, NUL-terminated; the length. */
static size_t
unescape(const char *s, char *out)
{
	size_t n = 0;
	unsigned int v;

	for (; *s; s++) {
		if (*s != '\\' || s[1] == '\0') {
			out[n++] = *s;
			continue;
		}
		switch (*++s) {
		case 'r': out[n++] = '\r'; break;
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case 'a': out[n++] = '\a'; break;
		case 'e': out[n++] = '\033'; break;
		case 'x':
			if (sscanf(s + 1, "%2x", &v) != 1)
				die("bad escape in %s", s);
			out[n++] = (char)v;
			s += 2;
			break;
		default: out[n++] = *s; break;
		}
	}
	out[n] = '\0';
	return n;
}

static void
put_raw(struct ptyc *p, const char *b, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(p->fd, b, len)) == -1) {
			if (errno == EAGAIN || errno == EINTR) {
				(void)pump(p, 10);
				continue;
			}
			die("write: %s", strerror(errno));
		}
		b += n;
		len -= n;
	}
}

/* Sends B as frames of TYPE of at most PROTO_MAX bytes (raw with -e). */
static void
put(struct ptyc *p, int type, const char *b, size_t len)
{
	unsigned char hdr[PROTO_HDR];
	size_t chunk;

	if (!p->framed) {
		put_raw(p, b, len);
		return;
	}
	do {
		chunk = len > PROTO_MAX ? PROTO_MAX : len;
		proto_hdr(hdr, type, chunk);
		put_raw(p, (char *)hdr, sizeof(hdr));
		put_raw(p, b, chunk);
		b += chunk;
		len -= chunk;
	} while (len > 0);
}

static void
resize(struct ptyc *p, const char *arg)
{
	struct winsize ws = { 0 };
	unsigned char b[4];

	if (sscanf(arg, "%dx%d", &p->cols, &p->rows) != 2)
		die("bad size %s", arg);
	vterm_set_size(p->vt, p->rows, p->cols);
	if (!p->framed) {
		ws.ws_col = p->cols;
		ws.ws_row = p->rows;
		(void)ioctl(p->fd, TIOCSWINSZ, &ws);
		return;
	}
	b[0] = p->cols >> 8;
	b[1] = p->cols & 0xff;
	b[2] = p->rows >> 8;
	b[3] = p->rows & 0xff;
	put(p, PROTO_RESIZE, (char *)b, 4);
}

static size_t
count(struct ptyc *p, const char *text, size_t tlen)
{
	const char *s = p->data, *end = p->data + p->len, *f;
	size_t n = 0;

	while (s < end && (f = memmem(s, end - s, text, tlen)) != NULL) {
		n++;
		s = f + tlen;
	}
	return n;
}

/* Pumps until COND holds or the step's deadline passes; 1 if it held. */
#define WAIT(p, cond) ({						\
	long long _end = now_ms() + (p)->timeout * 1000LL;		\
	int _ok;							\
	while (!(_ok = (cond)) && now_ms() < _end && !(p)->eof)	\
		if (pump((p), 50) == -1)				\
			break;						\
	_ok || (cond);							\
})

/* Reads nothing until FILE exists, or the step's deadline passes. */
static int
waitfile(struct ptyc *p, const char *file)
{
	long long end = now_ms() + p->timeout * 1000LL;

	while (access(file, F_OK) == -1)
		if (now_ms() >= end || poll(NULL, 0, 20) == -1)
			return 0;
	return 1;
}

/* Whether TEXT is in what came after the last match; searches once. */
static int
found(struct ptyc *p, const char *text, size_t tlen, size_t *from)
{
	const char *f;

	if (p->len - *from < tlen)
		return 0;
	f = memmem(p->data + *from, p->len - *from, text, tlen);
	if (f == NULL) {
		*from = p->len - tlen + 1;
		return 0;
	}
	p->mark = f - p->data + tlen;
	return 1;
}

static int
expect(struct ptyc *p, const char *text, size_t tlen)
{
	size_t from = p->mark;

	return WAIT(p, found(p, text, tlen, &from));
}

static int
type(struct ptyc *p, const char *b, size_t len)
{
	size_t i, before;

	for (i = 0; i < len; i++) {
		before = p->len;
		put(p, PROTO_INPUT, b + i, 1);
		if (!WAIT(p, p->len > before))
			return 0;
	}
	return 1;
}

static int
lflag(struct ptyc *p, const char *want)
{
	struct termios t;
	int echo, canon;

	if (tcgetattr(p->fd, &t) == -1)
		return 0;
	echo = (t.c_lflag & ECHO) != 0;
	canon = (t.c_lflag & ICANON) != 0;
	return (strstr(want, "-echo") ? !echo : strstr(want, "echo") ?
	    echo : 1) && (strstr(want, "-icanon") ? !canon :
	    strstr(want, "icanon") ? canon : 1);
}

static int
save(struct ptyc *p, const char *path)
{
	FILE *f;
	int ok;

	if ((f = fopen(path, "w")) == NULL)
		return 0;
	ok = fwrite(p->data, 1, p->len, f) == p->len;
	return fclose(f) == 0 && ok;
}

/* Sends N bytes of 'a' as input; LINES: every 1000th a newline. */
static int
sendbig(struct ptyc *p, long n, int lines)
{
	char line[1000];
	long i;

	memset(line, 'a', sizeof(line));
	if (lines)
		line[sizeof(line) - 1] = '\n';
	for (i = 0; i < n; i += sizeof(line)) {
		put(p, PROTO_INPUT, line, sizeof(line));
		(void)pump(p, 0);
	}
	return 1;
}

/* Runs one step; 1 when it passed. */
static int
step(struct ptyc *p, const char *s)
{
	static char buf[8 * 1024 * 1024];
	const char *arg = strchr(s, ':');
	size_t n;
	int want;

	arg = arg ? arg + 1 : "";
	n = unescape(arg, buf);
	if (strncmp(s, "resize:", 7) == 0)
		resize(p, arg);
	else if (strncmp(s, "send:", 5) == 0)
		put(p, PROTO_INPUT, buf, n);
	else if (strncmp(s, "raw:", 4) == 0)
		put_raw(p, buf, n);
	else if (strncmp(s, "hello:", 6) == 0)
		put(p, PROTO_HELLO, buf, n);
	else if (strncmp(s, "drop:", 5) == 0)
		put(p, PROTO_DROP, buf, n);
	else if (strcmp(s, "monitor") == 0)
		put(p, PROTO_MONITOR, "", 0);
	else if (strncmp(s, "sendbig:", 8) == 0)
		return sendbig(p, atol(arg), 0);
	else if (strncmp(s, "sendlines:", 10) == 0)
		return sendbig(p, atol(arg), 1);
	else if (strncmp(s, "type:", 5) == 0)
		return type(p, buf, n);
	else if (strncmp(s, "expect:", 7) == 0)
		return expect(p, buf, n);
	else if (strncmp(s, "screen:", 7) == 0)
		return WAIT(p, screen_has(p, buf));
	else if (strncmp(s, "noscreen:", 9) == 0) {
		(void)pump(p, 0);
		return !screen_has(p, buf);
	} else if (strncmp(s, "alt:", 4) == 0) {
		want = atoi(arg);
		return WAIT(p, (sync_screen(p), p->alt == want));
	} else if (strncmp(s, "count:", 6) == 0) {
		want = atoi(arg);
		arg = strchr(arg, ':');
		n = unescape(arg ? arg + 1 : "", buf);
		return count(p, buf, n) == (size_t)want;
	} else if (strncmp(s, "lflag:", 6) == 0)
		return WAIT(p, lflag(p, arg));
	else if (strncmp(s, "ready:", 6) == 0)
		return close(open(arg, O_WRONLY | O_CREAT, 0644)) == 0;
	else if (strcmp(s, "stall") == 0)
		for (;;)
			pause();
	else if (strncmp(s, "waitfile:", 9) == 0)
		return waitfile(p, arg);
	else if (strcmp(s, "eof") == 0)
		return WAIT(p, 0) || p->eof;
	else if (strncmp(s, "save:", 5) == 0)
		return save(p, arg);
	else
		die("unknown step %s", s);
	return 1;
}

static int
connect_to(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		die("cannot connect to %s", path);
	/* Non-blocking: a write that waits reads meanwhile (see put_raw). */
	(void)fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/* N attach/detach cycles, each waiting for the paint. */
static int
cycles(struct ptyc *p, const char *path, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		p->fd = connect_to(path);
		p->framed = 1;
		p->eof = 0;
		p->len = p->mark = p->inlen = p->fed = 0;
		resize(p, "80x24");
		if (!WAIT(p, p->len > 0)) {
			fprintf(stderr, "ptyc: cycle %d: no paint\n", i);
			return 1;
		}
		close(p->fd);
	}
	return 0;
}

static int
spawn(struct ptyc *p, const char *cmd)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	pid_t pid;

	if ((pid = forkpty(&p->fd, NULL, NULL, &ws)) == -1)
		die("forkpty: %s", strerror(errno));
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	(void)fcntl(p->fd, F_SETFL, O_NONBLOCK);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct ptyc p;
	const char *cmd = NULL;
	int ch, n = 0, i;

	signal(SIGPIPE, SIG_IGN);
	p.timeout = 20;
	while ((ch = getopt(argc, argv, "+t:e:n:")) != -1) {
		switch (ch) {
		case 't': p.timeout = atoi(optarg); break;
		case 'e': cmd = optarg; break;
		case 'n': n = atoi(optarg); break;
		default: die("%s", "usage: ptyc [-t SECS] [-e CMD | SOCKET] "
		    "STEP...");
		}
	}
	argc -= optind;
	argv += optind;
	screen_init(&p);
	if (n > 0 && argc == 1)
		return cycles(&p, argv[0], n);
	if (cmd != NULL)
		spawn(&p, cmd);
	else if (argc > 0) {
		p.fd = connect_to(argv[0]);
		p.framed = 1;
		argc--;
		argv++;
	} else
		die("%s", "no socket");
	for (i = 0; i < argc; i++) {
		if (!step(&p, argv[i])) {
			fprintf(stderr, "ptyc: step %d failed: %s\n", i + 1,
			    argv[i]);
			screen_dump(&p);
			return 1;
		}
	}
	vterm_free(p.vt);
	free(p.data);
	return 0;
}
