# pty_cases.sh - the cases of one shell across page loads (termgate-pty),
# whatever the backend: sourced by tests/e2e/run; t_pty.sh runs them
# through ttyd (WebSocket, wsclient), t_shellinabox.sh through
# shellinabox (HTTP long-polling, siaclient).
#
# pty_cases LABEL: session $P (token $PTOK) runs bash with
# contrib/shell/termgate.bash; $CLIENT is the client program and $CPATH
# the terminal's path through nginx. Types `cd /tmp`, `false` and `echo
# hi` as three commands; a new connection (a reload) finds the same shell
# ($$ and $OLDPWD) and the previous screen painted; less painted again
# for a new connection, still taking keys; two connections at once both
# see the output; command_history has the three records exactly, in
# order, with increasing offsets; asciinema cat of the recording shows
# hi. Each check's description starts with LABEL.

# ws INPUT EXPECT [SECONDS]: one connection to the session through
# nginx, typing INPUT once the prompt (WS_WAIT, default its "user@host")
# is painted.
ws() {
	WS_WAIT=${WS_WAIT-@} "$CLIENT" "$PORT" "$CPATH" \
	    "termgate_token=$PTOK" "$@"
}
hist() {	# hist SQL-EXPR: the session's commands, one line each
	q "SELECT $1 FROM termgate.command_history WHERE session_id = '$P'
	    ORDER BY id"
}
rows() { hist 1 | wc -l; }
# (the output without its escape sequences: OSC marks, CSI modes)
plain() {
	tr -d '\r' | sed -e "s/$(printf '\033')][^$(printf '\007')]*$(printf '\007')//g" \
	    -e "s/$(printf '\033')\[[0-9;?]*[A-Za-z]//g"
}

pty_cases() {
	_l=$1
	check "$_l: cd /tmp" 'ws "cd /tmp" "cd /tmp"'
	check_wait "$_l: its record in command_history" '[ "$(rows)" -ge 1 ]' 5
	check "$_l: false" 'ws "false" "false"'
	check_wait "$_l: its record" '[ "$(rows)" -ge 2 ]' 5
	check "$_l: echo hi" 'ws "echo hi" "hi"'
	check_wait "$_l: its record" '[ "$(rows)" -ge 3 ]' 5
	CWD0=$(hist cwd | head -n 1)
	REC=$(hist "concat_ws(':', command, exit_status, cwd, source)" |
	    tr '\n' ' ')
	check "$_l: the records, exactly, in order ($REC)" \
	    '[ "$REC" = "cd /tmp:0:$CWD0:shell false:1:/tmp:shell echo hi:0:/tmp:shell " ]'
	check "$_l: cd /tmp ran elsewhere than /tmp ($CWD0)" \
	    '[ -n "$CWD0" ] && [ "$CWD0" != /tmp ]'
	check "$_l: recording offsets and start times increase" \
	    '[ "$(hist "(recording_offset > lag(recording_offset) OVER (ORDER BY
	    id) AND started_at >= lag(started_at) OVER (ORDER BY id)
	    AND finished_at >= started_at)::text" | tr "\n" " ")" = " true true " ]'
	pty_reload "$_l"
	pty_fullscreen "$_l"
	pty_two "$_l"
	check "$_l: asciinema cat of the recording shows hi" \
	    'script -qec "asciinema cat $T/rec/$P.cast" /dev/null | plain |
	    grep -qx "hi"'
}

# A reload: a new connection, the same shell, the previous screen.
pty_reload() {
	WS_OUT=$T/ws1 ws 'echo "sh""ell=$$"' "shell=" >/dev/null 2>&1
	SH1=$(grep -o 'shell=[0-9]*' "$T/ws1" | tail -n 1)
	check "$1: reload paints the previous screen (hi)" \
	    'WS_WAIT= ws - "hi" 5'
	WS_OUT=$T/ws2 ws 'echo "sh""ell=$$ o""ld=$OLDPWD"' "ld=/" \
	    >/dev/null 2>&1
	check "$1: reload: the same shell ($SH1)" \
	    '[ -n "$SH1" ] && grep -q "$SH1 old=$CWD0" "$T/ws2"'
}

# A full-screen program, painted again for a new connection.
pty_fullscreen() {
	seq -f 'pty-less-line-%g' 1 200 >"$T/less.txt"
	check "$1: less shows its screen" \
	    'ws "less $T/less.txt" "pty-less-line-20"'
	check "$1: reattach: less's screen painted again" \
	    'WS_WAIT= ws - "pty-less-line-20" 5'
	check "$1: and it still takes keys (q, then the shell)" \
	    'WS_WAIT=pty-less-line-20 ws "q" "@" 5 &&
	    ws "echo aft""er-less" "after-less"'
}

# Two connections at once: both see the output; either's input counts.
pty_two() {
	rm -f "$T/attached"
	WS_READY=$T/attached WS_WAIT= ws - "two-attach-42" 10 \
	    >/dev/null 2>&1 &
	_watch=$!
	wait_for "[ -e '$T/attached' ]" 5
	check "$1: a second connection types, the first one sees it" \
	    'ws "echo two-attach-\$((6*7))" "two-attach-42" && wait "$_watch"'
}
