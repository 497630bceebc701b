/*
 * cfg.c - the configuration file shared by every termgate program.
 *
 * The whole configuration is one table: a row per key with its type, where
 * it lives in struct tg_cfg, its bounds and its default in text form. The
 * defaults go through the same setter as the file, so the table is the one
 * place that says what a key accepts, who reads it and whether a reload
 * applies it. The file is "key = value" lines with '#' comments; every
 * error names the file, the line and the key, and the first error stops
 * loading. A reload (cfg_reload) is all or nothing: a file with an error
 * changes nothing.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "log.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR	"/etc"
#endif

#define LINE_MAX_LEN	4096		/* bytes per line, newline excluded */
#define PORTS_MAX	10000		/* ports in port_range */

enum kind { K_STR, K_INT, K_BOOL, K_ENUM, K_RANGE };

struct row {
	const char	*name;
	enum kind	 kind;
	size_t		 off;		/* the field (port_lo for a range) */
	size_t		 size;		/* string size; offset of port_hi */
	long long	 min, max;	/* K_INT and K_RANGE bounds */
	const char *const *names;	/* K_ENUM words, by enum value */
	int		(*check)(const char *, const char **);
	const char	*def;
	unsigned	 readers;	/* enum cfg_prog bits */
	unsigned	 restart;	/* readers applying it only at start */
};

static int	check_node(const char *, const char **);
static int	check_prefix(const char *, const char **);
static int	check_socket_dir(const char *, const char **);
static int	check_absolute(const char *, const char **);
static int	check_address(const char *, const char **);
static int	check_optional_path(const char *, const char **);
static int	check_pool(const char *, const char **);
static int	check_pins(const char *, const char **);

static const char *const listen_names[] = { "unix", "tcp", NULL };
static const char *const backend_names[] = { "ttyd", "shellinabox", NULL };

#define F	CFG_FCGI
#define S	CFG_SUP
#define A	CFG_ADMIN
#define FIELD(f)	.off = offsetof(struct tg_cfg, f), \
			.size = sizeof(((struct tg_cfg *)0)->f)
#define STR(n, chk, d, rd, rs) { .name = #n, .kind = K_STR, FIELD(n), \
			.check = chk, .def = d, .readers = rd, .restart = rs }
#define INT(n, lo, hi, d, rd, rs) { .name = #n, .kind = K_INT, FIELD(n), \
			.min = lo, .max = hi, .def = d, .readers = rd, \
			.restart = rs }
#define BOOL(n, d, rd, rs) { .name = #n, .kind = K_BOOL, FIELD(n), \
			.max = 1, .def = d, .readers = rd, .restart = rs }
#define ENUM(n, w, d, rd, rs) { .name = #n, .kind = K_ENUM, FIELD(n), \
			.names = w, .def = d, .readers = rd, .restart = rs }
#define DAY		86400

/*
 * Every key: name, type and bounds, default, the programs that read it
 * (F termgate-fcgi, S termgate-supervisor, A termgate-admin) and those of
 * them that apply a new value only when restarted (a reload keeps the
 * running value and says so). termgate.conf(5) and
 * contrib/termgate.conf.example document the same rows; a test compares.
 */
