/*
 * defs.c - the schema's definitions: the functions, triggers and views
 * of sql/defs/, one current text each, in the order sql/defs/ORDER
 * writes down (what each line means is said at the top of that file).
 *
 * A definition's file is re-runnable: CREATE OR REPLACE, its own REVOKE
 * and GRANT. What it creates is read from the file itself: each line
 * that starts with CREATE [OR REPLACE] FUNCTION termgate.NAME, TRIGGER
 * NAME or VIEW termgate.NAME. termgate.schema_definitions keeps, per
 * file, the SHA-256 of the text that ran and a digest of what it left
 * installed (pg_get_functiondef, pg_get_triggerdef and whether the
 * trigger is enabled, pg_get_viewdef, and the functions' and views'
 * privileges), so that a file edited since, a function replaced or
 * altered by hand, a dropped trigger or view, all show. migrate.c runs
 * them; termgate-admin doctor reports their state. The caller of
 * defs_load owns the set; nothing else allocates.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sha2.h>

#include "defs.h"

#define LIST_MAX	1024

struct def {
	char	 file[128];
	char	 after[4];
	char	*text;
	size_t	 len;
	char	 sha[SHA256_DIGEST_STRING_LENGTH];
	char	 funcs[LIST_MAX];	/* names, space-separated */
	char	 trigs[LIST_MAX];
	char	 views[LIST_MAX];
	char	 objects[LIST_MAX];	/* "function a, trigger b" */
};

struct defs {
	struct def	*v;
	size_t		 n;
};

/*
 * What is installed of the functions $1, triggers $2 and views $3
 * (space-separated names): a digest of their definitions and
 * privileges, and those missing. Run with search_path pg_catalog, so
 * that every name in the definitions is qualified whoever asks.
 */
#define INSTALLED_SQL \
	"WITH o AS (SELECT 'function' AS kind, p.proname::text AS name," \
	" p.oid::regprocedure::text || ' ' || pg_get_functiondef(p.oid)" \
	" || ' ' || coalesce(p.proacl::text, '') AS d FROM pg_proc p" \
	" WHERE p.pronamespace = 'termgate'::regnamespace" \
	" AND p.proname = ANY (string_to_array($1, ' '))" \
	" UNION ALL SELECT 'trigger', t.tgname::text," \
	" pg_get_triggerdef(t.oid) || ' ' || t.tgenabled::text" \
	" FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid" \
	" WHERE c.relnamespace = 'termgate'::regnamespace" \
	" AND NOT t.tgisinternal AND t.tgname = ANY (string_to_array($2, ' '))" \
	" UNION ALL SELECT 'view', c.relname::text, pg_get_viewdef(c.oid)" \
	" || ' ' || coalesce(c.relacl::text, '') FROM pg_class c" \
	" WHERE c.relnamespace = 'termgate'::regnamespace AND c.relkind = 'v'" \
	" AND c.relname = ANY (string_to_array($3, ' ')))," \
	" w AS (SELECT 'function' AS kind, n FROM" \
	" unnest(string_to_array($1, ' ')) n UNION ALL SELECT 'trigger', n" \
	" FROM unnest(string_to_array($2, ' ')) n UNION ALL SELECT 'view', n" \
	" FROM unnest(string_to_array($3, ' ')) n)" \
	" SELECT encode(sha256(convert_to(coalesce((SELECT string_agg(o.d," \
	" E'\\n' ORDER BY o.kind, o.d) FROM o), ''), 'UTF8')), 'hex')," \
	" coalesce((SELECT string_agg(w.kind || ' ' || w.n, ', ') FROM w" \
	" WHERE NOT EXISTS (SELECT 1 FROM o WHERE o.kind = w.kind" \
	" AND o.name = w.n)), '')"
#define RECORDED_SQL \
	"SELECT sha256, installed FROM termgate.schema_definitions" \
	" WHERE name = $1"
#define RECORD_SQL \
	"INSERT INTO termgate.schema_definitions (name, sha256, installed)" \
	" VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE" \
	" SET sha256 = $2, installed = $3, applied_at = now()"

char *
defs_read(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f;
	char *buf = NULL;
	struct stat st;

	if ((f = fopen(path, "r")) == NULL || fstat(fileno(f), &st) == -1 ||
	    (buf = malloc(st.st_size + 1)) == NULL ||
	    fread(buf, 1, st.st_size, f) != (size_t)st.st_size) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(buf);
		buf = NULL;
	} else {
		buf[st.st_size] = '\0';
		if (len != NULL)
			*len = st.st_size;
	}
	if (f != NULL)
		fclose(f);
	return buf;
}

