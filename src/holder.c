/*
 * holder.c - the pty holder's command line, written once.
 *
 *   termgate-pty hold -s SOCKET [-r CASTFILE] [-m MAXBYTES] [-o CMDFILE]
 *       [-W COLS] [-H ROWS] [-k GRACE] [-c CLIENTS] -- COMMAND [ARG...]
 *
 * The supervisor builds it (holder_argv), termgate-pty parses it
 * (holder_parse), and the supervisor recognises a running holder after a
 * restart by parsing /proc/PID/cmdline with the same parser
 * (holder_match): the holder never changes its argv, so its socket
 * names it. The parser takes what getopt("+s:r:o:m:W:H:k:c:") takes: an
 * option's value in the same word or the next, options up to "--" or the
 * first word that is not one.
 */
#include <sys/socket.h>

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "holder.h"
#include "endpoint.h"
#include "proc.h"
#include "pty/proto.h"
#include "valid.h"

#define CMDLINE_MAX	8192		/* of /proc/PID/cmdline read */

int
holder_mode(const char *word)
{
	if (strcmp(word, "control") == 0)
		return HOLDER_CONTROL;
	if (strcmp(word, "view") == 0)
		return HOLDER_VIEW;
	return -1;
}

const char *
holder_mode_name(int mode)
{
	return mode == HOLDER_VIEW ? "view" : "control";
}

int
holder_grant_ok(const char *s)
{
	return valid_session_id(s);
}

int
holder_drop(const char *sock, const char *grant)
{
	unsigned char f[PROTO_HDR + HOLDER_GRANT_LEN];
	int fd, rv, e;

	if (!holder_grant_ok(grant)) {
		errno = EINVAL;
		return -1;
	}
	proto_hdr(f, PROTO_DROP, HOLDER_GRANT_LEN);
	memcpy(f + PROTO_HDR, grant, HOLDER_GRANT_LEN);
	if ((fd = ep_connect_unix(sock, SOCK_NONBLOCK)) == -1)
		return -1;
	/* a new connection's buffer takes 69 bytes at once */
	rv = write(fd, f, sizeof(f)) == (ssize_t)sizeof(f) ? 0 : -1;
	e = errno;
	close(fd);
	errno = e;
	return rv;
}

void
holder_defaults(struct holder_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->maxbytes = HOLDER_MAXBYTES;
	o->cols = 80;
	o->rows = 24;
	o->grace = 3;
}

/* Appends option OPT with the number V to OUT; 0 or -1. */
static int
push_num(struct tg_argv *out, const char *opt, long long v)
{
	char n[24];

	snprintf(n, sizeof(n), "%lld", v);
	return argv_push(out, opt) == -1 || argv_push(out, n) == -1 ? -1 : 0;
}

static int
push_opt(struct tg_argv *out, const char *opt, const char *v)
{
	return argv_push(out, opt) == -1 || argv_push(out, v) == -1 ? -1 : 0;
}

int
holder_argv(struct tg_argv *out, const char *path,
    const struct holder_opts *o)
{
	struct holder_opts d;
	int i;

	holder_defaults(&d);
	argv_reset(out);
	if (argv_push(out, path) == -1 || argv_push(out, "hold") == -1 ||
	    push_opt(out, "-s", o->sock) == -1 ||
	    push_num(out, "-k", o->grace) == -1 ||
	    (o->cast != NULL && (push_opt(out, "-r", o->cast) == -1 ||
	    push_num(out, "-m", o->maxbytes) == -1)) ||
	    (o->cmdfile != NULL && (push_opt(out, "-o", o->cmdfile) == -1 ||
	    (o->rate != 0 && push_num(out, "-R", o->rate) == -1) ||
	    (o->capmax != 0 && push_num(out, "-M", o->capmax) == -1))) ||
	    (o->shell_as != NULL && push_opt(out, "-u", o->shell_as) == -1) ||
	    (o->hold_as != NULL && push_opt(out, "-U", o->hold_as) == -1) ||
	    (o->nproc != 0 && push_num(out, "-P", o->nproc) == -1) ||
	    (o->cgroups != NULL && push_opt(out, "-C", o->cgroups) == -1) ||
	    (o->cpu_group != NULL && push_opt(out, "-G", o->cpu_group) == -1) ||
	    (o->scrollback != 0 && push_num(out, "-L", o->scrollback) == -1) ||
	    (o->clients != 0 && push_num(out, "-c", o->clients) == -1) ||
	    ((o->cols != d.cols || o->rows != d.rows) &&
	    (push_num(out, "-W", o->cols) == -1 ||
	    push_num(out, "-H", o->rows) == -1)) ||
	    argv_push(out, "--") == -1)
		return -1;
	for (i = 0; i < o->argc; i++)
		if (argv_push(out, o->argv[i]) == -1)
			return -1;
	return 0;
}

