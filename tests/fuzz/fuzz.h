/*
 * fuzz.h - what the libFuzzer targets of tests/fuzz share: cutting one
 * input into NUL-terminated fields, the way each target reads its input.
 *
 * A target's input is a few lines (separated by '\n') and, for some, a
 * rest that may hold anything. The fields are copies that the caller
 * frees with fuzz_fields_free; an input with fewer lines gives "" for
 * the missing ones, so every input is a valid case.
 */
#ifndef TG_FUZZ_H
#define TG_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_FIELDS_MAX	12

struct fuzz_fields {
	char	*f[FUZZ_FIELDS_MAX];	/* NUL-terminated copies */
	size_t	 len[FUZZ_FIELDS_MAX];	/* their lengths (NULs included) */
};

/*
 * Cuts DATA into N fields: the first N - 1 end at a '\n', the last one
 * is the rest, newlines and all. Cannot fail but for memory (abort).
 */
static inline void
fuzz_fields(struct fuzz_fields *ff, const uint8_t *data, size_t size,
    int n)
{
	const uint8_t *nl;
	size_t len;
	int i;

	for (i = 0; i < n; i++) {
		len = size;
		if (i < n - 1 && (nl = memchr(data, '\n', size)) != NULL)
			len = (size_t)(nl - data);
		if ((ff->f[i] = malloc(len + 1)) == NULL)
			abort();
		memcpy(ff->f[i], data, len);
		ff->f[i][len] = '\0';
		ff->len[i] = len;
		if (len < size)
			len++;			/* the '\n' */
		data += len;
		size -= len;
	}
}

static inline void
fuzz_fields_free(struct fuzz_fields *ff, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(ff->f[i]);
}

#endif
