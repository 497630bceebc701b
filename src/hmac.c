/*
 * hmac.c - HMAC-SHA256 (RFC 2104) on libmd's SHA-256 (<sha2.h>), for
 * the credential of the hop between nodes (nodeauth.c): H((K ^ opad) ||
 * H((K ^ ipad) || message)), K the key padded to a block, or its hash
 * when it is longer than a block. tests/unit/t_hmac.c checks it against
 * the test vectors of RFC 4231.
 */
#include <string.h>

#include <sha2.h>

#include "hmac.h"

void
hmac_sha256(const void *key, size_t keylen, const void *msg, size_t len,
    uint8_t out[HMAC_LEN])
{
	uint8_t k[SHA256_BLOCK_LENGTH], pad[SHA256_BLOCK_LENGTH];
	uint8_t inner[SHA256_DIGEST_LENGTH];
	SHA2_CTX ctx;
	size_t i;

	memset(k, 0, sizeof(k));
	if (keylen > sizeof(k)) {
		SHA256Init(&ctx);
		SHA256Update(&ctx, key, keylen);
		SHA256Final(k, &ctx);
	} else if (keylen > 0)
		memcpy(k, key, keylen);
	for (i = 0; i < sizeof(k); i++)
		pad[i] = k[i] ^ 0x36;
	SHA256Init(&ctx);
	SHA256Update(&ctx, pad, sizeof(pad));
	SHA256Update(&ctx, msg, len);
	SHA256Final(inner, &ctx);
	for (i = 0; i < sizeof(k); i++)
		pad[i] = k[i] ^ 0x5c;
	SHA256Init(&ctx);
	SHA256Update(&ctx, pad, sizeof(pad));
	SHA256Update(&ctx, inner, sizeof(inner));
	SHA256Final(out, &ctx);
	explicit_bzero(k, sizeof(k));
	explicit_bzero(pad, sizeof(pad));
	explicit_bzero(inner, sizeof(inner));
	explicit_bzero(&ctx, sizeof(ctx));
}
