# lib.sh - helpers of the supervisor tests (sourced by tests/supervisor/run).
#
# Conditions are awaited with wait_for and a deadline, never with a bare
# sleep; each supervisor is a direct child of the test shell, so it is
# waited for and never left behind. The supervisor connects as the role
# termgate-supervisor, and tg-open (which opens sessions as a worker
# does) as termgate-fcgi (PGUSER; tests/lib/pg.sh).

SUP="$TG_BUILDDIR/src/supervisor/termgate-supervisor"
OPEN="$TG_BUILDDIR/tests/supervisor/tg-open"
PIDAT="$TG_BUILDDIR/tests/fixtures/pid-at"
FIX="$TG_SRCDIR/tests/fixtures"

. "$TG_SRCDIR/tests/lib/check.sh"
. "$TG_SRCDIR/tests/lib/ttyd.sh"

# RUN_AS: as root, the terminals' user. A root supervisor refuses to
# run terminals as root; they run as nobody, who must then reach $T (the
# sockets, recordings and spool are under it) and the binaries.
RUN_AS=
[ "$(id -u)" = 0 ] && RUN_AS=nobody

# mkcfg NAME key=value...: a config in $T/NAME.conf over the test defaults.
mkcfg() {
	_f=$T/$1.conf; shift
	[ -n "$RUN_AS" ] && chmod 755 "$T"
	cat >"$_f" <<EOC
database = $TERMGATE_TEST_DAEMON_DB
node = local
max_sessions_per_user = 1000
terminal_listen = unix
socket_dir = $T/sock
socket_group = www-data
pty_path = $TG_BUILDDIR/src/pty/termgate-pty
recording_dir = $T/rec
spool_dir = $T/spool
port_range = 17680-17699
backend = ttyd
backend_path = $TTYD_BIN
# The session's shell lives as long as the session (termgate-pty holds
# it): a shell that stays, not an ssh that finds no sshd and ends.
terminal_command = /bin/sh
run_as = $RUN_AS
spawn_timeout = 10
kill_grace = 1
gc_interval = 1
beacon_grace = 2
idle_timeout = 1800
url_prefix = /terminal
EOC
	for _kv in "$@"; do
		_k=${_kv%%=*}
		sed -i "/^$_k = /d" "$_f"
		echo "$_k = ${_kv#*=}" >>"$_f"
	done
	echo "$_f"
}

# start_sup CONF [ARGS]: starts a supervisor, waits for its heartbeat.
start_sup() {
	PGUSER=termgate-supervisor "$SUP" -c "$@" >>"$T/sup.log" 2>&1 &
	SUP_PID=$!
	wait_for "[ \"\$(q \"SELECT pid FROM termgate.supervisors WHERE node = 'local'\")\" = $SUP_PID ]" 5 ||
	    { not_ok "supervisor did not start"; tail "$T/sup.log"; return 1; }
}

# stop_sup [SIGNAL]: stops the supervisor and waits for it.
stop_sup() {
	kill -"${1:-TERM}" "$SUP_PID" 2>/dev/null
	wait "$SUP_PID" 2>/dev/null
	SUP_PID=
}

# open_one CONF: opens a session; sets ID and RESULT ("ok"/"failed").
open_one() {
	set -- $(PGUSER=termgate-fcgi "$OPEN" -c "$1" -n 1 | head -n 1)
	ID=$1 RESULT=$2 MS=$3
}

col() { q "SELECT $2 FROM termgate.sessions WHERE id = '$1'"; }
close_sess() { q "SELECT termgate.end_session('$1', '${2:-user_close}')" >/dev/null; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null && ! grep -q '^[^ ]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }
gone() { ! alive "$1"; }
port_free() { [ "$(q "SELECT count(*) FROM termgate.ports WHERE session_id = '$1'")" = 0 ]; }
# last_arg PID: the last word of PID's command line.
last_arg() { tr '\0' '\n' <"/proc/$1/cmdline" | tail -n 1; }
group_gone() { ! ps -e -o pgid= | grep -qw "$1"; }
