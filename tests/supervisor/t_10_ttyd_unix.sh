# ttyd (real or stand-in), unix sockets: spawn, ready, socket mode and group, close.
C=$(mkcfg ttyd_unix)
start_sup "$C"
if [ -n "$RUN_AS" ]; then	# as root: run_as's, t_80_run_as.sh says why
	check "socket_dir created root's, 1731, group of run_as" \
	    '[ "$(stat -c %U:%G:%a "$T/sock")" = \
	    "root:$(id -gn "$RUN_AS"):1731" ]'
else
	check "socket_dir created 0750 group www-data" \
	    '[ "$(stat -c %a:%G "$T/sock")" = 750:www-data ]'
fi
open_one "$C"
check "ttyd unix: termgate_ready ok ($MS ms)" '[ "$RESULT" = ok ]'
PID=$(col "$ID" ttyd_pid)
S=$T/sock/$ID.sock
check "row active with the backend's pid" \
    '[ "$(col "$ID" status)" = active -a -n "$PID" ]'
check "pid runs ttyd on that socket" \
    'grep -q "$S" "/proc/$PID/cmdline"'
check "socket 0660 group www-data" '[ "$(stat -c %a:%G "$S")" = 660:www-data ]'
check "endpoint answers HTTP" \
    'curl -sf --unix-socket "$S" -o /dev/null "http://x/terminal/$ID/"'
# A NOTIFY is a hint: a forged close for a live session stops nothing.
open_one "$C"
OTHER=$ID OTHER_PID=$(col "$ID" ttyd_pid)
q "SELECT pg_notify('termgate_close', '$OTHER')" >/dev/null
ID=$(q "SELECT id FROM termgate.sessions WHERE ttyd_pid = $PID")
close_sess "$ID"
check_wait "close via NOTIFY stops the process" "gone $PID" 3
check "a forged close NOTIFY (sent before it) stopped nothing" \
    'alive "$OTHER_PID" && [ "$(col "$OTHER" status)" = active ]'
check "the supervisor says it ignored it" \
    'grep -q "session=$(echo "$OTHER" | cut -c1-12) close notified but the session is live" "$T/sup.log"'
close_sess "$OTHER"
check_wait "the real close of it stops it" "gone $OTHER_PID" 3
check_wait "socket removed" "[ ! -e $S ]" 2
check "row closed user_close" '[ "$(col "$ID" reason_closed)" = user_close ]'

# argv injection: host fields reach the backend as one word, or not at all.
q "INSERT INTO termgate.hosts (id, name, address) VALUES
    ('h-space', 'a b', '127.0.0.1'), ('h-subst', '\$(x)', '127.0.0.1'),
    ('h-opt', '-oProxyCommand=x', '127.0.0.1')"
# (tail -f /dev/null keeps running whatever its other operands are.)
C2=$(mkcfg inject "terminal_command = tail -f /dev/null -- {host_name}")
stop_sup; start_sup "$C2"
set -- $(PGUSER=termgate-fcgi "$OPEN" -c "$C2" -H h-space | head -n 1); ID=$1
check "host name 'a b' is one argument" \
    '[ "$(last_arg "$(col "$ID" holder_pid)")" = "a b" ]'
set -- $(PGUSER=termgate-fcgi "$OPEN" -c "$C2" -H h-subst | head -n 1); ID=$1
check "host name '\$(x)' is passed literally" \
    '[ "$(last_arg "$(col "$ID" holder_pid)")" = "\$(x)" ]'
set -- $(PGUSER=termgate-fcgi "$OPEN" -c "$C2" -H h-opt | head -n 1); ID=$1 R=$2
check "host name '-oProxyCommand=x' never becomes an option" \
    '[ "$R" = failed -a "$(col "$ID" reason_closed)" = spawn_failed ]'
for bad in "-oProxyCommand=x" "a b" '$(x)'; do
	# $bad stays in a variable: eval must not see '$(x)' unquoted.
	SQL="INSERT INTO termgate.hosts (id, name, address)
	    VALUES ('bad', 'bad', '$bad')"
	check "schema refuses address '$bad'" '! q "$SQL" 2>/dev/null'
	SQL="INSERT INTO termgate.hosts (id, name, address, ssh_user)
	    VALUES ('bad', 'b', 'x', '$bad')"
	check "schema refuses ssh_user '$bad'" '! q "$SQL" 2>/dev/null'
done
q "DELETE FROM termgate.hosts WHERE id LIKE 'h-%'"

# A terminal's program that cannot be run (executable, but no program:
# the supervisor takes the path, the kernel refuses to run it): the
# child (made by vfork, so it cannot log) leaves why to the supervisor,
# which says it, and the session fails.
printf '\001\002not a program\n' >"$T/no-program"
chmod 755 "$T/no-program"
C3=$(mkcfg noexec "pty_path = $T/no-program")
stop_sup; start_sup "$C3"
set -- $(PGUSER=termgate-fcgi "$OPEN" -c "$C3" | head -n 1); ID=$1 R=$2
check "a program the kernel refuses: the open fails spawn_failed" \
    '[ "$R" = failed -a "$(col "$ID" reason_closed)" = spawn_failed ]'
check "... and the supervisor says why" \
    'grep -q "session=${ID:0:12} spawn $T/no-program: exec: Exec format error" "$T/sup.log"'
q "SELECT termgate.end_session(id, 'admin_close') FROM termgate.sessions
    WHERE termgate.is_live(status)" >/dev/null
stop_sup
