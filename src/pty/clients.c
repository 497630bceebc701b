/*
 * clients.c - the connections attached to a holder.
 *
 * Only our own uid (the backend's attach, run as the same service
 * account) and root (the supervisor) may connect: the socket's mode says
 * so too, and the peer's credentials are checked even so, since a
 * directory above the socket could let a terminal put its own in between.
 *
 * Each client's output is queued and sent as the socket takes it. One
 * whose queue passes CLIENT_BUF_MAX falls behind, as in tmux: nothing more
 * is queued for it, and once it has read what waited it gets a paint of
 * the screen as it is then. Only a client behind that reads nothing for
 * CLIENT_STUCK_MS is dropped. A paint that would put more than
 * PAINTS_QUEUED_MAX bytes in all the queues drops its client instead.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clients.h"
#include "clock.h"
#include "endpoint.h"
#include "log.h"
#include "screen.h"

/* Output queued for all clients at most, when one more is painted (a
 * paint is at most SCREEN_PAINT_MAX bytes; 64 of them are not kept). */
#define PAINTS_QUEUED_MAX	(16 * 1024 * 1024)

static void	send_queued(struct client *);

void
clients_init(struct clients *cl, int max)
{
	memset(cl, 0, sizeof(*cl));
	TAILQ_INIT(&cl->list);
	cl->max = max > 0 && max < CLIENTS_MAX ? max : CLIENTS_MAX;
	cl->lfd = -1;
}

/* --- the socket --- */

/* 1 when something accepts connections on PATH. */
static int
in_use(const char *path)
{
	int fd;

	if ((fd = ep_connect_unix(path, 0)) == -1)
		return 0;
	close(fd);
	return 1;
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

void
clients_check(const char *path)
{
	struct sockaddr_un sun;

	check_socket(path, &sun);
}

void
clients_listen(struct clients *cl, const char *path)
{
	struct sockaddr_un sun;
	mode_t old;
	int fd;

	check_socket(path, &sun);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		fatal("hold: socket: %s", strerror(errno));
	(void)unlink(sun.sun_path);
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		fatal("hold: bind %s: %s", sun.sun_path, strerror(errno));
	umask(old);
	if (listen(fd, 16) == -1 || rename(sun.sun_path, path) == -1) {
		(void)unlink(sun.sun_path);
		fatal("hold: listen on %s: %s", path, strerror(errno));
	}
	setup_sock = path;
	atexit(remove_setup_sock);
	cl->lfd = fd;
}

void
clients_listening(void)
{
	setup_sock = NULL;
}

/* Whether the peer on FD may be a client (see the top of the file). */
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

void
clients_accept(struct clients *cl)
{
	struct client *c;
	int fd, full;

	fd = accept4(cl->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno != EAGAIN && errno != EINTR)
			log_warn("accept: %s", strerror(errno));
		return;
	}
	if (!peer_ok(fd)) {
		close(fd);
		return;
	}
	full = cl->n >= CLIENTS_MAX || cl->n - cl->nmon >= cl->max;
	if (full || (c = calloc(1, sizeof(*c))) == NULL) {
		log_warn("client refused: %s (%d)", full ?
		    "too many clients" : "out of memory", cl->n - cl->nmon);
		if (full)
			say_full(fd, cl->max);
		close(fd);
		return;
	}
	c->fd = fd;
	c->id = ++cl->next_id;
	TAILQ_INSERT_TAIL(&cl->list, c, entry);
	cl->n++;
}

int
clients_poll(struct clients *cl, struct pollfd *pfd, struct client **who,
    int read)
{
	struct client *c;
	int n = 0;

	TAILQ_FOREACH(c, &cl->list, entry) {
		who[n] = c;
		pfd[n++] = (struct pollfd){ c->fd, (read ? POLLIN : 0) |
		    (c->off < c->out.len ? POLLOUT : 0), 0 };
	}
	return n;
}

/* --- output --- */

void
client_drop(struct client *c, const char *why)
{
	if (c->dead == NULL)
		c->dead = why;
}

/* Appends to B the report entry of C's grant and mode, with how many
 * clients have them, when C is the first of those in the list; 0, or
 * -1 when out of memory. */
static int
report_one(struct clients *cl, struct client *c, struct buf *b)
{
	struct client *o;
	char e[HOLDER_GRANT_LEN + 64];
	int n = 0, len;

	TAILQ_FOREACH(o, &cl->list, entry) {
		if (!o->joined || o->dead || o->mode != c->mode ||
		    strcmp(o->grant, c->grant) != 0)
			continue;
		if (o != c && n == 0)
			return 0;	/* counted at the first of them */
		n++;
	}
	len = snprintf(e, sizeof(e), "%s{\"grant\": \"%s\", \"mode\": \"%s\", "
	    "\"clients\": %d}", b->len > 1 ? ", " : "", c->grant,
	    holder_mode_name(c->mode), n);
	return len < 0 || (size_t)len >= sizeof(e) ? -1 : buf_add(b, e, len);
}

