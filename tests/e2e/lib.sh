# lib.sh - helpers of the end-to-end tests (sourced by tests/e2e/run).
#
# Every daemon (supervisor, termgate-fcgi, nginx) is a direct child of the
# test shell and is waited for; each connects to PostgreSQL as its own
# role (PGUSER, see tests/lib/pg.sh); conditions are polled with a deadline
# (wait_for), never assumed after a bare sleep. Requests go through nginx
# with curl; the user is the X-Test-User header (see nginx.conf.in).

SUP="$TG_BUILDDIR/src/supervisor/termgate-supervisor"
FCGI="$TG_BUILDDIR/src/fcgi/termgate-fcgi"
ADMIN="$TG_BUILDDIR/src/admin/termgate-admin"
WS="$TG_BUILDDIR/tests/e2e/wsclient"
SIA="$TG_BUILDDIR/tests/e2e/siaclient"
SUP_PID= FCGI_PID= NGINX_PID=
# AS: a command the daemons start under (t_deploy.sh: another identity);
# FCGI_AS, when set, the one termgate-fcgi starts under instead.
# NGINX_USER: the user nginx's workers run as, when started as root.
AS= FCGI_AS= NGINX_USER=root

. "$TG_SRCDIR/tests/lib/check.sh"
. "$TG_SRCDIR/tests/lib/ttyd.sh"
. "$TG_SRCDIR/tests/lib/nginx.sh"
. "$TG_SRCDIR/tests/openapi/lib.sh"

