/*
 * cast.c - writes the session's output as an asciicast v2 recording.
 *
 * The file is a header line, then one JSON array per event: [t, "o",
 * data] for output, [t, "r", "COLSxROWS"] for a resize, t in seconds with
 * microseconds since the holder started (the caller's monotonic clock).
 * Input is never recorded. A UTF-8 sequence split across two reads is
 * carried over to the next event; bytes that are not UTF-8 become U+FFFD.
 * Events are buffered and written at most CAST_FLUSH_MS after the first
 * of them, when CAST_FLUSH_BYTES are pending, and at the end.
 *
 * The file never grows past its cap: when the next event would not fit
 * with room for the marker, the marker [t, "m", "recording stopped: size
 * limit"] is written instead (asciinema 2.2 plays and cats such files; it
 * only prints "o" events) and nothing more is recorded. A failed write
 * also ends the recording; the session goes on in both cases.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "cast.h"

#define MARKER	"recording stopped: size limit"
#define MARKER_ROOM	64	/* bytes kept free for the marker line */

struct cast {
	int		 fd;
	int		 stopped;	/* cap reached or write failed */
	long long	 max;		/* the cap, in bytes */
	long long	 size;		/* bytes written and pending */
	int64_t		 since;		/* time of the oldest pending */
	struct buf	 out;		/* pending lines */
	struct buf	 line;		/* the event being built */
	struct buf	 join;		/* carry + new bytes */
	char		 carry[4];
	size_t		 ncarry;
};

static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

/*
 * Creates (or truncates) PATH, mode 0600, and writes the header for a
 * COLS x ROWS terminal started at unix time NOW; at most MAX bytes will
 * be written. The caller owns the result (cast_close); NULL with errno
 * set when the file cannot be made.
 */
struct cast *
cast_open(const char *path, int cols, int rows, long long max, time_t now)
{
	struct cast *c;
	int saved;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->max = max;
	c->since = -1;
	c->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (c->fd == -1 || buf_addf(&c->out, "{\"version\": 2, \"width\": %d, "
	    "\"height\": %d, \"timestamp\": %lld, \"env\": {\"TERM\": "
	    "\"xterm-256color\"}}\n", cols, rows, (long long)now) == -1 ||
	    write_all(c->fd, c->out.p, c->out.len) == -1) {
		saved = errno;
		if (c->fd != -1)
			close(c->fd);
		buf_free(&c->out);
		free(c);
		errno = saved;
		return NULL;
	}
	c->size = c->out.len;
	c->out.len = 0;
	return c;
}

/* Writes what is pending. 0, or -1 when the write failed (recording ends). */
int
cast_flush(struct cast *c)
{
	if (c == NULL || c->out.len == 0)
		return 0;
	if (write_all(c->fd, c->out.p, c->out.len) == -1) {
		c->stopped = 1;
		c->out.len = 0;
		return -1;
	}
	c->out.len = 0;
	c->since = -1;
	return 0;
}

/* Queues the event in c->line (at time T), or the marker if over the cap. */
static int
commit(struct cast *c, int64_t t)
{
	struct buf *l = &c->line;

	if (c->size + (long long)l->len + MARKER_ROOM > c->max) {
		l->len = 0;
		if (buf_addf(l, "[%lld.%06lld, \"m\", \"" MARKER "\"]\n",
		    (long long)(t / 1000000), (long long)(t % 1000000)) == -1)
			return -1;
		c->stopped = 1;
	}
	if (buf_add(&c->out, l->p, l->len) == -1)
		return -1;
	c->size += l->len;
	if (c->since == -1)
		c->since = t;
	if (c->stopped || c->out.len >= CAST_FLUSH_BYTES)
		return cast_flush(c);
	return 0;
}

/* Starts event TYPE at time T (microseconds) in c->line. */
static int
start(struct cast *c, int64_t t, const char *type)
{
	c->line.len = 0;
	return buf_addf(&c->line, "[%lld.%06lld, \"%s\", \"",
	    (long long)(t / 1000000), (long long)(t % 1000000), type);
}

/* One "o" event of P (LEN bytes) after the carry; FINAL: carry nothing. */
static int
output(struct cast *c, int64_t t, const char *p, size_t len, int final)
{
	const char *d = p;
	size_t n = len, used, mark;

	if (c->ncarry > 0) {
		c->join.len = 0;
		if (buf_add(&c->join, c->carry, c->ncarry) == -1 ||
		    buf_add(&c->join, p, len) == -1)
			return -1;
		d = c->join.p;
		n = c->join.len;
	}
	if (start(c, t, "o") == -1)
		return -1;
	mark = c->line.len;
	used = buf_json(&c->line, d, n, final);
	if (n - used > sizeof(c->carry) - 1)
		return -1;
	c->ncarry = n - used;
	memcpy(c->carry, d + used, c->ncarry);
	if (c->line.len == mark)
		return 0;
	if (buf_add(&c->line, "\"]\n", 3) == -1)
		return -1;
	return commit(c, t);
}

/*
 * Records LEN bytes of output at time T (microseconds). 0, or -1 when the
 * recording ended now (a failed write, no memory); the session goes on.
 */
int
cast_output(struct cast *c, int64_t t, const char *p, size_t len)
{
	if (c->stopped)
		return 0;
	if (output(c, t, p, len, 0) == -1) {
		c->stopped = 1;
		return -1;
	}
	return 0;
}

/* Records a resize to COLS x ROWS at time T; as cast_output. */
int
cast_resize(struct cast *c, int64_t t, int cols, int rows)
{
	if (c->stopped)
		return 0;
	if (start(c, t, "r") == -1 ||
	    buf_addf(&c->line, "%dx%d\"]\n", cols, rows) == -1 ||
	    commit(c, t) == -1) {
		c->stopped = 1;
		return -1;
	}
	return 0;
}

/* Milliseconds until pending events must be written (0: now); -1: none. */
int
cast_due(struct cast *c, int64_t now)
{
	int64_t ms;

	if (c == NULL || c->since == -1 || c->out.len == 0)
		return -1;
	ms = CAST_FLUSH_MS - (now - c->since) / 1000;
	return ms < 0 ? 0 : (int)ms;
}

/* Whether output is still being recorded (no cap reached, no failure). */
int
cast_recording(struct cast *c)
{
	return c != NULL && !c->stopped;
}

/* Ends the recording at time T: the carry, pending events; C may be NULL. */
void
cast_close(struct cast *c, int64_t t)
{
	if (c == NULL)
		return;
	if (!c->stopped && c->ncarry > 0)
		(void)output(c, t, "", 0, 1);
	(void)cast_flush(c);
	close(c->fd);
	buf_free(&c->out);
	buf_free(&c->line);
	buf_free(&c->join);
	free(c);
}
