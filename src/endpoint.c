/*
 * endpoint.c - the one parser and formatter of terminal endpoints.
 *
 * An endpoint travels as text: from termgate.open_session() into the
 * session row, from the row to the supervisor (which spawns, probes and
 * cleans up after the terminal there) and to authorize (which hands it
 * to nginx). Every program reads and writes it here, so there is one
 * rule for what an endpoint may be. The supervisor, which runs as root,
 * goes further with ep_parse_session: the only paths it accepts from a
 * row are the ones it would have chosen itself. Whether a loopback port
 * is free, as a terminal would bind it, is asked here too, by the
 * supervisor before a spawn and by doctor over the port range.
 */
#include <sys/un.h>

#include <netinet/in.h>

#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "endpoint.h"
#include "valid.h"

#define UNIX_PREFIX	"unix:"
#define TCP_PREFIX	"127.0.0.1:"

static int
prefixed(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int
ep_parse(struct tg_endpoint *ep, const char *text)
{
	const char *errstr, *v;

	memset(ep, 0, sizeof(*ep));
	if (prefixed(text, UNIX_PREFIX)) {
		v = text + strlen(UNIX_PREFIX);
		if (v[0] != '/' || strlcpy(ep->path, v, sizeof(ep->path)) >=
		    sizeof(ep->path))
			return -1;
		ep->kind = EP_UNIX;
		return 0;
	}
	if (!prefixed(text, TCP_PREFIX))
		return -1;
	v = text + strlen(TCP_PREFIX);
	if (v[0] < '1' || v[0] > '9' || strspn(v, "0123456789") != strlen(v))
		return -1;
	ep->port = (int)strtonum(v, 1, 65535, &errstr);
	if (errstr != NULL)
		return -1;
	ep->kind = EP_TCP;
	return 0;
}

/* snprintf into BUF; 0, or -1 when truncated. */
static int
fits(int n, size_t len)
{
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int
ep_format(const struct tg_endpoint *ep, char *buf, size_t len)
{
	if (ep->kind == EP_UNIX)
		return fits(snprintf(buf, len, UNIX_PREFIX "%s", ep->path),
		    len);
	return fits(snprintf(buf, len, TCP_PREFIX "%d", ep->port), len);
}

int
ep_upstream(const struct tg_endpoint *ep, char *buf, size_t len)
{
	if (ep->kind == EP_UNIX)
		return fits(snprintf(buf, len, UNIX_PREFIX "%s:", ep->path),
		    len);
	return ep_format(ep, buf, len);
}

int
ep_session_socket(struct tg_endpoint *ep, const char *dir, const char *id,
    enum sessfile_kind kind)
{
	memset(ep, 0, sizeof(*ep));
	ep->kind = EP_UNIX;
	return sessfile_path_in(ep->path, sizeof(ep->path), dir, kind, id);
}

int
ep_parse_session(struct tg_endpoint *ep, const char *text, const char *dir,
    const char *id)
{
	struct tg_endpoint want;

	if (!valid_session_id(id) || ep_parse(ep, text) == -1)
		return -1;
	if (ep->kind == EP_TCP)
		return 0;
	if (ep_session_socket(&want, dir, id, SESSFILE_SOCK) == -1 ||
	    strcmp(want.path, ep->path) != 0)
		return -1;
	return 0;
}

void
ep_sockaddr(const struct tg_endpoint *ep, struct sockaddr_storage *sa,
    socklen_t *len)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)sa;
	struct sockaddr_in *sin = (struct sockaddr_in *)sa;

	memset(sa, 0, sizeof(*sa));
	if (ep->kind == EP_UNIX) {
		sun->sun_family = AF_UNIX;
		strlcpy(sun->sun_path, ep->path, sizeof(sun->sun_path));
		*len = sizeof(*sun);
		return;
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons(ep->port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*len = sizeof(*sin);
}

int
ep_port_taken(int port)
{
	struct sockaddr_in sin;
	int fd, on = 1, taken;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return 0;
	/* As the backends do: only a listener, not TIME_WAIT, blocks it. */
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	taken = bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 &&
	    errno == EADDRINUSE;
	close(fd);
	return taken;
}

int
ep_connect_unix(const char *path, int flags)
{
	struct sockaddr_un sun;
	int fd, saved;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlcpy(sun.sun_path, path, sizeof(sun.sun_path)) >=
	    sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | flags, 0)) == -1)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}
