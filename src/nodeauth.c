/*
 * nodeauth.c - the per-node shared credential of the terminal hop.
 *
 * A terminal request that reaches node B for a session on node A is
 * proxied by B's nginx to A's internal terminal listener with header
 * NODEAUTH_HEADER; A's authorize lets it through only when the header
 * holds the secret every node shares (node_secret_file), compared in
 * constant time (as session tokens are: by their SHA-256, tok_verify). The user's token is never what opens A's terminal by
 * itself. The secret is read once, before the workers fork, and lives
 * in this module's one buffer.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nodeauth.h"
#include "tok.h"

static char	secret[NODEAUTH_MAX];
static char	secret_hash[TOK_HASH_LEN + 1];	/* what is compared */

/* Cuts blanks off both ends of S in place; S itself or after them. */
static char *
trim(char *s)
{
	size_t n;

	s += strspn(s, " \t");
	n = strcspn(s, "\r\n");
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	s[n] = '\0';
	return s;
}

static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isgraph((unsigned char)*s))
			return 0;
	return 1;
}

int
nodeauth_load(const char *path, char *err, size_t errlen)
{
	char line[NODEAUTH_MAX + 2], *s;
	FILE *f;
	int rv = -1;

	explicit_bzero(secret, sizeof(secret));
	if (path[0] == '\0')
		return 0;
	if ((f = fopen(path, "re")) == NULL) {
		snprintf(err, errlen, "node_secret_file %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	s = trim(line);
	if (strlen(s) < NODEAUTH_MIN || strlen(s) >= NODEAUTH_MAX ||
	    !printable(s))
		snprintf(err, errlen, "node_secret_file %s: the first line "
		    "must be %d to %d printable characters (e.g. openssl "
		    "rand -hex 32)", path, NODEAUTH_MIN, NODEAUTH_MAX - 1);
	else {
		strlcpy(secret, s, sizeof(secret));
		tok_hash(secret, secret_hash);
		rv = 0;
	}
	explicit_bzero(line, sizeof(line));
	return rv;
}

const char *
nodeauth_secret(void)
{
	return secret[0] != '\0' ? secret : NULL;
}

int
nodeauth_check(const char *given)
{
	/* Hashes compared in constant time: not even the length shows. */
	if (secret[0] == '\0' || given == NULL)
		return 0;
	return tok_verify(given, secret_hash);
}
