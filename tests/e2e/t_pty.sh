# t_pty.sh - a session keeps one shell across WebSockets (termgate-pty):
# commands typed through nginx and ttyd, a reload that finds the same
# shell and its screen painted, a full-screen program painted again, two
# attaches at once, the commands in command_history exactly (bash with
# contrib/shell/termgate.bash), the recording, a supervisor killed while
# the user types, and a holder killed -9. Sourced by tests/e2e/run after
# t_api.sh, with the daemons running.

sed -i "s|^terminal_command = .*|terminal_command = bash --noprofile \
--rcfile $TG_SRCDIR/contrib/shell/termgate.bash -i|" "$T/termgate.conf"
NRELOAD=$(grep -c 'reload: configuration re-read' "$T/sup.log")
kill -HUP "$SUP_PID"
wait_for "[ \$(grep -c 'reload: configuration re-read' '$T/sup.log') -gt $NRELOAD ]" 5
open_sess ptyuser
expect "pty: open 201" 201
P=$ID PTOK=$TOKEN
HP=$(q "SELECT holder_pid FROM termgate.sessions WHERE id = '$P'")
check "pty: the session has a holder ($HP) beside its backend" \
    '[ -n "$HP" ] && grep -q "hold" "/proc/$HP/cmdline" &&
    [ -S "$T/sock/$P.pty" ]'
# ws INPUT EXPECT [SECONDS]: one WebSocket to the session through nginx,
# typing INPUT once the prompt (WS_WAIT, default its "user@host") is
# painted.
ws() {
	WS_WAIT=${WS_WAIT-@} "$WS" "$PORT" "/terminal/$P/ws" \
	    "termgate_token=$PTOK" "$@"
}
hist() {	# hist SQL-EXPR: the session's commands, one line each
	q "SELECT $1 FROM termgate.command_history WHERE session_id = '$P'
	    ORDER BY id"
}
rows() { hist 1 | wc -l; }

check "pty: cd /tmp through nginx and ttyd" 'ws "cd /tmp" "cd /tmp"'
check_wait "pty: its record in command_history" '[ "$(rows)" -ge 1 ]' 5
check "pty: false" 'ws "false" "false"'
check_wait "pty: its record" '[ "$(rows)" -ge 2 ]' 5
check "pty: echo hi" 'ws "echo hi" "hi"'
check_wait "pty: its record" '[ "$(rows)" -ge 3 ]' 5
CWD0=$(hist cwd | head -n 1)
REC=$(hist "concat_ws(':', command, exit_status, cwd, source)" |
    tr '\n' ' ')
check "pty: the records, exactly, in order ($REC)" \
    '[ "$REC" = "cd /tmp:0:$CWD0:shell false:1:/tmp:shell echo hi:0:/tmp:shell " ]'
check "pty: cd /tmp ran elsewhere than /tmp ($CWD0)" \
    '[ -n "$CWD0" ] && [ "$CWD0" != /tmp ]'
check "pty: recording offsets and start times increase" \
    '[ "$(hist "(recording_offset > lag(recording_offset) OVER (ORDER BY
    id) AND started_at >= lag(started_at) OVER (ORDER BY id)
    AND finished_at >= started_at)::text" | tr "\n" " ")" = " true true " ]'

# A reload: a new WebSocket, the same shell, the previous screen.
WS_OUT=$T/ws1 ws 'echo "sh""ell=$$"' "shell=" >/dev/null 2>&1
SH1=$(grep -o 'shell=[0-9]*' "$T/ws1" | tail -n 1)
check "pty: reload paints the previous screen (hi)" \
    'WS_WAIT= ws - "hi" 5'
WS_OUT=$T/ws2 ws 'echo "sh""ell=$$ o""ld=$OLDPWD"' "ld=/" >/dev/null 2>&1
check "pty: reload: the same shell ($SH1)" \
    '[ -n "$SH1" ] && grep -q "$SH1 old=$CWD0" "$T/ws2"'

# A full-screen program, painted again for a new attach.
seq -f 'pty-less-line-%g' 1 200 >"$T/less.txt"
check "pty: less shows its screen" \
    'ws "less $T/less.txt" "pty-less-line-20"'
check "pty: reattach: less's screen painted again" \
    'WS_WAIT= ws - "pty-less-line-20" 5'
check "pty: and it still takes keys (q, then the shell)" \
    'WS_WAIT=pty-less-line-20 ws "q" "@" 5 &&
    ws "echo aft""er-less" "after-less"'

# Two attaches at once: both see the output; either's input counts.
WS_WAIT= ws - "two-attach-42" 10 >/dev/null 2>&1 &
WATCH=$!
wait_for "grep -q 'termgate-pty\\[$HP\\]: .*clients=2' '$T/sup.log'" 5
check "pty: a second attach types, the first one sees it" \
    'ws "echo two-attach-\$((6*7))" "two-attach-42" && wait "$WATCH"'

# (the output without its escape sequences: OSC marks, CSI modes)
plain() {
	tr -d '\r' | sed -e "s/$(printf '\033')][^$(printf '\007')]*$(printf '\007')//g" \
	    -e "s/$(printf '\033')\[[0-9;?]*[A-Za-z]//g"
}
check "pty: asciinema cat of the recording shows hi" \
    'script -qec "asciinema cat $T/rec/$P.cast" /dev/null | plain |
    grep -qx "hi"'

# The supervisor killed while the user types: nothing captured is lost.
N0=$(rows)
kill -9 "$SUP_PID"
wait "$SUP_PID" 2>/dev/null
SUP_PID=
check "pty: with the supervisor dead, the shell still answers" \
    'ws "echo sup-""gone" "sup-gone" && ws "true" "true"'
start_sup
check_wait "pty: restarted, it adopts the holder and the backend" \
    "grep -q 'session=$(echo "$P" | cut -c1-12) adopted' '$T/sup.log'" 5
check_wait "pty: and nothing typed meanwhile is lost (2 more rows)" \
    "[ \$(rows) -eq $((N0 + 2)) ]" 10

# The holder killed -9: the session ends process_exited, nothing left.
BP=$(q "SELECT ttyd_pid FROM termgate.sessions WHERE id = '$P'")
kill -9 "$HP"
check_wait "pty: holder killed: the session ends process_exited" \
    "[ \"\$(q \"SELECT status || ' ' || reason_closed FROM
    termgate.sessions WHERE id = '$P'\")\" = 'closed process_exited' ]" 5
check_wait "pty: its backend is stopped" "! kill -0 $BP 2>/dev/null" 5
check_wait "pty: no socket of it is left" \
    "[ ! -e '$T/sock/$P.sock' ] && [ ! -e '$T/sock/$P.pty' ]" 5
check_wait "pty: its command file is ingested and removed" \
    "[ ! -e '$T/spool/$P.cmds' ]" 5

sed -i "s|^terminal_command = .*|terminal_command = /bin/sh|" \
    "$T/termgate.conf"
kill -HUP "$SUP_PID"
