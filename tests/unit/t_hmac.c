/*
 * t_hmac.c - unit tests of HMAC-SHA256 (hmac.c) against the test
 * vectors of RFC 4231, section 4: short and long keys, a key longer than
 * a block (hashed first), data longer than a block, and the truncated
 * case 5 (its first 128 bits).
 */
#include <stdio.h>
#include <string.h>

#include <sha2.h>

#include "hmac.h"
#include "suites.h"

struct vector {
	const char	*name;
	size_t		 keylen;
	int		 key;		/* each byte, or -1: KEYTEXT */
	const char	*keytext;
	size_t		 len;
	int		 data;		/* each byte, or -1: DATATEXT */
	const char	*datatext;
	const char	*mac;		/* hex; case 5 only its first half */
};

static const struct vector vectors[] = {
	{ "4231 case 1", 20, 0x0b, NULL, 8, -1, "Hi There",
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ "4231 case 2", 4, -1, "Jefe", 28, -1,
	    "what do ya want for nothing?",
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ "4231 case 3", 20, 0xaa, NULL, 50, 0xdd, NULL,
	    "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
	{ "4231 case 4", 25, -1, "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a"
	    "\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19",
	    50, 0xcd, NULL,
	    "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
	{ "4231 case 5 (128 bits)", 20, 0x0c, NULL, 20, -1,
	    "Test With Truncation", "a3b6167473100ee06e0c796c2955552b" },
	{ "4231 case 6", 131, 0xaa, NULL, 54, -1,
	    "Test Using Larger Than Block-Size Key - Hash Key First",
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
	{ "4231 case 7", 131, 0xaa, NULL, 152, -1,
	    "This is a test using a larger than block-size key and a larger "
	    "than block-size data. The key needs to be hashed before being "
	    "used by the HMAC algorithm.",
	    "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
};

static void
hex(const uint8_t *b, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

static void
test_rfc4231(void)
{
	uint8_t key[256], data[256], mac[HMAC_LEN];
	char got[2 * HMAC_LEN + 1];
	const struct vector *v;
	size_t i;

	for (i = 0; i < T_NELEM(vectors); i++) {
		v = &vectors[i];
		if (v->key == -1)
			memcpy(key, v->keytext, v->keylen);
		else
			memset(key, v->key, v->keylen);
		if (v->data == -1)
			memcpy(data, v->datatext, v->len);
		else
			memset(data, v->data, v->len);
		T_ASSERT(v->data != -1 || strlen(v->datatext) == v->len,
		    v->name);
		hmac_sha256(key, v->keylen, data, v->len, mac);
		hex(mac, sizeof(mac), got);
		T_ASSERT(strncmp(got, v->mac, strlen(v->mac)) == 0, v->name);
	}
}

/* A key of exactly one block is used as it is, one byte more is hashed
 * first: the long key's MAC is that of its SHA-256 as the key. */
static void
test_block_key(void)
{
	uint8_t key[SHA256_BLOCK_LENGTH + 1], hashed[SHA256_DIGEST_LENGTH];
	uint8_t a[HMAC_LEN], b[HMAC_LEN], c[HMAC_LEN];
	SHA2_CTX ctx;

	memset(key, 'k', sizeof(key));
	hmac_sha256(key, SHA256_BLOCK_LENGTH, "m", 1, a);
	hmac_sha256(key, sizeof(key), "m", 1, b);
	CU_ASSERT(memcmp(a, b, HMAC_LEN) != 0);
	SHA256Init(&ctx);
	SHA256Update(&ctx, key, sizeof(key));
	SHA256Final(hashed, &ctx);
	hmac_sha256(hashed, sizeof(hashed), "m", 1, c);
	CU_ASSERT(memcmp(b, c, HMAC_LEN) == 0);
}

int
suite_hmac_register(void)
{
	static const struct t_case cases[] = {
		{ "the test vectors of RFC 4231", test_rfc4231 },
		{ "a key of one block is used, a longer one hashed",
		    test_block_key },
	};

	return t_register("hmac", cases, T_NELEM(cases));
}
