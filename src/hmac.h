/* hmac.h - HMAC-SHA256 (RFC 2104) on libmd's SHA-256. */
#ifndef TG_HMAC_H
#define TG_HMAC_H

#include <stddef.h>
#include <stdint.h>

#define HMAC_LEN	32		/* bytes of an HMAC-SHA256 */

/*
 * The HMAC-SHA256 of the LEN bytes of MSG under the KEYLEN bytes of KEY
 * (any length: a key longer than a block is hashed first) into OUT.
 * Cannot fail; what it held of the key is wiped before it returns.
 */
void	hmac_sha256(const void *key, size_t keylen, const void *msg,
	    size_t len, uint8_t out[HMAC_LEN]);

#endif
