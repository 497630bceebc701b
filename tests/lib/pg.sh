# pg.sh - the one way termgate brings up PostgreSQL: the test suites,
# the benches (contrib/bench/lib.sh), contrib/quickstart and
# tests/package/run all source it. POSIX sh (the quickstart and the
# benches run under dash).
#
# Building blocks; each returns non-zero on failure and never exits:
#   pg_init DIR [INITDB OPTIONS]  a cluster in DIR/data (initdb as the
#       postgres user when run as root, since PostgreSQL refuses to run
#       as root; its output in DIR/initdb.log). DIR is made 0755 when
#       missing (make it first for another mode) and given to postgres
#       when run as root; it is the cluster's socket directory too. The
#       options default to "-A trust --no-sync": a throwaway cluster.
#   pg_up DIR PORT [SERVER OPTIONS]  starts that cluster on unix socket
#       DIR/.s.PGSQL.PORT only (no TCP), log in DIR/pg.log;
#   pg_up_data DATA LOG SOCKDIR PORT [SERVER OPTIONS]  the same for a
#       data directory elsewhere (a standby);
#   pg_down DATA [MODE]   stops the server of data directory DATA (mode
#       fast, or immediate: as a crash);
#   pg_db DIR PORT ADMIN [OWNER]  termgate's roles (ADMIN roles, run as
#       the superuser postgres, as README's setup does) and database
#       "termgate" owned by OWNER (default the role termgate);
#   pg_log DIR    the end of DIR/pg.log (read as postgres when root).
#
# The tests' cluster: pg_start makes one in a fresh directory $PGTMP
# under /tmp, with the options of PG_TEST_OPTS (no fsync: nothing here
# must survive the machine), creates the roles and database "termgate"
# with pg_db and applies the migrations as the owner, and stops and
# removes it all on exit (trap; a caller with a trap of its own calls
# pg_stop from it). PG_ADMIN names the termgate-admin to use (default
# the build's); PG_MIGRATE=no leaves the database empty. It exports
#   TERMGATE_TEST_DB         the owner's conninfo (termgate-admin, db tests)
#   TERMGATE_TEST_DAEMON_DB  the conninfo of the daemons' configuration,
#                            without a user: each daemon is started with
#                            PGUSER set to its own role ("termgate-fcgi",
#                            "termgate-supervisor"), as peer
#                            authentication would name it, so the suites
#                            run on exactly the grants of sql/006_roles.sql
#   PGHOST/PGPORT/PGUSER/PGDATABASE  for psql, as the superuser postgres.
# A cluster that cannot start is a failure, never a skip.
#
# pg_standby (after pg_start) makes a streaming standby of it with
# pg_basebackup in $PGTMP/standby, listening on the same socket directory
# with port 5433; pg_kill_primary stops the primary at once (immediate:
# as a crash), pg_promote promotes the standby. Both clusters go on exit.

# pg_bindir: the newest installed server's programs (PG_BINDIR, unless
# set, is found when this file is sourced: a caller that installs
# PostgreSQL afterwards, as the quickstart does, looks again).
pg_bindir() {
	# shellcheck disable=SC2012 # the paths are /usr/lib/postgresql/N/bin
	ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}
: "${PG_BINDIR:=$(pg_bindir)}"
PG_TEST_OPTS="-c fsync=off -c synchronous_commit=off \
-c full_page_writes=off -c max_connections=300"

