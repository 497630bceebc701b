/*
 * termgate-admin - the operator's tool.
 *
 * Prints the roles for a superuser, applies migrations, manages hosts,
 * users and who may open which host, lists and closes sessions, lists,
 * drains and removes nodes, prints the configuration keys and checks an
 * installation (doctor.c). Every command is one short connection; errors
 * name what was wrong and exit non-zero (1 for a failure, 2 for bad
 * usage). Listings print columns,
 * or with --json an array of objects whose field names termgate-admin(8)
 * documents.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access.h"
#include "admin.h"
#include "cfg.h"
#include "db.h"
#include "hist.h"
#include "hosts.h"
#include "jsonx.h"
#include "log.h"
#include "migrate.h"
#include "node.h"
#include "sess.h"
#include "users.h"
#include "valid.h"
#include "vis.h"


static void
usage(void)
{
	fprintf(stderr, "usage: termgate-admin [-c FILE] [-d CONNINFO] "
	    "[-s SQLDIR] COMMAND\n"
	    "  -c FILE      the configuration (default "
	    SYSCONFDIR "/termgate/termgate.conf)\n"
	    "  -d CONNINFO  libpq connection string instead of its "
	    "database key;\n"
	    "               no password in it (ps shows it to every user): "
	    "libpq reads\n"
	    "               one from PGPASSFILE=FILE (default ~/.pgpass, "
	    "mode 0600)\n"
	    "  -s SQLDIR    the migrations (default " PKGDATADIR "/sql)\n"
	    "  --json       listings and doctor: JSON for scripts\n"
	    "commands:\n"
	    "  roles                 print the SQL that creates the roles "
	    "(for a superuser)\n"
	    "  migrate\n"
	    "  host add ID ADDRESS [--name N] [--ssh-user U] [--ssh-port P]\n"
	    "  host list [--json]\n"
	    "  host remove ID\n"
	    "  host tag ID TAG       put host ID in the hosts tagged TAG\n"
	    "  host untag ID TAG\n"
	    "  user role USER admin|user\n"
	    "  user limit USER N|default\n"
	    "  user list [--json]    every user: role, limit, live sessions\n"
	    "  group add USER GROUP  put USER in GROUP\n"
	    "  group remove USER GROUP\n"
	    "  group list [--json]\n"
	    "  grant GROUP TAG       let GROUP open the hosts tagged TAG\n"
	    "  revoke GROUP TAG\n"
	    "  grants [--json]       every grant, with its users and hosts\n"
	    "  sessions [--all] [--limit N] [--json]\n"
	    "                        the newest (default 1000)\n"
	    "  history [--user USER] [--host ID] [-q TEXT] [--limit N] "
	    "[--json]\n"
	    "                        the newest commands (default 50)\n"
	    "  close ID [--reason TEXT]\n"
	    "  config keys [--json]  every configuration key, its default and "
	    "readers\n"
	    "  doctor [--nginx-user USER] [--json]\n"
	    "                        check this installation, say what to "
	    "fix\n"
	    "  node list [--json]    every node: address, capacity, state, "
	    "load, liveness\n"
	    "  node drain NAME       no new sessions on NAME; its own stay\n"
	    "  node undrain NAME\n"
	    "  node remove NAME [--force]  forget a node (forced: even live, "
	    "its\n"
	    "                        sessions ended node_lost)\n"
	    "Only admins open a host no grant covers. The group \"everyone\" "
	    "holds every\nuser, the tag \"all\" is on every host: \"grant "
	    "everyone all\" lets anyone open\nanything.\n");
	exit(EX_USAGE);
}

/*
 * The roles of sql/006_roles.sql. Roles belong to the whole cluster, so a
 * superuser creates them, once, before the first migrate; running it
 * again changes nothing.
 */
