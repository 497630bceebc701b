/*
 * csv.c - CSV fields for termgate-fcgi's exports.
 *
 * The command history export (api_history.c) and the audit trail's
 * (api_audit.c) write their rows field by field through a response's
 * stream sink; both write text through csv_field, so that the guard
 * against formulas is applied once, the same way, to whatever a user
 * typed. Part of the request layer: it includes only http.h.
 */
#include <stdio.h>
#include <string.h>

#include "csv.h"

int
csv_field(http_sink_fn sink, void *out, const char *s, const char *sep)
{
	size_t n;

	if (s != NULL) {
		if (sink(out, "\"", 1) == -1 || (s[0] != '\0' &&
		    strchr("=+-@\t\r", s[0]) != NULL &&
		    sink(out, "'", 1) == -1))
			return -1;
		for (; *s != '\0'; s += n) {
			n = strcspn(s, "\"");
			if (n == 0)
				n = 1;	/* a quote: write it twice */
			if (sink(out, s, n) == -1 || (s[0] == '"' &&
			    sink(out, "\"", 1) == -1))
				return -1;
		}
		if (sink(out, "\"", 1) == -1)
			return -1;
	}
	return sink(out, sep, strlen(sep));
}

int
csv_number(http_sink_fn sink, void *out, int has, long long v,
    const char *sep)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", v);
	if (has && sink(out, buf, strlen(buf)) == -1)
		return -1;
	return sink(out, sep, strlen(sep));
}
