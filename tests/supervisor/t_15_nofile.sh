# The descriptor limit: the supervisor (two pidfds a terminal) takes the
# hard limit for itself, and its terminals get the limit it was given.
C=$(mkcfg nofile)
soft=$(ulimit -Sn) hard=$(ulimit -Hn)
low=$((hard < 256 ? hard / 2 : 256))
ulimit -Sn "$low"
start_sup "$C"
ulimit -Sn "$soft"
nofile() { awk '/^Max open files/ { print $4 }' "/proc/$1/limits"; }
check "the supervisor raised its soft limit from $low to the hard $hard" \
    '[ "$(nofile "$SUP_PID")" = "$hard" ]'
open_one "$C"
check "a terminal opened under it" '[ "$RESULT" = ok ]'
H=$(col "$ID" holder_pid) B=$(col "$ID" ttyd_pid)
check "its holder and backend run with the limit it was given ($low)" \
    '[ "$(nofile "$H")" = "$low" ] && [ "$(nofile "$B")" = "$low" ]'
close_sess "$ID"
check_wait "the terminal stops" "gone $H && gone $B" 5
stop_sup
