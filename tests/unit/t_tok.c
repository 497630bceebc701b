/*
 * t_tok.c - unit tests of session ids, tokens, hashes and base64.
 *
 * Random output is checked for its shape and for not repeating; the hash
 * and base64 code against published vectors (FIPS 180-2, RFC 4648).
 */
#include <stdio.h>
#include <string.h>

#include "tok.h"
#include "suites.h"

#define HEX	"0123456789abcdef"
#define URL64	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
		"0123456789-_"
#define ROUNDS	16

static void
test_session_id(void)
{
	char id[ROUNDS][TOK_ID_LEN + 1];
	size_t i, j;

	for (i = 0; i < ROUNDS; i++) {
		memset(id[i], 'X', sizeof(id[i]));
		tok_session_id(id[i]);
		T_ASSERT(strlen(id[i]) == 64, id[i]);
		T_ASSERT(strspn(id[i], HEX) == 64, id[i]);
		for (j = 0; j < i; j++)
			T_ASSERT(strcmp(id[i], id[j]) != 0, id[i]);
	}
}

static void
test_token(void)
{
	char t[ROUNDS][TOK_LEN + 1];
	size_t i, j;

	for (i = 0; i < ROUNDS; i++) {
		memset(t[i], '=', sizeof(t[i]));
		tok_new(t[i]);
		T_ASSERT(strlen(t[i]) == 43, t[i]);
		T_ASSERT(strlen(t[i]) > 32, t[i]);
		T_ASSERT(strspn(t[i], URL64) == 43, t[i]);
		/* 32 bytes end in 4 bits: the last digit's low 2 bits are 0. */
		T_ASSERT(strchr("AEIMQUYcgkosw048", t[i][42]) != NULL, t[i]);
		for (j = 0; j < i; j++)
			T_ASSERT(strcmp(t[i], t[j]) != 0, t[i]);
	}
}

static const struct {
	const char	*in, *sha256;
} hash_vectors[] = {
	{ "abc",
	  "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "",
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "The quick brown fox jumps over the lazy dog",
	  "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592" },
};

static void
test_hash(void)
{
	char out[TOK_HASH_LEN + 1];
	size_t i;

	for (i = 0; i < T_NELEM(hash_vectors); i++) {
		memset(out, 'X', sizeof(out));
		tok_hash(hash_vectors[i].in, out);
		T_ASSERT(strcmp(out, hash_vectors[i].sha256) == 0,
		    hash_vectors[i].in);
	}
}

static void
test_verify(void)
{
	char t[TOK_LEN + 1], h[TOK_HASH_LEN + 1], other[TOK_HASH_LEN + 2];
	size_t i;

	tok_new(t);
	tok_hash(t, h);
	CU_ASSERT_EQUAL(tok_verify(t, h), 1);
	CU_ASSERT_EQUAL(tok_verify("wrong-token", h), 0);
	CU_ASSERT_EQUAL(tok_verify("", h), 0);
	CU_ASSERT_EQUAL(tok_verify(NULL, h), 0);
	CU_ASSERT_EQUAL(tok_verify(t, NULL), 0);
	CU_ASSERT_EQUAL(tok_verify(t, ""), 0);

	/* 63 and 65 characters: wrong length, never a match. */
	strlcpy(other, h, sizeof(other));
	other[63] = '\0';
	CU_ASSERT_EQUAL(tok_verify(t, other), 0);
	strlcpy(other, h, sizeof(other));
	strlcat(other, "0", sizeof(other));
	CU_ASSERT_EQUAL(tok_verify(t, other), 0);

	/* Each single changed character, first to last, is a mismatch. */
	for (i = 0; i < TOK_HASH_LEN; i++) {
		strlcpy(other, h, sizeof(other));
		other[i] = other[i] == '0' ? '1' : '0';
		T_ASSERT(tok_verify(t, other) == 0, other);
	}
	/* The hash is lowercase hex; an uppercase copy does not match. */
	CU_ASSERT_EQUAL(tok_verify("abc", "BA7816BF8F01CFEA414140DE5DAE2223"
	    "B00361A396177A9CB410FF61F20015AD"), 0);
	CU_ASSERT_EQUAL(tok_verify("abc", hash_vectors[0].sha256), 1);
}

