/*
 * valid.c - checks of outside input; each returns 1 when valid, else 0.
 *
 * Everything a client, an admin or a host row hands us passes one of these
 * before it reaches SQL, a path or an argv. Addresses and user names end up
 * as ssh arguments, so none of them may start with '-' or hold a byte a
 * shell or ssh would read as syntax. A NULL string is never valid.
 */
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "valid.h"

#define ALPHA	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define ALNUM	ALPHA "0123456789"

/* 1 when S is MIN-MAX bytes, all from SET. */
static int
all_of(const char *s, const char *set, size_t min, size_t max)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	return n >= min && n <= max && strspn(s, set) == n;
}

int
valid_session_id(const char *s)
{
	return all_of(s, "0123456789abcdef", 64, 64);
}

int
valid_host_id(const char *s)
{
	return all_of(s, ALNUM "._-", 1, 64) && s[0] != '-' && s[0] != '.';
}

/* RFC 1123 label: 1-63 of [A-Za-z0-9-], no '-' at either end. */
static int
label(const char *s, size_t n)
{
	size_t i;

	if (n < 1 || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (strchr(ALNUM "-", s[i]) == NULL)
			return 0;
	return 1;
}

static int
hostname(const char *s)
{
	size_t n;

	if (strlen(s) > 253)
		return 0;
	for (;;) {
		n = strcspn(s, ".");
		if (!label(s, n))
			return 0;
		if (s[n] == '\0')
			return 1;
		s += n + 1;
	}
}

/*
 * A bare IPv6 literal. Brackets are refused: the address is an argument
 * of the terminal command ("user@ADDRESS"), where ssh wants it bare, and
 * the schema's CHECK refuses them too.
 */
static int
ipv6(const char *s)
{
	struct in6_addr a;

	return inet_pton(AF_INET6, s, &a) == 1;
}

int
valid_address(const char *s)
{
	struct in_addr a4;

	if (s == NULL || *s == '\0' || *s == '-')
		return 0;
	if (strchr(s, ':') != NULL)
		return ipv6(s);
	/* All digits and dots: a dotted quad or nothing, never a name. */
	if (strspn(s, "0123456789.") == strlen(s))
		return inet_pton(AF_INET, s, &a4) == 1;
	return hostname(s);
}

int
valid_ssh_user(const char *s)
{
	return all_of(s, ALNUM "_.-", 1, 32) &&
	    strchr(ALPHA "_", s[0]) != NULL;
}

int
valid_username(const char *s)
{
	size_t n;

	if (s == NULL)
		return 0;
	for (n = 0; s[n] != '\0'; n++)
		if (n == 128 || (unsigned char)s[n] < 0x21 ||
		    (unsigned char)s[n] > 0x7e)
			return 0;
	return n > 0;
}
