/* secret.h - a credential read from a file, compared by its hash. */
#ifndef TG_SECRET_H
#define TG_SECRET_H

#include <stddef.h>

#include "tok.h"

#define SECRET_MAX	256		/* bytes of a secret, NUL included */

struct secret {
	char	value[SECRET_MAX];	/* "" when none was loaded */
	char	hash[TOK_HASH_LEN + 1];	/* what is compared */
};

/*
 * Reads S from PATH, the file of configuration key KEY ("" means none:
 * S is then empty and checks nothing in). The first line, surrounding
 * blanks removed, of MIN to SECRET_MAX - 1 printable characters. 0, or
 * -1 with the reason (naming KEY and PATH) in ERR.
 */
int	secret_load(struct secret *s, const char *key, const char *path,
	    size_t min, char *err, size_t errlen);
/* 1 when GIVEN (NULL: absent) is S, compared by SHA-256 in constant
 * time (not even the length shows); 0 otherwise, and always 0 when S is
 * empty. */
int	secret_check(const struct secret *s, const char *given);

#endif
