/* doctor_hop.h - termgate-admin doctor's checks of the hop between
 * nodes. */
#ifndef TG_DOCTOR_HOP_H
#define TG_DOCTOR_HOP_H

struct doctor;
struct tg_db;

/* The configuration's and the machine's side: node_secret_file, where
 * the hop goes, whether it is encrypted and verified; lines into D. */
void	doctor_hop(struct doctor *d);
/* The nodes' rows against node_addresses; lines into D. */
void	doctor_hop_rows(struct doctor *d, struct tg_db *db);

#endif