static const char roles_sql[] =
    "-- termgate's PostgreSQL roles (sql/006_roles.sql says what each may"
    " do).\n"
    "-- Roles belong to the whole cluster: run this as a superuser, before"
    " the\n"
    "-- first migrate, e.g.  termgate-admin roles | sudo -u postgres psql\n"
    "--   termgate               owns the schema; runs termgate-admin"
    " (migrate too)\n"
    "--   \"termgate-fcgi\"        termgate-fcgi connects as it\n"
    "--   \"termgate-supervisor\"  termgate-supervisor connects as it\n"
    "--   \"termgate-auditor\"     no login: GRANT \"termgate-auditor\" TO"
    " alice;\n"
    "-- Then: createdb -O termgate termgate; and, as termgate:"
    " termgate-admin migrate\n"
    "DO $$\n"
    "DECLARE\n"
    "\tr text[];\n"
    "BEGIN\n"
    "\tFOREACH r SLICE 1 IN ARRAY ARRAY[['termgate', 'LOGIN'],\n"
    "\t    ['termgate-fcgi', 'LOGIN'], ['termgate-supervisor', 'LOGIN'],\n"
    "\t    ['termgate-auditor', 'NOLOGIN']] LOOP\n"
    "\t\tIF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles\n"
    "\t\t    WHERE rolname = r[1]) THEN\n"
    "\t\t\tEXECUTE format('CREATE ROLE %I %s', r[1], r[2]);\n"
    "\t\tEND IF;\n"
    "\tEND LOOP;\n"
    "END $$;\n";

static int
cmd_roles(struct admin *a)
{
	if (a->argc != 1)
		usage();
	fputs(roles_sql, stdout);
	return 0;
}

static struct tg_db *
connect_db(struct admin *a)
{
	struct tg_db *db;

	if ((db = db_new(a->cfg.database)) == NULL || !db_ok(db)) {
		fprintf(stderr, "termgate-admin: cannot use the database "
		    "(is it migrated? try: termgate-admin migrate)\n");
		exit(EX_FAIL);
	}
	return db;
}

static int
cmd_migrate(struct admin *a)
{
	char err[1024];
	int n, defs;

	if (a->argc != 1)
		usage();
	if ((n = migrate_run(a->cfg.database, a->sql_dir, &defs, err,
	    sizeof(err))) == -1) {
		fprintf(stderr, "termgate-admin: migrate: %s\n", err);
		return EX_FAIL;
	}
	if (n == 0 && defs == 0)
		printf("schema is up to date\n");
	else
		printf("applied %d migration(s), re-created %d "
		    "definition(s)\n", n, defs);
	return 0;
}

/*
 * Says on stderr why WHAT failed in the database: the constraint that
 * refused it, else the SQLSTATE and message of what SQL raised, else a
 * plain error (db.c logged it). Cannot fail.
 */
static void
say_db_failure(struct tg_db *db, const char *what)
{
	const struct db_error *e = db_error(db);

	if (e->constraint[0] != '\0')
		fprintf(stderr, "termgate-admin: %s: refused by the database: "
		    "constraint %s (sqlstate %s)\n", what, e->constraint,
		    e->sqlstate);
	else if (e->sqlstate[0] != '\0')
		fprintf(stderr, "termgate-admin: %s: refused by the database: "
		    "sqlstate %s: %s\n", what, e->sqlstate, e->message);
	else
		fprintf(stderr, "termgate-admin: %s: database error\n", what);
}

/* Reads "--opt VALUE" pairs of host add into NAME, USER and PORT. */
static void
host_options(struct admin *a, const char **name, const char **user,
    const char **port)
{
	int i;

	for (i = 4; i < a->argc; i += 2) {
		if (i + 1 >= a->argc)
			usage();
		if (strcmp(a->argv[i], "--name") == 0)
			*name = a->argv[i + 1];
		else if (strcmp(a->argv[i], "--ssh-user") == 0)
			*user = a->argv[i + 1];
		else if (strcmp(a->argv[i], "--ssh-port") == 0)
			*port = a->argv[i + 1];
		else
			usage();
	}
}

static int
host_add(struct admin *a, struct tg_db *db)
{
	const char *id, *addr, *name, *user = "root", *port = "22", *why;
	const char *errstr;
	struct host h;
	int rv;

	if (a->argc < 4)
		usage();
	id = a->argv[2];
	addr = name = a->argv[3];
	host_options(a, &name, &user, &port);
	why = !valid_host_id(id) ? "bad host id" :
	    !valid_address(addr) ? "bad address" :
	    !valid_ssh_user(user) ? "bad ssh user" : NULL;
	(void)strtonum(port, 1, 65535, &errstr);
	if (why == NULL && errstr != NULL)
		why = "bad ssh port";
	if (why != NULL) {
		fprintf(stderr, "termgate-admin: host add: %s\n", why);
		return EX_FAIL;
	}
	h = (struct host){ id, name, addr, user, port };
	if ((rv = hosts_add(db, &h)) == -1) {
		say_db_failure(db, "host add");
		return EX_FAIL;
	}
	printf("%s host %s\n", rv == 0 ? "added" : "updated", id);
	return 0;
}

