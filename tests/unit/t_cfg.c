/*
 * t_cfg.c - unit tests of the configuration table and file reader.
 *
 * Checks every documented default (DESIGN.md section 3), the parsing of each
 * value type, the file syntax (comments, quotes, blank lines) and that every
 * error names the file, line and key. Files are written with mkstemp under
 * /tmp and removed again.
 */
#define _DEFAULT_SOURCE		/* mkstemp under -std=c11 */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "suites.h"

#define OFF(f)	offsetof(struct tg_cfg, f)

static const char *
str_at(const struct tg_cfg *cfg, size_t off)
{
	return (const char *)cfg + off;
}

static int
int_at(const struct tg_cfg *cfg, size_t off)
{
	int v;

	memcpy(&v, (const char *)cfg + off, sizeof(v));
	return v;
}

/*
 * Writes LEN bytes of TEXT (strlen when LEN is 0) to a new file under /tmp
 * and its name into PATH; -1 on error.
 */
static int
write_tmp(const char *text, size_t len, char path[64])
{
	int fd;

	strlcpy(path, "/tmp/termgate-t_cfg.XXXXXX", 64);
	if ((fd = mkstemp(path)) == -1)
		return -1;
	if (len == 0)
		len = strlen(text);
	if (write(fd, text, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	return 0;
}

/* Loads TEXT as a file over the defaults; returns cfg_load's result. */
static int
load_text(const char *text, size_t len, struct tg_cfg *cfg, char *err,
    size_t errlen, char path[64])
{
	int rc;

	cfg_defaults(cfg);
	if (write_tmp(text, len, path) == -1) {
		CU_FAIL("cannot write a temporary file");
		return -2;
	}
	rc = cfg_load(cfg, path, err, errlen);
	unlink(path);
	return rc;
}

static const struct {
	const char	*key;
	size_t		 off;
	const char	*want;
} str_defaults[] = {
	{ "database", OFF(database), "dbname=termgate" },
	{ "listen", OFF(listen), "unix:/run/termgate/fcgi.sock" },
	{ "socket_dir", OFF(socket_dir), "/run/termgate/terminals" },
	{ "socket_group", OFF(socket_group), "www-data" },
	{ "node", OFF(node), "local" },
	{ "backend_path", OFF(backend_path), "" },
	{ "terminal_command", OFF(terminal_command),
	    "ssh -tt -e none -o ClearAllForwardings=yes -o ForwardAgent=no"
	    " -o PermitLocalCommand=no -p {ssh_port} -- {ssh_user}@{address}" },
	{ "run_as", OFF(run_as), "" },
	{ "url_prefix", OFF(url_prefix), "/terminal" },
	{ "admin_users", OFF(admin_users), "" },
};

static const struct {
	const char	*key;
	size_t		 off;
	int		 want;
} int_defaults[] = {
	{ "workers", OFF(workers), 0 },
	{ "max_sessions_per_user", OFF(max_sessions_per_user), 3 },
	{ "session_ttl", OFF(session_ttl), 1800 },
	{ "idle_timeout", OFF(idle_timeout), 120 },
	{ "heartbeat_interval", OFF(heartbeat_interval), 30 },
	{ "beacon_grace", OFF(beacon_grace), 5 },
	{ "terminal_listen", OFF(terminal_listen), TG_LISTEN_UNIX },
	{ "port_range (lo)", OFF(port_lo), 7680 },
	{ "port_range (hi)", OFF(port_hi), 7779 },
	{ "backend", OFF(backend), TG_BACKEND_TTYD },
	{ "spawn_timeout", OFF(spawn_timeout), 5 },
	{ "kill_grace", OFF(kill_grace), 3 },
	{ "gc_interval", OFF(gc_interval), 10 },
	{ "cookie_secure", OFF(cookie_secure), 1 },
	{ "history_retention_days", OFF(history_retention_days), 90 },
	{ "session_retention_days", OFF(session_retention_days), 30 },
	{ "node_tls", OFF(node_tls), 0 },
	{ "node_auth_ttl", OFF(node_auth_ttl), 30 },
};

static void
test_defaults(void)
{
	struct tg_cfg cfg;
	size_t i;

	memset(&cfg, 0x5a, sizeof(cfg));
	cfg_defaults(&cfg);
	for (i = 0; i < T_NELEM(str_defaults); i++)
		T_ASSERT(strcmp(str_at(&cfg, str_defaults[i].off),
		    str_defaults[i].want) == 0, str_defaults[i].key);
	for (i = 0; i < T_NELEM(int_defaults); i++)
		T_ASSERT(int_at(&cfg, int_defaults[i].off) ==
		    int_defaults[i].want, int_defaults[i].key);
}

/* A value that cfg_set accepts, and where it lands. */
static const struct {
	const char	*key, *value;
	size_t		 off;
	const char	*want_str;	/* NULL: compare want_int */
	int		 want_int;
} good_sets[] = {
	{ "workers", "0", OFF(workers), NULL, 0 },
	{ "workers", "1", OFF(workers), NULL, 1 },
	{ "workers", "256", OFF(workers), NULL, 256 },
	{ "max_sessions_per_user", "1000", OFF(max_sessions_per_user),
	    NULL, 1000 },
	{ "session_ttl", "2592000", OFF(session_ttl), NULL, 2592000 },
	{ "beacon_grace", "0", OFF(beacon_grace), NULL, 0 },
	{ "kill_grace", "0", OFF(kill_grace), NULL, 0 },
	{ "spawn_timeout", "120", OFF(spawn_timeout), NULL, 120 },
	{ "cookie_secure", "false", OFF(cookie_secure), NULL, 0 },
	{ "cookie_secure", "no", OFF(cookie_secure), NULL, 0 },
	{ "cookie_secure", "off", OFF(cookie_secure), NULL, 0 },
	{ "cookie_secure", "0", OFF(cookie_secure), NULL, 0 },
	{ "cookie_secure", "true", OFF(cookie_secure), NULL, 1 },
	{ "cookie_secure", "yes", OFF(cookie_secure), NULL, 1 },
	{ "cookie_secure", "on", OFF(cookie_secure), NULL, 1 },
	{ "cookie_secure", "1", OFF(cookie_secure), NULL, 1 },
	{ "terminal_listen", "tcp", OFF(terminal_listen), NULL,
	    TG_LISTEN_TCP },
	{ "terminal_listen", "unix", OFF(terminal_listen), NULL,
	    TG_LISTEN_UNIX },
	{ "backend", "shellinabox", OFF(backend), NULL,
	    TG_BACKEND_SHELLINABOX },
	{ "backend", "ttyd", OFF(backend), NULL, TG_BACKEND_TTYD },
	{ "port_range", "80-80", OFF(port_lo), NULL, 80 },
	{ "port_range", "80-80", OFF(port_hi), NULL, 80 },
	{ "port_range", "1-10000", OFF(port_lo), NULL, 1 },
	{ "port_range", "1-10000", OFF(port_hi), NULL, 10000 },
	{ "port_range", "55536-65535", OFF(port_hi), NULL, 65535 },
	{ "listen", "", OFF(listen), "", 0 },
	{ "listen", "127.0.0.1:9000", OFF(listen), "127.0.0.1:9000", 0 },
	{ "node", "node-1.dc_2", OFF(node), "node-1.dc_2", 0 },
	/* the longest socket_dir whose DIR/ID.sock fits sun_path */
	{ "socket_dir", "/tmp/dddddddddddddddddddddddddddddddd", OFF(socket_dir),
	    "/tmp/dddddddddddddddddddddddddddddddd", 0 },
	{ "url_prefix", "/t", OFF(url_prefix), "/t", 0 },
	{ "url_prefix", "/a/b-c", OFF(url_prefix), "/a/b-c", 0 },
	{ "run_as", "termgate", OFF(run_as), "termgate", 0 },
	{ "admin_users", "alice, bob", OFF(admin_users), "alice, bob", 0 },
	{ "node_address", "", OFF(node_address), "", 0 },
	{ "node_address", "10.0.0.5:7443", OFF(node_address), "10.0.0.5:7443",
	    0 },
	{ "node_address", "node-b.dc_1.example:1", OFF(node_address),
	    "node-b.dc_1.example:1", 0 },
	{ "node_address", "[fd00::5]:65535", OFF(node_address),
	    "[fd00::5]:65535", 0 },
	{ "node_capacity", "0", OFF(node_capacity), NULL, 0 },
	{ "node_capacity", "1000000", OFF(node_capacity), NULL, 1000000 },
	{ "node_secret_file", "", OFF(node_secret_file), "", 0 },
	{ "node_secret_file", "/etc/termgate/node.secret",
	    OFF(node_secret_file), "/etc/termgate/node.secret", 0 },
	{ "node_lost_after", "3", OFF(node_lost_after), NULL, 3 },
	{ "node_lost_after", "86400", OFF(node_lost_after), NULL, 86400 },
	{ "node_tls", "on", OFF(node_tls), NULL, 1 },
	{ "node_auth_ttl", "5", OFF(node_auth_ttl), NULL, 5 },
	{ "node_auth_ttl", "300", OFF(node_auth_ttl), NULL, 300 },
	{ "node_addresses", "", OFF(node_addresses), "", 0 },
	{ "node_addresses", "a=10.0.0.5:7443", OFF(node_addresses),
	    "a=10.0.0.5:7443", 0 },
	{ "node_addresses", "a=10.0.0.5:7443  b.x=[fd00::6]:1\tc=n-c:9",
	    OFF(node_addresses), "a=10.0.0.5:7443  b.x=[fd00::6]:1\tc=n-c:9",
	    0 },
};

static void
test_set_good(void)
{
	struct tg_cfg cfg;
	char err[256], desc[128];
	size_t i;
	int rc;

	for (i = 0; i < T_NELEM(good_sets); i++) {
		cfg_defaults(&cfg);
		err[0] = '\0';
		rc = cfg_set(&cfg, good_sets[i].key, good_sets[i].value,
		    err, sizeof(err));
		snprintf(desc, sizeof(desc), "cfg_set %s = \"%.30s\": %.60s",
		    good_sets[i].key, good_sets[i].value, err);
		T_ASSERT(rc == 0, desc);
		if (good_sets[i].want_str != NULL)
			T_ASSERT(strcmp(str_at(&cfg, good_sets[i].off),
			    good_sets[i].want_str) == 0, desc);
		else
			T_ASSERT(int_at(&cfg, good_sets[i].off) ==
			    good_sets[i].want_int, desc);
	}
}

#define X10	"xxxxxxxxxx"
#define X64	X10 X10 X10 X10 X10 X10 "xxxx"
#define X512	X64 X64 X64 X64 X64 X64 X64 X64

/* A value that cfg_set refuses, and a word its reason must contain. */
static const struct {
	const char	*key, *value, *reason;
} bad_sets[] = {
	{ "nope", "1", "unknown key" },
	{ "Workers", "4", "unknown key" },
	{ "workers", "-1", "not a number" },
	{ "workers", "257", "too large" },
	{ "workers", "", "not a number" },
	{ "workers", "four", "not a number" },
	{ "workers", "4x", "not a number" },
	{ "workers", " 4", "not a number" },
	{ "workers", "+4", "not a number" },
	{ "workers", "-1", "not a number" },
	{ "workers", "99999999999999999999", "too large" },
	{ "session_ttl", "0", "too small" },
	{ "session_ttl", "2592001", "too large" },
	{ "beacon_grace", "3601", "too large" },
	{ "spawn_timeout", "0", "too small" },
	{ "spawn_timeout", "121", "too large" },
	{ "kill_grace", "301", "too large" },
	{ "cookie_secure", "maybe", "expected true/false" },
	{ "cookie_secure", "", "expected true/false" },
	{ "cookie_secure", "TRUE", "expected true/false" },
	{ "terminal_listen", "udp", "expected unix or tcp" },
	{ "terminal_listen", "", "expected unix or tcp" },
	{ "backend", "TTYD", "expected ttyd or shellinabox" },
	{ "backend", "gotty", "expected ttyd or shellinabox" },
	{ "port_range", "7680", "expected LO-HI" },
	{ "port_range", "", "expected LO-HI" },
	{ "port_range", "100-50", "LO must not exceed HI" },
	{ "port_range", "0-10", "too small" },
	{ "port_range", "1-65536", "too large" },
	{ "port_range", "1-10001", "at most 10000 ports" },
	{ "port_range", "a-b", "not a number" },
	{ "port_range", "5-", "not a number" },
	{ "port_range", "-5", "not a number" },
	{ "port_range", "1-2-3", "not a number" },
	{ "port_range", "12345678901234567-1", "expected LO-HI" },
	{ "node", "", "must be 1-63" },
	{ "node", "a b", "must be 1-63" },
	{ "node", "a/b", "must be 1-63" },
	{ "node", X64, "too long" },
	{ "node", "a:b", "must be 1-63" },
	{ "socket_dir", "run/terminals", "absolute path" },
	{ "socket_dir", "/run/termgate/../etc", "names of" },
	{ "socket_dir", "/run/termgate/", "names of" },
	{ "socket_dir", "/run//termgate", "names of" },
	{ "socket_dir", "/", "names of" },
	{ "socket_dir", "/run/.hidden", "names of" },
	{ "socket_dir", "/run/ter minals", "names of" },
	{ "socket_dir", "/run/t+x", "names of" },
	{ "socket_dir", "/home/someone/projects/termgate/run/terminals",
	    "too long for a unix socket path" },
	{ "url_prefix", "terminal", "must start with '/'" },
	{ "url_prefix", "/terminal/", "not end with '/'" },
	{ "url_prefix", "/", "must start with '/'" },
	{ "url_prefix", "", "must start with '/'" },
	{ "url_prefix", "/a b", "must be a path" },
	{ "url_prefix", "/a;b", "must be a path" },
	{ "url_prefix", "/a//b", "must be a path" },
	{ "database", X512, "too long" },
	{ "node_address", "10.0.0.5", "must be HOST:PORT" },
	{ "node_address", ":7443", "must be HOST:PORT" },
	{ "node_address", "10.0.0.5:0", "must be HOST:PORT" },
	{ "node_address", "10.0.0.5:65536", "must be HOST:PORT" },
	{ "node_address", "10.0.0.5:07443", "must be HOST:PORT" },
	{ "node_address", "10.0.0.5:74a", "must be HOST:PORT" },
	{ "node_address", "a b:80", "must be HOST:PORT" },
	{ "node_address", "a/b:80", "must be HOST:PORT" },
	{ "node_address", "unix:/run/x.sock", "must be HOST:PORT" },
	{ "node_address", "fd00::5:80", "must be HOST:PORT" },
	{ "node_address", "[]:80", "must be HOST:PORT" },
	{ "node_address", "[fd00::g]:80", "must be HOST:PORT" },
	{ "node_capacity", "-1", "not a number" },
	{ "node_capacity", "1000001", "too large" },
	{ "node_secret_file", "node.secret", "absolute path" },
	{ "node_lost_after", "2", "too small" },
	{ "node_lost_after", "86401", "too large" },
	{ "node_tls", "tls", "expected true/false" },
	{ "node_auth_ttl", "4", "too small" },
	{ "node_auth_ttl", "301", "too large" },
	{ "node_addresses", "a", "NODE=HOST:PORT" },
	{ "node_addresses", "a=", "NODE=HOST:PORT" },
	{ "node_addresses", "=10.0.0.5:7443", "NODE=HOST:PORT" },
	{ "node_addresses", "a=10.0.0.5", "NODE=HOST:PORT" },
	{ "node_addresses", "a/b=10.0.0.5:1", "NODE=HOST:PORT" },
	{ "node_addresses", "a=10.0.0.5:1 b", "NODE=HOST:PORT" },
	{ "node_addresses", "a=10.0.0.5:1,b=10.0.0.6:1", "NODE=HOST:PORT" },
	{ "node_addresses", X64 "=10.0.0.5:1", "NODE=HOST:PORT" },
	{ "node_addresses", "a=10.0.0.5:1 b=10.0.0.6:1 a=10.0.0.7:1",
	    "names a node twice" },
	{ "socket_group", X64, "too long" },
};

static void
test_set_bad(void)
{
	struct tg_cfg cfg, before;
	char err[256], desc[384];
	size_t i;
	int rc;

	for (i = 0; i < T_NELEM(bad_sets); i++) {
		cfg_defaults(&cfg);
		before = cfg;
		err[0] = '\0';
		rc = cfg_set(&cfg, bad_sets[i].key, bad_sets[i].value,
		    err, sizeof(err));
		snprintf(desc, sizeof(desc), "cfg_set %s = \"%.40s\" -> %s",
		    bad_sets[i].key, bad_sets[i].value, err);
		T_ASSERT(rc == -1, desc);
		T_ASSERT(strstr(err, bad_sets[i].reason) != NULL, desc);
		T_ASSERT(memcmp(&cfg, &before, sizeof(cfg)) == 0, desc);
	}
}

static void
test_load_good(void)
{
	static const char text[] =
	    "# termgate.conf\n"
	    "\n"
	    "   # indented comment\n"
	    "database = host=/run/postgresql dbname=tg\n"
	    "listen =\n"
	    "workers=8\n"
	    "\tmax_sessions_per_user\t=\t5\t\n"
	    "terminal_listen = tcp # pool mode\n"
	    "port_range = 9000-9099\n"
	    "backend = \"shellinabox\"\n"
	    "terminal_command = \"ssh -- {ssh_user}@{address} # kept\"\n"
	    "cookie_secure = off\n"
	    "node = first\n"
	    "node = second\r\n"
	    "admin_users = alice,bob";
	struct tg_cfg cfg;
	char err[256] = "", path[64];

	CU_ASSERT_EQUAL_FATAL(load_text(text, 0, &cfg, err, sizeof(err),
	    path), 0);
	CU_ASSERT_STRING_EQUAL(cfg.database, "host=/run/postgresql dbname=tg");
	CU_ASSERT_STRING_EQUAL(cfg.listen, "");
	CU_ASSERT_EQUAL(cfg.workers, 8);
	CU_ASSERT_EQUAL(cfg.max_sessions_per_user, 5);
	CU_ASSERT_EQUAL(cfg.terminal_listen, TG_LISTEN_TCP);
	CU_ASSERT_EQUAL(cfg.port_lo, 9000);
	CU_ASSERT_EQUAL(cfg.port_hi, 9099);
	CU_ASSERT_EQUAL(cfg.backend, TG_BACKEND_SHELLINABOX);
	CU_ASSERT_STRING_EQUAL(cfg.terminal_command,
	    "ssh -- {ssh_user}@{address} # kept");
	CU_ASSERT_EQUAL(cfg.cookie_secure, 0);
	CU_ASSERT_STRING_EQUAL(cfg.node, "second");
	CU_ASSERT_STRING_EQUAL(cfg.admin_users, "alice,bob");
	/* Keys not in the file keep their defaults. */
	CU_ASSERT_EQUAL(cfg.session_ttl, 1800);
	CU_ASSERT_STRING_EQUAL(cfg.url_prefix, "/terminal");
}

/* One-line files and the value of terminal_command they give. */
static const struct {
	const char	*line, *want;
} value_forms[] = {
	{ "terminal_command = a b c", "a b c" },
	{ "terminal_command=a", "a" },
	{ "  terminal_command   =   a  ", "a" },
	{ "terminal_command = \"a b\"", "a b" },
	{ "terminal_command = \"  a  \"", "  a  " },
	{ "terminal_command = \"a # b\" # c", "a # b" },
	{ "terminal_command = \"\"", "" },
	{ "terminal_command =", "" },
	{ "terminal_command = # only a comment", "" },
	{ "terminal_command = a # comment", "a" },
	{ "terminal_command = a\t# comment", "a" },
	{ "terminal_command = a#b", "a#b" },
	{ "terminal_command = a=b", "a=b" },
	{ "terminal_command = a\"b\"", "a\"b\"" },
	{ "terminal_command = x\r", "x" },
};

static void
test_value_forms(void)
{
	struct tg_cfg cfg;
	char err[256], path[64], desc[128];
	size_t i;
	int rc;

	for (i = 0; i < T_NELEM(value_forms); i++) {
		err[0] = '\0';
		rc = load_text(value_forms[i].line, 0, &cfg, err, sizeof(err),
		    path);
		snprintf(desc, sizeof(desc), "'%.50s' -> '%.20s' %.40s",
		    value_forms[i].line, cfg.terminal_command, err);
		T_ASSERT(rc == 0, desc);
		T_ASSERT(strcmp(cfg.terminal_command, value_forms[i].want) == 0,
		    desc);
	}
}

#define NUL_FILE	"workers = 4\nnode = a\0b\n"

/* A file that fails, what follows "PATH:" in the error, and its reason. */
static const struct {
	const char	*text;
	size_t		 len;		/* 0: strlen(text) */
	const char	*after_path;
	const char	*reason;
} bad_files[] = {
	{ "nope = 1\n", 0, "1: nope: ", "unknown key" },
	{ "# c\n\nspawn_timeout = 0\n", 0, "3: spawn_timeout: ",
	    "too small" },
	{ "workers = 4\nworkers = lots\n", 0, "2: workers: ", "not a number" },
	{ "cookie_secure = perhaps", 0, "1: cookie_secure: ",
	    "expected true/false" },
	{ "backend = xterm", 0, "1: backend: ", "expected ttyd" },
	{ "port_range = 9-1", 0, "1: port_range: ", "LO must not exceed" },
	{ "node = \"abc\n", 0, "1: node: ", "missing closing quote" },
	{ "node = \"abc\" def\n", 0, "1: node: ", "text after closing quote" },
	{ "url_prefix = /x/\n", 0, "1: url_prefix: ", "not end with '/'" },
	{ "database = \"" X512 "\"\n", 0, "1: database: ", "too long" },
	{ "workers 4\n", 0, "1: syntax error: expected key = value", "" },
	{ "\n\n = 4\n", 0, "3: syntax error: expected key = value", "" },
	{ NUL_FILE, sizeof(NUL_FILE) - 1, "2: ", "NUL byte" },
};

static void
test_load_errors(void)
{
	struct tg_cfg cfg;
	char err[512], path[64], want[128], desc[700];
	size_t i;
	int rc;

	for (i = 0; i < T_NELEM(bad_files); i++) {
		err[0] = '\0';
		rc = load_text(bad_files[i].text, bad_files[i].len, &cfg, err,
		    sizeof(err), path);
		snprintf(want, sizeof(want), "%s:%s", path,
		    bad_files[i].after_path);
		snprintf(desc, sizeof(desc), "case %zu: '%s' should start "
		    "'%s' and hold '%s'", i, err, want, bad_files[i].reason);
		T_ASSERT(rc == -1, desc);
		T_ASSERT(strncmp(err, want, strlen(want)) == 0, desc);
		T_ASSERT(strstr(err + strlen(want), bad_files[i].reason) !=
		    NULL, desc);
	}
}

/* Exactly "PATH:1: syntax error: expected key = value", nothing after. */
static void
test_load_syntax_exact(void)
{
	struct tg_cfg cfg;
	char err[256], path[64], want[128];

	CU_ASSERT_EQUAL(load_text("just words\n", 0, &cfg, err, sizeof(err),
	    path), -1);
	snprintf(want, sizeof(want), "%s:1: syntax error: expected key = value",
	    path);
	CU_ASSERT_STRING_EQUAL(err, want);
}

/* 4096 bytes is the longest line; one more is an error naming the line. */
static void
test_load_long_line(void)
{
	struct tg_cfg cfg;
	char *text, err[256], path[64], want[128];

	text = malloc(4 + 4097 + 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	memcpy(text, "\n\n\n#", 4);
	memset(text + 4, 'x', 4095);
	text[4099] = '\0';
	CU_ASSERT_EQUAL(load_text(text, 0, &cfg, err, sizeof(err), path), 0);
	text[4099] = 'x';
	text[4100] = '\0';
	CU_ASSERT_EQUAL(load_text(text, 0, &cfg, err, sizeof(err), path), -1);
	snprintf(want, sizeof(want), "%s:4: line too long", path);
	CU_ASSERT_STRING_EQUAL(err, want);
	free(text);
}

static void
test_load_missing(void)
{
	struct tg_cfg cfg;
	char err[256], want[256];
	const char *path = "/nonexistent/termgate/termgate.conf";

	cfg_defaults(&cfg);
	CU_ASSERT_EQUAL(cfg_load(&cfg, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: %s", path, strerror(ENOENT));
	CU_ASSERT_STRING_EQUAL(err, want);
}

/* An error message longer than ERR is cut, still NUL-terminated. */
static void
test_load_small_err(void)
{
	struct tg_cfg cfg;
	char err[8], path[64];

	memset(err, 'z', sizeof(err));
	CU_ASSERT_EQUAL(load_text("nope = 1\n", 0, &cfg, err, sizeof(err),
	    path), -1);
	CU_ASSERT_EQUAL(strlen(err), sizeof(err) - 1);
	CU_ASSERT_EQUAL(strncmp(err, path, sizeof(err) - 1), 0);
}

static const struct {
	const char	*admins, *user;
	int		 want;
} admin_cases[] = {
	{ "alice,bob", "alice", 1 },
	{ "alice,bob", "bob", 1 },
	{ " alice , bob ", "bob", 1 },
	{ " alice , bob ", "alice", 1 },
	{ "alice,\tbob\t", "bob", 1 },
	{ "alice", "alice", 1 },
	{ "alice", "ali", 0 },
	{ "alice", "alice2", 0 },
	{ "alice", "Alice", 0 },
	{ "alice", " alice", 0 },
	{ "alice,bob", "alice,bob", 0 },
	{ "alice,,bob", "", 0 },
	{ "", "", 0 },
	{ "", "alice", 0 },
	{ ",", "alice", 0 },
	{ "mallory.alice", "alice", 0 },
};

static void
test_is_admin(void)
{
	struct tg_cfg cfg;
	char desc[128];
	size_t i;

	cfg_defaults(&cfg);
	for (i = 0; i < T_NELEM(admin_cases); i++) {
		strlcpy(cfg.admin_users, admin_cases[i].admins,
		    sizeof(cfg.admin_users));
		snprintf(desc, sizeof(desc), "'%s' in '%s' should be %d",
		    admin_cases[i].user, admin_cases[i].admins,
		    admin_cases[i].want);
		T_ASSERT(cfg_is_admin(&cfg, admin_cases[i].user) ==
		    admin_cases[i].want, desc);
	}
	CU_ASSERT_EQUAL(cfg_is_admin(&cfg, NULL), 0);
}

/*
 * A reload applies what the program reads afresh and keeps what it was
 * built from: for the supervisor, node and socket_dir; for termgate-fcgi,
 * listen; each program by its own flags in the one table.
 */
/* cfg_node_pin finds each node's word, and no other. */
static void
test_node_pin(void)
{
	static const struct {
		const char	*node, *want;	/* want NULL: not pinned */
	} cases[] = {
		{ "a", "10.0.0.5:7443" }, { "b.x", "[fd00::6]:1" },
		{ "c", "n-c:9" }, { "b", NULL }, { "x", NULL }, { "", NULL },
		{ "10.0.0.5:7443", NULL },
	};
	struct tg_cfg cfg;
	char err[256], addr[256], small[4];
	size_t i;

	cfg_defaults(&cfg);
	CU_ASSERT_EQUAL(cfg_node_pin(&cfg, "a", addr, sizeof(addr)), 1);
	CU_ASSERT_EQUAL_FATAL(cfg_set(&cfg, "node_addresses",
	    " a=10.0.0.5:7443  b.x=[fd00::6]:1\tc=n-c:9 ", err,
	    sizeof(err)), 0);
	for (i = 0; i < T_NELEM(cases); i++) {
		strlcpy(addr, "-", sizeof(addr));
		if (cases[i].want == NULL)
			T_ASSERT(cfg_node_pin(&cfg, cases[i].node, addr,
			    sizeof(addr)) == 1 && strcmp(addr, "-") == 0,
			    cases[i].node);
		else
			T_ASSERT(cfg_node_pin(&cfg, cases[i].node, addr,
			    sizeof(addr)) == 0 &&
			    strcmp(addr, cases[i].want) == 0, cases[i].node);
	}
	/* An address that does not fit is not one: never cut. */
	CU_ASSERT_EQUAL(cfg_node_pin(&cfg, "a", small, sizeof(small)), 1);
}

static void
test_reload(void)
{
	struct tg_cfg sup, fcgi;
	char path[64], err[256];

	cfg_defaults(&sup);
	cfg_defaults(&fcgi);
	CU_ASSERT_FATAL(write_tmp("node = other\nsocket_dir = /tmp/x\n"
	    "spawn_timeout = 9\nlisten = 127.0.0.1:9999\nworkers = 7\n"
	    "port_range = 9000-9001\n", 0, path) == 0);
	CU_ASSERT_EQUAL(cfg_reload(&sup, path, CFG_SUP, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(sup.node, "local");
	CU_ASSERT_STRING_EQUAL(sup.socket_dir, "/run/termgate/terminals");
	CU_ASSERT_EQUAL(sup.port_lo, 7680);
	CU_ASSERT_EQUAL(sup.port_hi, 7779);
	CU_ASSERT_EQUAL(sup.spawn_timeout, 9);
	CU_ASSERT_EQUAL(cfg_reload(&fcgi, path, CFG_FCGI, err, sizeof(err)),
	    0);
	CU_ASSERT_STRING_EQUAL(fcgi.listen, "unix:/run/termgate/fcgi.sock");
	CU_ASSERT_EQUAL(fcgi.workers, 7);
	CU_ASSERT_STRING_EQUAL(fcgi.node, "other");
	CU_ASSERT_EQUAL(fcgi.spawn_timeout, 9);
	unlink(path);
	/* A broken file changes nothing. */
	CU_ASSERT_FATAL(write_tmp("spawn_timeout = 3\nworkers = lots\n", 0,
	    path) == 0);
	CU_ASSERT_EQUAL(cfg_reload(&fcgi, path, CFG_FCGI, err, sizeof(err)),
	    -1);
	CU_ASSERT_EQUAL(fcgi.spawn_timeout, 9);
	CU_ASSERT_EQUAL(fcgi.workers, 7);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "workers"));
	unlink(path);
	/* No file: back to the defaults, restart-only keys kept. */
	CU_ASSERT_EQUAL(cfg_reload(&fcgi, NULL, CFG_FCGI, err, sizeof(err)),
	    0);
	CU_ASSERT_EQUAL(fcgi.workers, 0);
}

/* Every key is read by someone, restarts only its readers, and its
 * default is one cfg_set accepts. */
static void
test_key_table(void)
{
	struct cfg_key k;
	struct tg_cfg cfg;
	char err[256];
	size_t i;

	cfg_defaults(&cfg);
	for (i = 0; cfg_key(i, &k) == 0; i++) {
		T_ASSERT(k.readers != 0, k.name);
		T_ASSERT((k.restart & ~k.readers) == 0, k.name);
		T_ASSERT(cfg_set(&cfg, k.name, k.def, err, sizeof(err)) == 0,
		    k.name);
	}
	CU_ASSERT(i >= 25);
	CU_ASSERT_EQUAL(cfg_key(i, &k), -1);
}

/* contrib/termgate.conf.example shows every key of the table, commented
 * out, with its default: "#KEY = DEFAULT" (or "#KEY =" when empty). */
static void
test_example_documents_every_key(void)
{
	const char *src = getenv("TG_SRCDIR");
	char path[4096], line[512], want[512];
	struct cfg_key k;
	size_t i;
	FILE *f;
	int found;

	snprintf(path, sizeof(path), "%s/contrib/termgate.conf.example",
	    src ? src : ".");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f = fopen(path, "r"));
	for (i = 0; cfg_key(i, &k) == 0; i++) {
		snprintf(want, sizeof(want), "#%s =%s%s\n", k.name,
		    k.def[0] ? " " : "", k.def);
		rewind(f);
		found = 0;
		while (!found && fgets(line, sizeof(line), f) != NULL)
			found = strcmp(line, want) == 0;
		T_ASSERT(found, want);
	}
	fclose(f);
}

int
suite_cfg_register(void)
{
	static const struct t_case cases[] = {
		{ "defaults of every key", test_defaults },
		{ "the example file shows every key",
		    test_example_documents_every_key },
		{ "cfg_set accepts good values", test_set_good },
		{ "cfg_set refuses bad values", test_set_bad },
		{ "cfg_load reads a full file", test_load_good },
		{ "quotes, comments, spaces", test_value_forms },
		{ "cfg_load errors name PATH:LINE: KEY", test_load_errors },
		{ "syntax error message", test_load_syntax_exact },
		{ "line length limit", test_load_long_line },
		{ "file that cannot be opened", test_load_missing },
		{ "short error buffer", test_load_small_err },
		{ "cfg_is_admin", test_is_admin },
		{ "cfg_node_pin", test_node_pin },
		{ "reload keeps restart-only keys", test_reload },
		{ "the key table", test_key_table },
	};

	return t_register("cfg", cases, T_NELEM(cases));
}
