/*
 * valid.c - checks of outside input; each returns 1 when valid, else 0.
 *
 * Everything a client, an admin or a host row hands us passes one of these
 * before it reaches SQL, a path or an argv. Addresses and user names end up
 * as ssh arguments, so none of them may start with '-' or hold a byte a
 * shell or ssh would read as syntax. A NULL string is never valid.
 */
#include <stddef.h>
#include <stdint.h>
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

/* Unicode table 3-7: the second byte's range depends on the first. */
size_t
valid_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		lo = s[0] == 0xe0 ? 0xa0 : lo;
		hi = s[0] == 0xed ? 0x9f : hi;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		lo = s[0] == 0xf0 ? 0x90 : lo;
		hi = s[0] == 0xf4 ? 0x8f : hi;
	} else {
		return 0;
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

int
valid_utf8(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, n, k;

	if (str == NULL)
		return 0;
	n = strlen(str);
	for (i = 0; i < n; i += k)
		if ((k = s[i] < 0x80 ? 1 : valid_utf8_seq(s + i, n - i)) == 0)
			return 0;
	return 1;
}

/* N digits at S as a number into *OUT; 0, or -1 if one is not a digit. */
static int
digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Days from 1970-01-01 to Y-M-D (proleptic Gregorian; H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
month_days(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* "Z" or "+HH:MM" / "-HH:MM" at S, the whole rest; seconds east. */
static int
utc_offset(const char *s, int64_t *out)
{
	int h, m;

	if ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0') {
		*out = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') || digits(s + 1, 2, &h) == -1 ||
	    s[3] != ':' || digits(s + 4, 2, &m) == -1 || s[6] != '\0' ||
	    h > 23 || m > 59)
		return -1;
	*out = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
	return 0;
}

int
valid_rfc3339(const char *s, int64_t *us)
{
	int y, mo, d, h, mi, sec, frac = 0, n = 0;
	int64_t off;

	if (s == NULL || strlen(s) < 20 || digits(s, 4, &y) == -1 ||
	    s[4] != '-' || digits(s + 5, 2, &mo) == -1 || s[7] != '-' ||
	    digits(s + 8, 2, &d) == -1 || (s[10] != 'T' && s[10] != 't') ||
	    digits(s + 11, 2, &h) == -1 || s[13] != ':' ||
	    digits(s + 14, 2, &mi) == -1 || s[16] != ':' ||
	    digits(s + 17, 2, &sec) == -1)
		return 0;
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) ||
	    h > 23 || mi > 59 || sec > 59)
		return 0;
	s += 19;
	if (*s == '.') {
		for (s++; n < 6 && *s >= '0' && *s <= '9'; s++, n++)
			frac = frac * 10 + (*s - '0');
		if (n == 0 || (*s >= '0' && *s <= '9'))
			return 0;		/* none, or finer than 1 us */
		for (; n < 6; n++)
			frac *= 10;
	}
	if (utc_offset(s, &off) == -1)
		return 0;
	*us = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    sec - off) * 1000000) + frac;
	/* The instant too, in UTC: 0001-01-01T00:30:00+01:00 is in year 0,
	 * which PostgreSQL refuses. */
	return *us >= days_from_civil(1, 1, 1) * 86400 * 1000000 &&
	    *us < days_from_civil(10000, 1, 1) * 86400 * 1000000;
}

int
valid_close_note(const char *s)
{
	const unsigned char *p;

	if (strlen(s) > VALID_NOTE_MAX || !valid_utf8(s))
		return 0;
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}
