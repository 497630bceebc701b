/*
 * mon.c - who is attached to each terminal, as its holder says, kept in
 * the database (termgate.session_clients) within moments of the change.
 *
 * Each active terminal's holder is followed over a connection of the
 * supervisor's own to its socket (src/pty/proto.h, MONITOR): the holder
 * sends a CLIENTS frame at once and after every attach and detach, and
 * each is written as it came (termgate.set_clients, which also records
 * a viewer_left event for a shared client gone). The connection is made
 * when a terminal is active (ready, or adopted) and closed with it; a
 * holder that closes it is not followed again (it is ending). The frames
 * are read with the reader both ends of the protocol use (proto.c).
 */
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "endpoint.h"
#include "jsonx.h"
#include "log.h"
#include "pty/proto.h"
#include "share.h"
#include "sup.h"

/* Connects to T's holder as its monitor; sets t->mon, or t->mon_done. */
static void
mon_open(struct term *t)
{
	unsigned char hdr[PROTO_HDR];
	int fd;

	t->mon_done = 1;
	if ((t->mon_rx = calloc(1, sizeof(*t->mon_rx))) == NULL ||
	    (fd = ep_connect_unix(t->pty.path, SOCK_NONBLOCK)) == -1) {
		log_warn("session=%.12s clients not followed: %s", t->id,
		    strerror(errno));
		free(t->mon_rx);
		t->mon_rx = NULL;
		return;
	}
	proto_hdr(hdr, PROTO_MONITOR, 0);
	/* a new connection's buffer takes 5 bytes at once */
	if (write(fd, hdr, sizeof(hdr)) != (ssize_t)sizeof(hdr)) {
		log_warn("session=%.12s clients not followed: %s", t->id,
		    strerror(errno));
		close(fd);
		free(t->mon_rx);
		t->mon_rx = NULL;
		return;
	}
	t->mon = fd;
}

void
mon_close(struct term *t)
{
	if (t->mon != -1)
		close(t->mon);
	t->mon = -1;
	free(t->mon_rx);
	t->mon_rx = NULL;
}

void
mon_sweep(struct sup *sup)
{
	struct term *t;

	TAILQ_FOREACH(t, &sup->terms, entry)
		if (t->state == T_ACTIVE && !t->mon_done)
			mon_open(t);
}

/* One CLIENTS frame of T: P, LEN bytes, a JSON array, into the database. */
static void
clients(struct sup *sup, struct term *t, const unsigned char *p,
    size_t len)
{
	json_object *o;
	char *text;

	if ((o = jsonx_parse((const char *)p, len)) == NULL ||
	    !json_object_is_type(o, json_type_array) ||
	    (text = strndup((const char *)p, len)) == NULL) {
		log_warn("session=%.12s holder's clients report malformed",
		    t->id);
		json_object_put(o);
		return;
	}
	if (share_set_clients(sup->db, t->id, text) == -1)
		log_warn("session=%.12s clients not recorded", t->id);
	free(text);
	json_object_put(o);
}

void
mon_read(struct sup *sup, struct term *t)
{
	const unsigned char *p;
	unsigned char *room;
	size_t space, len;
	int type, rv;
	ssize_t n;

	room = proto_rx_room(t->mon_rx, &space);
	if ((n = read(t->mon, room, space)) == -1 &&
	    (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		mon_close(t);
		return;
	}
	proto_rx_got(t->mon_rx, (size_t)n);
	while ((rv = proto_rx_next(t->mon_rx, &type, &p, &len)) == 1)
		if (type == PROTO_CLIENTS)
			clients(sup, t, p, len);
	if (rv == -1)
		mon_close(t);
}
