/* doctor_host.h - termgate-admin doctor's checks of this machine. */
#ifndef TG_DOCTOR_HOST_H
#define TG_DOCTOR_HOST_H

#include <stddef.h>

struct doctor;

/* The checks of this machine: socket directory and group, backend,
 * terminal command, pty holder, ports; lines into D. Cannot fail. */
void	doctor_host(struct doctor *d);
/*
 * Reads nginx -T for directive NAME: 1 when one of them has the value
 * WANT or, WANT NULL, with the first one's value in OUT (LEN bytes); 0
 * when none; -1 when nginx could not be run. Waits for it.
 */
int	doctor_nginx(const char *name, const char *want, char *out,
	    size_t len);

#endif