/* A string field of host H. */
static const char *
hfield(json_object *h, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(h, key, &v) && v != NULL ?
	    json_object_get_string(v) : "";
}

/* A listing for scripts: the array as JSON, one line. Cannot fail. */
static void
print_json(json_object *arr)
{
	printf("%s\n", json_object_to_json_string_ext(arr,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
}

static int
host_list(struct admin *a, struct tg_db *db)
{
	json_object *arr, *h;
	size_t i;

	if (hosts_list(db, &arr) == -1)
		return EX_FAIL;
	if (a->json) {
		print_json(arr);
		json_object_put(arr);
		return 0;
	}
	printf("%-20s %-24s %-24s %-12s %-5s %s\n", "ID", "NAME", "ADDRESS",
	    "SSH_USER", "PORT", "TAGS");
	for (i = 0; i < json_object_array_length(arr); i++) {
		h = json_object_array_get_idx(arr, i);
		printf("%-20s %-24s %-24s %-12s %-5s %s\n", hfield(h, "id"),
		    hfield(h, "name"), hfield(h, "address"),
		    hfield(h, "ssh_user"), hfield(h, "ssh_port"),
		    hfield(h, "tags"));
	}
	json_object_put(arr);
	return 0;
}

static int
host_remove(struct admin *a, struct tg_db *db)
{
	int rv;

	if (a->argc != 3)
		usage();
	if ((rv = hosts_remove(db, a->argv[2])) == -1)
		return EX_FAIL;
	if (rv == 1) {
		fprintf(stderr, "termgate-admin: no host %s\n", a->argv[2]);
		return EX_FAIL;
	}
	printf("removed host %s\n", a->argv[2]);
	return 0;
}

/* A group or tag name: spelled like a host id. */
static int
valid_access_name(const char *kind, const char *name)
{
	if (valid_host_id(name))
		return 1;
	fprintf(stderr, "termgate-admin: bad %s name %s (1-64 of "
	    "[A-Za-z0-9._-], not '-' or '.' first)\n", kind, name);
	return 0;
}

static int
host_tag(struct admin *a, struct tg_db *db)
{
	const char *id, *tag;
	int rv;

	if (a->argc != 4)
		usage();
	id = a->argv[2];
	tag = a->argv[3];
	if (!valid_access_name("tag", tag))
		return EX_USAGE;
	if (strcmp(tag, ACCESS_ALL) == 0) {
		fprintf(stderr, "termgate-admin: every host has the tag %s "
		    "already\n", ACCESS_ALL);
		return EX_USAGE;
	}
	if (strcmp(a->argv[1], "tag") == 0) {
		if ((rv = access_tag(db, id, tag)) == 2)
			fprintf(stderr, "termgate-admin: no host %s\n", id);
		else if (rv != -1)
			printf("host %s: %s %s\n", id, rv == 0 ? "tagged" :
			    "already tagged", tag);
		return rv == 0 || rv == 1 ? 0 : EX_FAIL;
	}
	if ((rv = access_untag(db, id, tag)) == 1)
		fprintf(stderr, "termgate-admin: host %s is not tagged %s\n",
		    id, tag);
	else if (rv == 0)
		printf("host %s: untagged %s\n", id, tag);
	return rv == 0 ? 0 : EX_FAIL;
}

static int
cmd_host(struct admin *a)
{
	static const char *const subs[] = { "add", "list", "remove", "tag",
	    "untag" };
	struct tg_db *db;
	size_t i;
	int rv;

	if (a->argc < 2)
		usage();
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(a->argv[1], subs[i]) == 0)
			break;
	if (i == sizeof(subs) / sizeof(subs[0]) ||
	    (a->json && strcmp(a->argv[1], "list") != 0))
		usage();
	db = connect_db(a);
	if (strcmp(a->argv[1], "add") == 0)
		rv = host_add(a, db);
	else if (strcmp(a->argv[1], "list") == 0)
		rv = a->argc == 2 ? host_list(a, db) : (usage(), 0);
	else if (strcmp(a->argv[1], "remove") == 0)
		rv = host_remove(a, db);
	else
		rv = host_tag(a, db);
	db_free(db);
	return rv;
}

/* Prints S padded to 20 columns (or, LAST, ending the line), in its
 * visible form (vis.c): a command must not drive the terminal, nor read
 * differently from what it holds. */
static void
print_cell(const char *s, int last)
{
	size_t size = strlen(s) * 4 + 1;	/* \xNN for every byte */
	char *v;
	int n;

	if ((v = malloc(size)) == NULL)
		fatal("out of memory");
	n = (int)vis_str(s, v, size);
	fputs(v, stdout);
	free(v);
	if (last)
		putchar('\n');
	else
		printf("%*s ", n < 20 ? 20 - n : 0, "");
}

/* Prints the rows of a listing: KEYS of each object, in columns, or
 * the whole array as JSON with --json. */
static void
print_rows(struct admin *a, json_object *arr, const char *const *keys,
    const char *const *heads, int n)
{
	json_object *o;
	size_t i;
	int k;

	if (a->json) {
		print_json(arr);
		return;
	}
	for (k = 0; k < n; k++)
		print_cell(heads[k], k == n - 1);
	for (i = 0; i < json_object_array_length(arr); i++) {
		o = json_object_array_get_idx(arr, i);
		for (k = 0; k < n; k++)
			print_cell(hfield(o, keys[k]), k == n - 1);
	}
}

static int
group_list(struct admin *a, struct tg_db *db)
{
	static const char *const keys[] = { "group", "user" };
	static const char *const heads[] = { "GROUP", "USER" };
	json_object *arr;

	if (access_groups(db, &arr) == -1)
		return EX_FAIL;
	print_rows(a, arr, keys, heads, 2);
	json_object_put(arr);
	return 0;
}

static int
cmd_group(struct admin *a)
{
	struct tg_db *db;
	const char *user, *group;
	int add, rv;

	if (a->argc == 2 && strcmp(a->argv[1], "list") == 0) {
		db = connect_db(a);
		rv = group_list(a, db);
		db_free(db);
		return rv;
	}
	if (a->argc != 4 || a->json ||
	    (!(add = strcmp(a->argv[1], "add") == 0) &&
	    strcmp(a->argv[1], "remove") != 0) || !valid_username(a->argv[2]))
		usage();
	user = a->argv[2];
	group = a->argv[3];
	if (!valid_access_name("group", group))
		return EX_USAGE;
	if (strcmp(group, ACCESS_EVERYONE) == 0) {
		fprintf(stderr, "termgate-admin: every user is in the group "
		    "%s\n", ACCESS_EVERYONE);
		return EX_USAGE;
	}
	db = connect_db(a);
	if (add && (rv = access_group_add(db, user, group)) != -1)
		printf("user %s: %s group %s\n", user, rv == 0 ? "added to" :
		    "already in", group);
	else if (!add && (rv = access_group_remove(db, user, group)) == 0)
		printf("user %s: removed from group %s\n", user, group);
	else if (!add && rv == 1)
		fprintf(stderr, "termgate-admin: user %s is not in group "
		    "%s\n", user, group);
	db_free(db);
	return rv == -1 || (!add && rv == 1) ? EX_FAIL : 0;
}

static int
cmd_grant(struct admin *a)
{
	struct tg_db *db;
	const char *group, *tag;
	int grant = strcmp(a->argv[0], "grant") == 0, rv;

	if (a->argc != 3)
		usage();
	group = a->argv[1];
	tag = a->argv[2];
	if (!valid_access_name("group", group) ||
	    !valid_access_name("tag", tag))
		return EX_USAGE;
	db = connect_db(a);
	if (grant && (rv = access_grant(db, group, tag)) != -1)
		printf("group %s %s open the hosts tagged %s\n", group,
		    rv == 0 ? "may now" : "already may", tag);
	else if (!grant && (rv = access_revoke(db, group, tag)) == 0)
		printf("group %s may no longer open the hosts tagged %s "
		    "(live sessions stay until closed)\n", group, tag);
	else if (!grant && rv == 1)
		fprintf(stderr, "termgate-admin: no grant of %s to %s\n",
		    tag, group);
	db_free(db);
	return rv == -1 || (!grant && rv == 1) ? EX_FAIL : 0;
}

static int
cmd_grants(struct admin *a)
{
	static const char *const keys[] = { "group", "tag", "users",
	    "hosts" };
	static const char *const heads[] = { "GROUP", "TAG", "USERS",
	    "HOSTS" };
	struct tg_db *db;
	json_object *arr;
	int rv = EX_FAIL;

	if (a->argc != 1)
		usage();
	db = connect_db(a);
	if (access_grants(db, &arr) == 0) {
		print_rows(a, arr, keys, heads, 4);
		json_object_put(arr);
		rv = 0;
	}
	db_free(db);
	return rv;
}

/* user list: every user, as columns or --json. */
static int
user_list(struct admin *a)
{
	static const char *const keys[] = { "username", "role",
	    "max_sessions", "live", "created_at" };
	static const char *const heads[] = { "USER", "ROLE", "LIMIT",
	    "LIVE", "CREATED_AT" };
	struct tg_db *db = connect_db(a);
	json_object *arr;
	int rv;

	if ((rv = users_list(db, &arr)) == 0) {
		print_rows(a, arr, keys, heads, 5);
		json_object_put(arr);
	}
	db_free(db);
	return rv == 0 ? 0 : EX_FAIL;
}

static int
cmd_user(struct admin *a)
{
	struct tg_db *db;
	const char *errstr, *value;
	int role, rv;

	if (a->argc == 2 && strcmp(a->argv[1], "list") == 0)
		return user_list(a);
	if (a->argc != 4 || !valid_username(a->argv[2]))
		usage();
	value = a->argv[3];
	if ((role = strcmp(a->argv[1], "role") == 0)) {
		if (strcmp(value, "admin") != 0 && strcmp(value, "user") != 0)
			usage();
	} else if (strcmp(a->argv[1], "limit") == 0) {
		if (strcmp(value, "default") == 0)
			value = NULL;
		else if (strtonum(value, 0, 1000, &errstr), errstr != NULL) {
			fprintf(stderr, "termgate-admin: limit %s: %s\n",
			    value, errstr);
			return EX_USAGE;
		}
	} else
		usage();
	db = connect_db(a);
	rv = role ? users_set_role(db, a->argv[2], value) :
	    users_set_limit(db, a->argv[2], value);
	if (rv == 0)
		printf("user %s: %s %s\n", a->argv[2], a->argv[1],
		    a->argv[3]);
	db_free(db);
	return rv == 0 ? 0 : EX_FAIL;
}

static void
print_session(json_object *s)
{
	char line[1024];

	(void)sess_line(s, line, sizeof(line));
	printf("%s\n", line);
}

/* Reads sessions' options into *ALL and *LIMIT; 0, or -1 on bad usage. */
static int
sessions_opts(struct admin *a, int *all, int *limit)
{
	const char *errstr;
	int i;

	for (i = 1; i < a->argc; i++) {
		if (strcmp(a->argv[i], "--all") == 0)
			*all = 1;
		else if (strcmp(a->argv[i], "--limit") == 0 &&
		    i + 1 < a->argc) {
			*limit = (int)strtonum(a->argv[++i], 1, 100000,
			    &errstr);
			if (errstr != NULL)
				return -1;
		} else
			return -1;
	}
	return 0;
}

static int
cmd_sessions(struct admin *a)
{
	struct tg_db *db;
	json_object *arr;
	int all = 0, limit = 1000, rv;
	size_t i;

	if (sessions_opts(a, &all, &limit) == -1)
		usage();
	db = connect_db(a);
	/* One more than shown: whether there are more is said, not hidden. */
	rv = sess_admin_list(db, all ? NULL : SESS_STATUS_ACTIVE, NULL, NULL,
	    limit + 1, &arr);
	if (rv == 0 && json_object_array_length(arr) > (size_t)limit) {
		json_object_array_del_idx(arr, limit, 1);
		fprintf(stderr, "termgate-admin: sessions: the newest %d "
		    "shown, more not shown; use --limit\n", limit);
	}
	if (rv == 0) {
		for (i = 0; !a->json && i < json_object_array_length(arr); i++)
			print_session(json_object_array_get_idx(arr, i));
		if (a->json)
			print_json(arr);
		json_object_put(arr);
	}
	db_free(db);
	return rv == 0 ? 0 : EX_FAIL;
}

/* Adds each history row to the array ARG, as the API shows it. */
static int
history_row(void *arg, const struct hist_row *r)
{
	json_object_array_add(arg, hist_row_json(r));
	return 0;
}

/* Reads history's options into F and *LIMIT; 0, or -1 on bad usage. */
static int
history_opts(struct admin *a, struct hist_filter *f, int *limit)
{
	const char *errstr, *v;
	int i;

	for (i = 1; i < a->argc; i += 2) {
		if ((v = a->argv[i + 1]) == NULL)
			return -1;
		if (strcmp(a->argv[i], "--user") == 0 && valid_username(v))
			f->user = v;
		else if (strcmp(a->argv[i], "--host") == 0 &&
		    valid_host_id(v))
			f->host_id = v;
		else if (strcmp(a->argv[i], "-q") == 0 &&
		    strlen(v) <= HIST_Q_MAX)
			f->q = v;
		else if (strcmp(a->argv[i], "--limit") == 0) {
			*limit = (int)strtonum(v, 1, 100000, &errstr);
			if (errstr != NULL)
				return -1;
		} else
			return -1;
	}
	return 0;
}

/* history: the newest commands, every user's unless --user. */
static int
cmd_history(struct admin *a)
{
	static const char *const keys[] = { "started_at", "username",
	    "host_id", "exit_status", "command" };
	static const char *const heads[] = { "STARTED_AT", "USER", "HOST",
	    "EXIT", "COMMAND" };
	struct hist_filter f = { 0 };
	struct tg_db *db;
	json_object *arr;
	int limit = 50, rv;

	if (history_opts(a, &f, &limit) == -1)
		usage();
	db = connect_db(a);
	arr = json_object_new_array();
	rv = hist_each(db, &a->cfg, &f, limit, history_row, arr);
	if (rv == HIST_TIMEOUT)
		fprintf(stderr, "termgate-admin: the search took longer than "
		    "history_search_timeout\n");
	else if (rv >= 0)
		print_rows(a, arr, keys, heads, 5);
	json_object_put(arr);
	db_free(db);
	return rv >= 0 ? 0 : EX_FAIL;
}

/* The operating system's name of whoever runs termgate-admin, for the
 * closed event's "by"; "termgate-admin" when it has none. */
static const char *
operator_name(void)
{
	struct passwd *pw;

	return (pw = getpwuid(getuid())) != NULL && pw->pw_name[0] != '\0' ?
	    pw->pw_name : "termgate-admin";
}

/* close ID [--reason TEXT]: as an admin's close through the API, the
 * account running termgate-admin as its "by". */
static int
cmd_close(struct admin *a)
{
	const char *note = NULL;
	struct tg_db *db;
	json_object *s = NULL;
	int rv;

	if (a->argc == 4 && strcmp(a->argv[2], "--reason") == 0)
		note = a->argv[3][0] != '\0' ? a->argv[3] : NULL;
	else if (a->argc != 2)
		usage();
	if (!valid_session_id(a->argv[1])) {
		fprintf(stderr, "termgate-admin: close: a session id is 64 "
		    "lowercase hex characters\n");
		return EX_USAGE;
	}
	if (note != NULL && !valid_close_note(note)) {
		fprintf(stderr, "termgate-admin: close: a reason is at most "
		    "%d bytes of UTF-8 without control characters\n",
		    VALID_NOTE_MAX);
		return EX_USAGE;
	}
	db = connect_db(a);
	rv = sess_admin_close(db, a->argv[1], operator_name(), note, &s);
	if (rv == 0)
		print_session(s);
	else if (rv == 1)
		fprintf(stderr, "termgate-admin: no session %s\n",
		    a->argv[1]);
	json_object_put(s);
	db_free(db);
	return rv == 0 ? 0 : EX_FAIL;
}

/* The programs of a cfg_prog bit set, as "fcgi,supervisor,admin". */
static void
progs(unsigned bits, char *out, size_t len)
{
	static const struct {
		unsigned	 bit;
		const char	*name;
	} p[] = { { CFG_FCGI, "fcgi" }, { CFG_SUP, "supervisor" },
	    { CFG_ADMIN, "admin" } };
	size_t i;

	out[0] = '\0';
	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		if ((bits & p[i].bit) == 0)
			continue;
		if (out[0] != '\0')
			strlcat(out, ",", len);
		strlcat(out, p[i].name, len);
	}
}

