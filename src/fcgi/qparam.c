/*
 * qparam.c - decoding a read's query string by its table of parameters
 * (qparam.h), and the checks the reads share.
 */
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "qparam.h"
#include "valid.h"

/* TAB's entry named NAME, or NULL. */
static const struct qparam *
find(const struct qparam *tab, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(tab[i].name, name) == 0)
			return &tab[i];
	return NULL;
}

/* Decodes P's value into DST: TG_OK (absent, empty or good), or
 * INVALID_FIELD. */
static enum tg_err
decode(struct tg_req *req, void *dst, const struct qparam *p)
{
	const char *why = "too long, or a bad %-escape";
	char *buf = (char *)dst + p->off;
	int rv;

	rv = http_query(req->query, p->name, buf, p->size);
	if (rv == 1 || (rv == 0 && buf[0] == '\0'))
		return TG_OK;
	if (rv == -1 || p->set(dst, buf, &why) == -1) {
		strlcpy(req->err_why, why, sizeof(req->err_why));
		req->err_field = p->name;
		return TG_ERR_INVALID_FIELD;
	}
	return TG_OK;
}

enum tg_err
qparam_parse(struct tg_req *req, void *dst, const struct qparam *tab,
    size_t n, const char *const *names)
{
	const struct qparam *p;
	enum tg_err err;
	size_t i;

	for (i = 0; names != NULL ? names[i] != NULL : i < n; i++) {
		p = names != NULL ? find(tab, n, names[i]) : &tab[i];
		if (p != NULL && (err = decode(req, dst, p)) != TG_OK)
			return err;
	}
	return TG_OK;
}

#define STR(x)	#x
#define XSTR(x)	STR(x)

int
qparam_limit(const char *v, int *n, const char **why)
{
	const char *e = NULL;

	*why = "a number from 1 to " XSTR(QPARAM_LIMIT_MAX);
	if (strspn(v, "0123456789") != strlen(v))
		return -1;
	*n = (int)strtonum(v, 1, QPARAM_LIMIT_MAX, &e);
	return e == NULL ? 0 : -1;
}

int
qparam_time(const char *v, int64_t *us, int *has, const char **why)
{
	*why = "an RFC 3339 time, e.g. 2026-11-24T18:41:07Z";
	*has = 1;
	return valid_rfc3339(v, us) ? 0 : -1;
}

int
qparam_cursor(const char *v, int64_t *us, long long *id, int *has,
    const char **why)
{
	*why = "not a cursor this API handed out (its next page's)";
	*has = 1;
	return hist_cursor_decode(v, us, id);
}
