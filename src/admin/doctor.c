/*
 * doctor.c - termgate-admin doctor: checks an installation line by line.
 *
 * Each check prints one line, "ok" or "FAIL", with what it found and, for
 * a failure, how to fix it; with --json the lines are an array of
 * {check, ok, message, fix}. This file checks the configuration and the
 * database (reachable, migrations applied, each program's role, the
 * schema's triggers, a live supervisor on every node); doctor_host.c the
 * machine. A check that cannot run because an earlier one failed is not
 * reported: fixing the first failure shows the next. The exit status is
 * 0 when every line is ok, else 1.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "db.h"
#include "doctor.h"
#include "migrate.h"
#include "node.h"
#include "schema.h"

#define FIX_ROLES	"as a superuser: termgate-admin roles | sudo -u " \
			"postgres psql; then, as the schema's owner: " \
			"termgate-admin migrate"
#define TRIGGERS_MAX	64

void
doctor_line(struct doctor *d, const char *check, int ok, const char *fix,
    const char *fmt, ...)
{
	char msg[1024];
	json_object *o;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!ok)
		d->failed++;
	if (d->lines == NULL) {
		printf("%-4s %-12s %s\n", ok ? "ok" : "FAIL", check, msg);
		if (!ok && fix != NULL)
			printf("     %-12s fix: %s\n", "", fix);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "check", json_object_new_string(check));
	json_object_object_add(o, "ok", json_object_new_boolean(ok));
	json_object_object_add(o, "message", json_object_new_string(msg));
	json_object_object_add(o, "fix", ok || fix == NULL ? NULL :
	    json_object_new_string(fix));
	json_object_array_add(d->lines, o);
}

static int
check_config(struct doctor *d)
{
	struct admin *a = d->a;

	if (a->cfg_err != NULL)
		doctor_line(d, "config", 0, "correct that line; "
		    "termgate.conf(5) lists every key and what it accepts",
		    "%s", a->cfg_err);
	else if (a->cfg_path == NULL)
		doctor_line(d, "config", 1, NULL, "no file: the defaults "
		    "(termgate.conf(5))");
	else
		doctor_line(d, "config", 1, NULL, "%s parses", a->cfg_path);
	return a->cfg_err == NULL ? 0 : -1;
}

/* Reachable, and every migration applied: 0, or -1 to stop here. */
static int
check_schema(struct doctor *d)
{
	char first[256], err[1024], fix[512];
	int n;

	n = migrate_pending(d->a->cfg.database, d->a->sql_dir, first,
	    sizeof(first), err, sizeof(err));
	if (n == -1 && strchr(err, '\n') != NULL)
		*strchr(err, '\n') = '\0';
	if (n == -1) {
		doctor_line(d, "database", 0, "check the database key (or "
		    "-d), that PostgreSQL runs, pg_hba.conf, and the password "
		    "file (PGPASSFILE, default ~/.pgpass); or -s, when the "
		    "message names the migrations' directory", "cannot check "
		    "the migrations: %s", err);
		return -1;
	}
	doctor_line(d, "database", 1, NULL, "reachable");
	snprintf(fix, sizeof(fix), "as the schema's owner: termgate-admin "
	    "-s %s migrate", d->a->sql_dir);
	if (n == 0)
		doctor_line(d, "migrations", 1, NULL, "every migration of %s "
		    "applied", d->a->sql_dir);
	else
		doctor_line(d, "migrations", 0, fix, "%d migration(s) of %s "
		    "not applied, the first %s", n, d->a->sql_dir, first);
	return n == 0 ? 0 : -1;
}

/* The programs' roles (sql/006_roles.sql) and what each must be. */
static const struct {
	const char	*name;
	int		 login;
} roles[] = {
	{ "termgate-fcgi", 1 }, { "termgate-supervisor", 1 },
	{ "termgate-auditor", 0 },
};

static void
check_roles(struct doctor *d, struct tg_db *db)
{
	struct schema_role r;
	const char *name, *why;
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		name = roles[i].name;
		if (schema_role(db, name, &r) == -1) {
			doctor_line(d, "role", 0, "read the PostgreSQL log",
			    "%s: cannot read pg_roles", name);
			continue;
		}
		why = !r.exists ? "does not exist" :
		    r.login != roles[i].login ? (r.login ? "may log in, "
		    "but nobody should log in as it" : "may not log in") :
		    !r.connect ? "may not connect to this database" :
		    !r.usage ? "may not use the schema termgate" : NULL;
		if (why != NULL)
			doctor_line(d, "role", 0, FIX_ROLES, "%s %s", name,
			    why);
		else
			doctor_line(d, "role", 1, NULL, "%s exists, %s, may "
			    "connect and use the schema", name, r.login ?
			    "may log in" : "no login");
	}
}

/* The triggers the migrations create, as written in them. */
struct expected {
	char	name[TRIGGERS_MAX][64];
	char	file[TRIGGERS_MAX][64];
	int	n;
};

/* The word after the words PREFIX at the start of LINE, into OUT. */
static int
word_after(const char *line, const char *prefix, char *out, size_t len)
{
	size_t n = strlen(prefix), w;

	while (isspace((unsigned char)*line))
		line++;
	if (strncmp(line, prefix, n) != 0)
		return -1;
	line += n;
	if (strncmp(line, "IF EXISTS ", 10) == 0)
		line += 10;
	w = strcspn(line, " \t\n;(");
	if (w == 0 || w >= len)
		return -1;
	memcpy(out, line, w);
	out[w] = '\0';
	return 0;
}