/* "a,b" as the array ["a", "b"] ("" as []); the caller puts it. */
static json_object *
words(const char *list)
{
	json_object *arr = json_object_new_array();
	size_t n;

	while (*list != '\0') {
		n = strcspn(list, ",");
		json_object_array_add(arr, json_object_new_string_len(list,
		    (int)n));
		list += n + (list[n] == ',');
	}
	return arr;
}

/*
 * config keys: the configuration table, a key a line: name, default,
 * the programs that read it, and those that apply it only on restart
 * ("-" for none: a reload applies it). With --json, an array of
 * {key, default, readers, restart} with the program lists as arrays.
 */
static int
cmd_config(struct admin *a)
{
	struct cfg_key k;
	json_object *arr, *o;
	char rd[64], rs[64];
	size_t i;

	if (a->argc != 2 || strcmp(a->argv[1], "keys") != 0)
		usage();
	arr = json_object_new_array();
	for (i = 0; cfg_key(i, &k) == 0; i++) {
		progs(k.readers, rd, sizeof(rd));
		progs(k.restart, rs, sizeof(rs));
		if (!a->json) {
			printf("%s\t%s\t%s\t%s\n", k.name, k.def, rd,
			    rs[0] != '\0' ? rs : "-");
			continue;
		}
		o = json_object_new_object();
		json_object_object_add(o, "key", json_object_new_string(k.name));
		json_object_object_add(o, "default",
		    json_object_new_string(k.def));
		json_object_object_add(o, "readers", words(rd));
		json_object_object_add(o, "restart", words(rs));
		json_object_array_add(arr, o);
	}
	if (a->json)
		print_json(arr);
	json_object_put(arr);
	return 0;
}