/* Appends WORD to the space-separated LIST unless it is there: 1 if. */
static int
list_add(char *list, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = list; (p = strstr(p, word)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return 0;
	if (*list != '\0')
		strlcat(list, " ", LIST_MAX);
	strlcat(list, word, LIST_MAX);
	return 1;
}

/* Adds object KIND NAME to LIST and, when new, to D's objects. */
static void
add_object(struct def *d, char *list, const char *kind, const char *name)
{
	if (!list_add(list, name))
		return;
	if (d->objects[0] != '\0')
		strlcat(d->objects, ", ", sizeof(d->objects));
	strlcat(d->objects, kind, sizeof(d->objects));
	strlcat(d->objects, " ", sizeof(d->objects));
	strlcat(d->objects, name, sizeof(d->objects));
}

/* If LINE starts with one of the two PREFIX forms, the name after it. */
static int
created(const char *line, const char *what, const char *qual, char *name,
    size_t len)
{
	char p1[64], p2[64];
	size_t n = 0;

	snprintf(p1, sizeof(p1), "CREATE %s %s", what, qual);
	snprintf(p2, sizeof(p2), "CREATE OR REPLACE %s %s", what, qual);
	if (strncmp(line, p1, strlen(p1)) == 0)
		line += strlen(p1);
	else if (strncmp(line, p2, strlen(p2)) == 0)
		line += strlen(p2);
	else
		return 0;
	while (n + 1 < len && (islower((unsigned char)line[n]) ||
	    isdigit((unsigned char)line[n]) || line[n] == '_'))
		n++;
	memcpy(name, line, n);
	name[n] = '\0';
	return n > 0;
}

/* Reads what D's text creates into its lists. */
static void
scan_objects(struct def *d)
{
	char name[64], *line, *save = NULL, *copy;

	if ((copy = strdup(d->text)) == NULL)
		return;
	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (created(line, "FUNCTION", "termgate.", name, sizeof(name)))
			add_object(d, d->funcs, "function", name);
		else if (created(line, "TRIGGER", "", name, sizeof(name)))
			add_object(d, d->trigs, "trigger", name);
		else if (created(line, "VIEW", "termgate.", name,
		    sizeof(name)))
			add_object(d, d->views, "view", name);
	}
	free(copy);
}

/* One line "NNN file.sql" of ORDER into D; 0, or -1 when malformed. */
static int
parse_line(const char *line, struct def *d)
{
	char after[8], file[sizeof(d->file)];
	size_t i;

	if (sscanf(line, "%7s %127s", after, file) != 2 ||
	    strlen(after) != 3 || !isdigit((unsigned char)after[0]) ||
	    !isdigit((unsigned char)after[1]) ||
	    !isdigit((unsigned char)after[2]) ||
	    strlen(file) < 5 || strcmp(file + strlen(file) - 4, ".sql") != 0)
		return -1;
	for (i = 0; file[i] != '\0'; i++)
		if (!islower((unsigned char)file[i]) &&
		    !isdigit((unsigned char)file[i]) && file[i] != '_' &&
		    file[i] != '.')
			return -1;
	memset(d, 0, sizeof(*d));
	strlcpy(d->after, after, sizeof(d->after));
	strlcpy(d->file, file, sizeof(d->file));
	return 0;
}

/* Reads definition D's file from DIR/defs, digests it, finds its objects. */
static int
load_one(struct def *d, const char *dir, char *err, size_t errlen)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/defs/%s", dir, d->file);
	if ((d->text = defs_read(path, &d->len, err, errlen)) == NULL)
		return -1;
	SHA256Data((const uint8_t *)d->text, d->len, d->sha);
	scan_objects(d);
	if (d->objects[0] == '\0') {
		snprintf(err, errlen, "%s: creates no function, trigger or "
		    "view", path);
		return -1;
	}
	return 0;
}

