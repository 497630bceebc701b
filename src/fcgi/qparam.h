/*
 * qparam.h - the query strings of the reads (history, the audit trail):
 * one table of parameters per endpoint decodes the query into a struct
 * that owns the text, and each parameter's check says why a value is
 * refused (INVALID_FIELD names it).
 */
#ifndef TG_FCGI_QPARAM_H
#define TG_FCGI_QPARAM_H

#include <stddef.h>
#include <stdint.h>

#include "api.h"

/*
 * A parameter: its name, where its decoded text goes in the destination
 * struct (OFF, at most SIZE bytes with the NUL), and SET, which checks
 * the text V (in that buffer) into the struct's fields: 0, or -1 with
 * *WHY saying what it should be.
 */
struct qparam {
	const char	*name;
	size_t		 off, size;
	int		(*set)(void *dst, char *v, const char **why);
};

/* The entry of TYPE's char array FIELD, named FIELD, checked by FN. */
#define QPARAM(type, field, fn)	{ #field, offsetof(type, field), \
				    sizeof(((type *)0)->field), fn }

/*
 * Decodes into DST the parameters of TAB (N entries) that NAMES lists
 * (a NULL-ended list; NULL: every one). Absent or empty is no value.
 * TG_OK, or INVALID_FIELD naming the first bad one (req->err_field,
 * err_why).
 */
enum tg_err	qparam_parse(struct tg_req *, void *dst,
		    const struct qparam *tab, size_t n,
		    const char *const *names);

/* The largest page a read answers (limit=). */
#define QPARAM_LIMIT_MAX	200

/* The checks the reads share. Each is 0, or -1 with *WHY set. */
/* A page size, 1 to QPARAM_LIMIT_MAX, into *N. */
int	qparam_limit(const char *v, int *n, const char **why);
/* An RFC 3339 time into *US; *HAS set. */
int	qparam_time(const char *v, int64_t *us, int *has, const char **why);
/* A cursor of a previous page (hist_cursor_encode's) into *US and *ID;
 * *HAS set. */
int	qparam_cursor(const char *v, int64_t *us, long long *id, int *has,
	    const char **why);

#endif