/* Reads the CREATE TRIGGER and DROP TRIGGER lines of FILE into E. */
static void
scan_file(struct expected *e, const char *dir, const char *file)
{
	char path[4096], line[1024], name[64];
	FILE *fp;
	int i;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((fp = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (word_after(line, "CREATE TRIGGER ", name,
		    sizeof(name)) == 0 && e->n < TRIGGERS_MAX) {
			strlcpy(e->name[e->n], name, sizeof(e->name[0]));
			strlcpy(e->file[e->n++], file, sizeof(e->file[0]));
		} else if (word_after(line, "DROP TRIGGER ", name,
		    sizeof(name)) == 0) {
			for (i = 0; i < e->n; i++)
				if (strcmp(e->name[i], name) == 0)
					e->name[i][0] = '\0';
		}
	}
	fclose(fp);
}

static int
is_sql(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return n > 4 && isdigit((unsigned char)de->d_name[0]) &&
	    strcmp(de->d_name + n - 4, ".sql") == 0;
}

/* 1 if the array of {"trigger"} objects ARR names NAME. */
static int
has_trigger(json_object *arr, const char *name)
{
	json_object *v;
	size_t i;

	for (i = 0; i < json_object_array_length(arr); i++)
		if (json_object_object_get_ex(json_object_array_get_idx(arr,
		    i), "trigger", &v) &&
		    strcmp(json_object_get_string(v), name) == 0)
			return 1;
	return 0;
}

static void
check_triggers(struct doctor *d, struct tg_db *db)
{
	struct expected e = { .n = 0 };
	struct dirent **names = NULL;
	json_object *have = NULL;
	char fix[512];
	int i, n, missing = 0;

	n = scandir(d->a->sql_dir, &names, is_sql, alphasort);
	for (i = 0; i < n; i++) {
		scan_file(&e, d->a->sql_dir, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	if (schema_triggers(db, &have) == -1) {
		doctor_line(d, "triggers", 0, "read the PostgreSQL log",
		    "cannot read pg_trigger");
		return;
	}
	for (i = 0; i < e.n; i++) {
		if (e.name[i][0] == '\0' || has_trigger(have, e.name[i]))
			continue;
		missing++;
		snprintf(fix, sizeof(fix), "someone dropped it: create it "
		    "again as the schema's owner, from %s/%s", d->a->sql_dir,
		    e.file[i]);
		doctor_line(d, "triggers", 0, fix, "trigger %s is missing",
		    e.name[i]);
	}
	if (missing == 0)
		doctor_line(d, "triggers", 1, NULL, "all %zu of the schema's "
		    "triggers present", json_object_array_length(have));
	json_object_put(have);
}

static void
dead_node(struct doctor *d, const char *node, int max_age)
{
	char fix[512];

	snprintf(fix, sizeof(fix), "start termgate-supervisor on node %s "
	    "(systemctl start termgate-supervisor) and read its log; for a "
	    "node taken out of service: DELETE FROM termgate.supervisors "
	    "WHERE node = '%s'", node, node);
	doctor_line(d, "supervisor", 0, fix, "node %s: no supervisor holds "
	    "its lock or it has not shown itself in %d s", node, max_age);
}

/*
 * Every node a supervisor has run on, and this one: a supervisor holds
 * its lock and showed itself lately (as /health judges it).
 */
static void
check_nodes(struct doctor *d, struct tg_db *db)
{
	const struct tg_cfg *cfg = &d->a->cfg;
	struct node_health h;
	json_object *arr, *v;
	const char *node;
	int max_age = cfg->gc_interval * 3 > 30 ? cfg->gc_interval * 3 : 30;
	size_t i;

	if (node_names(db, cfg->node, &arr) == -1) {
		doctor_line(d, "supervisor", 0, "read the PostgreSQL log",
		    "cannot list the nodes");
		return;
	}
	for (i = 0; i < json_object_array_length(arr); i++) {
		json_object_object_get_ex(json_object_array_get_idx(arr, i),
		    "node", &v);
		node = json_object_get_string(v);
		if (node_health(db, node, max_age, &h) == -1)
			doctor_line(d, "supervisor", 0, "read the PostgreSQL "
			    "log", "node %s: cannot read its health", node);
		else if (h.alive)
			doctor_line(d, "supervisor", 1, NULL, "node %s: a "
			    "supervisor holds its lock and showed itself in "
			    "the last %d s", node, max_age);
		else
			dead_node(d, node, max_age);
	}
	json_object_put(arr);
}

static void
check_database(struct doctor *d)
{
	struct tg_db *db;

	if (check_schema(d) == -1)
		return;
	if ((db = db_new(d->a->cfg.database)) == NULL || !db_ok(db)) {
		doctor_line(d, "database", 0, "read the PostgreSQL log",
		    "cannot prepare termgate's statements");
		db_free(db);
		return;
	}
	check_roles(d, db);
	check_triggers(d, db);
	check_nodes(d, db);
	db_free(db);
}

int
doctor_run(struct admin *a)
{
	struct doctor d = { .a = a };

	if (a->argc == 3 && strcmp(a->argv[1], "--nginx-user") == 0)
		d.nginx_user = a->argv[2];
	else if (a->argc != 1) {
		fprintf(stderr, "usage: termgate-admin doctor [--nginx-user "
		    "USER] [--json]\n");
		return EX_USAGE;
	}
	if (a->json)
		d.lines = json_object_new_array();
	if (check_config(&d) == 0) {
		check_database(&d);
		doctor_host(&d);
	}
	if (d.lines != NULL) {
		printf("%s\n", json_object_to_json_string_ext(d.lines,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(d.lines);
	}
	return d.failed == 0 ? 0 : EX_FAIL;
}
