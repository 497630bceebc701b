/*
 * nodeauth.c - the credential of the terminal hop between nodes.
 *
 * A terminal request that reaches node B for a session on node A is
 * proxied by B's nginx to A's internal terminal listener with header
 * NODEAUTH_HEADER. B's authorize mints it for that one request:
 * "v1.EXPIRES.NONCE.MAC", an HMAC-SHA256 (hmac.c) under the secret every
 * node shares (node_secret_file) of A's node name, the session id, the
 * expiry and a random nonce; for a shared client, whose grant cookie B
 * checked, "v2.EXPIRES.NONCE.GRANT.MAC", its MAC over the grant too, so
 * that A gives the connection that grant's mode and nothing more. A's node-authorize checks the MAC for its
 * own name and the session of the request URI, in constant time
 * (tok_same); then
 * the database, whose one clock every node shares, checks the expiry
 * (node_auth_ttl) and takes the nonce once (node.c, node_hop_nonce). So
 * what someone on the network between the nodes sees opens that one
 * request: not the session again, not another session, not another
 * node; and the secret itself never leaves the node. The secret is read
 * once, before the workers fork, and lives in this module's one struct
 * secret.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmac.h"
#include "nodeauth.h"
#include "secret.h"
#include "tok.h"

#define VERSION		"v1"	/* the owner's */
#define VERSION_GRANT	"v2"	/* a shared client's */
#define HEX		"0123456789abcdef"
#define MAC_HEX		(2 * HMAC_LEN)
#define EXPIRES_DIGITS	19		/* the digits of a long long */

static struct secret secret;

int
nodeauth_load(const char *path, char *err, size_t errlen)
{
	return secret_load(&secret, "node_secret_file", path, NODEAUTH_MIN,
	    err, errlen);
}

int
nodeauth_loaded(void)
{
	return secret.value[0] != '\0';
}

/* A run of exactly N lowercase hex digits at S, followed by END. */
static int
hex_run(const char *s, size_t n, char end)
{
	return strspn(s, HEX) == n && s[n] == end;
}

/* The MAC of a credential (of GRANT, "" none), in hex, into OUT; -1 if
 * the message does not fit (a node name or session id longer than any
 * valid one). */
static int
mac(const char *target, const char *id, long long expires,
    const char *nonce, const char *grant, char out[MAC_HEX + 1])
{
	char msg[512];
	uint8_t m[HMAC_LEN];
	int n;

	n = snprintf(msg, sizeof(msg), "%s\n%s\n%s\n%lld\n%s%s%s",
	    grant[0] ? VERSION_GRANT : VERSION, target, id, expires, nonce,
	    grant[0] ? "\n" : "", grant);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return -1;
	hmac_sha256(secret.value, strlen(secret.value), msg, (size_t)n, m);
	tok_hex(m, sizeof(m), out);
	explicit_bzero(m, sizeof(m));
	return 0;
}

int
nodeauth_mint(const char *target, const char *id, const char *grant,
    long long expires, char *out, size_t outlen)
{
	char nonce[NODEAUTH_NONCE + 1], m[MAC_HEX + 1];
	uint8_t raw[NODEAUTH_NONCE / 2];
	int n;

	if (grant == NULL)
		grant = "";
	if (!nodeauth_loaded() || expires < 0 ||
	    (grant[0] && !hex_run(grant, NODEAUTH_GRANT, '\0')))
		return -1;
	arc4random_buf(raw, sizeof(raw));
	tok_hex(raw, sizeof(raw), nonce);
	if (mac(target, id, expires, nonce, grant, m) == -1)
		return -1;
	n = snprintf(out, outlen, "%s.%lld.%s.%s%s%s", grant[0] ?
	    VERSION_GRANT : VERSION, expires, nonce, grant, grant[0] ? "." :
	    "", m);
	return n < 0 || (size_t)n >= outlen ? -1 : 0;
}

/* Splits "v1.EXPIRES.NONCE.MAC" or "v2.EXPIRES.NONCE.GRANT.MAC" of
 * GIVEN: 0 with the parts, or -1. */
static int
parse(const char *given, struct nodeauth_cred *c, const char **macp)
{
	const char *p = given, *e = NULL;
	char digits[EXPIRES_DIGITS + 1];
	size_t n;
	int granted;

	if (strncmp(p, VERSION ".", sizeof(VERSION)) != 0 &&
	    strncmp(p, VERSION_GRANT ".", sizeof(VERSION_GRANT)) != 0)
		return -1;
	granted = strncmp(p, VERSION_GRANT, sizeof(VERSION_GRANT) - 1) == 0;
	p += sizeof(VERSION);
	n = strspn(p, "0123456789");
	if (n == 0 || n > EXPIRES_DIGITS || p[n] != '.' ||
	    (p[0] == '0' && n > 1))
		return -1;
	memcpy(digits, p, n);
	digits[n] = '\0';
	c->expires = strtonum(digits, 0, INT64_MAX, &e);
	if (e != NULL)
		return -1;
	p += n + 1;
	if (!hex_run(p, NODEAUTH_NONCE, '.'))
		return -1;
	memcpy(c->nonce, p, NODEAUTH_NONCE);
	c->nonce[NODEAUTH_NONCE] = '\0';
	p += NODEAUTH_NONCE + 1;
	if (granted) {
		if (!hex_run(p, NODEAUTH_GRANT, '.'))
			return -1;
		memcpy(c->grant, p, NODEAUTH_GRANT);
		c->grant[NODEAUTH_GRANT] = '\0';
		p += NODEAUTH_GRANT + 1;
	}
	if (!hex_run(p, MAC_HEX, '\0'))
		return -1;
	*macp = p;
	return 0;
}

enum nodeauth_result
nodeauth_check(const char *given, const char *self, const char *id,
    struct nodeauth_cred *out)
{
	struct nodeauth_cred c;
	const char *got = NULL;
	char want[MAC_HEX + 1];
	int same;

	if (given == NULL || given[0] == '\0')
		return NODEAUTH_ABSENT;
	if (!nodeauth_loaded())
		return NODEAUTH_NO_SECRET;
	memset(&c, 0, sizeof(c));
	if (strlen(given) >= NODEAUTH_MAX || parse(given, &c, &got) == -1 ||
	    mac(self, id, c.expires, c.nonce, c.grant, want) == -1)
		return NODEAUTH_MALFORMED;
	same = tok_same(want, got, MAC_HEX);
	explicit_bzero(want, sizeof(want));
	if (!same)
		return NODEAUTH_BAD_MAC;
	*out = c;
	return NODEAUTH_OK;
}

const char *
nodeauth_why(enum nodeauth_result r)
{
	static const char *const why[] = {
		[NODEAUTH_OK] = "a good credential",
		[NODEAUTH_ABSENT] = "no node credential",
		[NODEAUTH_NO_SECRET] = "no node_secret_file here",
		[NODEAUTH_MALFORMED] = "a node credential not of the form "
		    "v1.EXPIRES.NONCE.MAC or v2.EXPIRES.NONCE.GRANT.MAC",
		[NODEAUTH_BAD_MAC] = "a node credential whose MAC is not "
		    "this node's for this session (another node's or "
		    "session's, or not the nodes' secret)",
	};

	return (size_t)r < sizeof(why) / sizeof(why[0]) ? why[r] : "?";
}
