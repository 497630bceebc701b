/*
 * t_argv.c - unit tests of the backend command lines (argv.c).
 *
 * The template is split once and host fields substituted per word, so a
 * hostile host row ("-oProxyCommand=x", "a b", "$(x)") can neither become
 * an option nor a second argument; the tables below are what such rows
 * would try. The backend tables pin the exact ttyd and shellinabox lines.
 */
#include <stdio.h>
#include <string.h>

#include "argv.h"
#include "holder.h"
#include "suites.h"

#define ID	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"
#define TMPL	"ssh -tt -p {ssh_port} -- {ssh_user}@{address}"

static const struct argv_fields good = { "db1.example.org", "ops", "22",
    "db1", "DB one", ID };

/* Joins A's words with '|' into BUF. */
static const char *
join(const struct tg_argv *a, char *buf, size_t len)
{
	int i;

	buf[0] = '\0';
	for (i = 0; i < a->n; i++) {
		if (i > 0)
			strlcat(buf, "|", len);
		strlcat(buf, a->v[i], len);
	}
	return buf;
}

struct ccase {
	const char	*tmpl;
	const char	*address;	/* NULL: the good one */
	const char	*ssh_user;
	const char	*want;		/* NULL: refused */
};

static const struct ccase commands[] = {
	{ TMPL, NULL, NULL, "ssh|-tt|-p|22|--|ops@db1.example.org" },
	{ "  ssh   {address}  ", NULL, NULL, "ssh|db1.example.org" },
	{ "echo {host_id}:{session_id}", NULL, NULL, "echo|db1:" ID },
	{ "echo {host_name}", NULL, NULL, "echo|DB one" },
	{ "-x {address}", NULL, NULL, "-x|db1.example.org" },
	/* injection: refused, never split, never an option */
	{ TMPL, "-oProxyCommand=x", NULL, NULL },
	{ "ssh {address}", "-oProxyCommand=x", NULL, NULL },
	{ "ssh {ssh_user}", NULL, "-oProxyCommand=x", NULL },
	{ TMPL, "a b", NULL, NULL },
	{ TMPL, "$(x)", NULL, NULL },
	{ TMPL, "`x`", NULL, NULL },
	{ TMPL, "a;b", NULL, NULL },
	{ TMPL, NULL, "a b", NULL },
	{ TMPL, NULL, "$(x)", NULL },
	{ TMPL, "", NULL, NULL },
	/* template errors */
	{ "ssh {nope}", NULL, NULL, NULL },
	{ "ssh {address", NULL, NULL, NULL },
	{ "ssh address}", NULL, NULL, NULL },
	{ "   ", NULL, NULL, NULL },
};

static void
test_command(void)
{
	struct tg_argv a;
	struct argv_fields f;
	char err[128], buf[1024], desc[256];
	size_t i;
	int rv;

	for (i = 0; i < T_NELEM(commands); i++) {
		f = good;
		if (commands[i].address)
			f.address = commands[i].address;
		if (commands[i].ssh_user)
			f.ssh_user = commands[i].ssh_user;
		rv = argv_command(&a, commands[i].tmpl, &f, err, sizeof(err));
		snprintf(desc, sizeof(desc), "row %zu: %s a=%s u=%s", i,
		    commands[i].tmpl, f.address, f.ssh_user);
		if (commands[i].want == NULL) {
			T_ASSERT(rv == -1, desc);
			continue;
		}
		T_ASSERT(rv == 0, desc);
		if (rv == 0)
			T_ASSERT(strcmp(join(&a, buf, sizeof(buf)),
			    commands[i].want) == 0, desc);
	}
}

