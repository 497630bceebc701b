# SIGHUP re-reads the configuration: the terminal command of the next
# spawn changes at once; a key the running supervisor is built from (the
# node) keeps its value until a restart, and says so; a broken file
# changes nothing.
C=$(mkcfg reload)
start_sup "$C"
open_one "$C"
check "before reload: the configured command" \
    'grep -q "/bin/sh" "/proc/$(col "$ID" holder_pid)/cmdline"'
close_sess "$ID"
cp "$C" "$T/opener.conf"	# the opener keeps node = local
sed -i -e 's|^terminal_command = .*|terminal_command = tail -f /dev/null -- reloaded {host_id}|' \
    -e 's|^node = .*|node = elsewhere|' "$C"
kill -HUP "$SUP_PID"
check_wait "reload: logged" "grep -q 'reload: configuration re-read' $T/sup.log" 3
check "reload: a changed node waits for a restart" \
    'grep -q "reload: node changed: takes effect on restart" "$T/sup.log"'
open_one "$T/opener.conf"
check "reload: the node stays" '[ "$(col "$ID" node)" = local ] &&
    [ "$RESULT" = ok ]'
check "reload: the next spawn runs the new command" \
    'grep -q "reloaded" "/proc/$(col "$ID" holder_pid)/cmdline"'
close_sess "$ID"
echo "bogus_key = 1" >>"$C"
kill -HUP "$SUP_PID"
check_wait "reload: a broken file is refused, naming it" \
    "grep -q 'reload: .*bogus_key.*keeping the running configuration' $T/sup.log" 3
check "reload: the supervisor runs on" 'alive "$SUP_PID"'
stop_sup TERM
