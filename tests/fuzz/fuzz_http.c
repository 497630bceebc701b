/*
 * fuzz_http.c - libFuzzer target: termgate-fcgi's request layer
 * (src/fcgi/route.c, http.c and the handlers up to their first SQL).
 *
 * Input: one flags byte, then the lines METHOD, PATH, QUERY_STRING,
 * REMOTE_USER, CONTENT_TYPE, HTTP_COOKIE and X-Original-URI, then the
 * body (the rest). Flag bits 0-3 make the user, content type, cookie and
 * original URI absent; bit 4 marks the body too large, as worker.c does
 * for a CONTENT_LENGTH over the limit. The database is always away
 * (stub_db.c), so every route runs its checks, body and query parsing
 * and answers. Asserted: every request gets a known status, renders, and
 * no header line of the answer is broken by the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "fcgi/route.h"
#include "fuzz.h"
#include "tok.h"

enum { F_METHOD, F_PATH, F_QUERY, F_USER, F_CTYPE, F_COOKIE, F_ORIG,
    F_BODY, F_N };

static struct tg_cfg cfg;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];

	(void)argc;
	(void)argv;
	cfg_defaults(&cfg);
	if (cfg_set(&cfg, "admin_users", "admin, root", err,
	    sizeof(err)) == -1)
		abort();
	return 0;
}

/* Every line of the rendered head ends with CRLF. */
static void
check_head(const char *out, size_t len)
{
	const char *end = memmem(out, len, "\r\n\r\n", 4);
	size_t i, n;

	if (end == NULL)
		abort();
	n = (size_t)(end - out) + 2;
	for (i = 0; i < n; i++)
		if (out[i] == '\n' && (i == 0 || out[i - 1] != '\r'))
			abort();
}

/* The parsers nginx's inputs meet first, called directly as well. */
static void
parsers(struct fuzz_fields *ff)
{
	char small[8], out[TOK_LEN + 16], id[TOK_ID_LEN + 1];

	if (http_cookie(ff->f[F_COOKIE], "termgate_token", out,
	    sizeof(out)) == 0 && strlen(out) >= sizeof(out))
		abort();
	(void)http_cookie(ff->f[F_COOKIE], "termgate_token", small,
	    sizeof(small));
	if (http_terminal_id(ff->f[F_ORIG], "/terminal", id) == 0 &&
	    strlen(id) != TOK_ID_LEN)
		abort();
	if (http_query(ff->f[F_QUERY], "status", small, sizeof(small)) == 0 &&
	    strlen(small) >= sizeof(small))
		abort();
	(void)http_ctype_is(ff->f[F_CTYPE], "application/json");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fields ff;
	struct tg_req req;
	struct tg_resp resp;
	char *out = NULL;
	size_t len;
	uint8_t flags;

	if (size < 1)
		return 0;
	flags = data[0];
	fuzz_fields(&ff, data + 1, size - 1, F_N);
	memset(&req, 0, sizeof(req));
	req.cfg = &cfg;
	req.method = ff.f[F_METHOD];
	req.path = ff.f[F_PATH];
	req.query = ff.f[F_QUERY];
	req.user = flags & 1 ? NULL : ff.f[F_USER];
	req.content_type = flags & 2 ? NULL : ff.f[F_CTYPE];
	req.cookie = flags & 4 ? NULL : ff.f[F_COOKIE];
	req.orig_uri = flags & 8 ? NULL : ff.f[F_ORIG];
	req.body = ff.f[F_BODY];
	req.body_len = ff.len[F_BODY];
	req.body_too_large = (flags & 16) != 0;
	parsers(&ff);
	route_handle(&req, &resp);
	if (strcmp(http_reason(resp.status), "Unknown") == 0)
		abort();
	if (http_render(&resp, &out, &len) != 0)
		abort();
	check_head(out, len);
	free(out);
	http_resp_free(&resp);
	fuzz_fields_free(&ff, F_N);
	return 0;
}
