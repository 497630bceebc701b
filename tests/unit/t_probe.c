/*
 * t_probe.c - the rules that several programs judge by: when a
 * supervisor counts as alive (node_alive_age: /health, /metrics and
 * doctor), and whether a loopback port is free as a terminal would bind
 * it (ep_port_taken: the supervisor before a spawn, doctor over the
 * port range).
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "endpoint.h"
#include "node.h"
#include "suites.h"

static void
test_alive_age(void)
{
	static const struct {
		int	gc_interval, want;
	} cases[] = {
		{ 1, 30 }, { 5, 30 }, { 10, 30 }, { 11, 33 }, { 60, 180 },
	};
	struct tg_cfg cfg;
	size_t i;

	memset(&cfg, 0, sizeof(cfg));
	for (i = 0; i < T_NELEM(cases); i++) {
		cfg.gc_interval = cases[i].gc_interval;
		CU_ASSERT_EQUAL(node_alive_age(&cfg), cases[i].want);
	}
}

/* A loopback TCP socket, bound to PORT (0: any); its port in *OUT. */
static int
bound(int port, int reuse, int *out)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd, on = 1;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	if (reuse)
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on,
		    sizeof(on));
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) == -1) {
		close(fd);
		return -1;
	}
	*out = ntohs(sin.sin_port);
	return fd;
}

/*
 * A listener takes its port; once it is gone the port is free, even
 * with the server's side of a closed connection in TIME_WAIT there,
 * which a bind without SO_REUSEADDR (doctor's old probe) took for taken.
 */
static void
test_port_taken(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int lfd, cfd, afd, port, p2, fd;
	char c;

	CU_ASSERT_FATAL((lfd = bound(0, 1, &port)) != -1);
	CU_ASSERT_FATAL(listen(lfd, 1) == 0);
	CU_ASSERT(ep_port_taken(port) == 1);
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CU_ASSERT_FATAL((cfd = socket(AF_INET, SOCK_STREAM, 0)) != -1);
	CU_ASSERT_FATAL(connect(cfd, (struct sockaddr *)&sin,
	    sizeof(sin)) == 0);
	CU_ASSERT_FATAL((afd = accept(lfd, NULL, NULL)) != -1);
	close(lfd);
	close(afd);			/* the server closes first ... */
	CU_ASSERT(read(cfd, &c, 1) == 0);	/* ... the client sees it */
	close(cfd);			/* server side: TIME_WAIT */
	fd = bound(port, 0, &p2);
	CU_ASSERT(fd == -1);		/* what doctor used to see */
	if (fd != -1)
		close(fd);
	CU_ASSERT(ep_port_taken(port) == 0);
}

int
suite_probe_register(void)
{
	static const struct t_case tcases[] = {
		{ "a supervisor's liveness may age 3 runs, 30 s at least",
		    test_alive_age },
		{ "a port is taken by a listener, not by TIME_WAIT",
		    test_port_taken },
	};

	return t_register("probe", tcases, T_NELEM(tcases));
}