static const struct {
	const char	*in;
	size_t		 len;
	const char	*out;
} b64_vectors[] = {
	{ "", 0, "" },
	{ "f", 1, "Zg==" },
	{ "fo", 2, "Zm8=" },
	{ "foo", 3, "Zm9v" },
	{ "foob", 4, "Zm9vYg==" },
	{ "fooba", 5, "Zm9vYmE=" },
	{ "foobar", 6, "Zm9vYmFy" },
	{ "user:pass", 9, "dXNlcjpwYXNz" },
	{ "\xff\xfe\xfd", 3, "//79" },
	{ "\xfb\xff", 2, "+/8=" },
	{ "\0\0\0", 3, "AAAA" },
};

static void
test_base64(void)
{
	char out[64], desc[64];
	size_t i, need;

	for (i = 0; i < T_NELEM(b64_vectors); i++) {
		snprintf(desc, sizeof(desc), "base64 -> %s",
		    b64_vectors[i].out);
		memset(out, 'X', sizeof(out));
		T_ASSERT(tok_base64(b64_vectors[i].in, b64_vectors[i].len, out,
		    sizeof(out)) == 0, desc);
		T_ASSERT(strcmp(out, b64_vectors[i].out) == 0, desc);

		/* Exactly enough room works; one byte less does not. */
		need = strlen(b64_vectors[i].out) + 1;
		T_ASSERT(tok_base64(b64_vectors[i].in, b64_vectors[i].len, out,
		    need) == 0, desc);
		T_ASSERT(tok_base64(b64_vectors[i].in, b64_vectors[i].len, out,
		    need - 1) == -1, desc);
	}
	CU_ASSERT_EQUAL(tok_base64("x", (size_t)-1, out, sizeof(out)), -1);
}

/* base64url without padding, and its strict inverse. */
static const struct {
	const char	*in;
	size_t		 len;
	const char	*out;
} b64url_vectors[] = {
	{ "", 0, "" }, { "f", 1, "Zg" }, { "fo", 2, "Zm8" },
	{ "foo", 3, "Zm9v" }, { "foob", 4, "Zm9vYg" },
	{ "\xfb\xff\xbf", 3, "-_-_" },
};

static const char *const b64url_bad[] = {
	"Zg==", "Z", "Zh", "Zm9", "Zm+v", "Zm/v", "Zm 9v", "Zm9v\n", "Zm9vY",
};

static void
test_base64url(void)
{
	char out[64], back[64];
	size_t i, n;

	for (i = 0; i < T_NELEM(b64url_vectors); i++) {
		T_ASSERT(tok_base64url(b64url_vectors[i].in,
		    b64url_vectors[i].len, out, sizeof(out)) == 0,
		    b64url_vectors[i].out);
		T_ASSERT(strcmp(out, b64url_vectors[i].out) == 0,
		    b64url_vectors[i].out);
		T_ASSERT(tok_unbase64url(out, back, sizeof(back), &n) == 0 &&
		    n == b64url_vectors[i].len &&
		    memcmp(back, b64url_vectors[i].in, n) == 0,
		    b64url_vectors[i].out);
	}
	for (i = 0; i < T_NELEM(b64url_bad); i++)
		T_ASSERT(tok_unbase64url(b64url_bad[i], back, sizeof(back),
		    &n) == -1, b64url_bad[i]);
	/* No room: refused, not cut. */
	CU_ASSERT_EQUAL(tok_unbase64url("Zm9vYg", back, 3, &n), -1);
}

int
suite_tok_register(void)
{
	static const struct t_case cases[] = {
		{ "session ids: 64 hex, distinct", test_session_id },
		{ "tokens: 43 base64url, distinct", test_token },
		{ "tok_hash SHA-256 vectors", test_hash },
		{ "tok_verify", test_verify },
		{ "tok_base64 vectors and room", test_base64 },
		{ "tok_base64url and back", test_base64url },
	};

	return t_register("tok", cases, T_NELEM(cases));
}
