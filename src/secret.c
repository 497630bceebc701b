/*
 * secret.c - a credential read from a file, compared by its hash: the
 * nodes' shared secret (nodeauth.c) and the token of /metrics. As session
 * tokens are, a given value is checked by its SHA-256 (tok_verify), in
 * constant time.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "secret.h"

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
secret_load(struct secret *sec, const char *key, const char *path,
    size_t min, char *err, size_t errlen)
{
	char line[SECRET_MAX + 2], *s;
	FILE *f;
	int rv = -1;

	explicit_bzero(sec, sizeof(*sec));
	if (path[0] == '\0')
		return 0;
	if ((f = fopen(path, "re")) == NULL) {
		snprintf(err, errlen, "%s %s: %s", key, path, strerror(errno));
		return -1;
	}
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	s = trim(line);
	if (strlen(s) < min || strlen(s) >= SECRET_MAX || !printable(s))
		snprintf(err, errlen, "%s %s: the first line must be %zu to "
		    "%d printable characters (e.g. openssl rand -hex 32)", key,
		    path, min, SECRET_MAX - 1);
	else {
		strlcpy(sec->value, s, sizeof(sec->value));
		tok_hash(sec->value, sec->hash);
		rv = 0;
	}
	explicit_bzero(line, sizeof(line));
	return rv;
}

int
secret_check(const struct secret *sec, const char *given)
{
	if (sec->value[0] == '\0' || given == NULL)
		return 0;
	return tok_verify(given, sec->hash);
}