/* node list: every node, its figures and whether it is live. */
static int
node_list_cmd(struct admin *a, struct tg_db *db)
{
	static const char *const keys[] = { "node", "address", "capacity",
	    "state", "live", "alive", "heartbeat_age", "pid" };
	static const char *const heads[] = { "NODE", "ADDRESS", "CAPACITY",
	    "STATE", "LIVE", "ALIVE", "HEARTBEAT_AGE", "PID" };
	json_object *arr;

	if (a->argc != 2)
		usage();
	if (node_list(db, a->cfg.node_lost_after, &arr) == -1)
		return EX_FAIL;
	print_rows(a, arr, keys, heads, 8);
	json_object_put(arr);
	return 0;
}

static int
node_state_cmd(struct admin *a, struct tg_db *db, const char *state)
{
	int rv;

	if (a->argc != 3)
		usage();
	if ((rv = node_set_state(db, a->argv[2], state)) == 1)
		fprintf(stderr, "termgate-admin: no node %s (a node is known "
		    "once its supervisor has run)\n", a->argv[2]);
	else if (rv == 0)
		printf("node %s %s\n", a->argv[2], state);
	return rv == 0 ? 0 : EX_FAIL;
}

static int
node_remove_cmd(struct admin *a, struct tg_db *db)
{
	const char *why = NULL;
	int force, rv;

	force = a->argc == 4 && strcmp(a->argv[3], "--force") == 0;
	if (a->argc != 3 && !force)
		usage();
	rv = node_remove(db, a->argv[2], a->cfg.node_lost_after, force, &why);
	if (rv == 0)
		printf("node %s removed\n", a->argv[2]);
	else if (rv == 1 && strcmp(why, "no_such_node") == 0)
		fprintf(stderr, "termgate-admin: no node %s\n", a->argv[2]);
	else if (rv == 1)
		fprintf(stderr, "termgate-admin: node %s not removed: %s "
		    "(stop its supervisor and drain it first, or --force, "
		    "which ends its sessions node_lost)\n", a->argv[2],
		    strcmp(why, "alive") == 0 ? "its supervisor is alive" :
		    "it has live sessions");
	return rv == 0 ? 0 : EX_FAIL;
}

