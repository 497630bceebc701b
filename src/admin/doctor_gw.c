/*
 * doctor_gw.c - termgate-admin doctor's check of the node's terminal
 * gateway (terminal_gateway: one ttyd for every session, on
 * socket_dir/gateway.sock).
 *
 * The socket must be where the supervisor puts it, a socket and no
 * link, owned as the supervisor leaves it (socket_dir's owner, group
 * socket_group, mode 0660: nginx reaches it through socket_group, which
 * the socket_group line checks holds nginx alone, and nobody else may
 * connect), and a ttyd must answer an HTTP request for url_prefix/ on
 * it: a socket file with no process behind it, or one that accepts and
 * says nothing, is a gateway that is down. doctor.c calls it; its line
 * goes through doctor_line.c.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "clock.h"
#include "doctor.h"
#include "doctor_gw.h"
#include "endpoint.h"
#include "sessfile.h"

#define GW_ANSWER_MS	3000	/* how long a silent gateway is waited for */

static const char fix_start[] = "start termgate-supervisor (it starts the "
    "gateway and gives its socket to socket_group); its log says why a "
    "gateway died";

/*
 * Asks the gateway on PATH for PREFIX/ and writes its status line into
 * OUT: 0 when it answered 200, 1 when it answered otherwise or not
 * within GW_ANSWER_MS, -1 when it could not be reached (errno).
 */
static int
gw_answers(const char *path, const char *prefix, char *out, size_t len)
{
	char req[256], buf[512];
	int64_t deadline = clock_ms() + GW_ANSWER_MS, left;
	struct pollfd pfd;
	size_t got = 0;
	ssize_t n;
	int fd;

	strlcpy(out, "no answer", len);
	if ((fd = ep_connect_unix(path, 0)) == -1)
		return -1;
	snprintf(req, sizeof(req), "GET %s/ HTTP/1.0\r\nHost: localhost\r\n"
	    "\r\n", prefix);
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		close(fd);
		return 1;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (got + 1 < sizeof(buf) && memchr(buf, '\n', got) == NULL &&
	    (left = deadline - clock_ms()) > 0 &&
	    poll(&pfd, 1, (int)left) == 1 &&
	    (n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (got > 0)
		strlcpy(out, buf, len);
	return strncmp(buf, "HTTP/1.", 7) == 0 && strncmp(buf + 8, " 200",
	    4) == 0 ? 0 : 1;
}

/* Whether ST is the gateway's socket as the supervisor leaves it;
 * what is wrong into WHY when not. */
static int
owned_right(struct doctor *d, const struct stat *st, char *why, size_t len)
{
	const struct tg_cfg *cfg = &d->a->cfg;
	struct group *gr = getgrnam(cfg->socket_group);
	struct passwd *pw;
	struct group *has;
	struct stat dir;
	mode_t m = st->st_mode & 07777;

	if (stat(cfg->socket_dir, &dir) == -1)
		dir.st_uid = (uid_t)-1;
	if (gr != NULL && st->st_gid == gr->gr_gid && m == 0660 &&
	    st->st_uid == dir.st_uid)
		return 1;
	pw = getpwuid(st->st_uid);
	has = getgrgid(st->st_gid);
	snprintf(why, len, "owner %s, group %s, mode %04o; want socket_dir's "
	    "owner, socket_group %s, 0660", pw != NULL ? pw->pw_name : "?",
	    has != NULL ? has->gr_name : "?", (unsigned)m, cfg->socket_group);
	return 0;
}

void
doctor_gateway(struct doctor *d)
{
	const struct tg_cfg *cfg = &d->a->cfg;
	char path[300], what[256], why[300];
	struct stat st;
	int rv;

	if (!cfg->terminal_gateway) {
		doctor_line(d, "gateway", 1, NULL, "terminal_gateway off: a "
		    "ttyd for each session");
		return;
	}
	if (sessfile_gateway(path, sizeof(path), cfg->socket_dir) == -1) {
		doctor_line(d, "gateway", 0, "shorten socket_dir", "socket_dir "
		    "%s: too long for the gateway's socket", cfg->socket_dir);
		return;
	}
	if (lstat(path, &st) == -1 || !S_ISSOCK(st.st_mode)) {
		doctor_line(d, "gateway", 0, fix_start, "%s: %s: the gateway "
		    "is down, no terminal can be reached", path,
		    S_ISSOCK(st.st_mode) || errno == ENOENT ? "no such socket" :
		    "not a socket");
		return;
	}
	if (!owned_right(d, &st, why, sizeof(why))) {
		doctor_line(d, "gateway", 0, "restart termgate-supervisor, which "
		    "gives the gateway's socket to socket_group 0660", "%s: %s",
		    path, why);
		return;
	}
	if ((rv = gw_answers(path, cfg->url_prefix, what,
	    sizeof(what))) == -1) {
		doctor_line(d, "gateway", 0, errno == EACCES ? "run doctor as "
		    "root or as nginx's user" : fix_start, "%s: cannot "
		    "connect: %s%s", path, strerror(errno), errno ==
		    ECONNREFUSED ? ": the gateway is down, no terminal can be "
		    "reached" : "");
		return;
	}
	if (rv == 1) {
		doctor_line(d, "gateway", 0, fix_start, "%s: GET %s/ got \"%s\": "
		    "the gateway is down or stuck", path, cfg->url_prefix, what);
		return;
	}
	doctor_line(d, "gateway", 1, NULL, "%s: socket_group %s only, 0660; "
	    "a ttyd answers (%s)", path, cfg->socket_group, what);
}