/* No value of a hostile row ever starts a word with '-' or adds one. */
static void
test_injection_words(void)
{
	static const char *const bad[] = { "-oProxyCommand=x", "a b",
	    "$(x)", "--", "-", "a\tb", "a\nb", "x -oProxyCommand=y" };
	struct argv_fields f;
	struct tg_argv a;
	char err[128];
	size_t i;

	for (i = 0; i < T_NELEM(bad); i++) {
		f = good;
		f.address = bad[i];
		T_ASSERT(argv_command(&a, TMPL, &f, err, sizeof(err)) == -1,
		    bad[i]);
		T_ASSERT(strstr(err, bad[i]) == NULL, "reason quotes value");
		f = good;
		f.ssh_user = bad[i];
		T_ASSERT(argv_command(&a, TMPL, &f, err, sizeof(err)) == -1,
		    bad[i]);
		f = good;
		f.ssh_port = bad[i];
		T_ASSERT(argv_command(&a, TMPL, &f, err, sizeof(err)) == -1,
		    bad[i]);
	}
	f = good;
	f.ssh_port = "0";
	T_ASSERT(argv_command(&a, TMPL, &f, err, sizeof(err)) == -1, "port 0");
	f.ssh_port = "65536";
	T_ASSERT(argv_command(&a, TMPL, &f, err, sizeof(err)) == -1,
	    "port 65536");
}

struct bcase {
	const char		*name;
	struct argv_backend	 b;
	const char		*want;
};

#define BASE	"/terminal/" ID
/*
 * No unix socket owner is asked of either backend but its own user and
 * group (ttyd: no -U at all); the supervisor gives the socket to
 * socket_group (events.c, fix_socket).
 */
static const struct bcase backends[] = {
	{ "ttyd unix", { 0, "/usr/bin/ttyd", "/run/t/" ID ".sock", 0, NULL,
	    "nobody", "nogroup", "/", BASE, 0, 0 },
	    "/usr/bin/ttyd|-i|/run/t/" ID ".sock|-b|" BASE
	    "|-W|--|ssh|-tt|-p|22|--|ops@db1.example.org" },
	{ "ttyd tcp", { 0, "/usr/bin/ttyd", NULL, 7680, "termgate:SECRET",
	    "root", "www-data", "/root", BASE, 0, 0 },
	    "/usr/bin/ttyd|-p|7680|-i|127.0.0.1|-c|termgate:SECRET|-b|" BASE
	    "|-W|--|ssh|-tt|-p|22|--|ops@db1.example.org" },
	{ "ttyd max_clients", { 0, "/usr/bin/ttyd", "/run/t/" ID ".sock", 0,
	    NULL, "nobody", "nogroup", "/", BASE, 4, 0 },
	    "/usr/bin/ttyd|-i|/run/t/" ID ".sock|-b|" BASE
	    "|-W|-m|4|--|ssh|-tt|-p|22|--|ops@db1.example.org" },
	{ "shellinabox unix", { 1, "/usr/bin/shellinaboxd",
	    "/run/t/" ID ".sock", 0, NULL, "nobody", "nogroup", "/",
	    BASE, 0, 0 },
	    "/usr/bin/shellinaboxd|-t|-q|--unixdomain-only=/run/t/"
	    ID ".sock:nobody:nogroup:660|-s|" BASE "/:nobody:nogroup:/:"
	    "ssh -tt -p 22 -- ops@db1.example.org" },
	/* the gateway: -a, ttyd appends each WebSocket's arg= to CMD */
	{ "ttyd gateway", { 0, "/usr/bin/ttyd", "/run/t/gateway.sock", 0,
	    NULL, "nobody", "nogroup", "/", "/terminal", 0, 1 },
	    "/usr/bin/ttyd|-i|/run/t/gateway.sock|-b|/terminal"
	    "|-W|-a|--|ssh|-tt|-p|22|--|ops@db1.example.org" },
};

static void
test_backend(void)
{
	struct tg_argv cmd, a;
	char err[128], buf[8192];
	size_t i;

	T_ASSERT(argv_command(&cmd, TMPL, &good, err, sizeof(err)) == 0,
	    "command");
	for (i = 0; i < T_NELEM(backends); i++) {
		T_ASSERT(argv_backend(&a, &backends[i].b, &cmd, err,
		    sizeof(err)) == 0, backends[i].name);
		/* (shellinabox's share slots follow: test_shellinabox_slots) */
		T_ASSERT(strncmp(join(&a, buf, sizeof(buf)), backends[i].want,
		    strlen(backends[i].want) + 1 - backends[i].b.shellinabox)
		    == 0, backends[i].name);
		T_ASSERT(a.v[a.n] == NULL, "NULL-terminated");
	}
}

