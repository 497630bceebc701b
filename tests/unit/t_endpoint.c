/*
 * t_endpoint.c - the endpoint parser and formatters (endpoint.c), and the
 * payloads of notify.h: tables of texts each form must accept or refuse.
 */
#include <sys/un.h>

#include <netinet/in.h>

#include <string.h>

#include "endpoint.h"
#include "notify.h"
#include "suites.h"

#define ID	"0123456789abcdef0123456789abcdef" \
		"0123456789abcdef0123456789abcdef"

static const struct {
	const char	*text;
	int		 ok;
	enum ep_kind	 kind;
	const char	*path;
	int		 port;
} parses[] = {
	{ "unix:/run/termgate/terminals/x.sock", 1, EP_UNIX,
	    "/run/termgate/terminals/x.sock", 0 },
	{ "unix:/a", 1, EP_UNIX, "/a", 0 },
	{ "127.0.0.1:7680", 1, EP_TCP, NULL, 7680 },
	{ "127.0.0.1:1", 1, EP_TCP, NULL, 1 },
	{ "127.0.0.1:65535", 1, EP_TCP, NULL, 65535 },
	{ "127.0.0.1:65536", 0, EP_TCP, NULL, 0 },
	{ "127.0.0.1:0", 0, EP_TCP, NULL, 0 },
	{ "127.0.0.1:07680", 0, EP_TCP, NULL, 0 },
	{ "127.0.0.1:+80", 0, EP_TCP, NULL, 0 },
	{ "127.0.0.1:80x", 0, EP_TCP, NULL, 0 },
	{ "127.0.0.1:", 0, EP_TCP, NULL, 0 },
	{ "127.0.0.1: 80", 0, EP_TCP, NULL, 0 },
	{ "10.0.0.1:80", 0, EP_TCP, NULL, 0 },
	{ "localhost:80", 0, EP_TCP, NULL, 0 },
	{ "unix:", 0, EP_UNIX, NULL, 0 },
	{ "unix:relative/x.sock", 0, EP_UNIX, NULL, 0 },
	{ "UNIX:/a", 0, EP_UNIX, NULL, 0 },
	{ "", 0, EP_UNIX, NULL, 0 },
	{ "/run/x.sock", 0, EP_UNIX, NULL, 0 },
	/* 107 bytes of path fit sun_path, 108 do not. */
	{ "unix:/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	    1, EP_UNIX, "/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 0 },
	{ "unix:/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "x",
	    0, EP_UNIX, NULL, 0 },
};

/* Every accepted text formats back to itself. */
static void
test_parse(void)
{
	struct tg_endpoint ep;
	char back[EP_TEXT_MAX];
	size_t i;
	int ok;

	for (i = 0; i < T_NELEM(parses); i++) {
		ok = ep_parse(&ep, parses[i].text) == 0;
		T_ASSERT(ok == parses[i].ok, parses[i].text);
		if (!ok || !parses[i].ok)
			continue;
		T_ASSERT(ep.kind == parses[i].kind, parses[i].text);
		if (ep.kind == EP_UNIX)
			T_ASSERT(strcmp(ep.path, parses[i].path) == 0,
			    parses[i].text);
		else
			T_ASSERT(ep.port == parses[i].port, parses[i].text);
		T_ASSERT(ep_format(&ep, back, sizeof(back)) == 0 &&
		    strcmp(back, parses[i].text) == 0, parses[i].text);
	}
}

