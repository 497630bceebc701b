# run_as: a supervisor started as root must drop the terminals to another
# user (it refuses to start otherwise, or to drop them to uid 0), who is
# not in the socket group; the supervisor then gives each socket to root
# and the socket group, 0660, so nginx (in that group) can connect and
# the other terminals (all of that user) cannot. The stand-in hid that
# ttyd itself cannot: it ignores a failed chown.
if [ "$(id -u)" != 0 ]; then
	echo "# t_80_run_as.sh: needs root (run_as is for a root supervisor)"
	return 0
fi
chmod 755 "$T"

# Never a root terminal: as root, run_as unset or naming uid 0 is a
# startup error (and -t says so), with the way out in the message.
C=$(mkcfg noruns run_as=)
"$SUP" -t -c "$C" >"$T/noruns.out" 2>&1
RC=$?
check "as root, run_as unset: -t refuses it (exit $RC)" '[ "$RC" = 1 ]'
check "... saying to set run_as to an unprivileged user" \
    'grep -q "run_as unset: terminals would run as root; set run_as to an \
unprivileged user" "$T/noruns.out"'
# (timeout: a supervisor that did start would run on)
PGUSER=termgate-supervisor timeout 5 "$SUP" -c "$C" >"$T/noruns2.out" 2>&1
RC=$?
check "as root, run_as unset: the supervisor does not start (exit $RC)" \
    '[ "$RC" = 1 ]'
check "... saying why" 'grep -q "set run_as" "$T/noruns2.out"'
C=$(mkcfg runroot run_as=root)
"$SUP" -t -c "$C" >"$T/runroot.out" 2>&1
RC=$?
check "run_as = root: -t refuses it (exit $RC)" '[ "$RC" = 1 ]'
check "... saying it is uid 0" \
    'grep -q "run_as root has uid 0: terminals would run as root" "$T/runroot.out"'
PGUSER=termgate-supervisor timeout 5 "$SUP" -c "$C" >"$T/runroot2.out" 2>&1
RC=$?
check "run_as = root: the supervisor does not start (exit $RC)" \
    '[ "$RC" = 1 ]'
check "... saying why" 'grep -q "has uid 0" "$T/runroot2.out"'
check "run_as = nobody: -t accepts it" \
    '"$SUP" -t -c "$(mkcfg runnobody run_as=nobody)" >/dev/null 2>&1'

# database_os_user: a root supervisor connects as that user (peer
# authentication; tests/package/run connects so with no map for root),
# never as root or as the terminals' run_as.
for u in root nobody; do
	"$SUP" -t -c "$(mkcfg dbos-$u run_as=nobody database_os_user=$u)" \
	    >"$T/dbos-$u.out" 2>&1
	RC=$?
	check "database_os_user = $u (root or run_as): -t refuses it (exit $RC)" \
	    '[ "$RC" = 1 ] && grep -q "database_os_user $u is .*: it must be an account of its own" "$T/dbos-$u.out"'
done

# run_as_pool (tests/isolation/run runs terminals from it): every account
# must exist, and none may share a group with the holders or nginx.
C=$(mkcfg nopool run_as=nobody run_as_pool=tgnone run_as_pool_size=2)
"$SUP" -t -c "$C" >"$T/nopool.out" 2>&1
RC=$?
check "run_as_pool naming no accounts: -t refuses it (exit $RC)" '[ "$RC" = 1 ]'
check "... naming the missing one and the way out" \
    'grep -q "no account tgnone1 (of tgnone1 to tgnone2): create them" \
    "$T/nopool.out"'
# nobody's own group, nogroup, is run_as's group here: www-data is in
# the socket group, so as a pool account it could reach every socket.
C=$(mkcfg wwwpool run_as=nobody run_as_pool=www-dat run_as_pool_size=1)
if id www-dat1 >/dev/null 2>&1; then
	echo "# t_80: www-dat1 exists; pool group check skipped"
else
	useradd --system --no-create-home --gid www-data --shell /bin/sh \
	    www-dat1
	"$SUP" -t -c "$C" >"$T/wwwpool.out" 2>&1
	RC=$?
	userdel www-dat1
	check "a pool account in socket_group: -t refuses it (exit $RC)" \
	    '[ "$RC" = 1 ] && grep -q "www-dat1 is in group" "$T/wwwpool.out"'
fi

C=$(mkcfg runas run_as=nobody "socket_dir=$T/sock-nobody")
start_sup "$C"
check "run_as: socket_dir root's, writable not readable by the terminals" \
    '[ "$(stat -c %U:%G:%a "$T/sock-nobody")" = root:nogroup:1731 ]'
open_one "$C"
check "run_as: the terminal is ready" '[ "$RESULT" = ok ]'
P=$(col "$ID" ttyd_pid)
check "run_as: it runs as nobody" \
    '[ "$(awk "/^Uid:/ { print \$2 }" "/proc/$P/status")" = "$(id -u nobody)" ]'
