/*
 * t_seed.c - the seed suite's cases that test pure code (tokens and ids),
 * under their original names. The seed's database cases are in
 * tests/db/t_seed.c.
 */
#include <string.h>

#include "suites.h"
#include "tok.h"
#include "valid.h"

static void
test_token_generation_and_verification(void)
{
	char token[TOK_LEN + 1], hash[TOK_HASH_LEN + 1];

	tok_new(token);
	tok_hash(token, hash);
	CU_ASSERT(strlen(token) > 32);
	CU_ASSERT_EQUAL(strlen(hash), 64);
	CU_ASSERT_EQUAL(strspn(hash, "0123456789abcdef"), 64);
	CU_ASSERT_EQUAL(tok_verify(token, hash), 1);
	CU_ASSERT_EQUAL(tok_verify("wrong-token", hash), 0);
}

static void
test_session_id_generation(void)
{
	char id1[TOK_ID_LEN + 1], id2[TOK_ID_LEN + 1];

	tok_session_id(id1);
	tok_session_id(id2);
	CU_ASSERT_STRING_NOT_EQUAL(id1, id2);
	CU_ASSERT_EQUAL(strlen(id1), 64);
	CU_ASSERT(valid_session_id(id1));
	CU_ASSERT(valid_session_id(id2));
}

static const struct t_case cases[] = {
	{ "test_token_generation_and_verification",
	    test_token_generation_and_verification },
	{ "test_session_id_generation", test_session_id_generation },
};

int
suite_seed_register(void)
{
	return t_register("seed", cases, T_NELEM(cases));
}
