/* doctor_host.h - termgate-admin doctor's checks of this machine. */
#ifndef TG_DOCTOR_HOST_H
#define TG_DOCTOR_HOST_H

struct doctor;

/* The checks of this machine: socket directory and group, backend,
 * terminal command, pty holder, ports; lines into D. Cannot fail. */
void	doctor_host(struct doctor *d);

#endif