# call METHOD PATH USER [BODY [CONTENT-TYPE [CURL ARGS...]]]: one request
# through nginx; sets CODE, the body in $T/body and headers in $T/hdr.
# With prism on (PRISM_DOC, tests/openapi/lib.sh), an API request goes
# through it and a violation of the document fails the suite
# (call_checked); one prism cannot carry goes straight to nginx and is
# kept in $PRISM_REC/direct.jsonl for direct.mjs. PRISM_OFF set sends
# a request straight to nginx and keeps nothing (a test of a rate, which
# prism's time per request would lower: it keeps what it needs with
# call_direct).
call() {
	_m=$1 _p=$2 _u=$3 _b=${4-} _ct=${5-application/json}
	shift 3; [ $# -gt 0 ] && shift; [ $# -gt 0 ] && shift
	set -- -s -o "$T/body" -D "$T/hdr" -w '%{http_code}' -X "$_m" \
	    --max-time 20 --path-as-is "$@"
	[ -n "$_u" ] && set -- "$@" -H "X-Test-User: $_u"
	# No CONTENT-TYPE: none at all (curl would label a body a form).
	set -- "$@" -H "Content-Type:${_ct:+ $_ct}"
	[ -n "$_b" ] && set -- "$@" --data-binary "$_b"
	if [ -z "${PRISM_DOC:-}" ] || [ -n "${PRISM_OFF:-}" ]; then
		CODE=$(curl "$@" "$BASE$_p")
	elif call_follow && prism_carries "$_m" "$_p" "$_b" "$_ct"; then
		# The test user stands for the document's proxyHeader scheme:
		# prism sees it as X-Remote-User (the test nginx ignores that).
		[ -n "$_u" ] && set -- "$@" -H "X-Remote-User: $_u"
		CODE=$(curl "$@" "$PRISM_BASE$_p")
		call_checked
	else
		CODE=$(curl "$@" "$BASE$_p")
		call_direct
	fi
}

# call_follow: prism is in front of $BASE, started again there if a
# test moved nginx; 1 (straight to nginx) when that cannot be done: in
# a subshell (a call inside $(...)) the new prism would be lost.
call_follow() {
	[ "$PRISM_UPSTREAM" = "$BASE" ] && return 0
	[ "$BASHPID" = "$$" ] || return 1
	prism_follow || { not_ok "prism did not start"; return 1; }
}

# call_checked: the last exchange, through prism, is one the document
# gives, or the suite fails here, saying what prism found. Each is also
# a line of $PRISM_REC/prism.checked, and each violation one of
# $PRISM_REC/prism.wrong, which tests/e2e/run looks at in the end: a
# call inside $(...) counts its failure in a subshell, and its stdout is
# the caller's value, so it says so on stderr.
call_checked() {
	echo "$_m $_p $CODE" >>"$PRISM_REC/prism.checked"
	_cv=$(prism_verdict "$CODE" "$T/hdr")
	[ -z "$_cv" ] && return 0
	_cv="doc/openapi.yaml (prism): $_m $_p $CODE: $_cv (body: $(head -c \
	    300 "$T/body"))"
	echo "$_cv" >>"$PRISM_REC/prism.wrong"
	not_ok "$_cv" >&2
}

# call_direct: the last exchange, kept for direct.mjs when its path is
# one the document may have.
call_direct() {
	case $_p in
	/api/terminal/*|/metrics*) ;;
	*) return 0 ;;
	esac
	# curl leaves the last body in place when an answer has none
	[ "$CODE" = 204 ] && : >"$T/body"
	jq -cn --arg method "$_m" --arg url "$_p" --arg reqbody "$_b" \
	    --arg reqtype "$_ct" --argjson status "$CODE" \
	    --arg ctype "$(hdr Content-Type)" --rawfile body "$T/body" \
	    --rawfile hdr "$T/hdr" '{method: $method, url: $url,
	    reqbody: $reqbody, reqtype: $reqtype, status: $status,
	    ctype: $ctype, body: $body, headers: ([$hdr | split("\r\n")[] |
	    capture("^(?<k>[^:]+):\\s*(?<v>.*)$")? | {(.k | ascii_downcase):
	    .v}] | add)}' >>"$PRISM_REC/direct.jsonl"
}

jf() { jq -r "$1" "$T/body" 2>/dev/null; }
hdr() { grep -i "^$1:" "$T/hdr" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }

# expect DESC STATUS [ERROR]: the last answer had STATUS (and error code).
expect() {
	if [ "$CODE" = "$2" ] && { [ -z "${3-}" ] || [ "$(jf .error)" = "$3" ]; }
	then
		ok "$1"
	else
		not_ok "$1: got $CODE $(head -c 300 "$T/body"), want $2 ${3-}"
	fi
}

# open USER [JSON]: POST /api/terminal/sessions; sets ID and TOKEN.
open_sess() {
	_ob=${2-}
	[ -n "$_ob" ] || _ob='{"host_id": "local"}'
	call POST /api/terminal/sessions "$1" "$_ob"
	ID=$(jf .session_id) TOKEN=$(jf .token)
}

# RUN_AS: as root, the terminals' user. A root supervisor refuses to
# run terminals as root; they run as nobody, who must then reach $T (the
# sockets, recordings and spool are under it) and the binaries.
RUN_AS=
[ "$(id -u)" = 0 ] && RUN_AS=nobody

# spawn_timeout: long enough for a loaded 2-CPU machine to start the real
# ttyd (a start that takes longer fails the open); t_robust waits it out
# once, with the supervisor stopped.
SPAWN_TIMEOUT=10
# idle_timeout and session_ttl: sessions opened early in the run are used
# late, and nothing heartbeats them; on a loaded machine the run takes
# minutes. The collector's tests age a session by hand instead.

# FCGI_WORKERS: termgate-fcgi's workers (mkcfg, start_fcgi).
FCGI_WORKERS=3

# mkcfg: termgate.conf for the test in $T/termgate.conf.
mkcfg() {
	[ -n "$RUN_AS" ] && chmod 755 "$T"
	cat >"$T/termgate.conf" <<EOC
database = $TERMGATE_TEST_DAEMON_DB
listen = unix:$T/fcgi.sock
workers = $FCGI_WORKERS
node = local
max_sessions_per_user = 3
terminal_listen = unix
socket_dir = $T/sock
pty_path = $TG_BUILDDIR/src/pty/termgate-pty
recording_dir = $T/rec
spool_dir = $T/spool
socket_group = $(id -gn)
backend = ttyd
backend_path = $TTYD_BIN
terminal_command = /bin/sh
run_as = $RUN_AS
spawn_timeout = $SPAWN_TIMEOUT
kill_grace = 1
gc_interval = 1
beacon_grace = 0
idle_timeout = 1800
session_ttl = 7200
heartbeat_interval = 30
url_prefix = /terminal
cookie_secure = false
admin_users = admin
recording_dir = $T/rec
history_retention_days = 36500
EOC
}

start_sup() {
	PGUSER=termgate-supervisor $AS "$SUP" -c "$T/termgate.conf" >>"$T/sup.log" 2>&1 &
	SUP_PID=$!
	wait_for "[ \"\$(q \"SELECT pid FROM termgate.supervisors WHERE node = 'local'\")\" = $SUP_PID ]" 5 ||
	    { not_ok "supervisor did not start"; tail "$T/sup.log"; return 1; }
}

# kill_terminals: the test's terminals, which outlive a stopped supervisor
# by design (the next one adopts them): every process whose command line
# names the test's socket_dir (ttyd, the holder, attach); a shell goes
# with its holder's pty.
kill_terminals() {
	pkill -KILL -f "$T/sock/" 2>/dev/null || true
}

stop_sup() {
	[ -n "$SUP_PID" ] || return 0
	kill -TERM "$SUP_PID" 2>/dev/null
	wait "$SUP_PID" 2>/dev/null
	SUP_PID=
}

workers() { pgrep -P "$FCGI_PID" | sort; }
nworkers() { workers | wc -l; }

start_fcgi() {
	PGUSER=termgate-fcgi ${FCGI_AS:-$AS} "$FCGI" -c "$T/termgate.conf" \
	    >>"$T/fcgi.log" 2>&1 &
	FCGI_PID=$!
	wait_for "[ -S '$T/fcgi.sock' ] && [ \$(nworkers) -eq $FCGI_WORKERS ]" 5 ||
	    { not_ok "termgate-fcgi did not start"; tail "$T/fcgi.log"; return 1; }
}

# free_port: a port nothing uses (tests/lib/nginx.sh).
free_port() { ngx_free_port; }

start_nginx() {
	mkdir -p "$T/ngx"
	PORT=$(free_port)
	KEEPPORT=$(free_port)
	[ "$KEEPPORT" != "$PORT" ] || KEEPPORT=$((PORT + 1))
	_user=; [ "$(id -u)" = 0 ] && _user="user $NGINX_USER;"
	if [ -n "${SHIPPED_LIMITS:-}" ]; then
		echo "include $TG_SRCDIR/nginx/termgate-http.conf;" \
		    >"$T/limits.conf"
	else
		ngx_limits "$TG_SRCDIR" "$T/limits.conf"
	fi
	sed -e "s|@T@|$T|g" -e "s|@PORT@|$PORT|g" -e "s|@USER@|$_user|" \
	    -e "s|@KEEPPORT@|$KEEPPORT|g" \
	    -e "s|@SRCDIR@|$TG_SRCDIR|g" -e "s|@BUILDDIR@|$TG_BUILDDIR|g" \
	    "$TG_SRCDIR/tests/e2e/nginx.conf.in" \
	    >"$T/nginx.conf"
	BASE="http://127.0.0.1:$PORT"
	ngx_start "$T" "$T/nginx.conf" "$T/nginx-error.log" "$T/nginx.out" &&
	    NGINX_PID=$NGX_PID && ngx_wait "$BASE/" 5 ||
	    { not_ok "nginx did not start"; cat "$T/nginx.out"; return 1; }
}

stop_all() {
	[ -n "$NGINX_PID" ] && kill -QUIT "$NGINX_PID" 2>/dev/null &&
	    wait "$NGINX_PID" 2>/dev/null
	[ -n "$FCGI_PID" ] && kill -TERM "$FCGI_PID" 2>/dev/null &&
	    wait "$FCGI_PID" 2>/dev/null
	stop_sup
	NGINX_PID= FCGI_PID=
}
