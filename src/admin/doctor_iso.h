/* doctor_iso.h - termgate-admin doctor's checks of what keeps the
 * terminals of a node apart (accounts, directories, nginx's user,
 * cgroups). */
#ifndef TG_DOCTOR_ISO_H
#define TG_DOCTOR_ISO_H

struct doctor;
struct tg_db;

/* The machine's side, NGINX being nginx's user; lines into D. */
void	doctor_iso_host(struct doctor *d, const char *nginx);
/* What the node's supervisor noted (its cgroups); lines into D. */
void	doctor_iso_db(struct doctor *d, struct tg_db *db);

#endif
