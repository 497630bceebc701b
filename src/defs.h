/* defs.h - the schema's definitions: sql/defs/ORDER and its files. */
#ifndef TG_DEFS_H
#define TG_DEFS_H

#include <stddef.h>

#include <libpq-fe.h>

struct defs;

/* Reads PATH whole into a new NUL-terminated string (its length into LEN
 * unless NULL), which the caller frees; NULL with ERR set and errno. */
char		*defs_read(const char *path, size_t *len, char *err,
		    size_t errlen);

/* What the database holds of one definition, against its file. */
struct defs_state {
	int	recorded;	/* a row in termgate.schema_definitions */
	int	file_changed;	/* the file's digest is not the row's */
	int	changed;	/* what is installed is not what it installed */
	char	missing[512];	/* "trigger x, view y" not there, or "" */
};

/*
 * The definitions of DIR/defs/ORDER, their files read and digested, or
 * NULL with the reason in ERR. No DIR/defs/ORDER: none (an older tree's
 * directory). The caller frees it with defs_free.
 */
struct defs	*defs_load(const char *dir, char *err, size_t errlen);
void		 defs_free(struct defs *);
size_t		 defs_count(const struct defs *);
/* Definition I's file name ("open_session.sql"); its migration's NNN. */
const char	*defs_file(const struct defs *, size_t i);
const char	*defs_after(const struct defs *, size_t i);
/* What definition I creates: "function open_session, trigger x". */
const char	*defs_objects(const struct defs *, size_t i);
/* Definition I's state in the database of CONN, into OUT; 0 or -1. */
int		 defs_state(PGconn *, const struct defs *, size_t i,
		    struct defs_state *out, char *err, size_t errlen);
/* Whether STATE calls for running the definition again. */
int		 defs_stale(const struct defs_state *);
/* Runs definition I's file on CONN; 0 or -1 with the reason in ERR. */
int		 defs_run(PGconn *, const struct defs *, size_t i, char *err,
		    size_t errlen);
/* Records definition I's digests as it is installed now; 0 or -1. */
int		 defs_record(PGconn *, const struct defs *, size_t i,
		    char *err, size_t errlen);

#endif