static const struct row rows[] = {
	STR(database, NULL, "dbname=termgate", F | S | A, S),
	STR(listen, NULL, "unix:/run/termgate/fcgi.sock", F, F),
	INT(workers, 0, 256, "0", F, 0),	/* 0: two per CPU */
	INT(max_sessions_per_user, 1, 1000, "3", F, 0),
	INT(session_ttl, 1, 30 * DAY, "1800", F, 0),
	INT(idle_timeout, 1, 30 * DAY, "120", F | S, 0),
	INT(heartbeat_interval, 1, 3600, "30", F, 0),
	/* Share links (share.c): a link's life when its maker names
	 * none, and the longest it may have. */
	INT(share_default_ttl, 60, 30 * DAY, "3600", F, 0),
	INT(share_max_ttl, 60, 30 * DAY, "86400", F, 0),
	INT(beacon_grace, 0, 3600, "5", F | S, 0),
	ENUM(terminal_listen, listen_names, "unix", F | S, S),
	STR(socket_dir, check_socket_dir, "/run/termgate/terminals", F | S,
	    S),
	STR(socket_group, NULL, "www-data", F | S, F | S),
	{ .name = "port_range", .kind = K_RANGE,
	    .off = offsetof(struct tg_cfg, port_lo),
	    .size = offsetof(struct tg_cfg, port_hi), .min = 1, .max = 65535,
	    .def = "7680-7779", .readers = S, .restart = S },
	STR(node, check_node, "local", F | S, S),
	/* Several nodes (sql/012_nodes.sql, README "Several nodes"). */
	STR(node_address, check_address, "", S | A, 0),
	INT(node_capacity, 0, 1000000, "0", S, 0),
	STR(node_secret_file, check_optional_path, "", F | A, F),
	/* The hop to other nodes: TLS, pinned addresses, credential life
	 * (hop.c, nodeauth.c). */
	BOOL(node_tls, "false", F | A, 0),
	STR(node_addresses, check_pins, "", F | A, 0),
	INT(node_auth_ttl, 5, 300, "30", F, 0),
	STR(metrics_token_file, check_optional_path, "", F, F),
	INT(node_lost_after, 3, 86400, "60", F | S | A, 0),
	ENUM(backend, backend_names, "ttyd", S, S),
	STR(backend_path, NULL, "", S, S),
	/* No escapes (~C could add a forwarding), no forwarding at all. */
	STR(terminal_command, NULL, "ssh -tt -e none "
	    "-o ClearAllForwardings=yes -o ForwardAgent=no "
	    "-o PermitLocalCommand=no -p {ssh_port} -- {ssh_user}@{address}",
	    S, 0),
	INT(spawn_timeout, 1, 120, "5", F | S, 0),
	INT(kill_grace, 0, 300, "3", S, 0),
	INT(gc_interval, 1, 3600, "10", F | S, 0),
	STR(run_as, NULL, "", S, S),
	STR(database_os_user, NULL, "", S, S),
	STR(run_as_pool, check_pool, "", S, S),
	INT(run_as_pool_size, 1, 10000, "32", S, S),
	INT(terminal_max_procs, 0, 1000000, "256", S, 0),
	INT(terminal_max_memory, 0, 1 << 24, "1024", S, 0),	/* MiB */
	INT(max_clients, 0, 1000, "4", S, 0),
	/* One ttyd for every session of the node (README "Gateway"). */
	BOOL(terminal_gateway, "false", F | S, F | S),
	STR(pty_path, NULL, "", S, 0),
	INT(scrollback_lines, 0, 100000, "1000", S, 0),
	BOOL(recording, "true", S, 0),
	STR(recording_dir, check_absolute, "/var/lib/termgate/recordings", F | S,
	    S),
	INT(recording_max_bytes, 1024, INT_MAX, "67108864", S, 0),
	INT(recording_retention_days, 1, 36500, "30", S, 0),
	BOOL(capture, "true", S, 0),
	INT(capture_rate, 0, 1000000, "300", S, 0),
	INT(capture_max_bytes, 0, INT_MAX, "16777216", S, 0),
	STR(spool_dir, check_absolute, "/var/lib/termgate/spool", S, S),
	BOOL(allow_visible_credentials, "false", S, S),
	STR(url_prefix, check_prefix, "/terminal", F | S, 0),
	BOOL(cookie_secure, "true", F, 0),
	STR(admin_users, NULL, "", F, 0),
	INT(history_retention_days, 1, 36500, "90", S, 0),
	INT(session_retention_days, 1, 36500, "30", S, 0),
	INT(history_purge_batch, 100, 1000000, "10000", S, 0),
	INT(history_rate, 1, 60000, "120", F, 0),
	INT(history_burst, 1, 10000, "60", F, 0),
	INT(history_search_timeout, 100, 600000, "2000", F, 0),
	INT(history_scan_rows, 50, 1000000, "2000", F, 0),
	INT(history_user_concurrency, 1, 256, "2", F, 0),
};

#undef F
#undef S
#undef A

#define NROWS	(sizeof(rows) / sizeof(rows[0]))

_Static_assert(sizeof(enum tg_listen) == sizeof(int), "enum is an int");
_Static_assert(sizeof(enum tg_backend) == sizeof(int), "enum is an int");

