# t_deploy.sh - the two documented deployment shapes, each daemon with the
# identity the shape gives it and nginx's workers as their own
# unprivileged user (www-data), never root (a root nginx can connect to
# any socket, and so proves nothing about permissions):
#   a. the supervisor as root with run_as = nobody and socket_group =
#      www-data (README, contrib/termgate.conf.example);
#   b. contrib/systemd's units: supervisor and termgate-fcgi as an
#      unprivileged user with the supplementary group www-data, socket_dir
#      a 0755 runtime directory that user owns, inside another. No system
#      user is made: nobody/nogroup stand in for termgate.
# For each real backend (shellinabox; ttyd when tests/lib/ttyd.sh found
# the real one): an open through nginx, 200 from /terminal/ID/, and for
# ttyd a command through the WebSocket. Sourced last by tests/e2e/run.

deploy_skip() { echo "# t_deploy.sh: skipped: $*"; }

# deploy SHAPE BACKEND PATH: one shape on one backend, from scratch.
deploy() {
	_shape=$1 _be=$2 _path=$3 _who=deploy-$1-$2
	stop_all
	# T: the runtime directory (the fcgi socket, socket_dir, logs).
	T=$D/$_shape-$_be
	mkdir "$T"
	chmod 755 "$T"
	AS= _runas=nobody
	if [ "$_shape" = b ]; then
		# as RuntimeDirectory=termgate termgate/terminals makes them
		mkdir -m 755 "$T/t"
		chown nobody:nogroup "$T" "$T/t"
		AS="setpriv --reuid=nobody --regid=nogroup --groups=www-data"
		AS="$AS --inh-caps=-all --"
		_runas=
	fi
	cat >"$T/termgate.conf" <<EOC
database = $TERMGATE_TEST_DB
listen = unix:$T/fcgi.sock
workers = 3
node = local
max_sessions_per_user = 3
terminal_listen = unix
socket_dir = $T/t
socket_group = www-data
pty_path = $D/bin/termgate-pty
recording_dir = $T/rec
spool_dir = $T/spool
backend = $_be
backend_path = $_path
terminal_command = /bin/sh
run_as = $_runas
spawn_timeout = 5
kill_grace = 1
url_prefix = /terminal
cookie_secure = false
EOC
	NGINX_USER=www-data
	start_sup && start_fcgi && start_nginx || return 1
	open_sess "$_who"
	expect "deploy $_shape $_be: open through nginx" 201
	tget "$ID" "$TOKEN"
	check "deploy $_shape $_be: /terminal/ID/ through nginx: 200" \
	    '[ "$TCODE" = 200 ]'
	if [ "$_be" = ttyd ]; then
		check "deploy $_shape $_be: a command through the WebSocket" \
		    '"$WS" "$PORT" "/terminal/$ID/ws" "termgate_token=$TOKEN" \
		    "echo deploy-\$((6*7))" deploy-42 5'
	else	# (shellinabox has no WebSocket: its page, then)
		check "deploy $_shape $_be: it is shellinabox's page" \
		    'grep -qi "shell *in *a *box" "$T/tbody"'
	fi
	_s=$T/t/$ID.sock
	_p=$(q "SELECT ttyd_pid FROM termgate.sessions WHERE id = '$ID'")
	check "deploy $_shape $_be: the terminal runs as nobody" \
	    '[ "$(stat -c %U "/proc/$_p")" = nobody ]'
	if [ "$_shape" = a ]; then
		check "deploy a $_be: socket_dir root's, sticky, unlistable" \
		    '[ "$(stat -c %U:%G:%a "$T/t")" = root:nogroup:1731 ]'
		check "deploy a $_be: a terminal cannot list it" \
		    '! runuser -u nobody -- ls "$T/t" >/dev/null 2>&1'
		check "deploy a $_be: ... nor take another's socket away" \
		    '! runuser -u nobody -- mv "$_s" "$_s.x" 2>/dev/null'
		# Not owned by nobody: every terminal runs as nobody, and
		# could otherwise connect to every other session's socket.
		check "deploy a $_be: the socket is root:www-data 0660" \
		    '[ "$(stat -c %U:%G:%a "$_s")" = root:www-data:660 ]'
		check "deploy a $_be: the terminal is not in www-data" \
		    '! grep "^Groups:" "/proc/$_p/status" | grep -qw "$WWW"'
	else
		check "deploy b $_be: socket_dir www-data 0750" \
		    '[ "$(stat -c %G:%a "$T/t")" = www-data:750 ]'
		# (Here the terminal shares the supervisor's groups: a
		# process that is not root cannot leave one.)
		check "deploy b $_be: the socket is in www-data, 0660" \
		    '[ "$(stat -c %G:%a "$_s")" = www-data:660 ]'
	fi
	call DELETE "/api/terminal/sessions/$ID" "$_who"
	check_wait "deploy $_shape $_be: close removes the socket" \
	    "[ ! -e '$_s' ]" 5
}

if [ "$(id -u)" != 0 ]; then
	deploy_skip "needs root (to run nginx, the supervisor and the" \
	    "terminals as other users)"
elif ! getent group www-data >/dev/null; then
	deploy_skip "no group www-data"
else
	T0=$T
	WWW=$(getent group www-data | cut -d: -f3)
	# The terminals of the tests before, which their supervisor left.
	stop_all
	for _p in $(q "SELECT ttyd_pid FROM termgate.sessions
	    WHERE ttyd_pid IS NOT NULL"); do
		kill -KILL -- "-$_p" "$_p" 2>/dev/null
	done
	q "SELECT termgate.end_session(id, 'admin_close')
	    FROM termgate.sessions WHERE termgate.is_live(status)" >/dev/null
	D=$(mktemp -d /tmp/tgd.XXXXXX)
	chmod 755 "$D"
	# Binaries where nobody can run them (a checkout may be under /root).
	mkdir "$D/bin"
	cp "$SUP" "$FCGI" "$TG_BUILDDIR/src/pty/termgate-pty" "$D/bin/"
	SUP=$D/bin/termgate-supervisor FCGI=$D/bin/termgate-fcgi
	for shape in a b; do
		deploy "$shape" shellinabox /usr/bin/shellinaboxd
		if real_ttyd; then
			cp "$TTYD_BIN" "$D/bin/ttyd"
			deploy "$shape" ttyd "$D/bin/ttyd"
		fi
	done
	real_ttyd || deploy_skip "ttyd: no real ttyd (the stand-in" \
	    "fakes what these shapes test)"
	stop_all
	[ "$FAILS" -ne 0 ] && for f in "$D"/*/sup.log "$D"/*/nginx-error.log; do
		echo "== $f"; tail -n 15 "$f"
	done
	[ -n "${KEEP:-}" ] || rm -rf "$D"
	T=$T0 AS= NGINX_USER=root
fi