check "run_as: its socket is root's, 0660 in the socket group" \
    '[ "$(stat -c %U:%G:%a "$T/sock-nobody/$ID.sock")" = root:www-data:660 ]'
check "run_as: the terminal is not in the socket group" \
    '! grep "^Groups:" "/proc/$P/status" | grep -qw "$(getent group www-data |
    cut -d: -f3)"'
check "run_as: it serves" 'curl -sf --unix-socket "$T/sock-nobody/$ID.sock" \
    -o /dev/null "http://x/terminal/$ID/"'
close_sess "$ID"
check_wait "run_as: close stops it" "gone $P" 4
stop_sup TERM

# recording_dir and spool_dir are the terminals' user's: a link put in
# the place of one (by whoever could) would have had root chown and chmod
# what it points to at the next start. Every component is opened without
# following a link, below directories only root may write: the
# supervisor refuses to start instead, and the target stays as it was.
mkdir -p "$T/victim"
chmod 755 "$T/victim"
ln -s "$T/victim" "$T/reclink"
C=$(mkcfg reclink run_as=nobody "recording_dir=$T/reclink")
PGUSER=termgate-supervisor timeout 10 "$SUP" -c "$C" >"$T/reclink.out" 2>&1
RC=$?
check "recording_dir a link: the supervisor does not start (exit $RC)" \
    '[ "$RC" = 1 ]'
check "... and what it points to is still root's, 0755" \
    '[ "$(stat -c %U:%a "$T/victim")" = root:755 ]'
check "... saying why" \
    'grep -q "reclink: reclink: a symbolic link or not a directory" "$T/reclink.out"'
mkdir -p "$T/open"
chmod 777 "$T/open"
C=$(mkcfg openparent run_as=nobody "spool_dir=$T/open/spool")
PGUSER=termgate-supervisor timeout 10 "$SUP" -c "$C" >"$T/open.out" 2>&1
RC=$?
check "spool_dir below a directory anyone may write: refused (exit $RC)" \
    '[ "$RC" = 1 ] && [ ! -e "$T/open/spool" ]'
check "... saying why" 'grep -q "may be written by others" "$T/open.out"'

# Not root: socket_dir goes to socket_group only if the supervisor is a
# member (as the systemd unit makes it); otherwise it refuses to start,
# saying why, rather than start terminals nginx can never reach.
mkdir -p "$T/bin" "$T/nb"
chown nobody "$T/nb"
cp "$SUP" "$T/bin/termgate-supervisor"
C=$(mkcfg nomember "socket_dir=$T/nb/s" run_as=)
setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all -- \
    "$T/bin/termgate-supervisor" -c "$C" >"$T/nb.log" 2>&1
RC=$?
check "not in socket_group: the supervisor exits 1 ($RC)" '[ "$RC" = 1 ]'
check "... saying why" \
    'grep -q "cannot give it to socket_group www-data" "$T/nb.log"'
C=$(mkcfg nbroot "socket_dir=$T/nb/s" run_as=root)
setpriv --reuid=nobody --regid=nogroup --groups=www-data --inh-caps=-all -- \
    "$T/bin/termgate-supervisor" -t -c "$C" >"$T/nbroot.log" 2>&1
RC=$?
check "not root either: run_as = root is refused (exit $RC)" \
    '[ "$RC" = 1 ]'
check "... saying why" 'grep -q "has uid 0" "$T/nbroot.log"'
C=$(mkcfg member "socket_dir=$T/nb/s" run_as=)
setpriv --reuid=nobody --regid=nogroup --groups=www-data --inh-caps=-all -- \
    "$T/bin/termgate-supervisor" -c "$C" >>"$T/sup.log" 2>&1 &
SUP_PID=$!
check_wait "in socket_group: it starts" "[ \"\$(q \"SELECT pid FROM
    termgate.supervisors WHERE node = 'local'\")\" = $SUP_PID ]" 5
check "... and gives socket_dir to it, 0750" \
    '[ "$(stat -c %U:%G:%a "$T/nb/s")" = nobody:www-data:750 ]'
stop_sup TERM

# socket_group must be nginx's alone: a group more users are in is named
# with them at start (nogroup: nobody, _apt, ... on Debian).
C=$(mkcfg crowded "socket_group = nogroup" run_as=nobody)
"$SUP" -t -c "$C" >"$T/crowded.out" 2>&1
check "a socket_group of several users: a warning names them" \
    'grep -q "socket_group nogroup has [0-9]* users (.*nobody.*)" "$T/crowded.out"'
C=$(mkcfg alone run_as=nobody)
"$SUP" -t -c "$C" >"$T/alone.out" 2>&1
check "nginx's group alone (www-data): no such warning" \
    '! grep -q "socket_group" "$T/alone.out"'
