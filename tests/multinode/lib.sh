# lib.sh - nodes of the multi-node and failover suites (sourced by
# tests/multinode/run and tests/failover/run).
#
# A node N is a loopback address of its own (127.0.0.2, .3, ...: Linux
# routes all of 127/8 to lo, no setup needed) with its own directory
# $T/N, configuration, termgate-supervisor, termgate-fcgi and nginx. Its
# nginx has two servers: the public one (the API and /terminal/, the user
# taken from X-Test-User as in tests/e2e) on IP:PORT_N, and the internal
# terminal listener (the shipped nginx/termgate-node.conf) on its
# node_address IP:IPORT_N. Every daemon is a direct child of the test
# shell; conditions are polled with deadlines (wait_for).

SUP="$TG_BUILDDIR/src/supervisor/termgate-supervisor"
FCGI="$TG_BUILDDIR/src/fcgi/termgate-fcgi"
ADMIN="$TG_BUILDDIR/src/admin/termgate-admin"
WS="$TG_BUILDDIR/tests/e2e/wsclient"
NGINX_USER=root
RUN_AS=
[ "$(id -u)" = 0 ] && RUN_AS=nobody
# How long a silent node lives on (node_lost_after), at gc_interval 1.
LOST_AFTER=${LOST_AFTER:-6}

. "$TG_SRCDIR/tests/lib/check.sh"
. "$TG_SRCDIR/tests/lib/ttyd.sh"
. "$TG_SRCDIR/tests/lib/nginx.sh"

# The hop between nodes (README, "Several nodes"): each node pins every
# node's address (node_addresses) unless NODE_PINS=no; NODE_TLS=on makes
# the hop HTTPS (tests/multinode/tls sets up the certificates).
NODES=

# node_pins: node_addresses of the nodes set up so far.
node_pins() {
	for _n in $NODES; do
		printf '%s=%s:%s ' "$_n" "$(node_ip "$_n")" \
		    "$(eval "echo \$IPORT_$_n")"
	done
}

# mint TARGET ID [EXPIRES [NONCE]]: a hop credential for session ID on
# node TARGET, made apart from termgate-fcgi (src/nodeauth.c says how),
# by openssl under $T/node.secret (or $SECRET); EXPIRES 20 s from now.
mint() {
	_e=${3:-$(( $(date +%s) + 20 ))}
	_nc=${4:-$(openssl rand -hex 16)}
	printf 'v1.%s.%s.%s\n' "$_e" "$_nc" "$(printf 'v1\n%s\n%s\n%s\n%s' \
	    "$1" "$2" "$_e" "$_nc" | openssl dgst -sha256 -r \
	    -hmac "${SECRET:-$(cat "$T/node.secret")}" | cut -d' ' -f1)"
}

# node_vars N: IP, PORT, IPORT, D of node N into N_IP ... (eval'd names).
node_ip() { eval "echo \$IP_$1"; }
node_port() { eval "echo \$PORT_$1"; }
node_dir() { echo "$T/$1"; }

# node_conf N: $T/N/termgate.conf.
node_conf() {
	_d=$(node_dir "$1")
	cat >"$_d/termgate.conf" <<EOC
database = ${NODE_DB:-$TERMGATE_TEST_DAEMON_DB}
listen = unix:$_d/fcgi.sock
workers = 2
node = $1
node_address = $(node_ip "$1"):$(eval "echo \$IPORT_$1")
node_capacity = $(eval "echo \${CAP_$1:-0}")
node_secret_file = $T/node.secret
node_addresses = $([ "${NODE_PINS:-yes}" = no ] || node_pins)
node_tls = ${NODE_TLS:-off}
node_lost_after = $LOST_AFTER
max_sessions_per_user = 5
terminal_listen = unix
socket_dir = $_d/sock
pty_path = $TG_BUILDDIR/src/pty/termgate-pty
recording_dir = $_d/rec
spool_dir = $_d/spool
socket_group = $(id -gn)
backend = ttyd
backend_path = $TTYD_BIN
terminal_command = /bin/sh
run_as = $RUN_AS
spawn_timeout = 5
kill_grace = 1
gc_interval = 1
beacon_grace = 0
idle_timeout = 600
session_ttl = 600
url_prefix = /terminal
cookie_secure = false
EOC
	# GW_N set: node N serves its terminals through one gateway
	# (terminal_gateway), the session from nginx's arg= alone.
	if [ -n "$(eval "echo \${GW_$1:-}")" ]; then
		echo 'terminal_gateway = on' >>"$_d/termgate.conf"
	fi
	# TCP_N set: node N's terminals listen on loopback ports (with their
	# ttyd -c credential) instead of unix sockets.
	if [ -n "$(eval "echo \${TCP_$1:-}")" ]; then
		_lo=$(ngx_free_port)
		sed -i 's/^terminal_listen = .*/terminal_listen = tcp/' \
		    "$_d/termgate.conf"
		printf 'port_range = %s-%s\nallow_visible_credentials = true\n' \
		    "$_lo" $(( _lo + 19 )) >>"$_d/termgate.conf"
	fi
}

