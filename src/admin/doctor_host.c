/*
 * doctor_host.c - termgate-admin doctor's checks of this machine: the
 * socket directory and group nginx reaches terminals through, the
 * backend and its version, the terminal command's program, the pty
 * holder and, in tcp mode, the port range. doctor.c calls it; its lines
 * go through doctor_line.c.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "argv.h"
#include "doctor.h"
#include "doctor_host.h"
#include "doctor_iso.h"
#include "endpoint.h"
#include "group.h"
#include "proc.h"
#include "which.h"

#ifndef SBINDIR
#define SBINDIR		"/usr/sbin"
#endif

/*
 * Runs ARGV (argv[0] a path) with no input and stderr discarded, and
 * writes the first line of its output into OUT ("" if none). 0 when it
 * ran, -1 when it could not be started. Waits for it.
 */
static int
first_line(char *const argv[], char *out, size_t len)
{
	ssize_t n;
	size_t got = 0;
	pid_t pid;
	int fd, st;

	out[0] = '\0';
	if ((fd = proc_reader(argv, &pid)) == -1)
		return -1;
	while (got + 1 < len && (n = read(fd, out + got,
	    len - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	out[strcspn(out, "\n")] = '\0';
	close(fd);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	return 0;
}

int
doctor_nginx(const char *name, const char *want, char *out, size_t len)
{
	char path[256], line[4096], *p;
	char *argv[] = { path, "-T", NULL };
	size_t n = strlen(name);
	FILE *fp;
	pid_t pid;
	int fd, st, rv = 0;

	if (out != NULL && len > 0)
		out[0] = '\0';
	if (which("nginx", path, sizeof(path)) == -1 &&
	    which("/usr/sbin/nginx", path, sizeof(path)) == -1)
		return -1;
	if ((fd = proc_reader(argv, &pid)) == -1)
		return -1;
	if ((fp = fdopen(fd, "r")) == NULL) {
		close(fd);
		rv = -1;
	}
	while (fp != NULL && rv == 0 && fgets(line, sizeof(line), fp) != NULL) {
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (strncmp(p, name, n) != 0 || !isspace((unsigned char)p[n]))
			continue;
		p += n + 1 + strspn(p + n + 1, " \t");
		p[strcspn(p, " \t;\n")] = '\0';
		if (want == NULL && *p != '\0') {
			strlcpy(out, p, len);
			rv = 1;
		} else if (want != NULL && strcmp(p, want) == 0)
			rv = 1;
	}
	if (fp != NULL)
		fclose(fp);
	while (waitpid(pid, &st, 0) == -1 && errno == EINTR)
		;
	return rv;
}

/* nginx's user: the "user" directive of nginx -T, else www-data. */
static void
nginx_user(char *out, size_t len)
{
	if (doctor_nginx("user", NULL, out, len) != 1)
		strlcpy(out, "www-data", len);
}

static void
check_socket_dir(struct doctor *d, const struct group *gr)
{
	const struct tg_cfg *cfg = &d->a->cfg;
	const char *dir = cfg->socket_dir;
	const struct group *has;
	char fix[1024];
	struct stat st;
	mode_t m;

	snprintf(fix, sizeof(fix), "start termgate-supervisor, which makes "
	    "it, or: install -d -m 0750 -g %s %s", cfg->socket_group, dir);
	if (stat(dir, &st) == -1) {
		doctor_line(d, "socket_dir", 0, fix, "%s: %s", dir,
		    strerror(errno));
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		doctor_line(d, "socket_dir", 0, fix, "%s: not a directory",
		    dir);
		return;
	}
	m = st.st_mode & 07777;
	if (m == 0750 && gr != NULL && st.st_gid == gr->gr_gid) {
		doctor_line(d, "socket_dir", 1, NULL, "%s: mode 0750, group "
		    "%s", dir, cfg->socket_group);
		return;
	}
	if (m == 01731 && st.st_uid == 0) {
		doctor_line(d, "socket_dir", 1, NULL, "%s: mode 01731, owner "
		    "root (a root supervisor with run_as)", dir);
		return;
	}
	snprintf(fix, sizeof(fix), "restart termgate-supervisor (it sets "
	    "both), or: chgrp %s %s && chmod 0750 %s", cfg->socket_group,
	    dir, dir);
	has = getgrgid(st.st_gid);
	doctor_line(d, "socket_dir", 0, fix, "%s: mode %04o, group %s; want "
	    "0750 in socket_group %s (or 01731 owned by root, for a root "
	    "supervisor with run_as)", dir, (unsigned)m, has != NULL ?
	    has->gr_name : "(none)", cfg->socket_group);
}

/* nginx's USER is in socket_group, and nobody else is. */
static void
check_group(struct doctor *d, const struct group *gr, const char *user)
{
	const char *g = d->a->cfg.socket_group;
	char who[512], fix[512];
	int n;

	if (gr == NULL) {
		snprintf(fix, sizeof(fix), "set socket_group to the group of "
		    "nginx's user %s", user);
		doctor_line(d, "socket_group", 0, fix, "%s: no such group", g);
		return;
	}
	if (!group_has(gr, user)) {
		snprintf(fix, sizeof(fix), "set socket_group to %s's own "
		    "group, or add %s to %s", user, user, g);
		doctor_line(d, "socket_group", 0, fix, "nginx runs as %s, who "
		    "is not in socket_group %s: nginx can reach no terminal",
		    user, g);
		return;
	}
	if ((n = group_users(gr, who, sizeof(who))) > 1) {
		snprintf(fix, sizeof(fix), "make socket_group a group that "
		    "holds %s alone", user);
		doctor_line(d, "socket_group", 0, fix, "%s has %d users (%s): "
		    "each of them can connect to every terminal", g, n, who);
		return;
	}
	doctor_line(d, "socket_group", 1, NULL, "%s holds nginx's user %s "
	    "alone", g, user);
}

/* "NAME version MAJOR.MINOR..." of LINE is at least MAJOR.MINOR. */
static int
version_ok(const char *line, int major, int minor)
{
	const char *v;
	int a, b;

	if ((v = strstr(line, "version ")) == NULL ||
	    sscanf(v + 8, "%d.%d", &a, &b) != 2)
		return 0;
	return a > major || (a == major && b >= minor);
}

static void
check_backend(struct doctor *d)
{
	const struct tg_cfg *cfg = &d->a->cfg;
	int ttyd = cfg->backend == TG_BACKEND_TTYD;
	const char *name = ttyd ? "ttyd" : "shellinaboxd";
	const char *want = ttyd ? "ttyd 1.7 or later" : "shellinabox 2.x";
	char path[256], line[256], fix[512];
	char *argv[] = { path, "--version", NULL };

	snprintf(fix, sizeof(fix), "install %s (%s), or set backend_path",
	    want, ttyd ? "Debian 13 and Ubuntu 22.04+ ship it" :
	    "apt install shellinabox");
	if (which(cfg->backend_path[0] != '\0' ? cfg->backend_path : name,
	    path, sizeof(path)) == -1) {
		doctor_line(d, "backend", 0, fix, "%s: %s", cfg->backend_path[0]
		    != '\0' ? cfg->backend_path : name, strerror(errno));
		return;
	}
	if (first_line(argv, line, sizeof(line)) == -1 ||
	    !version_ok(line, ttyd ? 1 : 2, ttyd ? 7 : 0)) {
		doctor_line(d, "backend", 0, fix, "%s --version says \"%s\"; "
		    "termgate needs %s", path, line, want);
		return;
	}
	doctor_line(d, "backend", 1, NULL, "%s: %s", path, line);
}

/* The program of terminal_command, its {field}s filled with a sample. */
static void
check_command(struct doctor *d)
{
	static const struct argv_fields f = { "127.0.0.1", "root", "22",
	    "doctor", "doctor", "0000000000000000000000000000000000000000"
	    "000000000000000000000000" };
	struct tg_argv cmd;
	char err[256], path[256], fix[512];

	if (argv_command(&cmd, d->a->cfg.terminal_command, &f, err,
	    sizeof(err)) == -1 || cmd.n == 0) {
		doctor_line(d, "command", 0, "correct terminal_command "
		    "(termgate.conf(5))", "terminal_command: %s", cmd.n == 0 ?
		    "empty" : err);
		return;
	}
	if (which(cmd.v[0], path, sizeof(path)) == -1) {
		snprintf(fix, sizeof(fix), "install %s (for ssh: apt install "
		    "openssh-client), or correct terminal_command", cmd.v[0]);
		doctor_line(d, "command", 0, fix, "terminal_command runs %s: "
		    "%s", cmd.v[0], strerror(errno));
		return;
	}
	doctor_line(d, "command", 1, NULL, "terminal_command runs %s", path);
}

static void
check_pty(struct doctor *d)
{
	const char *p = d->a->cfg.pty_path[0] != '\0' ? d->a->cfg.pty_path :
	    SBINDIR "/termgate-pty";

	if (access(p, X_OK) == -1)
		doctor_line(d, "pty", 0, "install termgate-pty there (make "
		    "install), or set pty_path", "pty_path %s: %s", p,
		    strerror(errno));
	else
		doctor_line(d, "pty", 1, NULL, "pty_path %s", p);
}

static void
check_ports(struct doctor *d)
{
	const struct tg_cfg *cfg = &d->a->cfg;
	int p, busy = 0, first = 0;

	for (p = cfg->port_lo; p <= cfg->port_hi; p++)
		if (ep_port_taken(p) && busy++ == 0)
			first = p;
	if (busy == 0)
		doctor_line(d, "ports", 1, NULL, "port_range %d-%d: all %d "
		    "free", cfg->port_lo, cfg->port_hi,
		    cfg->port_hi - cfg->port_lo + 1);
	else
		doctor_line(d, "ports", 0, "stop what listens there (ss "
		    "-ltnp), or move port_range; live terminals' ports "
		    "count too, so check with no session open",
		    "port_range %d-%d: %d in use, the first %d", cfg->port_lo,
		    cfg->port_hi, busy, first);
}

void
doctor_host(struct doctor *d)
{
	const struct tg_cfg *cfg = &d->a->cfg;
	struct group *gr = getgrnam(cfg->socket_group);
	char user[64];

	if (d->nginx_user != NULL)
		strlcpy(user, d->nginx_user, sizeof(user));
	else
		nginx_user(user, sizeof(user));
	/* The supervisor makes it in tcp mode too: the holders' sockets. */
	check_socket_dir(d, gr);
	check_group(d, gr, user);
	doctor_iso_host(d, user);
	check_backend(d);
	check_command(d);
	check_pty(d);
	if (cfg->terminal_listen == TG_LISTEN_TCP)
		check_ports(d);
}
