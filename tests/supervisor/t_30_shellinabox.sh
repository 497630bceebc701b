# The real shellinaboxd: endpoint, mode, close kills its group; tcp mode,
# where it would have no credential at all, is refused.
SIAB=$(command -v shellinaboxd || echo /usr/bin/shellinaboxd)
for mode in unix; do
	C=$(mkcfg "siab_$mode" "backend = shellinabox" "backend_path = $SIAB" \
	    "terminal_listen = $mode")
	start_sup "$C"
	open_one "$C"
	check "shellinabox $mode: termgate_ready ok ($MS ms)" '[ "$RESULT" = ok ]'
	PID=$(col "$ID" ttyd_pid)
	check "shellinabox $mode: row active, pid runs shellinaboxd" \
	    'grep -q shellinaboxd "/proc/$PID/cmdline"'
	if [ $mode = unix ]; then
		S=$T/sock/$ID.sock
		check "shellinabox socket 0660 group www-data" \
		    '[ "$(stat -c %a:%G "$S")" = 660:www-data ]'
		check "shellinabox serves its base path" 'curl -sf \
		    --unix-socket "$S" -o /dev/null "http://x/terminal/$ID/"'
	else
		PORT=$(col "$ID" ttyd_port)
		check "shellinabox serves 127.0.0.1:$PORT" 'curl -sf -o /dev/null \
		    "http://127.0.0.1:$PORT/terminal/$ID/"'
	fi
	check "shellinabox $mode: has children in its group" \
	    '[ "$(ps -e -o pgid= | grep -cw "$PID")" -ge 2 ]'
	close_sess "$ID"
	check_wait "shellinabox $mode: close kills its whole group" \
	    "group_gone $PID" 4
	if [ $mode = unix ]; then
		check_wait "shellinabox socket removed" "[ ! -e $S ]" 2
	else
		check_wait "shellinabox port freed" "port_free $ID" 2
	fi
	stop_sup
done

# tcp mode: refused at start (and by -t), whatever else is set.
C=$(mkcfg siab_tcp "backend = shellinabox" "backend_path = $SIAB" \
    "terminal_listen = tcp" "allow_visible_credentials = true")
"$SUP" -t -c "$C" >"$T/siab_tcp.out" 2>&1
RC=$?
check "shellinabox tcp: refused (exit $RC)" '[ "$RC" != 0 ]'
check "shellinabox tcp: the refusal says why" \
    'grep -q "shellinabox: its terminals would take any local connection" "$T/siab_tcp.out"'
