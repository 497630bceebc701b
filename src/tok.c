/*
 * tok.c - session ids, tokens, their hashes and constant-time checks.
 *
 * Ids and tokens are 32 bytes from arc4random_buf: ids as lowercase hex,
 * tokens as unpadded base64url so they fit a URL or a cookie unescaped.
 * Only the SHA-256 of a token is stored; tok_verify hashes what a client
 * sent and compares in constant time. tok_base64 serves HTTP Basic
 * credentials for the terminal backends.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sha2.h>

#include "tok.h"

#define RAND_LEN	32

static const char b64_std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void
tok_hex(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

/*
 * Base64 of LEN bytes with alphabet ABC, '=' padding when PAD; OUT must
 * hold the result and a NUL. Returns the length written.
 */
static size_t
encode(const uint8_t *in, size_t len, char *out, const char *abc, int pad)
{
	size_t i, n = 0;
	uint32_t v;

	for (i = 0; i + 2 < len; i += 3) {
		v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    in[i + 2];
		out[n++] = abc[v >> 18 & 0x3f];
		out[n++] = abc[v >> 12 & 0x3f];
		out[n++] = abc[v >> 6 & 0x3f];
		out[n++] = abc[v & 0x3f];
	}
	if (i < len) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)in[i + 1] << 8;
		out[n++] = abc[v >> 18 & 0x3f];
		out[n++] = abc[v >> 12 & 0x3f];
		if (i + 1 < len)
			out[n++] = abc[v >> 6 & 0x3f];
		else if (pad)
			out[n++] = '=';
		if (pad)
			out[n++] = '=';
	}
	out[n] = '\0';
	return n;
}

void
tok_session_id(char out[TOK_ID_LEN + 1])
{
	uint8_t buf[RAND_LEN];

	arc4random_buf(buf, sizeof(buf));
	tok_hex(buf, sizeof(buf), out);
}

void
tok_new(char out[TOK_LEN + 1])
{
	uint8_t buf[RAND_LEN];

	arc4random_buf(buf, sizeof(buf));
	encode(buf, sizeof(buf), out, b64_url, 0);
}

void
tok_hash(const char *token, char out[TOK_HASH_LEN + 1])
{
	SHA2_CTX ctx;
	uint8_t md[SHA256_DIGEST_LENGTH];

	SHA256Init(&ctx);
	SHA256Update(&ctx, (const uint8_t *)token, strlen(token));
	SHA256Final(md, &ctx);
	tok_hex(md, sizeof(md), out);
}

/*
 * 1 when the LEN bytes at A and B are equal. The time taken depends on LEN
 * only (libbsd 0.11 has no timingsafe_bcmp).
 */
int
tok_same(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *p = a, *q = b;
	uint8_t diff = 0;
	size_t i;

	for (i = 0; i < len; i++)
		diff |= p[i] ^ q[i];
	return diff == 0;
}

/* 1 when S is exactly TOK_HASH_LEN bytes long; reads no further. */
static int
hash_sized(const char *s)
{
	size_t n;

	for (n = 0; n <= TOK_HASH_LEN && s[n] != '\0'; n++)
		;
	return n == TOK_HASH_LEN;
}

int
tok_verify(const char *token, const char *hash)
{
	char want[TOK_HASH_LEN + 1];

	if (token == NULL || hash == NULL || !hash_sized(hash))
		return 0;
	tok_hash(token, want);
	return tok_same(want, hash, TOK_HASH_LEN);
}

int
tok_base64(const void *in, size_t len, char *out, size_t outlen)
{
	if (len / 3 >= (SIZE_MAX - 5) / 4 || outlen < (len + 2) / 3 * 4 + 1)
		return -1;
	encode(in, len, out, b64_std, 1);
	return 0;
}

int
tok_base64url(const void *in, size_t len, char *out, size_t outlen)
{
	if (len / 3 >= (SIZE_MAX - 5) / 4 || outlen < (len + 2) / 3 * 4 + 1)
		return -1;
	encode(in, len, out, b64_url, 0);
	return 0;
}

/* The value of base64url character C, or -1. */
static int
b64url_value(char c)
{
	const char *p;

	if (c == '\0' || (p = strchr(b64_url, c)) == NULL)
		return -1;
	return (int)(p - b64_url);
}

int
tok_unbase64url(const char *in, void *out, size_t outlen, size_t *len)
{
	uint8_t *o = out;
	uint32_t v = 0;
	size_t i, n = 0, bits = 0;
	int c;

	for (i = 0; in[i] != '\0'; i++) {
		if ((c = b64url_value(in[i])) == -1)
			return -1;
		v = (v << 6 | (uint32_t)c) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == outlen)
				return -1;
			o[n++] = (uint8_t)(v >> bits);
		}
	}
	/* A lone sixth of a byte, or stray bits: not what encode writes. */
	if (i % 4 == 1 || (v & ((1u << bits) - 1)) != 0)
		return -1;
	*len = n;
	return 0;
}
