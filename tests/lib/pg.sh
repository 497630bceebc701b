# pg.sh - a throwaway PostgreSQL cluster for termgate's tests.
#
# Source it, then call pg_start: it makes a cluster in a fresh directory
# under /tmp (as the postgres user when run as root, since PostgreSQL
# refuses to run as root), creates termgate's roles as the documented
# setup does (termgate-admin roles, as the superuser), creates database
# "termgate" owned by the role termgate and applies the migrations as
# that owner, and stops and removes it all on exit. It exports
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

: "${PG_BINDIR:=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"

as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_stop() {
	if [ -n "${PGTMP:-}" ] && [ -d "$PGTMP" ]; then
		[ -d "$PGTMP/standby" ] && as_pg "$PG_BINDIR/pg_ctl" \
		    -D "$PGTMP/standby" -m immediate -w stop >/dev/null 2>&1
		as_pg "$PG_BINDIR/pg_ctl" -D "$PGTMP/data" -m immediate -w \
		    stop >/dev/null 2>&1
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
pg_pause() {
	as_pg "$PG_BINDIR/pg_ctl" -D "$PGTMP/data" -m fast -w stop >/dev/null
}

pg_crash() {
	as_pg "$PG_BINDIR/pg_ctl" -D "$PGTMP/data" -m immediate -w stop \
	    >/dev/null
}

pg_resume() {
	as_pg "$PG_BINDIR/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/pg.log" -w \
	    start -o "-k $PGTMP -p 5432 -c listen_addresses='' -c fsync=off \
	    -c synchronous_commit=off -c full_page_writes=off \
	    -c max_connections=300 $*" >/dev/null
}

pg_fail() {
	echo "pg.sh: $*" >&2
	[ -f "$PGTMP/pg.log" ] && tail -n 20 "$PGTMP/pg.log" >&2
	exit 1
}

pg_start() {
	[ -x "$PG_BINDIR/initdb" ] || pg_fail "no initdb in '$PG_BINDIR'"
	PGTMP=$(mktemp -d /tmp/termgate-pg.XXXXXX) || exit 1
	chmod 755 "$PGTMP"
	[ "$(id -u)" = 0 ] && chown postgres "$PGTMP"
	trap pg_stop EXIT
	as_pg "$PG_BINDIR/initdb" -D "$PGTMP/data" -U postgres -A trust \
	    -E UTF8 --locale=C.UTF-8 --no-sync >"$PGTMP/initdb.log" 2>&1 ||
	    pg_fail "initdb failed: $(tail -n 5 "$PGTMP/initdb.log")"
	pg_resume || pg_fail "PostgreSQL did not start"
	export PGHOST="$PGTMP" PGPORT=5432 PGUSER=postgres PGDATABASE=termgate
	export TERMGATE_TEST_DB="host=$PGTMP port=5432 user=termgate dbname=termgate"
	export TERMGATE_TEST_DAEMON_DB="host=$PGTMP port=5432 dbname=termgate"
	"$TG_BUILDDIR/src/admin/termgate-admin" roles |
	    psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null ||
	    pg_fail "creating the roles (termgate-admin roles) failed"
	as_pg "$PG_BINDIR/createdb" -h "$PGTMP" -U postgres -O termgate \
	    termgate || pg_fail "createdb failed"
	"$TG_BUILDDIR/src/admin/termgate-admin" -d "$TERMGATE_TEST_DB" \
	    -s "$TG_SRCDIR/sql" migrate >/dev/null ||
	    pg_fail "termgate-admin migrate failed"
}

# The server options of a test cluster on port $1.
pg_opts() {
	echo "-k $PGTMP -p $1 -c listen_addresses='' -c fsync=off \
	    -c synchronous_commit=off -c full_page_writes=off \
	    -c max_connections=300"
}

pg_standby() {
	as_pg "$PG_BINDIR/pg_basebackup" -h "$PGTMP" -p 5432 -U postgres \
	    -D "$PGTMP/standby" -R -X stream -c fast >"$PGTMP/basebackup.log" \
	    2>&1 || pg_fail "pg_basebackup failed: $(tail -n 5 "$PGTMP/basebackup.log")"
	chmod 700 "$PGTMP/standby"
	as_pg "$PG_BINDIR/pg_ctl" -D "$PGTMP/standby" -l "$PGTMP/standby.log" \
	    -w start -o "$(pg_opts 5433)" >/dev/null ||
	    pg_fail "the standby did not start: $(tail -n 5 "$PGTMP/standby.log")"
}

pg_kill_primary() {
	as_pg "$PG_BINDIR/pg_ctl" -D "$PGTMP/data" -m immediate -w stop \
	    >/dev/null
}

pg_promote() {
	as_pg "$PG_BINDIR/pg_ctl" -D "$PGTMP/standby" -w promote >/dev/null
}
