/*
 * proto.h - the frames between "termgate-pty attach" and the holder.
 *
 * Every frame is a type byte, a payload length (4 bytes, network order)
 * and at most PROTO_MAX bytes of payload, over the holder's unix stream
 * socket. A client may send HELLO first (its mode: interactive or
 * read-only, and the grant it was let in under), then RESIZE (its window
 * size), then INPUT and RESIZE frames as they come; the holder sends
 * OUTPUT frames, the first of them a paint of the current screen. A
 * client that sends no HELLO is interactive, the owner's. A read-only
 * client's INPUT and RESIZE are taken and dropped: they never reach the
 * shell. A connection whose first frame is DROP is the supervisor's: the
 * holder drops every client let in under that grant (a share revoked, a
 * watch ended), then that connection too. One whose first frame is
 * MONITOR is the supervisor's too: it gets no output, but a CLIENTS
 * frame at once and after every change of who is attached, a JSON array
 * of {"grant": ID or "" (the owner's), "mode": "view" or "control",
 * "clients": N}, one for each grant and mode, which the supervisor
 * writes into the database as it is (termgate.set_clients). A frame of
 * another type, a HELLO, DROP or MONITOR that is not the first frame or
 * not well formed, a length over PROTO_MAX or a RESIZE whose payload is
 * not 4 bytes is malformed: the receiver drops the connection.
 */
#ifndef TG_PTY_PROTO_H
#define TG_PTY_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "holder.h"

#define PROTO_HDR	5		/* type + length */
#define PROTO_MAX	65536		/* largest payload */

#define PROTO_INPUT	0x01	/* client: bytes for the shell */
#define PROTO_RESIZE	0x02	/* client: uint16 cols, uint16 rows */
#define PROTO_HELLO	0x03	/* client, first: "MODE GRANT" (holder.h) */
#define PROTO_DROP	0x04	/* supervisor, first: "GRANT" */
#define PROTO_MONITOR	0x05	/* supervisor, first: no payload */
#define PROTO_OUTPUT	0x81	/* holder: bytes from the shell */
#define PROTO_CLIENTS	0x82	/* holder to a monitor: who is attached */

/* Window sizes either side accepts (those of the holder's -W and -H);
 * a RESIZE outside them is malformed. */
#define PROTO_COLS_MIN	HOLDER_COLS_MIN
#define PROTO_COLS_MAX	HOLDER_COLS_MAX
#define PROTO_ROWS_MAX	HOLDER_ROWS_MAX

/* Writes the header of a frame of TYPE with LEN payload bytes into H. */
static inline void
proto_hdr(unsigned char *h, int type, size_t len)
{
	h[0] = (unsigned char)type;
	h[1] = (unsigned char)(len >> 24);
	h[2] = (unsigned char)(len >> 16);
	h[3] = (unsigned char)(len >> 8);
	h[4] = (unsigned char)len;
}

/* The payload length in header H (not checked against PROTO_MAX). */
static inline uint32_t
proto_len(const unsigned char *h)
{
	return (uint32_t)h[1] << 24 | (uint32_t)h[2] << 16 |
	    (uint32_t)h[3] << 8 | (uint32_t)h[4];
}

struct buf;

/* Appends a frame of TYPE with the LEN bytes at P (at most PROTO_MAX) to
 * B: 0, or -1 when out of memory (B may then hold part of it). */
int	proto_put(struct buf *b, int type, const void *p, size_t len);

/*
 * The frames a connection received, as both ends read them (proto.c):
 * bytes are read into the room, whole frames are taken from the front.
 */
struct proto_rx {
	size_t		 len;		/* bytes in buf */
	size_t		 off;		/* of them, taken as frames */
	unsigned char	 buf[PROTO_HDR + PROTO_MAX];
};

/* Where the next read goes: *ROOM bytes at the pointer returned, after
 * the frames taken are dropped. *ROOM is 0 only while a whole frame is
 * still there to take. */
unsigned char	*proto_rx_room(struct proto_rx *, size_t *room);
/* N bytes were read into the room. */
void		 proto_rx_got(struct proto_rx *, size_t n);
/*
 * Takes the next whole frame: 1 with its *TYPE, and *P and *LEN its
 * payload (valid until the next proto_rx_room); 0 when no frame is
 * whole yet; -1 when the next one is malformed (a length over
 * PROTO_MAX), after which nothing more is taken. The type is the
 * caller's to check.
 */
int		 proto_rx_next(struct proto_rx *, int *type,
		    const unsigned char **p, size_t *len);
/* A RESIZE payload P of LEN bytes into *COLS and *ROWS: 0, or -1 when it
 * is not 4 bytes or names a size out of PROTO_COLS_MIN-PROTO_COLS_MAX x
 * 1-PROTO_ROWS_MAX. */
int		 proto_resize(const unsigned char *p, size_t len, int *cols,
		    int *rows);
/* Appends a HELLO frame of MODE (HOLDER_VIEW or HOLDER_CONTROL) and
 * GRANT (holder_grant_ok) to B: 0, or -1 when out of memory. */
int		 proto_put_hello(struct buf *b, int mode, const char *grant);
/* A HELLO payload P of LEN bytes into *MODE and GRANT: 0, or -1 when it
 * is not "view GRANT" or "control GRANT" exactly. */
int		 proto_hello(const unsigned char *p, size_t len, int *mode,
		    char grant[HOLDER_GRANT_LEN + 1]);
/* A DROP payload P of LEN bytes into GRANT: 0, or -1 when it is not one
 * grant exactly. */
int		 proto_drop(const unsigned char *p, size_t len,
		    char grant[HOLDER_GRANT_LEN + 1]);

#endif
