/* endpoint.h - where a terminal listens: "unix:PATH" or "127.0.0.1:PORT". */
#ifndef TG_ENDPOINT_H
#define TG_ENDPOINT_H

#include <sys/socket.h>

#include <stddef.h>

#include "sessfile.h"

#define EP_PATH_MAX	108		/* sun_path, NUL included */
#define EP_TEXT_MAX	(EP_PATH_MAX + 8)	/* "unix:" PATH, NUL */

enum ep_kind { EP_UNIX, EP_TCP };

/*
 * A terminal's endpoint. Its text form, stored in termgate.sessions
 * .endpoint (built by termgate.open_session() in sql/), is "unix:PATH"
 * with PATH absolute, or "127.0.0.1:PORT": terminals listen on loopback
 * or on a unix socket, never elsewhere.
 */
struct tg_endpoint {
	enum ep_kind	kind;
	char		path[EP_PATH_MAX];	/* EP_UNIX */
	int		port;			/* EP_TCP */
};

/* Parses TEXT; 0, or -1 when it is not exactly one of the two forms. */
int	ep_parse(struct tg_endpoint *, const char *text);
/* Writes the text form into BUF; 0, or -1 when BUF is too small. */
int	ep_format(const struct tg_endpoint *, char *buf, size_t len);
/* Writes what nginx's proxy_pass http://$upstream needs: "unix:PATH:"
 * or "127.0.0.1:PORT"; 0, or -1 when BUF is too small. */
int	ep_upstream(const struct tg_endpoint *, char *buf, size_t len);
/* Sets EP to session ID's socket of KIND (SESSFILE_SOCK, the
 * terminal's, or SESSFILE_PTY) in DIR; 0, or -1 when the path does not
 * fit a unix socket address. */
int	ep_session_socket(struct tg_endpoint *, const char *dir,
	    const char *id, enum sessfile_kind kind);
/*
 * Parses TEXT and accepts it only as the endpoint a session ID may have:
 * exactly DIR/ID.sock, or a loopback port. A row is never trusted to
 * name another path. 0, or -1.
 */
int	ep_parse_session(struct tg_endpoint *, const char *text,
	    const char *dir, const char *id);
/* Fills SA (LEN) to connect to EP. Cannot fail. */
void	ep_sockaddr(const struct tg_endpoint *, struct sockaddr_storage *sa,
	    socklen_t *len);
/*
 * 1 when a listener holds loopback PORT, so that a backend could not
 * bind it; 0 when it is free (TIME_WAIT does not count: backends bind
 * with SO_REUSEADDR, and so does this probe), or the probe failed.
 */
int	ep_port_taken(int port);
/*
 * A stream connection to the unix socket PATH, its socket made with
 * FLAGS (SOCK_NONBLOCK, or 0) and SOCK_CLOEXEC: the descriptor, or -1
 * with errno set (ENAMETOOLONG when PATH does not fit an address).
 */
int	ep_connect_unix(const char *path, int flags);

#endif
