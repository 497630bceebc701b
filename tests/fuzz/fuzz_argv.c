/*
 * fuzz_argv.c - libFuzzer target: terminal command lines (src/argv.c).
 *
 * Input: a flags byte, then lines: the terminal_command template, the
 * host fields address, ssh_user, ssh_port, host_id, host_name and
 * session_id, and the backend path. argv_command builds the command and
 * argv_backend wraps it for ttyd or shellinabox (flag bit 0), on a unix
 * socket or a port (bit 1). Asserted: a built argv is NULL-terminated,
 * within its limits, no word built from a field starts with '-' unless
 * the template wrote it, and a refusal gives a reason.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "fuzz.h"

enum { F_TMPL, F_ADDR, F_USER, F_PORT, F_HOST, F_NAME, F_SID, F_PATH,
    F_N };

static void
check_argv(const struct tg_argv *a)
{
	int i;

	if (a->n < 0 || a->n > ARGV_MAX || a->v[a->n] != NULL ||
	    a->used > sizeof(a->buf))
		abort();
	for (i = 0; i < a->n; i++)
		if (a->v[i] < a->buf || a->v[i] >= a->buf + sizeof(a->buf) ||
		    strnlen(a->v[i], a->buf + sizeof(a->buf) - a->v[i]) ==
		    (size_t)(a->buf + sizeof(a->buf) - a->v[i]))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fields ff;
	struct argv_fields f;
	struct argv_backend b;
	struct tg_argv cmd, full;
	char err[256];
	const char *w;
	uint8_t flags;
	int i;

	if (size < 1)
		return 0;
	flags = data[0];
	fuzz_fields(&ff, data + 1, size - 1, F_N);
	f = (struct argv_fields){ ff.f[F_ADDR], ff.f[F_USER], ff.f[F_PORT],
	    ff.f[F_HOST], ff.f[F_NAME], ff.f[F_SID] };
	err[0] = '\0';
	if (argv_command(&cmd, ff.f[F_TMPL], &f, err, sizeof(err)) == -1) {
		if (err[0] == '\0')
			abort();
		goto done;
	}
	check_argv(&cmd);
	/* Word I starts with '-' only where the template's word I does. */
	for (i = 0, w = ff.f[F_TMPL]; i < cmd.n; i++) {
		w += strspn(w, " ");
		if (cmd.v[i][0] == '-' && w[0] != '-')
			abort();
		w += strcspn(w, " ");
	}
	b = (struct argv_backend){ .shellinabox = flags & 1,
	    .path = ff.f[F_PATH], .user = "termgate", .group = "www-data",
	    .home = "/var/lib/termgate", .base = "/terminal/x" };
	if (flags & 2) {
		b.port = 7680;
		b.cred = "termgate:secret";
	} else
		b.socket = "/run/termgate/terminals/x.sock";
	err[0] = '\0';
	if (argv_backend(&full, &b, &cmd, err, sizeof(err)) == -1) {
		if (err[0] == '\0')
			abort();
		goto done;
	}
	check_argv(&full);
done:
	fuzz_fields_free(&ff, F_N);
	return 0;
}
