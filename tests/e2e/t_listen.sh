# t_listen.sh - the other two ways termgate-fcgi gets its socket: listen =
# HOST:PORT, and an inherited socket on fd 0 (listen unset) as spawn-fcgi
# and systemd hand it. nginx is pointed at each and reloaded. Sourced
# last by tests/e2e/run.

kill -TERM "$FCGI_PID" 2>/dev/null && wait "$FCGI_PID" 2>/dev/null
FCGI_PID=
# upstream_is ADDR: points nginx's termgate_fcgi at ADDR and reloads it.
upstream_is() {
	sed -i "/upstream termgate_fcgi {/,/}/ s|server .*;|server $1;|" \
	    "$T/nginx.conf"
	kill -HUP "$NGINX_PID"
}
FPORT=$(free_port)
# Anything but loopback is refused: FastCGI carries REMOTE_USER.
for addr in 0.0.0.0 "[::]" 10.1.2.3 localhost; do
	sed -i "s|^listen = .*|listen = $addr:$FPORT|" "$T/termgate.conf"
	"$FCGI" -c "$T/termgate.conf" >"$T/listen.out" 2>&1
	RC=$?
	check "listen $addr:PORT is refused (exit $RC)" '[ "$RC" != 0 ]'
	check "listen $addr:PORT: the refusal says why" \
	    'grep -q "loopback" "$T/listen.out"'
done
sed -i "s|^listen = .*|listen = 127.0.0.1:$FPORT|" "$T/termgate.conf"
PGUSER=termgate-fcgi "$FCGI" -c "$T/termgate.conf" >>"$T/fcgi.log" 2>&1 &
FCGI_PID=$!
check_wait "listen HOST:PORT: termgate-fcgi listens there" \
    "ss -ltn | grep -q '127.0.0.1:$FPORT '" 5
check "listen 127.0.0.1:PORT: a warning says who can speak FastCGI" \
    'grep -q "every local user can connect and speak FastCGI" "$T/fcgi.log"'
upstream_is "127.0.0.1:$FPORT"
# Until the reloaded nginx reaches it, nginx's own 502 (an HTML page,
# which doc/openapi.yaml does not give): straight to nginx (PRISM_OFF).
check_wait "listen HOST:PORT: nginx reaches it" \
    "PRISM_OFF=1 call GET /api/terminal/hosts listener; [ \"\$CODE\" = 200 ]" 5
kill -TERM "$FCGI_PID" && wait "$FCGI_PID"
RC=$?
check "listen HOST:PORT: SIGTERM exits 0" '[ "$RC" = 0 ]'

sed -i "s|^listen = .*|listen =|" "$T/termgate.conf"
rm -f "$T/fcgi.sock"
PGUSER=termgate-fcgi spawn-fcgi -s "$T/fcgi.sock" -M 0660 -n -- \
    "$FCGI" -c "$T/termgate.conf" >>"$T/fcgi.log" 2>&1 &
FCGI_PID=$!
check_wait "inherited socket: termgate-fcgi runs on fd 0" \
    "grep -q 'listening on fd 0' '$T/fcgi.log'" 5
upstream_is "unix:$T/fcgi.sock"
check_wait "inherited socket: nginx reaches it" \
    "PRISM_OFF=1 call GET /api/terminal/hosts listener; [ \"\$CODE\" = 200 ]" 5
check "inherited socket: as many workers as configured" \
    '[ "$(nworkers)" -eq 3 ]'