/* Adds the definition of LINE (number LNO of ORDER) to S. */
static int
add_line(struct defs *s, const char *dir, const char *line, int lno,
    char *err, size_t errlen)
{
	struct def *v, *d;

	if ((v = reallocarray(s->v, s->n + 1, sizeof(*v))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->v = v;
	d = &s->v[s->n];
	if (parse_line(line, d) == -1) {
		snprintf(err, errlen, "%s/defs/ORDER:%d: not \"NNN file.sql\"",
		    dir, lno);
		return -1;
	}
	s->n++;
	if (s->n > 1 && strcmp(d->after, s->v[s->n - 2].after) < 0) {
		snprintf(err, errlen, "%s/defs/ORDER:%d: %s after %s: the "
		    "migrations' numbers go up", dir, lno, d->after,
		    s->v[s->n - 2].after);
		return -1;
	}
	return load_one(d, dir, err, errlen);
}

struct defs *
defs_load(const char *dir, char *err, size_t errlen)
{
	struct defs *s;
	char path[4096], *text, *line, *save = NULL, *p;
	int lno = 0, rv = 0;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	snprintf(path, sizeof(path), "%s/defs/ORDER", dir);
	if ((text = defs_read(path, NULL, err, errlen)) == NULL)
		return errno == ENOENT ? s : (defs_free(s), NULL);
	for (p = text; rv == 0 && p != NULL; p = save) {
		line = p;
		if ((save = strchr(p, '\n')) != NULL)
			*save++ = '\0';
		lno++;
		if (*line != '\0' && *line != '#')
			rv = add_line(s, dir, line, lno, err, errlen);
	}
	free(text);
	if (rv == -1) {
		defs_free(s);
		s = NULL;
	}
	return s;
}

void
defs_free(struct defs *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		free(s->v[i].text);
	free(s->v);
	free(s);
}

size_t
defs_count(const struct defs *s)
{
	return s->n;
}

const char *
defs_file(const struct defs *s, size_t i)
{
	return s->v[i].file;
}

const char *
defs_after(const struct defs *s, size_t i)
{
	return s->v[i].after;
}

const char *
defs_objects(const struct defs *s, size_t i)
{
	return s->v[i].objects;
}

/* Runs SQL with N text parameters P; its result, or NULL with ERR set. */
static PGresult *
query(PGconn *conn, const char *sql, int n, const char *const *p,
    char *err, size_t errlen)
{
	PGresult *res;

	res = n == 0 ? PQexec(conn, sql) :
	    PQexecParams(conn, sql, n, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK)
		return res;
	snprintf(err, errlen, "%s", PQerrorMessage(conn));
	PQclear(res);
	return NULL;
}

/* The digest of what D installed into DIGEST, the missing into MISSING. */
static int
installed(PGconn *conn, const struct def *d, char *digest, char *missing,
    size_t mlen, char *err, size_t errlen)
{
	const char *p[] = { d->funcs, d->trigs, d->views };
	PGresult *res;
	int rv = -1;

	if ((res = query(conn, "SET search_path = pg_catalog, pg_temp", 0,
	    NULL, err, errlen)) == NULL)
		return -1;
	PQclear(res);
	if ((res = query(conn, INSTALLED_SQL, 3, p, err, errlen)) != NULL &&
	    PQntuples(res) == 1) {
		strlcpy(digest, PQgetvalue(res, 0, 0),
		    SHA256_DIGEST_STRING_LENGTH);
		strlcpy(missing, PQgetvalue(res, 0, 1), mlen);
		rv = 0;
	}
	PQclear(res);
	if ((res = query(conn, "RESET search_path", 0, NULL, err,
	    errlen)) == NULL)
		return -1;
	PQclear(res);
	return rv;
}

int
defs_state(PGconn *conn, const struct defs *s, size_t i,
    struct defs_state *out, char *err, size_t errlen)
{
	const struct def *d = &s->v[i];
	const char *p[] = { d->file };
	char have[SHA256_DIGEST_STRING_LENGTH];
	PGresult *res;

	memset(out, 0, sizeof(*out));
	if (installed(conn, d, have, out->missing, sizeof(out->missing),
	    err, errlen) == -1 ||
	    (res = query(conn, "SELECT to_regclass("
	    "'termgate.schema_definitions') IS NULL", 0, NULL, err,
	    errlen)) == NULL)
		return -1;
	/* Migrated by an older termgate-admin: nothing recorded. */
	if (PQgetvalue(res, 0, 0)[0] == 't') {
		PQclear(res);
		return 0;
	}
	PQclear(res);
	if ((res = query(conn, RECORDED_SQL, 1, p, err, errlen)) == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		out->recorded = 1;
		out->file_changed = strcmp(PQgetvalue(res, 0, 0), d->sha) != 0;
		out->changed = strcmp(PQgetvalue(res, 0, 1), have) != 0;
	}
	PQclear(res);
	return 0;
}

int
defs_stale(const struct defs_state *st)
{
	return !st->recorded || st->file_changed || st->changed ||
	    st->missing[0] != '\0';
}

int
defs_run(PGconn *conn, const struct defs *s, size_t i, char *err,
    size_t errlen)
{
	PGresult *res;

	res = PQexec(conn, s->v[i].text);
	if (PQresultStatus(res) == PGRES_COMMAND_OK ||
	    PQresultStatus(res) == PGRES_TUPLES_OK) {
		PQclear(res);
		return 0;
	}
	snprintf(err, errlen, "defs/%s: %s", s->v[i].file,
	    PQerrorMessage(conn));
	PQclear(res);
	return -1;
}

int
defs_record(PGconn *conn, const struct defs *s, size_t i, char *err,
    size_t errlen)
{
	const struct def *d = &s->v[i];
	char have[SHA256_DIGEST_STRING_LENGTH], missing[512];
	const char *p[] = { d->file, d->sha, have };
	PGresult *res;

	if (installed(conn, d, have, missing, sizeof(missing), err,
	    errlen) == -1)
		return -1;
	if (missing[0] != '\0') {
		snprintf(err, errlen, "defs/%s: %s missing after it ran",
		    d->file, missing);
		return -1;
	}
	if ((res = query(conn, RECORD_SQL, 3, p, err, errlen)) == NULL)
		return -1;
	PQclear(res);
	return 0;
}
