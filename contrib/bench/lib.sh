# contrib/bench/lib.sh - the throwaway stack the benchmarks measure.
#
# Sourced by every bench in contrib/bench. bench_init reads the settings
# and builds what is missing; bench_pg, bench_config and bench_http start,
# under a fresh directory $T in /tmp, a PostgreSQL cluster, termgate-fcgi
# and nginx on 127.0.0.1 ($url), all children of the script, stopped and
# removed on exit (BENCH_KEEP=1 keeps $T). The cluster and nginx are
# brought up as the tests and the quickstart bring up theirs
# (tests/lib/pg.sh, tests/lib/nginx.sh). Settings (environment):
#   BENCH_CONNECTIONS  concurrency of wrk and pgbench (default 16)
#   BENCH_DURATION     seconds per measurement (default 10)
#   BENCH_WORKERS      termgate-fcgi workers (default 4)
#   BENCH_KEEPALIVE    idle FastCGI connections each nginx worker keeps
#                      to termgate-fcgi (upstream keepalive; default 1)
#   BENCH_PG_OPTS      extra postgres options (default none: a durable
#                      database, what an operator runs; the heartbeat
#                      alone commits without waiting for the flush, in
#                      termgate and in heartbeat.sql alike)
#   BENCH_BUILDDIR     build directory (default ./build, built if missing)
#   BENCH_CONF         lines added to the stack's termgate.conf (e.g.
#                      "recording = false")
#   BENCH_FILES        where the spool and the recordings go: disk (the
#                      default, /tmp's) or tmpfs (beside the sockets)