/* One option's value into O; 0, or -1 with ERR. */
static int
option(struct holder_opts *o, int ch, const char *v, char *err, size_t len)
{
	static const struct {
		int		 ch;
		long long	 min, max;
	} range[] = {
		{ 'm', 1024, 1LL << 40 }, { 'W', HOLDER_COLS_MIN, HOLDER_COLS_MAX },
		{ 'H', 1, HOLDER_ROWS_MAX }, { 'k', 0, 3600 },
		{ 'P', 0, 1000000 }, { 'R', 0, 1000000 }, { 'M', 0, 1LL << 40 },
		{ 'L', 0, 100000 }, { 'c', 0, HOLDER_CLIENTS_MAX },
	};
	const char *errstr = NULL;
	long long n = 0;
	size_t i;

	for (i = 0; i < sizeof(range) / sizeof(range[0]); i++)
		if (range[i].ch == ch &&
		    (n = strtonum(v, range[i].min, range[i].max, &errstr),
		    errstr != NULL)) {
			snprintf(err, len, "-%c %s: %s (%lld-%lld)", ch, v,
			    errstr, range[i].min, range[i].max);
			return -1;
		}
	switch (ch) {
	case 's':
		o->sock = v;
		break;
	case 'r':
		o->cast = v;
		break;
	case 'o':
		o->cmdfile = v;
		break;
	case 'm':
		o->maxbytes = n;
		break;
	case 'W':
		o->cols = (int)n;
		break;
	case 'H':
		o->rows = (int)n;
		break;
	case 'k':
		o->grace = (int)n;
		break;
	case 'u':
		o->shell_as = v;
		break;
	case 'U':
		o->hold_as = v;
		break;
	case 'P':
		o->nproc = (long)n;
		break;
	case 'C':
		o->cgroups = v;
		break;
	case 'G':
		o->cpu_group = v;
		break;
	case 'R':
		o->rate = (int)n;
		break;
	case 'L':
		o->scrollback = (int)n;
		break;
	case 'M':
		o->capmax = n;
		break;
	case 'c':
		o->clients = (int)n;
		break;
	default:
		snprintf(err, len, "unknown option -%c", ch);
		return -1;
	}
	return 0;
}

int
holder_parse(struct holder_opts *o, int argc, char *const argv[],
    char *err, size_t len)
{
	const char *w, *v;
	int i;

	holder_defaults(o);
	for (i = 0; i < argc; i++) {
		w = argv[i];
		if (w[0] != '-' || w[1] == '\0')
			break;
		if (strcmp(w, "--") == 0) {
			i++;
			break;
		}
		if ((v = w[2] != '\0' ? w + 2 : i + 1 < argc ? argv[++i] :
		    NULL) == NULL) {
			snprintf(err, len, "option -%c needs a value", w[1]);
			return -1;
		}
		if (option(o, w[1], v, err, len) == -1)
			return -1;
	}
	if (o->sock == NULL || i == argc) {
		snprintf(err, len, "%s", o->sock == NULL ? "no socket (-s)" :
		    "no command");
		return -1;
	}
	if ((o->shell_as == NULL) != (o->hold_as == NULL) ||
	    ((o->cgroups != NULL || o->cpu_group != NULL) &&
	    o->shell_as == NULL)) {
		snprintf(err, len, "-u and -U go together, and -C with them");
		return -1;
	}
	o->argv = argv + i;
	o->argc = argc - i;
	return 0;
}

int
holder_match(pid_t pid, const char *path, const char *sock)
{
	static char buf[CMDLINE_MAX];
	char *words[ARGV_MAX + 2], want[256], err[128];
	struct holder_opts o;
	ssize_t n;
	char *w;
	int nw = 0;

	if (pid <= 1 || (n = proc_read(pid, "cmdline", buf, sizeof(buf))) <= 0)
		return 0;
	for (w = buf; w < buf + n && nw < ARGV_MAX + 1; w += strlen(w) + 1)
		words[nw++] = w;
	words[nw] = NULL;
	strlcpy(want, path, sizeof(want));
	if (nw < 2 || strcmp(basename(words[0]), basename(want)) != 0 ||
	    strcmp(words[1], "hold") != 0 ||
	    holder_parse(&o, nw - 2, words + 2, err, sizeof(err)) == -1)
		return 0;
	return strcmp(o.sock, sock) == 0;
}
