/*
 * csv.h - CSV fields for the exports (history, the audit trail), with
 * the one guard against spreadsheet formulas that both apply.
 */
#ifndef TG_FCGI_CSV_H
#define TG_FCGI_CSV_H

#include "http.h"

/*
 * Writes S through SINK as one quoted CSV field (RFC 4180, quotes
 * doubled), or nothing when S is NULL, then SEP; 0, or -1 when the
 * client is gone. A field that begins with = + - @, a tab or a carriage
 * return gets a leading ' (as OWASP advises against CSV injection): a
 * spreadsheet would run it as a formula.
 */
int	csv_field(http_sink_fn sink, void *out, const char *s,
	    const char *sep);
/* Writes the number V (bare) when HAS, else nothing, then SEP; 0/-1. */
int	csv_number(http_sink_fn sink, void *out, int has, long long v,
	    const char *sep);

#endif
