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
# hi. Each check's description starts with LABEL. capture_cases (below)
# are the typed-line capture's cases, on a bash without the integration.

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
secrets() {	# the session's records that hold "secret"
	q "SELECT count(*) FROM termgate.command_history WHERE session_id =
	    '$P' AND command LIKE '%secret%'"
}
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

# capture_cases LABEL: session $P runs a bash without the shell
# integration (`bash --noprofile --norc -i`, its prompt "bash-..."), so
# its commands are captured from the line typed before Enter (source
# typed). The capture table of issue 21 through $CLIENT: each case types
# its input raw (tnet_type: $WS_RAW, frames split at "\|", $WS_KEY_MS
# for one key at a time) and checks the session's next records exactly
# (command and source), or, where nothing may be recorded, that nothing
# was once a later command's record has arrived.
capture_cases() {
	_l=$1
	# An output's end, then the next prompt: bash 5.2's readline turns
	# bracketed paste on before each prompt (and off on Enter, before
	# the output), so "ESC[?2004hbash-" comes only after a command ran,
	# never in what it echoes of the line typed.
	_p=$(printf '\r\n\033[?2004hbash-')
	_o=$(printf '\033[?2004l\r')	# (and an output's start, after Enter)
	WS_KEY_MS=30 typed "$_l: echo slow-typed-2, one key every 30 ms" \
	    'echo slow-typed-2|typed' 'echo slow-typed-2\r' \
	    "${_o}slow-typed-2$_p"
	typed "$_l: echo two-frames-3, then Enter in the next frame" \
	    'echo two-frames-3|typed' 'echo two-frames-3\|\r' \
	    "${_o}two-frames-3$_p"
	typed "$_l: a bracketed paste, then Enter" \
	    'echo pasted-4|typed' '\e[200~echo pasted-4\e[201~\|\r' \
	    "${_o}pasted-4$_p"
	typed "$_l: echo whole-line-1 and Enter in one frame" \
	    'echo whole-line-1|typed' 'echo whole-line-1\r' \
	    "${_o}whole-line-1$_p"
	# (^K, not ^X: readline takes the pty's kill only for a key bound to
	# a command, and ^X is a prefix)
	typed "$_l: stty erase ^H kill ^K" \
	    'stty erase ^H kill ^K|typed' 'stty erase ^H kill ^K\r' \
	    "$(printf '\033[?2004hbash-')"
	typed "$_l: a line edited with the pty's kill (^K) and erase (^H)" \
	    'echo keys-6|typed' 'echo junk\x0becho keyz\x08s-6\r' \
	    "${_o}keys-6$_p"
	typed "$_l: ... and its werase (^W)" \
	    'echo words-6|typed' 'echo junk junk\x17\x17words-6\r' \
	    "${_o}words-6$_p"
	_n0=$(rows)
	check "$_l: Ctrl-C on a typed line" \
	    'WS_RAW=1 WS_WAIT=bash- ws "echo ctrlc-7\x03" "^C"'
	typed "$_l: ... then a command" \
	    'echo after-7|typed' 'echo after-7\r' "${_o}after-7$_p"
	check "$_l: ... and Ctrl-C's line is not recorded" \
	    '[ "$(rows)" -eq $((_n0 + 1)) ]'
	_n0=$(rows)
	typed "$_l: read -s" 'read -s -p pw""-prompt: pw|typed' \
	    'read -s -p pw""-prompt: pw\r' 'pw-prompt:'
	check "$_l: ... a password typed at it" \
	    'WS_RAW=1 WS_WAIT=pw-prompt: ws "secret-8\r" "${_p#??}"'
	typed "$_l: ... then a command" \
	    'echo after-8|typed' 'echo after-8\r' "${_o}after-8$_p"
	check "$_l: ... and the password is not recorded" \
	    '[ "$(rows)" -eq $((_n0 + 2)) ] && [ "$(secrets)" = 0 ]'
	typed "$_l: two lines in one paste, one frame" \
	    'echo multi-a|typed ; echo multi-b|typed' \
	    'echo multi-a\recho multi-b\r' "${_o}multi-b$_p"
}

# capture_session LABEL USER TAIL: a session of USER running a bash
# without the shell integration ($P, $PTOK), the capture cases through
# $CLIENT on /terminal/ID/TAIL, then closed; terminal_command restored.
capture_session() {
	_cmd=$(grep '^terminal_command = ' "$T/termgate.conf")
	sed -i "s|^terminal_command = .*|terminal_command = bash --noprofile \
--norc -i|" "$T/termgate.conf"
	_nr=$(grep -c 'reload: configuration re-read' "$T/sup.log")
	kill -HUP "$SUP_PID"
	wait_for "[ \$(grep -c 'reload: configuration re-read' \
	    '$T/sup.log') -gt $_nr ]" 5
	open_sess "$2"
	expect "$1: open 201" 201
	P=$ID PTOK=$TOKEN CPATH=/terminal/$ID/$3
	capture_cases "$1"
	call DELETE "/api/terminal/sessions/$P" "$2"
	expect "$1: close 200" 200
	sed -i "s|^terminal_command = .*|$_cmd|" "$T/termgate.conf"
	_nr=$(grep -c 'reload: configuration re-read' "$T/sup.log")
	kill -HUP "$SUP_PID"
	wait_for "[ \$(grep -c 'reload: configuration re-read' \
	    '$T/sup.log') -gt $_nr ]" 5
}

# typed DESC WANT INPUT EXPECT: types INPUT raw once the prompt is
# painted and reads until EXPECT; then waits for as many more records as
# WANT has ("command|source", " ; " between records) and checks that
# they are exactly WANT. Variables set before it (WS_KEY_MS) reach ws.
typed() {
	_tw=$2 _ti=$3 _te=$4
	_tn=$(rows)
	_tk=$(printf '%s\n' "$_tw" | awk -F' ; ' '{ print NF }')
	check "$1: typed" 'WS_RAW=1 WS_WAIT=bash- ws "$_ti" "$_te"'
	check_wait "$1: recorded" "[ \$(rows) -ge $((_tn + _tk)) ]" 10
	_tr=$(q "SELECT string_agg(r, ' ; ' ORDER BY id) FROM (SELECT id,
	    command || '|' || source AS r FROM termgate.command_history
	    WHERE session_id = '$P' ORDER BY id DESC LIMIT $_tk) t")
	check "$1: exactly $_tw ($_tr)" '[ "$_tr" = "$_tw" ] &&
	    [ "$(rows)" -eq $((_tn + _tk)) ]'
}