/* node: 1-63 of [A-Za-z0-9._-]. */
static int
check_node(const char *v, const char **why)
{
	size_t n;

	n = strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-");
	if (n == 0 || n > 63 || v[n] != '\0') {
		*why = "must be 1-63 of [A-Za-z0-9._-]";
		return -1;
	}
	return 0;
}

/*
 * socket_dir: absolute, and short enough that DIR/ID.sock (a 64-character
 * id) fits in a unix socket address (108 bytes with its NUL); otherwise
 * every spawn would fail with an error only the backend's log explains.
 * Its names are plain ([A-Za-z0-9._-], none starting with '.'), as the
 * database requires of every new session's endpoint (sql/006_roles.sql):
 * the supervisor unlinks and chowns what an endpoint names.
 */
static int
check_socket_dir(const char *v, const char **why)
{
	const char *p;
	size_t n;

	if (v[0] != '/') {
		*why = "must be an absolute path";
		return -1;
	}
	for (p = v; *p == '/'; p += n) {
		p++;
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");
		if (n == 0 || p[0] == '.') {
			*why = "must be a path of names of [A-Za-z0-9._-], "
			    "none starting with '.'";
			return -1;
		}
	}
	if (*p != '\0') {
		*why = "must be a path of names of [A-Za-z0-9._-], "
		    "none starting with '.'";
		return -1;
	}
	if (strlen(v) + sizeof("/.sock") - 1 + 64 >= 108) {
		*why = "too long for a unix socket path (at most 37 bytes)";
		return -1;
	}
	return 0;
}

/*
 * node_address: "" or HOST:PORT (a name or IPv4 address, or [IPv6]),
 * what the database accepts (sql/012_nodes.sql) and nginx's proxy_pass
 * takes.
 */