#define SIAB_CMD	":nobody:nogroup:/:ssh -tt -p 22 -- ops@db1.example.org"
#define ZEROS62 \
	"00000000000000000000000000000000000000000000000000000000000000"

/* After the owner's service, one for each share slot (holder.h): BASE-sN/,
 * the command, then the slot's mode and its grant, N in 64 hex digits. */
static void
test_shellinabox_slots(void)
{
	static const struct { int word; const char *want; } slots[] = {
		{ 7, BASE "-s1/" SIAB_CMD " view " ZEROS62 "01" },
		{ 21, BASE "-s8/" SIAB_CMD " view " ZEROS62 "08" },
		{ 23, BASE "-s9/" SIAB_CMD " control " ZEROS62 "09" },
		{ 37, BASE "-s16/" SIAB_CMD " control " ZEROS62 "10" },
	};
	struct tg_argv cmd, a;
	char err[128];
	size_t i;

	T_ASSERT(argv_command(&cmd, TMPL, &good, err, sizeof(err)) == 0 &&
	    argv_backend(&a, &backends[3].b, &cmd, err, sizeof(err)) == 0,
	    "shellinabox with slots");
	T_ASSERT(a.n == 6 + 2 * HOLDER_SLOTS, "two words for each slot");
	for (i = 0; i < T_NELEM(slots); i++)
		T_ASSERT(slots[i].word < a.n &&
		    strcmp(a.v[slots[i].word - 1], "-s") == 0 &&
		    strcmp(a.v[slots[i].word], slots[i].want) == 0,
		    slots[i].want);
}

/* shellinabox re-splits its -s string: a word with a space is refused. */
static void
test_shellinabox_refuses(void)
{
	static const char *const tmpls[] = { "echo {host_name}",
	    "echo $HOME", "sh -c x;y", "echo 'q'" };
	struct argv_backend b = backends[3].b;
	struct tg_argv cmd, a;
	char err[128];
	size_t i;

	T_ASSERT(b.shellinabox && b.socket != NULL, "backends[3] is siab");

	for (i = 0; i < T_NELEM(tmpls); i++) {
		T_ASSERT(argv_command(&cmd, tmpls[i], &good, err,
		    sizeof(err)) == 0, tmpls[i]);
		T_ASSERT(argv_backend(&a, &b, &cmd, err, sizeof(err)) == -1,
		    tmpls[i]);
	}
	T_ASSERT(argv_command(&cmd, TMPL, &good, err, sizeof(err)) == 0,
	    "cmd");
	/* tcp mode: --localhost-only would take any local connection. */
	b.socket = NULL;
	b.port = 7681;
	T_ASSERT(argv_backend(&a, &b, &cmd, err, sizeof(err)) == -1,
	    "tcp mode");
	b = backends[3].b;
	b.home = "/a:b";
	T_ASSERT(argv_backend(&a, &b, &cmd, err, sizeof(err)) == -1,
	    "colon in home");
}

static void
test_too_long(void)
{
	static char tmpl[ARGV_BUF + 64];
	struct tg_argv a;
	char err[128];
	size_t i;

	for (i = 0; i + 2 < sizeof(tmpl); i += 2)
		memcpy(tmpl + i, "x ", 2);
	tmpl[i] = '\0';
	T_ASSERT(argv_command(&a, tmpl, &good, err, sizeof(err)) == -1,
	    "too many words");
}

int
suite_argv_register(void)
{
	static const struct t_case cases[] = {
		{ "command templates", test_command },
		{ "injection never splits or starts an option",
		    test_injection_words },
		{ "backend command lines", test_backend },
		{ "shellinabox refuses what it would reinterpret",
		    test_shellinabox_refuses },
		{ "shellinabox serves each share slot",
		    test_shellinabox_slots },
		{ "too long", test_too_long },
	};

	return t_register("argv", cases, T_NELEM(cases));
}
