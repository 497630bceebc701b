/* doctor_gw.h - termgate-admin doctor's check of the node's gateway. */
#ifndef TG_DOCTOR_GW_H
#define TG_DOCTOR_GW_H

struct doctor;

/* With terminal_gateway: its socket is there, as the supervisor gives
 * it, and a ttyd answers on it; one line into D. Cannot fail. */
void	doctor_gateway(struct doctor *d);

#endif
