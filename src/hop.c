/*
 * hop.c - where one node's nginx sends a terminal request for a session
 * of another node (README, "Several nodes").
 *
 * Each node's supervisor writes its own node_address into its
 * termgate.supervisors row, and any role that may write that row (any
 * node's supervisor, to begin with) could point it elsewhere: the row
 * alone must not decide where another node sends a user's terminal. So
 * the operator pins the nodes' addresses in configuration
 * (node_addresses), and the pin wins; or the hop is TLS (node_tls) and
 * nginx verifies that the certificate at the row's address names the
 * node (proxy_ssl_name, nginx/termgate-locations.conf). With neither,
 * the hop is refused. Pure: termgate-fcgi's authorize and
 * termgate-admin doctor both ask it.
 */
#include <netinet/in.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "cfg.h"
#include "hop.h"

int
hop_route(const struct tg_cfg *cfg, const char *node, const char *row,
    char *url, size_t len, const char **note, const char **why)
{
	char pin[256];
	const char *addr = row;
	int n;

	*note = NULL;
	if (cfg->node_addresses[0] != '\0') {
		if (cfg_node_pin(cfg, node, pin, sizeof(pin)) != 0) {
			*why = "that node is not in node_addresses";
			return -1;
		}
		if (row[0] != '\0' && strcmp(row, pin) != 0)
			*note = "its supervisors row gives another address "
			    "than node_addresses: the pinned one is used";
		addr = pin;
	} else if (!cfg->node_tls) {
		*why = "neither node_addresses nor node_tls is set, and its "
		    "supervisors row alone is not trusted with the hop";
		return -1;
	}
	if (addr[0] == '\0') {
		*why = "that node has no node_address";
		return -1;
	}
	n = snprintf(url, len, "%s://%s", cfg->node_tls ? "https" : "http",
	    addr);
	if (n < 0 || (size_t)n >= len) {
		*why = "its address is too long";
		return -1;
	}
	return 0;
}

int
hop_loopback(const char *address)
{
	const char *colon = strrchr(address, ':');
	char host[64];
	struct in6_addr in6;
	struct in_addr in;
	size_t n;

	if (colon == NULL || (n = (size_t)(colon - address)) >= sizeof(host))
		return 0;
	memcpy(host, address, n);
	host[n] = '\0';
	if (strcmp(host, "localhost") == 0)
		return 1;
	if (n > 2 && host[0] == '[' && host[n - 1] == ']') {
		host[n - 1] = '\0';
		return inet_pton(AF_INET6, host + 1, &in6) == 1 &&
		    IN6_IS_ADDR_LOOPBACK(&in6);
	}
	return inet_pton(AF_INET, host, &in) == 1 &&
	    (ntohl(in.s_addr) >> 24) == 127;
}
