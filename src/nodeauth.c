/*
 * nodeauth.c - the per-node shared credential of the terminal hop.
 *
 * A terminal request that reaches node B for a session on node A is
 * proxied by B's nginx to A's internal terminal listener with header
 * NODEAUTH_HEADER; A's authorize lets it through only when the header
 * holds the secret every node shares (node_secret_file), compared in
 * constant time (secret.c). The user's token is never what opens A's
 * terminal by itself. The secret is read once, before the workers fork,
 * and lives in this module's one struct secret.
 */
#include "nodeauth.h"
#include "secret.h"

static struct secret secret;

int
nodeauth_load(const char *path, char *err, size_t errlen)
{
	return secret_load(&secret, "node_secret_file", path, NODEAUTH_MIN,
	    err, errlen);
}

const char *
nodeauth_secret(void)
{
	return secret.value[0] != '\0' ? secret.value : NULL;
}

int
nodeauth_check(const char *given)
{
	return secret_check(&secret, given);
}