static int
cmd_node(struct admin *a)
{
	struct tg_db *db;
	int rv;

	if (a->argc < 2 || (strcmp(a->argv[1], "list") != 0 &&
	    strcmp(a->argv[1], "drain") != 0 &&
	    strcmp(a->argv[1], "undrain") != 0 &&
	    strcmp(a->argv[1], "remove") != 0))
		usage();
	db = connect_db(a);
	if (strcmp(a->argv[1], "list") == 0)
		rv = node_list_cmd(a, db);
	else if (strcmp(a->argv[1], "drain") == 0)
		rv = node_state_cmd(a, db, "drained");
	else if (strcmp(a->argv[1], "undrain") == 0)
		rv = node_state_cmd(a, db, "active");
	else
		rv = node_remove_cmd(a, db);
	db_free(db);
	return rv;
}

static const struct {
	const char	*name;
	int		(*run)(struct admin *);
	int		 json;		/* takes --json */
} commands[] = {
	{ "roles", cmd_roles, 0 }, { "migrate", cmd_migrate, 0 },
	{ "host", cmd_host, 1 }, { "user", cmd_user, 1 },
	{ "group", cmd_group, 1 }, { "grant", cmd_grant, 0 },
	{ "revoke", cmd_grant, 0 }, { "grants", cmd_grants, 1 },
	{ "sessions", cmd_sessions, 1 }, { "close", cmd_close, 0 },
	{ "history", cmd_history, 1 },
	{ "config", cmd_config, 1 }, { "doctor", doctor_run, 1 },
	{ "node", cmd_node, 1 },
};

