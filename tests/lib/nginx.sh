# nginx.sh - the one way termgate brings up an nginx of its own: the
# test suites (tests/e2e/lib.sh, tests/multinode/lib.sh), the benches
# (contrib/bench/lib.sh), contrib/quickstart and tests/package/run source
# it. Each writes the http block it needs (its servers and locations, the
# shipped snippets of nginx/ included); this file holds what they share.
# POSIX sh (the quickstart and the benches run under dash).
#
#   ngx_port_free PORT   true if nothing on this machine uses TCP port
#       PORT (listening or connected, any address: ss; without ss, as on
#       a fresh machine the quickstart runs on, if nothing answers on
#       127.0.0.1:PORT);
#   ngx_free_port [FIRST [COUNT]]  prints a port P with P .. P+COUNT-1
#       free (COUNT default 1): the first from FIRST upward or, with no
#       FIRST, from a random one in 20000-31999, below the kernel's
#       ephemeral range (ip_local_port_range, 32768 up by default), where
#       any outgoing connection (other suites run beside one) may hold it
#       by the time nginx binds;
#   ngx_head PREFIX ERROR_LOG [WORKERS [USER]]  prints an nginx.conf's
#       main context: as root, workers run as USER (default "root root",
#       so that they reach sockets and files under /root or a test's
#       directory), pid PREFIX/nginx.pid, ERROR_LOG (with its level, if
#       any), WORKERS worker processes (default 1);
#   ngx_temp DIR  prints the http block's temporary paths, under DIR;
#   ngx_limits SRCDIR FILE  writes SRCDIR/nginx/termgate-http.conf to
#       FILE with a generous open rate (10000/s), so that a test or bench
#       that opens at once measures termgate's limits, not nginx's;
#   ngx_start PREFIX CONF ERROR_LOG OUT  checks CONF (nginx -t) and starts
#       nginx in the foreground of a background job (a child of the
#       caller: NGX_PID; $NGX_LAUNCH, e.g. setsid, runs it), its output
#       appended to OUT; non-zero if CONF is refused;
#   ngx_wait URL SECONDS  waits until URL answers (any status); non-zero
#       when nginx ($NGX_PID) exited or SECONDS passed (at least
#       TG_WAIT_MIN, when the caller has tests/lib/check.sh's floor).

ngx_port_free() {
	if command -v ss >/dev/null 2>&1; then
		! ss -tan | grep -q ":$1 "
	else
		_nrc=0
		curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$1/" ||
		    _nrc=$?
		[ "$_nrc" = 7 ]
	fi
}

ngx_free_port() {
	_np=${1:-$(( 20000 + $(od -An -N2 -tu2 /dev/urandom) % 12000 ))}
	_nn=0
	while [ "$_nn" -lt "${2:-1}" ]; do
		if ngx_port_free $(( _np + _nn )); then
			_nn=$(( _nn + 1 ))
		else
			_np=$(( _np + _nn + 1 ))
			_nn=0
		fi
	done
	echo "$_np"
}

ngx_head() {
	[ "$(id -u)" != 0 ] || echo "user ${4:-root root};"
	cat <<EOF
worker_processes ${3:-1};
pid $1/nginx.pid;
error_log $2;
events { worker_connections 1024; }
EOF
}

ngx_temp() {
	for _nt in client_body proxy fastcgi uwsgi scgi; do
		printf '\t%s_temp_path %s/%s;\n' "$_nt" "$1" "$_nt"
	done
}

ngx_limits() {
	sed -e 's/rate=[0-9]*r\/s/rate=10000r\/s/' \
	    "$1/nginx/termgate-http.conf" >"$2"
}

ngx_start() {
	nginx -t -q -p "$1" -c "$2" -e "$3" >>"$4" 2>&1 || {
		tail -n 5 "$4" >&2
		return 1
	}
	${NGX_LAUNCH:-} nginx -p "$1" -c "$2" -e "$3" -g 'daemon off;' \
	    >>"$4" 2>&1 </dev/null &
	NGX_PID=$!
}

ngx_wait() {
	_ns=$2
	[ "$_ns" -ge "${TG_WAIT_MIN:-0}" ] || _ns=$TG_WAIT_MIN
	_nend=$(( $(date +%s) + _ns ))
	until curl -s -o /dev/null --max-time 2 "$1"; do
		kill -0 "$NGX_PID" 2>/dev/null || return 1
		[ "$(date +%s)" -lt "$_nend" ] || return 1
		sleep 0.05
	done
}
