# 200 spawn/stop cycles: no zombies, no leaked descriptors.
C=$(mkcfg stress "terminal_listen = tcp" "allow_visible_credentials = true")
start_sup "$C"
PGUSER=termgate-fcgi "$OPEN" -c "$C" -n 2 -k -q >/dev/null
wait_for "[ -z \"\$(ps --ppid $SUP_PID -o pid=)\" ]" 5
FD0=$(ls /proc/$SUP_PID/fd | wc -l)
OUT=$(PGUSER=termgate-fcgi "$OPEN" -c "$C" -n 200 -k -q)
check "200 cycles all ready ($OUT)" '[ "${OUT#*ok=200 }" != "$OUT" ]'
check_wait "200 cycles: all children gone" \
    "[ -z \"\$(ps --ppid $SUP_PID -o pid=)\" ]" 10
check "200 cycles: no zombies" '[ -z "$(ps --ppid $SUP_PID -o stat= | grep Z)" ]'
FD1=$(ls /proc/$SUP_PID/fd | wc -l)
check "200 cycles: no fd leak ($FD0 -> $FD1)" '[ "$FD1" -le "$FD0" ]'
check "200 cycles: every port free" '[ "$(q "SELECT count(*) FROM termgate.ports
    WHERE session_id IS NOT NULL")" = 0 ]'
check "200 cycles: no live row left" '[ "$(q "SELECT count(*) FROM
    termgate.sessions WHERE termgate.is_live(status)")" = 0 ]'
stop_sup
