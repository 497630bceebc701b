/* migrate.h - applies sql/NNN_*.sql migrations, each once. */
#ifndef TG_MIGRATE_H
#define TG_MIGRATE_H

#include <stddef.h>

/*
 * Applies every migration of DIR not yet recorded in
 * termgate.schema_migrations, in order, each in its own transaction, under
 * an advisory lock (so two concurrent runs are safe). Returns the number
 * applied, or -1 with the reason in ERR.
 */
int	migrate_apply(const char *conninfo, const char *dir, char *err,
	    size_t errlen);
/*
 * Counts the migrations of DIR not yet recorded (all of them on a database
 * never migrated) and writes the first one's name into FIRST ("" when
 * none). Changes nothing. Returns the count, or -1 with the reason in ERR.
 */
int	migrate_pending(const char *conninfo, const char *dir, char *first,
	    size_t firstlen, char *err, size_t errlen);

#endif