void
clients_report(struct clients *cl)
{
	struct buf b = { 0 };
	struct client *c;
	int err = 0;

	cl->changed = 0;
	if (cl->nmon == 0)
		return;
	err |= buf_add(&b, "[", 1);
	TAILQ_FOREACH(c, &cl->list, entry)
		if (c->joined && !c->dead)
			err |= report_one(cl, c, &b);
	err |= buf_add(&b, "]", 1);
	TAILQ_FOREACH(c, &cl->list, entry)
		if (c->monitor && !c->dead) {
			if (err || b.len > PROTO_MAX)
				client_drop(c, "out of memory");
			else if (proto_put(&c->out, PROTO_CLIENTS, b.p,
			    b.len) == -1)
				client_drop(c, "out of memory");
			else
				send_queued(c);
		}
	buf_free(&b);
}

int
clients_drop_grant(struct clients *cl, const char *grant)
{
	struct client *c;
	int n = 0;

	TAILQ_FOREACH(c, &cl->list, entry)
		if (!c->dead && strcmp(c->grant, grant) == 0) {
			client_drop(c, "its grant was revoked");
			n++;
		}
	return n;
}

/* Drops C for the error in errno. */
static void
drop_errno(struct client *c)
{
	if (c->dead == NULL)
		c->err = errno;
	client_drop(c, "error");
}

/* Sends what waits for C; drops C on an error. */
static void
send_queued(struct client *c)
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

/* Queues LEN bytes of output at P for C as frames, and sends; BOUNDED:
 * past CLIENT_BUF_MAX, C falls behind instead. */
static void
queue(struct client *c, const char *p, size_t len, int bounded)
{
	size_t chunk;

	if (bounded && c->behind)
		return;			/* the repaint will show it */
	if (bounded && c->out.len - c->off + len > CLIENT_BUF_MAX) {
		c->behind = 1;
		c->moved_ms = clock_ms();
		log_info("client=%u fell behind: it is repainted once it "
		    "has read what waits for it", c->id);
		return;
	}
	do {
		chunk = len > PROTO_MAX ? PROTO_MAX : len;
		if (proto_put(&c->out, PROTO_OUTPUT, p, chunk) == -1) {
			client_drop(c, "out of memory");
			return;
		}
		p += chunk;
		len -= chunk;
	} while (len > 0);
	send_queued(c);
}

void
clients_output(struct clients *cl, const char *p, size_t len)
{
	struct client *c;

	TAILQ_FOREACH(c, &cl->list, entry)
		if (c->joined && !c->dead)
			queue(c, p, len, 1);
}

void
client_paint(struct clients *cl, struct client *c, struct screen *scr)
{
	struct client *o;
	size_t queued = 0;

	cl->paint.len = 0;
	if (screen_paint(scr, &cl->paint) == -1) {
		client_drop(c, "out of memory");
		return;
	}
	TAILQ_FOREACH(o, &cl->list, entry)
		queued += o->out.len - o->off;
	if (queued + cl->paint.len > PAINTS_QUEUED_MAX) {
		client_drop(c, "busy: output queued for the other clients");
		return;
	}
	queue(c, cl->paint.p, cl->paint.len, 0);
}

void
client_flush(struct clients *cl, struct client *c, struct screen *scr)
{
	send_queued(c);
	if (!c->behind || c->dead || c->off != c->out.len)
		return;
	c->behind = 0;
	log_info("client=%u caught up: repainted", c->id);
	client_paint(cl, c, scr);
}

int64_t
clients_due(struct clients *cl, int64_t now)
{
	struct client *c;
	int64_t t = -1, d;

	TAILQ_FOREACH(c, &cl->list, entry) {
		if (!c->behind || c->dead)
			continue;
		if (now - c->moved_ms >= CLIENT_STUCK_MS) {
			client_drop(c, "output buffer full, and nothing read "
			    "for 10 s");
			continue;
		}
		d = c->moved_ms + CLIENT_STUCK_MS - now;
		t = clock_sooner(t, d);
	}
	return t;
}

void
clients_reap(struct clients *cl)
{
	struct client *c, *next;

	for (c = TAILQ_FIRST(&cl->list); c != NULL; c = next) {
		next = TAILQ_NEXT(c, entry);
		if (c->dead == NULL)
			continue;
		log_info("client=%u %s%s", c->id, strcmp(c->dead, "closed") ?
		    "dropped: " : "", c->err ? strerror(c->err) : c->dead);
		TAILQ_REMOVE(&cl->list, c, entry);
		cl->n--;
		if (c->monitor)
			cl->nmon--;
		else if (c->joined)
			cl->changed = 1;
		close(c->fd);
		buf_free(&c->out);
		free(c);
	}
}

void
clients_close(struct clients *cl)
{
	struct client *c;

	TAILQ_FOREACH(c, &cl->list, entry) {
		send_queued(c);
		client_drop(c, "closed");
	}
	clients_reap(cl);
	if (cl->lfd != -1)
		close(cl->lfd);
	cl->lfd = -1;
	buf_free(&cl->paint);
}
