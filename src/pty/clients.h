/*
 * clients.h - the connections attached to a holder: accepted on its
 * socket, each with its frames read and its output queued, and the
 * fan-out of the shell's output to all of them (hold.c runs them).
 */
#ifndef TG_PTY_CLIENTS_H
#define TG_PTY_CLIENTS_H

#include <sys/queue.h>

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "proto.h"

#define CLIENTS_MAX	HOLDER_CLIENTS_MAX	/* at once, whatever -c says */
#define CLIENT_BUF_MAX	(1024 * 1024)	/* output queued for one */
#define CLIENT_STUCK_MS	10000		/* behind, and nothing read since */

struct screen;

struct client {
	TAILQ_ENTRY(client) entry;
	int		 fd;
	unsigned	 id;
	int		 joined;	/* sent a frame, got the paint */
	int		 mode;		/* HOLDER_CONTROL or HOLDER_VIEW */
	char		 grant[HOLDER_GRANT_LEN + 1];	/* "": the owner */
	int		 ignored;	/* frames of a viewer dropped */
	int		 monitor;	/* the supervisor's: gets CLIENTS */
	const char	*dead;		/* why it is dropped, or NULL */
	int		 err;		/* the errno that dropped it, or 0 */
	struct proto_rx	 rx;
	size_t		 off;		/* of out, already sent */
	struct buf	 out;
	int		 behind;	/* output skipped: repaint it */
	int64_t		 moved_ms;	/* when out last moved */
};

struct clients {
	TAILQ_HEAD(, client) list;
	int		 n;
	int		 nmon;		/* of them, monitors */
	int		 changed;	/* who is attached: monitors told? */
	int		 max;		/* at once: -c, at most CLIENTS_MAX */
	unsigned	 next_id;
	int		 lfd;		/* the listening socket, or -1 */
	struct buf	 paint;		/* the last paint made */
};

/* Sets CL up for at most MAX clients (0: CLIENTS_MAX), with no socket. */
void	clients_init(struct clients *cl, int max);
/* Fatal if PATH is too long for a socket or another process listens
 * there (before anything else of the holder's setup is done). */
void	clients_check(const char *path);
/*
 * Listens on PATH (mode 0600, bound under a temporary name and renamed
 * into place, so the path accepts connections once it is there). It is
 * refused if too long or another process listens there. Failures are
 * fatal, and until clients_listening the socket is removed at exit.
 */
void	clients_listen(struct clients *cl, const char *path);
/* Setup went through: the socket is the holder's to remove now. */
void	clients_listening(void);
/* Accepts one connection: only our own uid and root, at most cl->max. */
void	clients_accept(struct clients *cl);
/* Fills PFD (one per client, POLLIN only when READ) and WHO; their
 * number. */
int	clients_poll(struct clients *cl, struct pollfd *pfd,
	    struct client **who, int read);
/* The shell's output, LEN bytes at P, to every joined client. */
void	clients_output(struct clients *cl, const char *p, size_t len);
/* Sends C a paint of SCR (its first output, or its repaint). */
void	client_paint(struct clients *cl, struct client *c,
	    struct screen *scr);
/* Sends what waits for C; repaints it from SCR if it was behind and has
 * read everything now. */
void	client_flush(struct clients *cl, struct client *c,
	    struct screen *scr);
/* Drops C (at the next clients_reap) for WHY. */
void	client_drop(struct client *c, const char *why);
/* Tells every monitor who is attached now (PROTO_CLIENTS). */
void	clients_report(struct clients *cl);
/* Drops every client let in under GRANT; how many. */
int	clients_drop_grant(struct clients *cl, const char *grant);
/* At NOW (ms): drops the clients behind that read nothing for
 * CLIENT_STUCK_MS; ms until the next of them is due, or -1. */
int64_t	clients_due(struct clients *cl, int64_t now);
/* Frees the clients dropped since the last call. */
void	clients_reap(struct clients *cl);
/* Sends each what waits (one try), closes them all and the socket. */
void	clients_close(struct clients *cl);

#endif
