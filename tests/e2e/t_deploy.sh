# t_deploy.sh - the two documented deployment shapes, each daemon with the
# identity the shape gives it and nginx's workers as their own
# unprivileged user (www-data), never root (a root nginx can connect to
# any socket, and so proves nothing about permissions):
#   a. the supervisor as root with run_as = nobody and socket_group =
#      www-data (README, contrib/termgate.conf.example); without run_as a
#      root supervisor does not start (tests/supervisor/t_80_run_as.sh);
#   b. a supervisor that is not root (a node of one trusted user: every
#      terminal runs as the supervisor), and termgate-fcgi as another
#      unprivileged user, each with supplementary groups, and the
#      directories laid out as the units before run_as_pool made them:
#      T the fcgi's, T/t (its terminals/) the supervisor's,
#      T/lib/termgate with recordings/ and spool/ the supervisor's,
#      0750, 0750, 0700. No system user is made: nobody/nogroup stand in
#      for the supervisor's user, the unnamed uid and gid $FCGI_ID for
#      termgate-fcgi.
# The shipped units' own shape (a root supervisor with the pool) is
# tests/package/run's, which runs them as installed.
# For each real backend (shellinabox; ttyd when tests/lib/ttyd.sh found
# the real one): an open through nginx, 200 from /terminal/ID/, and for
# ttyd a command through the WebSocket. Before them, the shipped units
# themselves: a user per program, nothing of the supervisor's open to
# termgate-fcgi but the recordings, and `systemd-analyze verify` clean
# where it is installed. Sourced last by tests/e2e/run.

deploy_skip() { echo "# t_deploy.sh: skipped: $*"; }

# deploy SHAPE BACKEND PATH: one shape on one backend, from scratch.
deploy() {
	_shape=$1 _be=$2 _path=$3 _who=deploy-$1-$2
	stop_all
	# T: the runtime directory (the fcgi socket, socket_dir, logs).
	T=$D/$_shape-$_be
	mkdir "$T"
	chmod 755 "$T"
	AS= FCGI_AS= _runas=nobody _rec=$T/rec _spool=$T/spool
	if [ "$_shape" = b ]; then
		# as the units' RuntimeDirectory= make them
		mkdir -m 755 "$T/t"
		chown "$FCGI_ID:$FCGI_ID" "$T"
		chown nobody:nogroup "$T/t"
		# ... their StateDirectory= (0700), then ExecStartPre's chmod
		_st=$T/lib/termgate _rec=$T/lib/termgate/recordings
		_spool=$T/lib/termgate/spool
		mkdir -p -m 700 "$_rec" "$_spool"
		chmod 755 "$T/lib"
		chown nobody:nogroup "$_st" "$_rec" "$_spool"
		chmod 750 "$_st" "$_rec"
		AS="setpriv --reuid=nobody --regid=nogroup --groups=www-data"
		AS="$AS --inh-caps=-all --"
		FCGI_AS=$AS_FCGI
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
recording_dir = $_rec
spool_dir = $_spool
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
		check "deploy b $_be: termgate-fcgi runs as its own user" \
		    '[ "$(stat -c %u "/proc/$FCGI_PID")" = "$FCGI_ID" ]'
		check "deploy b $_be: the terminal records in recording_dir" \
		    '[ -e "$_rec/$ID.cast" ]'
		check "deploy b $_be: termgate-fcgi's user may enter it" \
		    '$AS_FCGI ls "$_rec" >/dev/null'
		check "deploy b $_be: ... but not spool_dir" \
		    '! $AS_FCGI ls "$_spool" >/dev/null 2>&1'
	fi
	call DELETE "/api/terminal/sessions/$ID" "$_who"
	check_wait "deploy $_shape $_be: close removes the socket" \
	    "[ ! -e '$_s' ]" 5
}

# The shipped units. ukey UNIT KEY: the words of KEY= in UNIT.
UNITS=$TG_SRCDIR/contrib/systemd
ukey() { sed -n "s/^$2=//p" "$UNITS/$1" | tr ' ' '\n' | grep .; }
# has WORD: WORD is one of the lines on stdin.
has() { grep -qxF -- "$1"; }
F=termgate-fcgi.service S=termgate-supervisor.service
check "units: termgate-fcgi runs as the user (and role) termgate-fcgi" \
    '[ "$(ukey $F User):$(ukey $F Group)" = termgate-fcgi:termgate-fcgi ]'
check "units: the supervisor as root (it starts holders as root), bounded" \
    '[ -z "$(ukey $S User)" ] && ukey $S CapabilityBoundingSet | has CAP_SETUID &&
    ! ukey $S CapabilityBoundingSet | has CAP_SYS_PTRACE &&
    [ "$(ukey $S NoNewPrivileges)" = yes ] && [ "$(ukey $S Delegate)" = yes ]'
check "units: the fcgi socket unit hands the socket to termgate-fcgi" \
    '[ "$(ukey termgate-fcgi.socket SocketUser)" = termgate-fcgi ]'
check "units: ... in termgate-web, nginx's group alone, not www-data" \
    '[ "$(ukey termgate-fcgi.socket SocketGroup)" = termgate-web ]'
check "units: termgate-fcgi in termgate-web and termgate-pty (the recordings)" \
    'ukey $F SupplementaryGroups | has termgate-web &&
    ukey $F SupplementaryGroups | has termgate-pty &&
    ! ukey $F SupplementaryGroups | has www-data'
check "units: the supervisor's state and runtime directories are root's" \
    '[ "$(ukey $S StateDirectory)" = termgate ] &&
    [ "$(ukey $S StateDirectoryMode)" = 0755 ] &&
    [ "$(ukey $S RuntimeDirectory)" = termgate-supervisor ]'
check "units: termgate-fcgi cannot reach the spool" \
    'ukey $F InaccessiblePaths | has -/var/lib/termgate/spool'
# (Each unit gives its runtime directories to its own user, recursively.)
check "units: no runtime directory is in both units" \
    '[ -z "$( { ukey $F RuntimeDirectory; ukey $S RuntimeDirectory; } |
    sort | uniq -d)" ]'
if command -v systemd-analyze >/dev/null; then
	# with the programs of this build, as make install-systemd would
	V=$(mktemp -d /tmp/tgunits.XXXXXX)
	for u in "$UNITS"/*; do
		sed -e "s|/usr/sbin/termgate-supervisor|$SUP|" \
		    -e "s|/usr/sbin/termgate-fcgi|$FCGI|" "$u" \
		    >"$V/$(basename "$u")"
	done
	check "units: systemd-analyze verify says nothing" \
	    '[ -z "$(cd "$V" && systemd-analyze verify * 2>&1)" ]'
	rm -rf "$V"
else
	echo "# t_deploy.sh: units: no systemd-analyze here: not verified"
fi

if [ "$(id -u)" != 0 ]; then
	deploy_skip "needs root (to run nginx, the supervisor and the" \
	    "terminals as other users)"
elif ! getent group www-data >/dev/null; then
	deploy_skip "no group www-data"
else
	T0=$T
	WWW=$(getent group www-data | cut -d: -f3)
	# termgate-fcgi's stand-in: a uid and gid no one has, in www-data
	# and the supervisor's group (nogroup here), as its unit puts it.
	FCGI_ID=64998
	AS_FCGI="setpriv --reuid=$FCGI_ID --regid=$FCGI_ID"
	AS_FCGI="$AS_FCGI --groups=www-data,nogroup --inh-caps=-all --"
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
	T=$T0 AS= FCGI_AS= NGINX_USER=root
fi