as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_init() {
	_pd=$1
	shift
	[ $# -gt 0 ] || set -- -A trust --no-sync
	[ -x "$PG_BINDIR/initdb" ] || {
		echo "pg.sh: no PostgreSQL server programs (initdb) in" \
		    "'$PG_BINDIR'" >&2
		return 1
	}
	[ -d "$_pd" ] || mkdir -m 755 "$_pd" || return 1
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$_pd" || return 1
	fi
	as_pg "$PG_BINDIR/initdb" -D "$_pd/data" -U postgres -E UTF8 \
	    --locale=C.UTF-8 "$@" >"$_pd/initdb.log" 2>&1 || {
		tail -n 5 "$_pd/initdb.log" >&2
		return 1
	}
}

pg_up_data() {
	as_pg "$PG_BINDIR/pg_ctl" -D "$1" -l "$2" -w start \
	    -o "-k $3 -p $4 -c listen_addresses='' ${5-}" >/dev/null
}

pg_up() {
	pg_up_data "$1/data" "$1/pg.log" "$1" "$2" "${3-}"
}

pg_down() {
	as_pg "$PG_BINDIR/pg_ctl" -D "$1" -m "${2:-fast}" -w stop >/dev/null
}

pg_log() {
	as_pg tail -n 5 "$1/pg.log" 2>/dev/null
}

pg_db() {
	"$3" roles | psql -X -q -v ON_ERROR_STOP=1 \
	    "host=$1 port=$2 user=postgres dbname=postgres" >/dev/null || {
		echo "pg.sh: creating the roles ($3 roles) failed" >&2
		return 1
	}
	as_pg "$PG_BINDIR/createdb" -h "$1" -p "$2" -U postgres \
	    -O "${4:-termgate}" termgate
}

# ---------------------------------------------------------------- tests

pg_stop() {
	if [ -n "${PGTMP:-}" ] && [ -d "$PGTMP" ]; then
		[ -d "$PGTMP/standby" ] &&
		    pg_down "$PGTMP/standby" immediate 2>/dev/null
		pg_down "$PGTMP/data" immediate 2>/dev/null
		rm -rf "$PGTMP"
	fi
}

# pg_pause / pg_resume stop and restart the server (for outage tests);
# pg_crash stops it the way a crash does (no shutdown checkpoint, nothing
# more written). pg_resume's arguments are server options added to the
# usual ones (the last of a repeated option wins): "-c
# synchronous_commit=on" makes every commit wait until its WAL is written
# out of the server, so that it survives pg_crash (fsync stays off: a
# crash of PostgreSQL, not of the machine).
pg_pause() { pg_down "$PGTMP/data" fast; }
pg_crash() { pg_down "$PGTMP/data" immediate; }
pg_resume() { pg_up "$PGTMP" 5432 "$PG_TEST_OPTS $*"; }

pg_fail() {
	echo "pg.sh: $*" >&2
	[ -f "$PGTMP/pg.log" ] && tail -n 20 "$PGTMP/pg.log" >&2
	exit 1
}

pg_start() {
	_admin=${PG_ADMIN:-$TG_BUILDDIR/src/admin/termgate-admin}
	PGTMP=$(mktemp -d /tmp/termgate-pg.XXXXXX) || exit 1
	chmod 755 "$PGTMP"
	trap pg_stop EXIT
	pg_init "$PGTMP" || pg_fail "initdb failed"
	pg_resume || pg_fail "PostgreSQL did not start"
	export PGHOST="$PGTMP" PGPORT=5432 PGUSER=postgres PGDATABASE=termgate
	export TERMGATE_TEST_DB="host=$PGTMP port=5432 user=termgate dbname=termgate"
	export TERMGATE_TEST_DAEMON_DB="host=$PGTMP port=5432 dbname=termgate"
	pg_db "$PGTMP" 5432 "$_admin" ||
	    pg_fail "creating the roles or the database failed"
	[ "${PG_MIGRATE:-yes}" = no ] ||
	    "$_admin" -d "$TERMGATE_TEST_DB" -s "$TG_SRCDIR/sql" migrate \
	    >/dev/null || pg_fail "termgate-admin migrate failed"
}

pg_standby() {
	as_pg "$PG_BINDIR/pg_basebackup" -h "$PGTMP" -p 5432 -U postgres \
	    -D "$PGTMP/standby" -R -X stream -c fast >"$PGTMP/basebackup.log" \
	    2>&1 || pg_fail "pg_basebackup failed: $(tail -n 5 "$PGTMP/basebackup.log")"
	chmod 700 "$PGTMP/standby"
	pg_up_data "$PGTMP/standby" "$PGTMP/standby.log" "$PGTMP" 5433 \
	    "$PG_TEST_OPTS" ||
	    pg_fail "the standby did not start: $(tail -n 5 "$PGTMP/standby.log")"
}

pg_kill_primary() { pg_crash; }

pg_promote() {
	as_pg "$PG_BINDIR/pg_ctl" -D "$PGTMP/standby" -w promote >/dev/null
}
