/* admin.h - what termgate-admin's files share. */
#ifndef TG_ADMIN_H
#define TG_ADMIN_H

#include "cfg.h"

#define EX_FAIL		1
#define EX_USAGE	2

struct admin {
	struct tg_cfg	 cfg;
	const char	*cfg_path;	/* NULL: the defaults */
	const char	*cfg_err;	/* why it did not load, or NULL */
	const char	*sql_dir;
	int		 json;		/* --json was given */
	int		 argc;
	char		**argv;
};

/* termgate-admin doctor: checks the installation; 0 all well, else 1. */
int	doctor_run(struct admin *);

#endif