say() { echo "bench: $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

# shellcheck source=tests/lib/pg.sh
. "$(dirname "$0")/../../tests/lib/pg.sh"
# shellcheck source=tests/lib/nginx.sh
. "$(dirname "$0")/../../tests/lib/nginx.sh"

# bench_init TOOL...: settings, the tools the caller needs, a build.
bench_init() {
	cd "$(dirname "$0")/../.."
	top=$(pwd)
	bench=$top/contrib/bench
	build=${BENCH_BUILDDIR:-$top/build}
	conns=${BENCH_CONNECTIONS:-16}
	secs=${BENCH_DURATION:-10}
	workers=${BENCH_WORKERS:-4}
	keepalive=${BENCH_KEEPALIVE:-1}
	pgopts=${BENCH_PG_OPTS:-}
	wthreads=$(( conns < 2 ? conns : 2 ))
	# /usr/sbin (nginx) is not in a normal user's PATH on Debian
	PATH=$PATH:/usr/sbin:/sbin
	for p in "$@"; do
		command -v "$p" >/dev/null || die "$p is not installed"
	done
	if [ ! -x "$build/src/fcgi/termgate-fcgi" ]; then
		say "building in $build"
		[ -x configure ] || autoreconf -fi >/dev/null 2>&1
		mkdir -p "$build"
		(cd "$build" && { [ -f Makefile ] || "$top/configure" >/dev/null; } &&
		    make -j"$(nproc)" >/dev/null)
	fi
	pgbin=$PG_BINDIR
	[ -x "$pgbin/initdb" ] || die "no PostgreSQL server programs found"
	T=$(mktemp -d /tmp/termgate-bench.XXXXXX)
	chmod 755 "$T"
	# The terminals' sockets on a tmpfs, as socket_dir's default
	# (/run/termgate/terminals) is on Debian; /tmp may be a disk, whose
	# inode allocation a socket made and removed hundreds of times a
	# second costs (on an ext4 without a journal, recently_deleted: 15%
	# of all CPU in spawn's open+close). Short: DIR/ID.sock must fit a
	# socket address. The spool and the recordings stay on /tmp's disk
	# as they are on /var/lib's, unless BENCH_FILES=tmpfs (to see what
	# that disk costs: the spool's commands file is made and removed
	# with each session).
	S=$(mktemp -d /dev/shm/tg.XXXXXX 2>/dev/null) ||
	    S=$(mktemp -d /tmp/tg.XXXXXX)
	chmod 755 "$S"
	pids=""
	trap teardown EXIT
	trap 'exit 1' INT TERM HUP
}

teardown() {
	set +e
	for pid in $pids; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in $pids; do
		wait "$pid" 2>/dev/null
	done
	# Terminals outlive their supervisor by design: those of a bench
	# that stopped early go here.
	pkill -KILL -f "$S/terminals/" 2>/dev/null
	if [ -f "$T/pg/data/postmaster.pid" ]; then
		pg_down "$T/pg/data" immediate >/dev/null 2>&1
	fi
	if [ -n "${BENCH_KEEP:-}" ]; then
		say "kept $T"
	else
		rm -rf "$T"
	fi
	rm -rf "$S"
}

# Starts a daemon as a child of this script (so that it is reaped and
# stopped with it); output to $T/NAME.log.
start_bg() {
	name=$1
	shift
	"$@" >"$T/$name.log" 2>&1 </dev/null &
	pids="$! $pids"
	eval "pid_$name=\$!"
}

wait_for() {
	i=0
	until "$@"; do
		i=$((i + 1))
		[ $i -lt 100 ] || return 1
		sleep 0.1
	done
}

# bench_pg [POSTGRES OPTIONS]: the cluster in $T/pg, termgate's roles
# and database "termgate" (owned by the superuser, as which the bench
# runs).
bench_pg() {
	pg_init "$T/pg" || die "initdb failed"
	pg_up "$T/pg" 5432 "-c max_connections=200 $pgopts $*" ||
	    die "PostgreSQL did not start: $(pg_log "$T/pg")"
	export PGHOST="$T/pg" PGPORT=5432 PGUSER=postgres PGDATABASE=termgate
	pg_db "$T/pg" 5432 "$build/src/admin/termgate-admin" postgres ||
	    die "creating the roles or the database failed"
	conninfo="host=$T/pg port=5432 user=postgres dbname=termgate"
}

# reach FILE: FILE, or a copy in $T/bin the terminals' user can run.
reach() {
	if [ -z "$run_as" ] || runuser -u "$run_as" -- test -x "$1"; then
		echo "$1"
	else
		cp "$1" "$T/bin/" && echo "$T/bin/$(basename "$1")"
	fi
}

# bench_config [KEY = VALUE LINES]: termgate.conf, migrated, host "bench".
bench_config() {
	mkdir -p "$S/terminals"
	if [ -n "${TTYD:-}" ]; then
		backend=ttyd
		backend_path=$(cd "$(dirname "$TTYD")" && pwd)/$(basename "$TTYD")
	elif command -v ttyd >/dev/null; then
		backend=ttyd
		backend_path=$(command -v ttyd)
	else
		backend=shellinabox
		backend_path=$(command -v shellinaboxd || echo /usr/bin/shellinaboxd)
	fi
	say "backend: $backend $backend_path"
	# As root the terminals run as nobody (a supervisor started as root
	# refuses to run them as root). They must reach the holder and the
	# backend, which a build under /root does not let them: copies in $T
	# do.
	run_as=""
	pty=$build/src/pty/termgate-pty
	if [ "$(id -u)" = 0 ]; then
		run_as=nobody
		mkdir -p -m 755 "$T/bin"
	fi
	pty=$(reach "$pty")
	backend_path=$(reach "$backend_path")
	[ -z "$run_as" ] || say "terminals run as $run_as"
	files=$T
	[ "${BENCH_FILES:-disk}" != tmpfs ] || files=$S
	cat >"$T/termgate.conf" <<EOF
database = "$conninfo"
node = bench
listen = unix:$T/fcgi.sock
workers = $workers
max_sessions_per_user = 100
session_ttl = 86400
idle_timeout = 3600
backend = $backend
backend_path = $backend_path
socket_dir = $S/terminals
socket_group = $(id -gn)
pty_path = $pty
run_as = $run_as
recording_dir = $files/recordings
spool_dir = $files/spool
terminal_command = /bin/cat
cookie_secure = false
${1-}
${BENCH_CONF:-}
EOF
	admin="$build/src/admin/termgate-admin -c $T/termgate.conf"
	$admin -s "$top/sql" migrate >/dev/null
	$admin host add bench 127.0.0.1 >/dev/null
	$admin grant everyone all >/dev/null
}

# bench_http: termgate-fcgi and nginx; sets $url and $url_keep.
bench_http() {
	mkdir -p "$T/nginx"
	port=$(ngx_free_port 18080 3)
	# Like contrib/quickstart's, plus: REMOTE_USER from X-Bench-User
	# or the cookie bench_user (default "bench"), no access log. Never
	# use this trick outside a bench.
	# Two servers on the same workers: $url opens a FastCGI connection
	# per request, as nginx/termgate.conf ships; $url_keep keeps them
	# (fastcgi_keep_conn, an upstream keepalive of $keepalive per nginx
	# worker: see nginx/termgate.conf for why it is not the default).
	cat >"$T/nginx/nginx.conf" <<EOF
$(ngx_head "$T/nginx" "$T/nginx/error.log" auto)
http {
	access_log off;
$(ngx_temp "$T/nginx")
	# The user: X-Bench-User, else the cookie bench_user (what a
	# WebSocket client sends), else "bench".
	map "\$http_x_bench_user:\$cookie_bench_user" \$termgate_user {
		default bench;
		"~^(?<hdr_user>[^:]+):" \$hdr_user;
		"~^:(?<cookie_user>.+)\$" \$cookie_user;
	}
	upstream termgate_keep {
		server unix:$T/fcgi.sock;
		keepalive $keepalive;
	}
	upstream termgate_plain {
		server unix:$T/fcgi.sock;
	}
	upstream bench_reference {
		server 127.0.0.1:$((port + 2));
		keepalive 16;
	}
	server {
		listen 127.0.0.1:$port;
		set \$bench_upstream termgate_plain;
		include $T/nginx/locations.conf;
	}
	server {
		listen 127.0.0.1:$((port + 1));
		fastcgi_keep_conn on;
		set \$bench_upstream termgate_keep;
		include $T/nginx/locations.conf;
	}
}
EOF
	# The parameters of nginx/termgate-locations.conf, without its
	# limit_req (which would cap the opens at 2/s); /terminal/ asks
	# authorize as the shipped one does, then answers 204 itself (what
	# contrib/bench/authorize measures: not the terminal behind), or
	# with BENCH_TERMINALS=proxy passes the request (a WebSocket too) to
	# the terminal as the shipped one does. try_files, not return:
	# return would answer before auth_request asks.
	if [ "${BENCH_TERMINALS:-}" = proxy ]; then
		terminal_answer="proxy_pass \$termgate_upstream;
	proxy_http_version 1.1;
	proxy_set_header Upgrade \$http_upgrade;
	proxy_set_header Connection upgrade;
	proxy_read_timeout 1h;"
	else
		terminal_answer="try_files /nonexistent @authorized;"
	fi
	cat >"$T/nginx/locations.conf" <<EOF
location /terminal/ {
	auth_request /_termgate_authorize;
	auth_request_set \$termgate_upstream \$upstream_http_x_termgate_upstream;
	$terminal_answer
}
location @authorized {
	return 204;
}
# The ceiling: the same request and subrequest, answered by nginx alone
# (no FastCGI, no database): what nginx itself costs a terminal request.
location /ceiling/ {
	auth_request /_ceiling_yes;
	try_files /nonexistent @authorized;
}
location = /_ceiling_yes {
	internal;
	return 204;
}
location = /_termgate_authorize {
	internal;
	fastcgi_pass \$bench_upstream;
	fastcgi_pass_request_body off;
	fastcgi_param REQUEST_METHOD GET;
	fastcgi_param REQUEST_URI /api/terminal/authorize;
	fastcgi_param DOCUMENT_URI /api/terminal/authorize;
	fastcgi_param QUERY_STRING "";
	fastcgi_param CONTENT_LENGTH "";
	fastcgi_param CONTENT_TYPE "";
	fastcgi_param GATEWAY_INTERFACE CGI/1.1;
	fastcgi_param REMOTE_ADDR \$remote_addr;
	fastcgi_param REMOTE_USER \$termgate_user;
	fastcgi_param HTTP_X_ORIGINAL_URI \$request_uri;
	fastcgi_param HTTP_COOKIE \$http_cookie;
}
# The reference stack of contrib/bench/run (reference.py, when it runs).
location /reference/ {
	proxy_pass http://bench_reference/;
	proxy_http_version 1.1;
	proxy_set_header Connection "";
	proxy_set_header X-Bench-User \$termgate_user;
}
location /api/terminal/ {
	fastcgi_pass \$bench_upstream;
	fastcgi_param QUERY_STRING \$query_string;
	fastcgi_param REQUEST_METHOD \$request_method;
	fastcgi_param CONTENT_TYPE \$content_type;
	fastcgi_param CONTENT_LENGTH \$content_length;
	fastcgi_param REQUEST_URI \$request_uri;
	fastcgi_param DOCUMENT_URI \$document_uri;
	fastcgi_param SERVER_PROTOCOL \$server_protocol;
	fastcgi_param GATEWAY_INTERFACE CGI/1.1;
	fastcgi_param REMOTE_ADDR \$remote_addr;
	fastcgi_param REMOTE_USER \$termgate_user;
	fastcgi_param HTTP_X_ORIGINAL_URI "";
	fastcgi_read_timeout 60s;
}
EOF
	start_bg fcgi "$build/src/fcgi/termgate-fcgi" -c "$T/termgate.conf"
	wait_for test -S "$T/fcgi.sock" ||
	    die "no fcgi socket: $(tail "$T/fcgi.log")"
	# nginx in a session of its own, as nginx.service runs it (daemon on
	# makes one): Linux's autogroup shares the CPU between sessions, so
	# in the bench's own, beside wrk and its shell, it had less of it
	# than it has in production (README, "the scheduler's groups").
	NGX_LAUNCH=setsid ngx_start "$T/nginx" "$T/nginx/nginx.conf" \
	    "$T/nginx/error.log" "$T/nginx.log" ||
	    die "nginx refuses its configuration"
	pids="$NGX_PID $pids"
	pid_nginx=$NGX_PID
	url="http://127.0.0.1:$port"
	url_keep="http://127.0.0.1:$((port + 1))"
	ngx_wait "$url/api/terminal/hosts" 10 ||
	    die "nginx does not answer: $(tail "$T/nginx/error.log")"
}

field() {	# NAME LINE: the value of NAME=... in LINE
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# pgb_latency: "p50_ms=X p99_ms=Y" of the per-transaction logs of the
# last pgbench run with -l --log-prefix=pgb in $T.
pgb_latency() {
	cat "$T"/pgb.* | awk '{print $3}' | sort -n | awk '
	{ v[NR] = $1 }
	END {
		p50 = v[int(NR * 0.50) > 0 ? int(NR * 0.50) : 1]
		p99 = v[int(NR * 0.99) > 0 ? int(NR * 0.99) : 1]
		printf "p50_ms=%.3f p99_ms=%.3f", p50 / 1000, p99 / 1000
	}'
}

# CPU split per process group. cpu_mark FILE writes the CPU time (clock
# ticks, user + system) used so far by each group: nginx (its master and
# workers), fcgi (termgate-fcgi and its workers), postgres (the
# postmaster and every backend; a backend that exits before the second
# mark takes its time with it, so measure persistent connections), and
# all (every CPU of the machine, busy ticks from /proc/stat: other work
# on a shared machine shows there). cpu_split BEFORE AFTER SECS prints
# each group's share in percent of one CPU over SECS seconds.
tree_ticks() {	# ROOTPID: ticks of ROOTPID and its children
	for _p in "$1" $(pgrep -P "$1"); do
		sed 's/^.*) //' "/proc/$_p/stat" 2>/dev/null
	done | awk '{ s += $12 + $13 } END { print s + 0 }'
}

cpu_mark() {
	_pm=$(head -n 1 "$T/pg/data/postmaster.pid" 2>/dev/null)
	{
		echo "nginx $(tree_ticks "$(cat "$T/nginx/nginx.pid")")"
		echo "fcgi $(tree_ticks "$pid_fcgi")"
		echo "postgres $(tree_ticks "$_pm")"
		awk '/^cpu / { print "all", $2 + $3 + $4 + $7 + $8 }' /proc/stat
	} >"$1"
}

cpu_split() {
	awk -v secs="$3" -v hz="$(getconf CLK_TCK)" '
	NR == FNR { before[$1] = $2; next }
	{ printf "%s %.0f%%  ", $1, ($2 - before[$1]) * 100 / hz / secs }
	END { printf "(of one CPU; %d CPUs)\n", ncpu }
	' ncpu="$(nproc)" "$1" "$2"
}

# bench_sessions N: N active sessions owned by "bench" on node "bench"
# (no supervisor collects or adopts them; a fake pid, no process), ids
# 1..N zero-padded to 64 digits, each with the token $bench_token. Made
# without the triggers (no "created" events, no notifications).
bench_token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
bench_sessions() {
	psql -Xq -v ON_ERROR_STOP=1 -v n="$1" -v tok="$bench_token" <<'SQL'
SET session_replication_role = replica;
INSERT INTO termgate.users (username) VALUES ('bench');
INSERT INTO termgate.sessions (id, host_id, host_name, host_ip, user_id,
    username, token_hash, node, endpoint, ttyd_pid, mode, status,
    expires_at)
SELECT lpad(g::text, 64, '0'), 'bench', 'bench', '127.0.0.1', u.id,
    'bench', encode(sha256(convert_to(:'tok', 'UTF8')), 'hex'), 'bench',
    'unix:/nonexistent/' || lpad(g::text, 64, '0') || '.sock', 1, 'embedded',
    'active', now() + interval '1 day'
FROM generate_series(1, :n) g, termgate.users u WHERE u.username = 'bench';
VACUUM ANALYZE termgate.sessions;
SQL
}