static int
check_address(const char *v, const char **why)
{
	const char *colon = strrchr(v, ':'), *e = NULL;
	size_t host;

	if (v[0] == '\0')
		return 0;
	*why = "must be HOST:PORT (a name, an IPv4 address or [IPv6])";
	if (colon == NULL || colon == v || colon[1] == '0' ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    strlen(colon + 1) > 5)
		return -1;
	(void)strtonum(colon + 1, 1, 65535, &e);
	if (e != NULL)
		return -1;
	host = (size_t)(colon - v);
	if (v[0] == '[')
		return host >= 4 && host - 2 <= 45 && v[host - 1] == ']' &&
		    strspn(v + 1, "0123456789abcdefABCDEF:.") == host - 2 ?
		    0 : -1;
	return host <= 253 && strspn(v, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == host ? 0 : -1;
}

/*
 * The next word NODE=HOST:PORT of node_addresses at *P into NODE and
 * ADDR, *P moved past it: 1; 0 at the end; -1 with *WHY when the word is
 * not one (a node name as node takes, an address as node_address).
 */
static int
pin_next(const char **p, char node[64], char addr[256], const char **why)
{
	const char *s = *p + strspn(*p, " \t"), *eq, *x;
	size_t w, n;

	if (*s == '\0')
		return 0;
	w = strcspn(s, " \t");
	*why = "must be NODE=HOST:PORT words (each node as the node key "
	    "takes it, once; each address as node_address)";
	if ((eq = memchr(s, '=', w)) == NULL || (n = (size_t)(eq - s)) >= 64 ||
	    w - n - 1 >= 256)
		return -1;
	memcpy(node, s, n);
	node[n] = '\0';
	memcpy(addr, eq + 1, w - n - 1);
	addr[w - n - 1] = '\0';
	if (check_node(node, &x) == -1 || addr[0] == '\0' ||
	    check_address(addr, &x) == -1)
		return -1;
	*p = s + w;
	return 1;
}

/* node_addresses: "" or NODE=HOST:PORT words, each node once. */
static int
check_pins(const char *v, const char **why)
{
	char node[64], addr[256], other[64], oaddr[256];
	const char *p = v, *q;
	int rv;

	while ((rv = pin_next(&p, node, addr, why)) == 1) {
		/* The words before this one. */
		q = v;
		while (pin_next(&q, other, oaddr, why) == 1 && q < p)
			if (strcmp(node, other) == 0) {
				*why = "names a node twice";
				return -1;
			}
	}
	return rv;
}

int
cfg_pin_next(const char **p, char node[64], char addr[256])
{
	const char *why;

	return pin_next(p, node, addr, &why) == 1 ? 1 : 0;
}

int
cfg_node_pin(const struct tg_cfg *cfg, const char *node, char *addr,
    size_t len)
{
	char n[64], a[256];
	const char *p = cfg->node_addresses;

	while (cfg_pin_next(&p, n, a) == 1)
		if (strcmp(n, node) == 0)
			return strlcpy(addr, a, len) < len ? 0 : 1;
	return 1;
}

/* "" or an absolute path. */
static int
check_optional_path(const char *v, const char **why)
{
	return v[0] == '\0' ? 0 : check_absolute(v, why);
}

/*
 * "" or the prefix of the pool's account names (PREFIX1 ... PREFIXN):
 * what useradd accepts, a letter first, at most 16 characters so that
 * the numbered names fit its 32.
 */
static int
check_pool(const char *v, const char **why)
{
	size_t n = strlen(v);

	if (n == 0)
		return 0;
	if (n > 16 || strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_-") !=
	    n || v[0] < 'a' || v[0] > 'z') {
		*why = "must be a user name prefix: a-z first, then a-z, 0-9, "
		    "_ or -, at most 16";
		return -1;
	}
	return 0;
}

/* A directory given as an absolute path. */
static int
check_absolute(const char *v, const char **why)
{
	if (v[0] != '/') {
		*why = "must be an absolute path";
		return -1;
	}
	return 0;
}

/*
 * url_prefix: starts with '/', does not end with '/'. It ends up in a
 * Set-Cookie Path and in nginx locations, so only URL-safe path bytes.
 */
static int
check_prefix(const char *v, const char **why)
{
	size_t n;

	n = strlen(v);
	if (n < 2 || v[0] != '/' || v[n - 1] == '/') {
		*why = "must start with '/' and not end with '/'";
		return -1;
	}
	if (strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._~/-") != n || strstr(v, "//") != NULL) {
		*why = "must be a path of [A-Za-z0-9._~-] segments";
		return -1;
	}
	return 0;
}

/* A decimal number in [MIN, MAX]; digits only, no sign or spaces. */
static int
number(const char *v, long long min, long long max, long long *out,
    const char **why)
{
	const char *e = NULL;

	if (*v == '\0' || strspn(v, "0123456789") != strlen(v)) {
		*why = "not a number";
		return -1;
	}
	*out = strtonum(v, min, max, &e);
	if (e != NULL) {
		*why = e;
		return -1;
	}
	return 0;
}

static int
set_str(const struct row *r, char *field, const char *v, char *err,
    size_t errlen)
{
	const char *why = NULL;

	if (strlen(v) >= r->size) {
		snprintf(err, errlen, "too long (at most %zu bytes)",
		    r->size - 1);
		return -1;
	}
	if (r->check != NULL && r->check(v, &why) == -1) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	strlcpy(field, v, r->size);
	return 0;
}

static int
set_int(const struct row *r, char *field, const char *v, char *err,
    size_t errlen)
{
	const char *why = NULL;
	long long n;
	int i;

	if (number(v, r->min, r->max, &n, &why) == -1) {
		snprintf(err, errlen, "%s (expected %lld-%lld)", why,
		    r->min, r->max);
		return -1;
	}
	i = (int)n;
	memcpy(field, &i, sizeof(i));
	return 0;
}

static int
set_bool(char *field, const char *v, char *err, size_t errlen)
{
	static const char *const words[] = {
		"false", "true", "no", "yes", "off", "on", "0", "1"
	};
	size_t i;
	int b;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcmp(v, words[i]) == 0) {
			b = (int)(i % 2);
			memcpy(field, &b, sizeof(b));
			return 0;
		}
	}
	snprintf(err, errlen, "expected true/false, yes/no, on/off or 1/0");
	return -1;
}

static int
set_enum(const struct row *r, char *field, const char *v, char *err,
    size_t errlen)
{
	int i;

	for (i = 0; r->names[i] != NULL; i++) {
		if (strcmp(v, r->names[i]) == 0) {
			memcpy(field, &i, sizeof(i));
			return 0;
		}
	}
	snprintf(err, errlen, "expected %s or %s", r->names[0], r->names[1]);
	return -1;
}