static void
test_upstream(void)
{
	struct tg_endpoint ep;
	char buf[EP_TEXT_MAX + 1], small[8];

	CU_ASSERT_EQUAL_FATAL(ep_parse(&ep, "unix:/s/x.sock"), 0);
	CU_ASSERT_EQUAL(ep_upstream(&ep, buf, sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "unix:/s/x.sock:");
	CU_ASSERT_EQUAL(ep_upstream(&ep, small, sizeof(small)), -1);
	CU_ASSERT_EQUAL_FATAL(ep_parse(&ep, "127.0.0.1:7681"), 0);
	CU_ASSERT_EQUAL(ep_upstream(&ep, buf, sizeof(buf)), 0);
	CU_ASSERT_STRING_EQUAL(buf, "127.0.0.1:7681");
	CU_ASSERT_EQUAL(ep_format(&ep, small, sizeof(small)), -1);
}

/* The supervisor accepts only DIR/ID.sock (or a loopback port). */
static void
test_session(void)
{
	static const struct {
		const char	*text;
		const char	*id;
		int		 ok;
	} cases[] = {
		{ "unix:/run/t/" ID ".sock", ID, 1 },
		{ "127.0.0.1:7680", ID, 1 },
		{ "unix:/run/t/" ID ".sock", "not-an-id", 0 },
		{ "unix:/etc/shadow", ID, 0 },
		{ "unix:/run/t/../../etc/" ID ".sock", ID, 0 },
		{ "unix:/run/t/" ID ".sock.x", ID, 0 },
		{ "unix:/run/t//" ID ".sock", ID, 0 },
		{ "unix:/run/other/" ID ".sock", ID, 0 },
		{ "unix:/run/t/" ID ".pty", ID, 0 },
		{ "10.1.1.1:7680", ID, 0 },
	};
	struct tg_endpoint ep;
	size_t i;

	for (i = 0; i < T_NELEM(cases); i++)
		T_ASSERT((ep_parse_session(&ep, cases[i].text, "/run/t",
		    cases[i].id) == 0) == cases[i].ok, cases[i].text);
}

static void
test_session_socket(void)
{
	char dir[80];
	struct tg_endpoint ep;

	CU_ASSERT_EQUAL(ep_session_socket(&ep, "/run/t", ID, SESSFILE_SOCK),
	    0);
	CU_ASSERT_EQUAL(ep.kind, EP_UNIX);
	CU_ASSERT_STRING_EQUAL(ep.path, "/run/t/" ID ".sock");
	/* A directory too long for DIR/ID.sock in a sun_path. */
	memset(dir, 'd', sizeof(dir) - 1);
	dir[0] = '/';
	dir[sizeof(dir) - 1] = '\0';
	CU_ASSERT_EQUAL(ep_session_socket(&ep, dir, ID, SESSFILE_SOCK),
	    -1);
}

static void
test_sockaddr(void)
{
	struct sockaddr_storage sa;
	struct tg_endpoint ep;
	socklen_t len;

	CU_ASSERT_EQUAL_FATAL(ep_parse(&ep, "unix:/s/x.sock"), 0);
	ep_sockaddr(&ep, &sa, &len);
	CU_ASSERT_EQUAL(sa.ss_family, AF_UNIX);
	CU_ASSERT_STRING_EQUAL(((struct sockaddr_un *)&sa)->sun_path,
	    "/s/x.sock");
	CU_ASSERT_EQUAL_FATAL(ep_parse(&ep, "127.0.0.1:7681"), 0);
	ep_sockaddr(&ep, &sa, &len);
	CU_ASSERT_EQUAL(sa.ss_family, AF_INET);
	CU_ASSERT_EQUAL(ntohs(((struct sockaddr_in *)&sa)->sin_port), 7681);
	CU_ASSERT_EQUAL(ntohl(((struct sockaddr_in *)&sa)->sin_addr.s_addr),
	    INADDR_LOOPBACK);
	CU_ASSERT_EQUAL(len, sizeof(struct sockaddr_in));
}

static void
test_notify_ready(void)
{
	static const struct {
		const char	*payload;
		int		 want;
	} cases[] = {
		{ "abc ok", 1 }, { "abc failed", 0 }, { "abcd ok", -1 },
		{ "ab ok", -1 }, { "abc", -1 }, { "abc okay", -1 },
		{ "abc  ok", -1 }, { "", -1 }, { "xyz ok", -1 },
	};
	size_t i;

	for (i = 0; i < T_NELEM(cases); i++)
		T_ASSERT(notify_ready(cases[i].payload, "abc") ==
		    cases[i].want, cases[i].payload);
	CU_ASSERT_EQUAL(notify_ready(" ok", ""), -1);
}

int
suite_endpoint_register(void)
{
	static const struct t_case cases[] = {
		{ "parse and format", test_parse },
		{ "nginx upstream", test_upstream },
		{ "a session's endpoint", test_session },
		{ "a session's socket path", test_session_socket },
		{ "socket address", test_sockaddr },
		{ "NOTIFY_READY payload", test_notify_ready },
	};

	return t_register("endpoint", cases, T_NELEM(cases));
}