/* Takes every "--json" out of the command's words into A->json. */
static void
take_json(struct admin *a)
{
	int i, n = 0;

	for (i = 0; i < a->argc; i++) {
		if (strcmp(a->argv[i], "--json") == 0)
			a->json = 1;
		else
			a->argv[n++] = a->argv[i];
	}
	a->argc = n;
	a->argv[n] = NULL;
}

int
main(int argc, char *argv[])
{
	struct admin a = { .sql_dir = PKGDATADIR "/sql" };
	const char *path = NULL, *conninfo = NULL;
	char err[1024];
	size_t i;
	int ch;

	log_init("termgate-admin");
	cfg_defaults(&a.cfg);
	if (getenv("TERMGATE_SQL_DIR") != NULL)
		a.sql_dir = getenv("TERMGATE_SQL_DIR");
	while ((ch = getopt(argc, argv, "+c:d:s:")) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'd': conninfo = optarg; break;
		case 's': a.sql_dir = optarg; break;
		default: usage();
		}
	}
	a.cfg_path = path = cfg_path(path);
	if (path != NULL && cfg_load(&a.cfg, path, err, sizeof(err)) == -1)
		a.cfg_err = err;
	a.argc = argc - optind;
	a.argv = argv + optind;
	take_json(&a);
	if (a.argc < 1)
		usage();
	/* doctor reports a bad file as one of its checks */
	if (a.cfg_err != NULL && strcmp(a.argv[0], "doctor") != 0) {
		fprintf(stderr, "termgate-admin: %s\n", err);
		return EX_FAIL;
	}
	if (conninfo != NULL)
		strlcpy(a.cfg.database, conninfo, sizeof(a.cfg.database));
	if (db_conninfo_has_password(a.cfg.database))
		fprintf(stderr, "termgate-admin: warning: %s%s holds a "
		    "password, which %s; put it in a password file instead "
		    "(PGPASSFILE, default ~/.pgpass)\n",
		    conninfo != NULL ? "-d CONNINFO" : "the database key of ",
		    conninfo != NULL ? "" : path,
		    conninfo != NULL ? "every local user can read with ps" :
		    "every reader of that file sees");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(a.argv[0], commands[i].name) != 0)
			continue;
		if (a.json && !commands[i].json)
			usage();
		return commands[i].run(&a);
	}
	usage();
}
