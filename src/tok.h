/* tok.h - session ids, tokens, their hashes and constant-time checks. */
#ifndef TG_TOK_H
#define TG_TOK_H

#include <stddef.h>
#include <stdint.h>

#define TOK_ID_LEN	64	/* 32 random bytes, lowercase hex */
#define TOK_LEN		43	/* 32 random bytes, base64url, no padding */
#define TOK_HASH_LEN	64	/* SHA-256, lowercase hex */

/* Writes a new random session id. Cannot fail. */
void	tok_session_id(char out[TOK_ID_LEN + 1]);
/* Writes a new random URL-safe token. Cannot fail. */
void	tok_new(char out[TOK_LEN + 1]);
/* Writes 2 * LEN lowercase hex characters and a NUL into OUT. */
void	tok_hex(const uint8_t *in, size_t len, char *out);
/* Writes the SHA-256 hex of the NUL-terminated TOKEN. Cannot fail. */
void	tok_hash(const char *token, char out[TOK_HASH_LEN + 1]);
/*
 * 1 when the LEN bytes at A and B are equal, else 0, in a time that
 * depends on LEN only (libbsd 0.11 has no timingsafe_bcmp). Cannot fail.
 */
int	tok_same(const void *a, const void *b, size_t len);
/* 1 when TOKEN hashes to HASH (compared in constant time), else 0. */
int	tok_verify(const char *token, const char *hash);
/* Standard base64 of LEN bytes of IN into OUT; -1 if OUT is too small. */
int	tok_base64(const void *in, size_t len, char *out, size_t outlen);
/* Unpadded base64url of LEN bytes of IN into OUT; -1 if OUT is too
 * small. */
int	tok_base64url(const void *in, size_t len, char *out, size_t outlen);
/*
 * Decodes unpadded base64url IN (NUL-terminated) into OUT, at most OUTLEN
 * bytes, with *LEN the count; -1 on a character outside the alphabet, a
 * length or trailing bits tok_base64url never writes, or no room.
 */
int	tok_unbase64url(const char *in, void *out, size_t outlen,
	    size_t *len);

#endif
