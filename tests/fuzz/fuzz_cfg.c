/*
 * fuzz_cfg.c - libFuzzer target: the configuration parser (src/cfg.c).
 *
 * Input: a whole configuration file. It is loaded over the defaults as
 * cfg_load reads /etc/termgate/termgate.conf (through a memfd, so the
 * real fopen/getc path runs); then its first line is cut at the first
 * '=' and handed to cfg_set as a key and value, and admin_users, as
 * loaded, is asked about a few names. Asserted: an error names its
 * reason and every string key stays NUL-terminated.
 */
#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "fuzz.h"

static int mfd = -1;
static char path[64];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if ((mfd = memfd_create("termgate.conf", 0)) == -1)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", mfd);
	return 0;
}

static void
check_strings(const struct tg_cfg *c)
{
	if (strnlen(c->database, sizeof(c->database)) == sizeof(c->database) ||
	    strnlen(c->socket_dir, sizeof(c->socket_dir)) ==
	    sizeof(c->socket_dir) ||
	    strnlen(c->url_prefix, sizeof(c->url_prefix)) ==
	    sizeof(c->url_prefix) ||
	    strnlen(c->admin_users, sizeof(c->admin_users)) ==
	    sizeof(c->admin_users) ||
	    strnlen(c->terminal_command, sizeof(c->terminal_command)) ==
	    sizeof(c->terminal_command))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_fields ff;
	struct tg_cfg cfg;
	char err[512], *eq;

	if (ftruncate(mfd, 0) == -1 ||
	    pwrite(mfd, data, size, 0) != (ssize_t)size)
		abort();
	cfg_defaults(&cfg);
	err[0] = '\0';
	if (cfg_load(&cfg, path, err, sizeof(err)) == -1 && err[0] == '\0')
		abort();
	check_strings(&cfg);
	(void)cfg_is_admin(&cfg, "admin");
	(void)cfg_is_admin(&cfg, "");
	(void)cfg_is_admin(&cfg, NULL);
	fuzz_fields(&ff, data, size, 2);
	if ((eq = strchr(ff.f[0], '=')) != NULL) {
		*eq = '\0';
		err[0] = '\0';
		if (cfg_set(&cfg, ff.f[0], eq + 1, err, sizeof(err)) == -1 &&
		    err[0] == '\0')
			abort();
		check_strings(&cfg);
	}
	fuzz_fields_free(&ff, 2);
	return 0;
}