/* "LO-HI" with MIN <= LO <= HI <= MAX and at most PORTS_MAX ports. */
static int
set_range(const struct row *r, struct tg_cfg *cfg, const char *v, char *err,
    size_t errlen)
{
	char lo[16];
	const char *dash, *why = NULL;
	long long a, b;
	size_t n;
	int ia, ib;

	if ((dash = strchr(v, '-')) == NULL ||
	    (n = (size_t)(dash - v)) >= sizeof(lo)) {
		snprintf(err, errlen, "expected LO-HI");
		return -1;
	}
	memcpy(lo, v, n);
	lo[n] = '\0';
	if (number(lo, r->min, r->max, &a, &why) == -1 ||
	    number(dash + 1, r->min, r->max, &b, &why) == -1) {
		snprintf(err, errlen, "port %s (expected LO-HI in %lld-%lld)",
		    why, r->min, r->max);
		return -1;
	}
	if (a > b || b - a + 1 > PORTS_MAX) {
		snprintf(err, errlen, "LO must not exceed HI and the range "
		    "holds at most %d ports", PORTS_MAX);
		return -1;
	}
	ia = (int)a;
	ib = (int)b;
	memcpy((char *)cfg + r->off, &ia, sizeof(ia));
	memcpy((char *)cfg + r->size, &ib, sizeof(ib));
	return 0;
}

static int
set_row(struct tg_cfg *cfg, const struct row *r, const char *v, char *err,
    size_t errlen)
{
	char *field = (char *)cfg + r->off;

	switch (r->kind) {
	case K_STR:
		return set_str(r, field, v, err, errlen);
	case K_INT:
		return set_int(r, field, v, err, errlen);
	case K_BOOL:
		return set_bool(field, v, err, errlen);
	case K_ENUM:
		return set_enum(r, field, v, err, errlen);
	case K_RANGE:
		return set_range(r, cfg, v, err, errlen);
	}
	return -1;
}

void
cfg_defaults(struct tg_cfg *cfg)
{
	char err[256];
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < NROWS; i++)
		(void)set_row(cfg, &rows[i], rows[i].def, err, sizeof(err));
}

/*
 * Writes only the reason into ERR ("unknown key", "too long ...");
 * cfg_load adds the file, line and key in front of it.
 */
int
cfg_set(struct tg_cfg *cfg, const char *key, const char *value, char *err,
    size_t errlen)
{
	size_t i;

	for (i = 0; i < NROWS; i++)
		if (strcmp(key, rows[i].name) == 0)
			return set_row(cfg, &rows[i], value, err, errlen);
	snprintf(err, errlen, "unknown key");
	return -1;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	    c == '\f' || c == '\v';
}

