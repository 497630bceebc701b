/*
 * fuzz_form.c - libFuzzer target: form-encoded bodies and query strings
 * (http_query in src/fcgi/http.c), as the beacon and the admin list
 * read them.
 *
 * Input: one byte for the size of the output buffer (0-255), a line with
 * the parameter name, then the query or body (the rest). Asserted: an
 * accepted value is NUL-terminated within the buffer, and the beacon's
 * "token" and the admin list's parameters never overrun theirs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fcgi/http.h"
#include "fuzz.h"

static void
one(const char *query, const char *name, size_t outlen)
{
	char *out;
	int rv;

	if ((out = malloc(outlen)) == NULL && outlen > 0)
		abort();
	rv = http_query(query, name, out, outlen);
	if (rv == 0 && strnlen(out, outlen) >= outlen)
		abort();
	if (rv < -1 || rv > 1)
		abort();
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "token", "status", "user_id",
	    "host_id", "limit" };
	struct fuzz_fields ff;
	size_t i;

	if (size < 1)
		return 0;
	fuzz_fields(&ff, data + 1, size - 1, 2);
	one(ff.f[1], ff.f[0], data[0]);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		one(ff.f[1], names[i], 272);
	fuzz_fields_free(&ff, 2);
	return 0;
}
