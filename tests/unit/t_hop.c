/*
 * t_hop.c - unit tests of where the hop to another node goes (hop.c):
 * a pinned address wins over the node's row, an unpinned node is
 * refused once node_addresses is set, the row is used alone only with
 * node_tls, and with neither the hop is refused; the scheme follows
 * node_tls. And which addresses are loopback.
 */
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "hop.h"
#include "suites.h"

#define PINS	"a=10.0.0.5:7443 b=10.0.0.6:7443"

static void
test_route(void)
{
	static const struct {
		const char	*pins;
		int		 tls;
		const char	*node, *row;
		const char	*url;	/* NULL: refused */
		const char	*word;	/* in the note (or the refusal) */
	} cases[] = {
		/* pinned: the pin, whatever the row says (and a note) */
		{ PINS, 0, "b", "10.0.0.6:7443", "http://10.0.0.6:7443",
		    NULL },
		{ PINS, 0, "b", "", "http://10.0.0.6:7443", NULL },
		{ PINS, 0, "b", "10.6.6.6:80", "http://10.0.0.6:7443",
		    "pinned one is used" },
		{ PINS, 1, "a", "evil:1", "https://10.0.0.5:7443",
		    "pinned one is used" },
		/* node_addresses set: an unpinned node is refused */
		{ PINS, 0, "c", "10.0.0.7:7443", NULL, "not in node_addresses" },
		{ PINS, 1, "c", "10.0.0.7:7443", NULL, "not in node_addresses" },
		/* nothing pinned: the row, only over verified TLS */
		{ "", 1, "c", "10.0.0.7:7443", "https://10.0.0.7:7443", NULL },
		{ "", 1, "c", "", NULL, "no node_address" },
		{ "", 0, "c", "10.0.0.7:7443", NULL,
		    "neither node_addresses nor node_tls" },
	};
	struct tg_cfg cfg;
	char url[HOP_URL_MAX], err[256], desc[128];
	const char *note, *why;
	size_t i;
	int rc;

	for (i = 0; i < T_NELEM(cases); i++) {
		cfg_defaults(&cfg);
		snprintf(desc, sizeof(desc), "[%s] tls %d %s row %s",
		    cases[i].pins, cases[i].tls, cases[i].node, cases[i].row);
		T_ASSERT(cfg_set(&cfg, "node_addresses", cases[i].pins, err,
		    sizeof(err)) == 0, desc);
		cfg.node_tls = cases[i].tls;
		note = why = NULL;
		url[0] = '\0';
		rc = hop_route(&cfg, cases[i].node, cases[i].row, url,
		    sizeof(url), &note, &why);
		if (cases[i].url == NULL) {
			T_ASSERT(rc == -1, desc);
			T_ASSERT(why != NULL &&
			    strstr(why, cases[i].word) != NULL, desc);
			continue;
		}
		T_ASSERT(rc == 0 && strcmp(url, cases[i].url) == 0, desc);
		if (cases[i].word == NULL)
			T_ASSERT(note == NULL, desc);
		else
			T_ASSERT(note != NULL &&
			    strstr(note, cases[i].word) != NULL, desc);
	}
	/* A URL that does not fit is refused, never cut. */
	cfg_defaults(&cfg);
	cfg.node_tls = 1;
	CU_ASSERT_EQUAL(hop_route(&cfg, "c", "10.0.0.7:7443", url, 16,
	    &note, &why), -1);
}

static void
test_loopback(void)
{
	static const struct {
		const char	*addr;
		int		 want;
	} cases[] = {
		{ "127.0.0.1:7443", 1 }, { "127.0.0.3:1", 1 },
		{ "127.255.255.254:1", 1 }, { "localhost:7443", 1 },
		{ "[::1]:7443", 1 }, { "[0:0:0:0:0:0:0:1]:1", 1 },
		{ "10.0.0.5:7443", 0 }, { "128.0.0.1:1", 0 },
		{ "node-b.example:7443", 0 }, { "[fd00::5]:1", 0 },
		{ "[::ffff:127.0.0.1]:1", 0 }, { "127.0.0.1", 0 }, { "", 0 },
		{ "localhost.evil:1", 0 }, { "1270.0.0.1:1", 0 },
	};
	size_t i;

	for (i = 0; i < T_NELEM(cases); i++)
		T_ASSERT(hop_loopback(cases[i].addr) == cases[i].want,
		    cases[i].addr);
}

int
suite_hop_register(void)
{
	static const struct t_case cases[] = {
		{ "the pin wins, the row alone only over TLS", test_route },
		{ "loopback addresses", test_loopback },
	};

	return t_register("hop", cases, T_NELEM(cases));
}