# node_nginx_conf N: $T/N/nginx.conf, the public and internal servers.
node_nginx_conf() {
	_d=$(node_dir "$1")
	ngx_limits "$TG_SRCDIR" "$_d/limits.conf"
	cat >"$_d/nginx.conf" <<EOC
$(ngx_head "$_d" "$_d/nginx-error.log info" 1 "$NGINX_USER")
http {
	access_log $_d/nginx-access.log;
	# What crosses the hop, as someone on the network between the nodes
	# sees it: the credential header and the request, into hop.log.
	log_format termgate_hop '\$http_x_termgate_node_auth \$request_uri';
$(ngx_temp "$_d/ngx")
	upstream termgate_fcgi { server unix:$_d/fcgi.sock; }
	include $_d/limits.conf;
	map \$http_x_test_user \$termgate_user {
		default	\$http_x_test_user;
		""	"";
	}
	server {
		listen $(node_ip "$1"):$(node_port "$1");
		include $TG_SRCDIR/nginx/termgate-locations.conf;
$([ "${NODE_TLS:-off}" = on ] && printf '\t\t%s\n' \
    "proxy_ssl_verify on;" \
    "proxy_ssl_trusted_certificate $T/tls/ca.pem;")
	}
	server {
		listen $(node_ip "$1"):$(eval "echo \$IPORT_$1")$([ "${NODE_TLS:-off}" = on ] && echo " ssl");
		access_log $_d/hop.log termgate_hop;
$([ "${NODE_TLS:-off}" = on ] && printf '\t\t%s\n' \
    "ssl_certificate $T/tls/$1.crt;" "ssl_certificate_key $T/tls/$1.key;")
		include $TG_SRCDIR/nginx/termgate-node.conf;
	}
}
EOC
}

# node_setup N IP: directories, ports and configuration of node N (and
# node_addresses of the nodes set up before it, which now pin N too).
node_setup() {
	eval "IP_$1=$2 PORT_$1=$(ngx_free_port)"
	eval "IPORT_$1=$(ngx_free_port)"
	_d=$(node_dir "$1")
	mkdir -p "$_d/sock" "$_d/rec" "$_d/spool" "$_d/ngx"
	[ -n "$RUN_AS" ] && chmod 755 "$_d"
	NODES="$NODES $1"
	node_conf "$1"
	node_nginx_conf "$1"
	for _o in $NODES; do
		[ "$_o" = "$1" ] ||
		    sed -i "s/^node_addresses = .*/node_addresses = $([ \
		    "${NODE_PINS:-yes}" = no ] || node_pins)/" \
		    "$(node_dir "$_o")/termgate.conf"
	done
}

