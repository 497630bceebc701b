/*
 * prom.c - Prometheus text exposition format (version 0.0.4), written
 * into a buffer that grows as it is written.
 *
 * /metrics is assembled from several sources (the database, the
 * workers' shared counters); each appends its families here. A write
 * that fails (out of memory) marks the buffer, and prom_take then
 * returns NULL: a scrape never gets a silently cut-off exposition.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prom.h"

struct prom {
	char	*s;
	size_t	 len, cap;
	int	 failed;
};

struct prom *
prom_new(void)
{
	struct prom *p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->cap = 4096;
	if ((p->s = malloc(p->cap)) == NULL) {
		free(p);
		return NULL;
	}
	p->s[0] = '\0';
	return p;
}

void
prom_free(struct prom *p)
{
	if (p == NULL)
		return;
	free(p->s);
	free(p);
}

char *
prom_take(struct prom *p)
{
	char *s;

	if (p == NULL || p->failed) {
		prom_free(p);
		return NULL;
	}
	s = p->s;
	free(p);
	return s;
}

/* Appends printf output to P, growing it as needed. */
static void
put(struct prom *p, const char *fmt, ...)
{
	va_list ap;
	char *ns;
	int n;

	while (!p->failed) {
		va_start(ap, fmt);
		n = vsnprintf(p->s + p->len, p->cap - p->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			p->failed = 1;
		} else if ((size_t)n < p->cap - p->len) {
			p->len += n;
			return;
		} else if ((ns = realloc(p->s, p->cap * 2 + n)) == NULL) {
			p->failed = 1;
		} else {
			p->s = ns;
			p->cap = p->cap * 2 + n;
		}
	}
	if (p->len < p->cap)
		p->s[p->len] = '\0';
}

void
prom_family(struct prom *p, const char *name, const char *type,
    const char *help)
{
	put(p, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void
prom_int(struct prom *p, const char *name, const char *labels, long long v)
{
	put(p, "%s%s %lld\n", name, labels, v);
}

/* A sample value as the format spells it. */
static void
real_str(char *buf, size_t len, double v)
{
	if (isinf(v))
		snprintf(buf, len, "%s", v > 0 ? "+Inf" : "-Inf");
	else if (isnan(v))
		snprintf(buf, len, "NaN");
	else
		snprintf(buf, len, "%.15g", v);
}

void
prom_real(struct prom *p, const char *name, const char *labels, double v)
{
	char num[64];

	real_str(num, sizeof(num), v);
	put(p, "%s%s %s\n", name, labels, num);
}

/* Appends V escaped (backslash, quote, newline) to OUT; 0 or -1. */
static int
escape(char *out, size_t len, size_t *used, const char *v)
{
	for (; *v != '\0'; v++) {
		if (*used + 3 >= len)
			return -1;
		if (*v == '\\' || *v == '"')
			out[(*used)++] = '\\';
		if (*v == '\n') {
			out[(*used)++] = '\\';
			out[(*used)++] = 'n';
		} else
			out[(*used)++] = *v;
	}
	out[*used] = '\0';
	return 0;
}

int
prom_labels(char *out, size_t len, ...)
{
	const char *k, *v;
	size_t used = 0;
	va_list ap;
	int rv = 0, n;

	out[0] = '\0';
	va_start(ap, len);
	while (rv == 0 && (k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		n = snprintf(out + used, len - used, "%s%s=\"",
		    used == 0 ? "{" : ",", k);
		if (n < 0 || (size_t)n >= len - used)
			rv = -1;
		else if ((used += n, escape(out, len, &used, v)) == -1 ||
		    used + 2 >= len)
			rv = -1;
		else {
			out[used++] = '"';
			out[used] = '\0';
		}
	}
	va_end(ap);
	if (rv == 0 && used > 0) {
		if (used + 2 > len)
			rv = -1;
		else
			memcpy(out + used, "}", 2);
	}
	if (rv == -1)
		out[0] = '\0';
	return rv;
}

void
prom_histogram(struct prom *p, const char *name, const char *labels,
    const double *le, const unsigned long long *counts, size_t n, double sum)
{
	char num[64], lab[512];
	size_t i, inner;

	/* labels without their braces, to put le beside them */
	inner = labels[0] == '{' ? strlen(labels) - 2 : 0;
	for (i = 0; i < n; i++) {
		real_str(num, sizeof(num), le[i]);
		snprintf(lab, sizeof(lab), "{%.*s%sle=\"%s\"}", (int)inner,
		    labels + (inner ? 1 : 0), inner ? "," : "", num);
		put(p, "%s_bucket%s %llu\n", name, lab, counts[i]);
	}
	real_str(num, sizeof(num), sum);
	put(p, "%s_sum%s %s\n", name, labels, num);
	put(p, "%s_count%s %llu\n", name, labels, n > 0 ? counts[n - 1] : 0);
}
