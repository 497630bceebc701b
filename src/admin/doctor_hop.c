/*
 * doctor_hop.c - termgate-admin doctor's checks of the hop between nodes
 * (README, "Several nodes"; termgate.conf(5), THE HOP BETWEEN NODES).
 *
 * They matter once node_secret_file is set, on a node that sends or
 * takes terminal requests of other nodes: the secret must be this node's
 * termgate-fcgi's alone (anyone who reads it mints credentials); the
 * hop must have somewhere trustworthy to go (hop.c: node_addresses, or
 * node_tls); on a network beyond loopback it should be TLS, and nginx
 * must then verify what it reaches; and the nodes' rows should say what
 * the pins say (a row that does not was changed, or a pin is stale).
 * Each of these is a warning: the node works, the operator should know.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "admin.h"
#include "doctor.h"
#include "doctor_hop.h"
#include "doctor_host.h"
#include "hop.h"
#include "jsonx.h"
#include "node.h"

#define FIX_ROUTE	"pin every node: node_addresses = NODE=HOST:PORT ..., " \
			"or node_tls = on with certificates that name the " \
			"nodes (termgate.conf(5), THE HOP BETWEEN NODES)"

/* node_secret_file: there, and no one's but its owner's and group's. */
static void
check_secret(struct doctor *d)
{
	const char *path = d->a->cfg.node_secret_file;
	char fix[512];
	struct stat st;

	if (stat(path, &st) == -1) {
		doctor_line(d, "hop", 0, "make it: openssl rand -hex 32 > FILE; "
		    "chmod 0640 FILE; chgrp termgate-fcgi's group FILE",
		    "node_secret_file %s: %s", path, strerror(errno));
		return;
	}
	if ((st.st_mode & 0007) == 0)
		return;
	snprintf(fix, sizeof(fix), "chmod o-rwx %s (0640, its group "
	    "termgate-fcgi's), and make a new secret on every node if "
	    "someone may have read it", path);
	doctor_warn(d, "hop", fix, "node_secret_file %s is mode %04o: every "
	    "user of this machine may read it, and with it make a credential "
	    "for any terminal of any node", path, (unsigned)st.st_mode & 07777);
}

/* The first address of the hop (this node's, or a pinned one) beyond
 * loopback into OUT; 0 when there is one, else 1. */
static int
beyond_loopback(const struct tg_cfg *cfg, char *out, size_t len)
{
	char node[64], addr[256];
	const char *p = cfg->node_addresses;

	if (cfg->node_address[0] != '\0' && !hop_loopback(cfg->node_address)) {
		snprintf(out, len, "node_address %s", cfg->node_address);
		return 0;
	}
	while (cfg_pin_next(&p, node, addr) == 1) {
		if (!hop_loopback(addr)) {
			snprintf(out, len, "node %s at %s", node, addr);
			return 0;
		}
	}
	return 1;
}

/* Plain beyond loopback; or TLS, which nginx must then verify. */
static void
check_transport(struct doctor *d)
{
	const struct tg_cfg *cfg = &d->a->cfg;
	char where[400];

	if (!cfg->node_tls) {
		if (beyond_loopback(cfg, where, sizeof(where)) == 0)
			doctor_warn(d, "hop", "node_tls = on on every node, "
			    "with certificates that name the nodes (or a VPN "
			    "between them)", "the hop is plain HTTP beyond "
			    "loopback (%s): the network between the nodes "
			    "sees the terminals' traffic", where);
		return;
	}
	if (doctor_nginx("proxy_ssl_verify", "on", NULL, 0) == 0)
		doctor_warn(d, "hop", "add proxy_ssl_verify on and "
		    "proxy_ssl_trusted_certificate (the nodes' CA) to the "
		    "server {} of termgate-locations.conf", "node_tls is on, "
		    "but nginx -T has no proxy_ssl_verify on: the other "
		    "nodes' certificates are not checked");
}

void
doctor_hop(struct doctor *d)
{
	const struct tg_cfg *cfg = &d->a->cfg;

	if (cfg->node_secret_file[0] == '\0') {
		doctor_line(d, "hop", 1, NULL, "no node_secret_file: no hop "
		    "to or from another node");
		return;
	}
	check_secret(d);
	if (cfg->node_addresses[0] == '\0' && !cfg->node_tls)
		doctor_warn(d, "hop", FIX_ROUTE, "neither node_addresses nor "
		    "node_tls: this node reaches no session of another node "
		    "(a node's own row is not trusted alone)");
	check_transport(d);
	doctor_line(d, "hop", 1, NULL, "to other nodes: %s, over %s",
	    cfg->node_addresses[0] != '\0' ? "the pinned addresses" :
	    cfg->node_tls ? "their rows' addresses" : "nowhere",
	    cfg->node_tls ? "TLS" : "plain HTTP");
}

/* One node's row against its pin. */
static void
check_row(struct doctor *d, const char *node, const char *row)
{
	char pin[256], fix[512];

	if (cfg_node_pin(&d->a->cfg, node, pin, sizeof(pin)) != 0) {
		snprintf(fix, sizeof(fix), "add %s=ITS_NODE_ADDRESS to "
		    "node_addresses, or remove the node (termgate-admin node "
		    "remove %s)", node, node);
		doctor_warn(d, "hop", fix, "node %s is not in node_addresses: "
		    "its sessions cannot be reached from here", node);
	} else if (row[0] != '\0' && strcmp(row, pin) != 0) {
		snprintf(fix, sizeof(fix), "find who wrote %s into node %s's "
		    "row, or correct its pin", row, node);
		doctor_warn(d, "hop", fix, "node %s: its row says %s, "
		    "node_addresses %s (the pinned one is used)", node, row,
		    pin);
	}
}

void
doctor_hop_rows(struct doctor *d, struct tg_db *db)
{
	const struct tg_cfg *cfg = &d->a->cfg;
	json_object *arr = NULL, *o;
	const char *node, *row;
	size_t i;

	if (cfg->node_secret_file[0] == '\0' ||
	    cfg->node_addresses[0] == '\0')
		return;
	if (node_list(db, cfg->node_lost_after, &arr) == -1) {
		doctor_line(d, "hop", 0, "read the PostgreSQL log",
		    "cannot list the nodes");
		return;
	}
	for (i = 0; i < json_object_array_length(arr); i++) {
		o = json_object_array_get_idx(arr, i);
		node = row = "";
		(void)jsonx_get_str(o, "node", &node);
		(void)jsonx_get_str(o, "address", &row);
		if (strcmp(node, cfg->node) != 0)
			check_row(d, node, row);
	}
	json_object_put(arr);
}
