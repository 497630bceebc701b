/*
 * doctor.c - termgate-admin doctor: checks an installation line by line.
 *
 * Each check prints one line, "ok" or "FAIL", with what it found and, for
 * a failure, how to fix it; with --json the lines are an array of
 * {check, ok, message, fix}. This file checks the configuration and the
 * database (reachable, migrations applied, each program's role, the
 * functions, triggers and views as sql/defs has them, a live supervisor
 * on every node); doctor_host.c the machine; doctor_gw.c the node's
 * gateway; doctor_hop.c the hop between nodes; each writes its lines
 * with doctor_line.c, below them.
 * A check that cannot run because an earlier one failed is not
 * reported: fixing the first failure shows the next.
 * The exit status is 0 when every line is ok, else 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "db.h"
#include "doctor.h"
#include "doctor_gw.h"
#include "doctor_host.h"
#include "doctor_hop.h"
#include "doctor_iso.h"
#include "migrate.h"
#include "node.h"
#include "schema.h"

#define FIX_ROLES	"as a superuser: termgate-admin roles | sudo -u " \
			"postgres psql; then, as the schema's owner: " \
			"termgate-admin migrate"

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

/* What check_definitions counts while migrate_check reports. */
struct defs_report {
	struct doctor	*d;
	int		 n;
};

static void
report_def(void *arg, const char *file, const char *problem)
{
	struct defs_report *r = arg;
	char fix[1024];

	r->n++;
	if (problem == NULL)
		return;
	snprintf(fix, sizeof(fix), "as the schema's owner: termgate-admin -s "
	    "%s migrate (it runs %s/defs/%s again)", r->d->a->sql_dir,
	    r->d->a->sql_dir, file);
	doctor_line(r->d, "definitions", 0, fix, "%s", problem);
}

/*
 * The functions, triggers and views of sql/defs against the database:
 * each exists, as migrate created it from the file as it is now.
 */
static void
check_definitions(struct doctor *d)
{
	struct defs_report r = { .d = d };
	char err[1024];
	int bad;

	bad = migrate_check(d->a->cfg.database, d->a->sql_dir, report_def,
	    &r, err, sizeof(err));
	if (bad == -1 && strchr(err, '\n') != NULL)
		*strchr(err, '\n') = '\0';
	if (bad == -1)
		doctor_line(d, "definitions", 0, "read the PostgreSQL log",
		    "cannot compare the definitions: %s", err);
	else if (bad == 0)
		doctor_line(d, "definitions", 1, NULL, "all %d of %s/defs "
		    "installed as written", r.n, d->a->sql_dir);
}

static void
dead_node(struct doctor *d, const char *node, int max_age)
{
	char fix[512];

	snprintf(fix, sizeof(fix), "start termgate-supervisor on node %s "
	    "(systemctl start termgate-supervisor) and read its log; for a "
	    "node taken out of service: termgate-admin node remove %s",
	    node, node);
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
	int max_age = node_alive_age(cfg);
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
	check_definitions(d);
	check_nodes(d, db);
	doctor_hop_rows(d, db);
	doctor_iso_db(d, db);
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
		doctor_hop(&d);
		doctor_host(&d);
		doctor_gateway(&d);
	}
	if (d.lines != NULL) {
		printf("%s\n", json_object_to_json_string_ext(d.lines,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(d.lines);
	}
	return d.failed == 0 ? 0 : EX_FAIL;
}