# node_start N: its supervisor, termgate-fcgi and nginx; 1 when one of
# them did not come up.
node_start() {
	_d=$(node_dir "$1")
	PGUSER=termgate-supervisor "$SUP" -c "$_d/termgate.conf" \
	    >>"$_d/sup.log" 2>&1 &
	eval "SUP_$1=$!"
	PGUSER=termgate-fcgi "$FCGI" -c "$_d/termgate.conf" \
	    >>"$_d/fcgi.log" 2>&1 &
	eval "FCGI_$1=$!"
	ngx_start "$_d" "$_d/nginx.conf" "$_d/nginx-error.log" \
	    "$_d/nginx.out" || return 1
	eval "NGX_$1=$NGX_PID"
	wait_for "[ \"\$(q \"SELECT pid FROM termgate.supervisors
	    WHERE node = '$1'\")\" = \$SUP_$1 ]" 10 &&
	    wait_for "[ -S '$_d/fcgi.sock' ]" 10 &&
	    ngx_wait "http://$(node_ip "$1"):$(node_port "$1")/" 10 ||
	    { echo "# node $1 did not start"; tail -n 5 "$_d"/*.log "$_d/nginx.out"; return 1; }
}

# node_pids N: every process of node N's daemons (not its terminals).
node_pids() {
	for _v in SUP FCGI NGX; do
		_p=$(eval "echo \${${_v}_$1:-}")
		[ -n "$_p" ] || continue
		echo "$_p"
		[ "$_v" = SUP ] || pgrep -P "$_p"
	done
}

# node_kill N: kill -9 node N's daemons at once (its terminals stay, as
# after a partition: its supervisor finds them when it is back).
node_kill() {
	# shellcheck disable=SC2046 # one pid a word
	kill -KILL $(node_pids "$1") 2>/dev/null
	for _v in SUP FCGI NGX; do
		_p=$(eval "echo \${${_v}_$1:-}")
		[ -n "$_p" ] && wait "$_p" 2>/dev/null
		eval "${_v}_$1="
	done
}

# node_stop N: stop node N's daemons in order.
node_stop() {
	for _v in NGX FCGI SUP; do
		_p=$(eval "echo \${${_v}_$1:-}")
		[ -n "$_p" ] || continue
		if [ "$_v" = NGX ]; then kill -QUIT "$_p"; else kill -TERM "$_p"; fi
		wait "$_p" 2>/dev/null
		eval "${_v}_$1="
	done 2>/dev/null
}

# ncall N METHOD PATH USER [BODY]: one request through node N's nginx;
# CODE, the body in $T/body.
ncall() {
	CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X "$2" --max-time 20 \
	    -H "X-Test-User: $4" -H 'Content-Type: application/json' \
	    ${5:+--data-binary "$5"} \
	    "http://$(node_ip "$1"):$(node_port "$1")$3")
}
jf() { jq -r "$1" "$T/body" 2>/dev/null; }

# nopen N USER: opens a session on host "local" through node N (no
# reuse); ID, TOKEN and NODE of it.
nopen() {
	ncall "$1" POST /api/terminal/sessions "$2" \
	    '{"host_id": "local", "reuse": false}'
	ID=$(jf .session_id) TOKEN=$(jf .token) NODE=$(jf .node)
}

# sess_col ID COLUMN: a column of session ID.
sess_col() { q "SELECT $2 FROM termgate.sessions WHERE id = '$1'"; }

# kill_terminals: the terminals the suite started (process groups).
kill_terminals() {
	for _p in $(q "SELECT ttyd_pid FROM termgate.sessions
	    WHERE ttyd_pid IS NOT NULL" 2>/dev/null) \
	    $(q "SELECT holder_pid FROM termgate.sessions
	    WHERE holder_pid IS NOT NULL" 2>/dev/null); do
		kill -KILL -- "-$_p" "$_p" 2>/dev/null
	done
}

# tls_ca NAME: a CA of the test in $T/tls/NAME.pem (its key NAME.key).
tls_ca() {
	mkdir -p "$T/tls"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -keyout "$T/tls/$1.key" -out "$T/tls/$1.pem" -days 2 \
	    -subj "/CN=termgate test $1" 2>/dev/null
}
# tls_cert NAME DNSNAME [CA]: a certificate for DNSNAME (its
# subjectAltName) signed by CA (default ca) in $T/tls/NAME.crt, NAME.key.
tls_cert() {
	openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
	    -keyout "$T/tls/$1.key" -out "$T/tls/$1.csr" -subj "/CN=$2" \
	    2>/dev/null &&
	    printf 'subjectAltName=DNS:%s\n' "$2" >"$T/tls/$1.ext" &&
	    openssl x509 -req -in "$T/tls/$1.csr" -CA "$T/tls/${3:-ca}.pem" \
	    -CAkey "$T/tls/${3:-ca}.key" -CAcreateserial -days 2 \
	    -extfile "$T/tls/$1.ext" -out "$T/tls/$1.crt" 2>/dev/null
}

# thief_start NAME IP:PORT [CERT]: an nginx that is no node at IP:PORT
# (with CERT, $T/tls/CERT.crt, over TLS), answering 410 to everything
# and logging what it is sent (the credential header and the URI) into
# $T/NAME/access.log; its pid in NGX_NAME (node_stop NAME stops it).
# Its own readiness probe is logged too, as a request for /.
thief_start() {
	mkdir -p "$T/$1/ngx"
	cat >"$T/$1/nginx.conf" <<EOC
$(ngx_head "$T/$1" "$T/$1/error.log" 1 "$NGINX_USER")
http {
$(ngx_temp "$T/$1/ngx")
	log_format thief '\$http_x_termgate_node_auth \$request_uri';
	server {
		listen $2${3:+ ssl};
${3:+		ssl_certificate $T/tls/$3.crt;
		ssl_certificate_key $T/tls/$3.key;}
		access_log $T/$1/access.log thief;
		location / { return 410; }
	}
}
EOC
	ngx_start "$T/$1" "$T/$1/nginx.conf" "$T/$1/error.log" \
	    "$T/$1/nginx.out" || return 1
	eval "NGX_$1=$NGX_PID"
	# (Plain HTTP answers 400 on a TLS port: enough to know it is up.)
	ngx_wait "http://$2/" 10
}

# hijack N ADDRESS: node N's supervisors row names ADDRESS, and a trigger
# keeps it so whatever N's supervisor writes (as a role that may write
# the row could); unhijack: the trigger goes, N writes its own again.
hijack() {
	q "SET client_min_messages = warning;
	    CREATE OR REPLACE FUNCTION public.hijack() RETURNS trigger
	    LANGUAGE plpgsql AS \$\$ BEGIN NEW.address := '$2'; RETURN NEW;
	    END \$\$;
	    DROP TRIGGER IF EXISTS hijack ON termgate.supervisors;
	    CREATE TRIGGER hijack BEFORE INSERT OR UPDATE ON termgate.supervisors
	    FOR EACH ROW WHEN (NEW.node = '$1') EXECUTE FUNCTION public.hijack();
	    UPDATE termgate.supervisors SET address = address
	    WHERE node = '$1'" >/dev/null
}
unhijack() {
	q "SET client_min_messages = warning;
	    DROP TRIGGER IF EXISTS hijack ON termgate.supervisors;
	    DROP FUNCTION IF EXISTS public.hijack()" >/dev/null
}