/* Returns S without leading spaces, with trailing spaces cut off. */
static char *
trim(char *s)
{
	size_t n;

	while (is_space((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/*
 * Reads one line without its newline into BUF (LINE_MAX_LEN + 1 bytes).
 * Returns 1 for a line, 0 at end of file, -1 with a reason in *WHY.
 */
static int
read_line(FILE *fp, char *buf, const char **why)
{
	size_t n = 0;
	int c;

	while ((c = getc(fp)) != EOF && c != '\n') {
		if (c == '\0') {
			*why = "NUL byte in line";
			return -1;
		}
		if (n == LINE_MAX_LEN) {
			*why = "line too long";
			return -1;
		}
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	if (ferror(fp)) {
		*why = strerror(errno);
		return -1;
	}
	return (c == EOF && n == 0) ? 0 : 1;
}

/*
 * Turns the text after '=' into the value in place: a double-quoted value
 * loses its quotes and may hold '#'; elsewhere a '#' after a space or tab
 * starts a comment.
 */
static int
unquote(char *v, char **out, const char **why)
{
	char *p, *end;

	p = trim(v);
	if (*p == '"') {
		if ((end = strchr(p + 1, '"')) == NULL) {
			*why = "missing closing quote";
			return -1;
		}
		*end++ = '\0';
		end = trim(end);
		if (*end != '\0' && *end != '#') {
			*why = "text after closing quote";
			return -1;
		}
		*out = p + 1;
		return 0;
	}
	/* end[-1] is readable: the value starts after the '='. */
	for (end = p; *end != '\0'; end++) {
		if (*end == '#' && is_space((unsigned char)end[-1])) {
			*end = '\0';
			break;
		}
	}
	*out = trim(p);
	return 0;
}

/* One line: blank, comment or "key = value". */
static int
parse_line(struct tg_cfg *cfg, char *line, const char *path, int lineno,
    char *err, size_t errlen)
{
	char reason[256], *key, *eq, *value;
	const char *why = NULL;

	key = trim(line);
	if (*key == '\0' || *key == '#')
		return 0;
	if ((eq = strchr(key, '=')) == NULL || eq == key) {
		snprintf(err, errlen, "%s:%d: syntax error: "
		    "expected key = value", path, lineno);
		return -1;
	}
	*eq = '\0';
	key = trim(key);
	if (unquote(eq + 1, &value, &why) == -1) {
		snprintf(err, errlen, "%s:%d: %s: %s", path, lineno, key, why);
		return -1;
	}
	if (cfg_set(cfg, key, value, reason, sizeof(reason)) == -1) {
		snprintf(err, errlen, "%s:%d: %s: %s", path, lineno, key,
		    reason);
		return -1;
	}
	return 0;
}

int
cfg_load(struct tg_cfg *cfg, const char *path, char *err, size_t errlen)
{
	char line[LINE_MAX_LEN + 1];
	const char *why = NULL;
	FILE *fp;
	int lineno = 0, r, rc = -1;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		lineno++;
		if ((r = read_line(fp, line, &why)) == 0)
			break;
		if (r == -1) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
			goto done;
		}
		if (parse_line(cfg, line, path, lineno, err, errlen) == -1)
			goto done;
	}
	rc = 0;
done:
	fclose(fp);
	return rc;
}

int
cfg_is_admin(const struct tg_cfg *cfg, const char *user)
{
	const char *p = cfg->admin_users, *end;
	size_t ulen;

	if (user == NULL || *user == '\0')
		return 0;
	ulen = strlen(user);
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		end = p + strcspn(p, ",");
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if ((size_t)(end - p) == ulen && memcmp(p, user, ulen) == 0)
			return 1;
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	return 0;
}

const char *
cfg_path(const char *given)
{
	static const char def[] = SYSCONFDIR "/termgate/termgate.conf";

	if (given != NULL)
		return given;
	return access(def, F_OK) == 0 ? def : NULL;
}

/* Loads PATH (NULL: no file) over the defaults into CFG; 0 or -1. */
static int
load_fresh(struct tg_cfg *cfg, const char *path, char *err, size_t errlen)
{
	cfg_defaults(cfg);
	return path == NULL ? 0 : cfg_load(cfg, path, err, errlen);
}

/* The bytes of row R's value in CFG: OFF/LEN, twice for a range. */
static int
same_value(const struct row *r, const struct tg_cfg *a,
    const struct tg_cfg *b)
{
	size_t len = r->kind == K_RANGE ? sizeof(int) : r->size;

	if (memcmp((const char *)a + r->off, (const char *)b + r->off,
	    len) != 0)
		return 0;
	return r->kind != K_RANGE || memcmp((const char *)a + r->size,
	    (const char *)b + r->size, sizeof(int)) == 0;
}

static void
copy_value(const struct row *r, struct tg_cfg *dst, const struct tg_cfg *src)
{
	size_t len = r->kind == K_RANGE ? sizeof(int) : r->size;

	memcpy((char *)dst + r->off, (const char *)src + r->off, len);
	if (r->kind == K_RANGE)
		memcpy((char *)dst + r->size, (const char *)src + r->size,
		    sizeof(int));
}

int
cfg_reload(struct tg_cfg *cfg, const char *path, enum cfg_prog prog,
    char *err, size_t errlen)
{
	struct tg_cfg n;
	size_t i;

	if (load_fresh(&n, path, err, errlen) == -1)
		return -1;
	for (i = 0; i < NROWS; i++) {
		if ((rows[i].restart & prog) == 0 ||
		    same_value(&rows[i], cfg, &n))
			continue;
		log_warn("reload: %s changed: takes effect on restart",
		    rows[i].name);
		copy_value(&rows[i], &n, cfg);
	}
	*cfg = n;
	return 0;
}

int
cfg_key(size_t i, struct cfg_key *out)
{
	if (i >= NROWS)
		return -1;
	out->name = rows[i].name;
	out->def = rows[i].def;
	out->readers = rows[i].readers;
	out->restart = rows[i].restart;
	return 0;
}
