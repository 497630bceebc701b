/*
 * fuzz_nodeauth.c - libFuzzer target: the hop's credential
 * (src/nodeauth.c), which another node's nginx hands this one in
 * X-Termgate-Node-Auth.
 *
 * Input: lines self (this node's name), session id, then the credential
 * (the rest). nodeauth_check must answer one of its results and, when it
 * takes the credential, give back its nonce as 32 hex digits. Then a
 * credential minted for self and session id passes, and the same one
 * with one hex digit of its MAC changed (which one, from the input) is
 * refused.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "nodeauth.h"

enum { F_SELF, F_ID, F_CRED, F_N };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[] = "/tmp/termgate-fuzz-nodeauth.XXXXXX", err[256];
	FILE *f;
	int fd;

	(void)argc;
	(void)argv;
	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		abort();
	fputs("0123456789abcdef0123456789abcdef\n", f);
	fclose(f);
	if (nodeauth_load(path, err, sizeof(err)) == -1)
		abort();
	unlink(path);
	return 0;
}

/* A shared client's grant, for every other credential minted. */
#define FUZZ_GRANT \
	"abababababababababababababababababababababababababababababababab"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fields ff;
	struct nodeauth_cred c;
	enum nodeauth_result r;
	char cred[NODEAUTH_MAX];
	size_t n;

	fuzz_fields(&ff, data, size, F_N);
	memset(&c, 0, sizeof(c));
	r = nodeauth_check(ff.f[F_CRED], ff.f[F_SELF], ff.f[F_ID], &c);
	if (r < NODEAUTH_OK || r > NODEAUTH_BAD_MAC)
		abort();
	if (r == NODEAUTH_OK && (strlen(c.nonce) != NODEAUTH_NONCE ||
	    strspn(c.nonce, "0123456789abcdef") != NODEAUTH_NONCE))
		abort();
	if (nodeauth_mint(ff.f[F_SELF], ff.f[F_ID], size % 2 ? NULL :
	    FUZZ_GRANT, (long long)size, cred, sizeof(cred)) == 0) {
		memset(&c, 0, sizeof(c));
		if (nodeauth_check(cred, ff.f[F_SELF], ff.f[F_ID], &c) !=
		    NODEAUTH_OK || c.expires != (long long)size ||
		    strcmp(c.grant, size % 2 ? "" : FUZZ_GRANT) != 0)
			abort();
		n = strlen(cred) - 1 - (size % 64);
		cred[n] = cred[n] == '0' ? '1' : '0';
		if (nodeauth_check(cred, ff.f[F_SELF], ff.f[F_ID], &c) !=
		    NODEAUTH_BAD_MAC)
			abort();
	}
	fuzz_fields_free(&ff, F_N);
	return 0;
}
