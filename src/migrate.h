/*
 * migrate.h - applies sql/NNN_*.sql migrations, each once, and the
 * definitions of sql/defs/ whenever they change (migrate.c says how).
 */
#ifndef TG_MIGRATE_H
#define TG_MIGRATE_H

#include <stddef.h>

/*
 * Applies every migration of DIR not yet recorded in
 * termgate.schema_migrations, in order, and (re)creates each definition
 * of DIR/defs whose text or installed objects changed, in the order of
 * DIR/defs/ORDER, all in one transaction, under an advisory lock (so two
 * concurrent runs are safe). Returns the number of migrations applied,
 * the number of definitions run into *NDEFS unless NULL; or -1 with the
 * reason in ERR, the database left as it was.
 */
int	migrate_run(const char *conninfo, const char *dir, int *ndefs,
	    char *err, size_t errlen);
/* migrate_run without the count of definitions. */
int	migrate_apply(const char *conninfo, const char *dir, char *err,
	    size_t errlen);
/*
 * Counts the migrations of DIR not yet recorded (all of them on a database
 * never migrated) and writes the first one's name into FIRST ("" when
 * none). Changes nothing. Returns the count, or -1 with the reason in ERR.
 */
int	migrate_pending(const char *conninfo, const char *dir, char *first,
	    size_t firstlen, char *err, size_t errlen);
/* Called per definition: its file, and what is wrong or NULL. */
typedef void migrate_check_cb(void *arg, const char *file,
    const char *problem);
/*
 * Compares each definition of DIR/defs with what the database holds:
 * its objects exist, its digest is recorded and is the file's, and what
 * is installed is what migrate left. Calls CB for each; changes
 * nothing. Returns how many are wrong, or -1 with the reason in ERR.
 */
int	migrate_check(const char *conninfo, const char *dir,
	    migrate_check_cb *cb, void *arg, char *err, size_t errlen);

#endif
