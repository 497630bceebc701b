# t_shellinabox.sh - the real shellinabox (Debian 12 has it; ttyd is not
# packaged) behind the same nginx, in unix mode: open, proxied page,
# authorize refusing a wrong token, sharing through the share slots (a
# viewer sees and never types, a revocation drops it, an admin's join
# types and is recorded as the admin's, a ninth viewer waits for a free
# slot), and close stopping the process and removing its socket; then
# the cases of pty_cases.sh through it (one
# shell across page loads, with siaclient speaking shellinabox's
# long-polling), and the typed-line capture's cases (capture_cases).
# Sourced by tests/e2e/run after t_tcp.sh.

kill -TERM "$FCGI_PID" 2>/dev/null && wait "$FCGI_PID" 2>/dev/null
FCGI_PID=
stop_sup
sed -i -e 's/^terminal_listen = .*/terminal_listen = unix/' \
    -e 's|^backend = .*|backend = shellinabox|' \
    -e 's|^backend_path = .*|backend_path = /usr/bin/shellinaboxd|' \
    -e "s|^terminal_command = .*|terminal_command = bash --noprofile \
--rcfile $TG_SRCDIR/contrib/shell/termgate.bash -i|" \
    "$T/termgate.conf"
start_sup || return
start_fcgi || return
open_sess sia '{"host_id": "local", "mode": "popout"}'
expect "shellinabox: open 201" 201
check "shellinabox: session is active" '[ "$(jf .status)" = active ]'
SIA_PID=$(q "SELECT ttyd_pid FROM termgate.sessions WHERE id = '$ID'")
check "shellinabox: the pid is shellinaboxd" \
    'grep -q shellinaboxd "/proc/$SIA_PID/cmdline"'
tget "$ID" "$TOKEN"
check "shellinabox: proxied page through nginx: 200" '[ "$TCODE" = 200 ]'
check "shellinabox: it is shellinabox's page" \
    'grep -qi "shell *in *a *box" "$T/tbody"'
tget "$ID" "wrong"
check "shellinabox: wrong token: 403" '[ "$TCODE" = 403 ]'
# Shared: shellinabox runs a fixed command per service, chosen by the
# path, so a session's shellinaboxd serves one more per share slot
# (src/holder.h) and authorize sends a shared client to its slot's.
SLOT1=$(printf %064x 1)
siab() {	# siab USER COOKIE INPUT EXPECT: a client of session $ID
	WS_HEADER="X-Test-User: $1" WS_WAIT=${WS_WAIT-@} "$SIA" "$PORT" \
	    "/terminal/$ID/" "$2" "$3" "$4" "${SIAB_S-20}"
}
siab_viewers() {
	call GET "/api/terminal/sessions/$ID" sia &&
	    jf '[.viewers[] | .user + ":" + .mode] | join(" ")'
}
call POST "/api/terminal/sessions/$ID/shares" sia '{"mode": "view"}'
expect "shellinabox: a share is made" 201
SIATOK=$(jf .token) SIAV=$(jf .share_id)
call POST /api/terminal/shares/redeem bob "{\"token\": \"$SIATOK\"}"
SIAC=$(hdr Set-Cookie | sed 's/;.*//')
tget "$ID-s1" "$TOKEN"
check "shellinabox: a slot's path is no session's (403 to the owner)" \
    '[ "$TCODE" = 403 ]'
siab bob "$SIAC" - "never-shown" >/dev/null 2>&1 &
SIAB_VIEWER=$!
check_wait "shellinabox: the viewer is attached, in the owner's list" \
    '[ "$(siab_viewers)" = bob:view ]' 10
check "shellinabox: the viewer's slot is the first view slot" \
    '[ "$(q "SELECT slot FROM termgate.share_grants WHERE share_id = '"'"'$SIAV'"'"'")" = 1 ]'
WS_OUT=$T/siab-viewer.out siab bob "$SIAC" - "seen-by-bob-7" >/dev/null 2>&1 &
SIAB_SEE=$!
check "shellinabox: the owner types" \
    'siab sia "termgate_token=$TOKEN" "echo seen-by-bob-\$((3+4))" seen-by-bob-7'
check "shellinabox: the viewer sees it" 'wait $SIAB_SEE'
rm -f "$T/siab-viewer-keys"
SIAB_S=2 siab bob "$SIAC" "touch $T/siab-viewer-keys" never-shown \
    >/dev/null 2>&1
call DELETE "/api/terminal/sessions/$ID/shares/$SIAV" sia
expect "shellinabox: the share is revoked" 200
check_wait "shellinabox: revoked, its viewer is dropped" \
    '[ "$(siab_viewers)" = "" ] && ! kill -0 $SIAB_VIEWER 2>/dev/null' 10
check_wait "shellinabox: the holder took all the viewer sent" \
    "holder_ended $SLOT1" 10
check "shellinabox: the viewer's keys never reached the shell" \
    '[ ! -e "$T/siab-viewer-keys" ] && siab sia "termgate_token=$TOKEN" \
    "test -e $T/siab-viewer-keys || echo clean-\$((3+4))" clean-7'
call GET "/terminal/$ID/" bob "" "" -H "Cookie: $SIAC"
expect "shellinabox: the revoked cookie is refused" 403
# an admin's join: types into the shell, recorded as the admin's
call POST "/api/terminal/admin/sessions/$ID/watch" admin '{"mode": "control"}'
expect "shellinabox: an admin joins" 200
SIAJ=$(jf .share_id) SIAJC=$(hdr Set-Cookie | sed 's/;.*//')
check "shellinabox: the join types into the shell" \
    'siab admin "$SIAJC" "echo joined-\$((2+3))" joined-5'
check "shellinabox: ... from the first control slot" \
    '[ "$(q "SELECT slot FROM termgate.share_grants WHERE share_id = '"'"'$SIAJ'"'"'")" = 9 ]'
check_wait "shellinabox: the joined command is recorded as the admin's" \
    "[ \"\$(q \"SELECT typed_by FROM termgate.command_history WHERE
    session_id = '$ID' AND command = 'echo joined-\\\$((2+3))'\")\" = admin ]" 10
call DELETE "/api/terminal/admin/sessions/$ID/watch/$SIAJ" admin
expect "shellinabox: the join ends" 200
# eight view slots: a ninth viewer waits for one to be free
SIAN=
for u in 1 2 3 4 5 6 7 8 9; do
	call POST "/api/terminal/sessions/$ID/shares" sia '{"mode": "view"}'
	SIAN="$SIAN $(jf .share_id)"
	call POST /api/terminal/shares/redeem "v$u" "{\"token\": \"$(jf .token)\"}"
	VC=$(hdr Set-Cookie | sed 's/;.*//')
	call GET "/terminal/$ID/" "v$u" "" "" -H "Cookie: $VC"
done
expect "shellinabox: a ninth viewer at once is refused" 403
check "shellinabox: ... the log says why" \
    'grep -q "every shellinabox share slot for a view client is taken" "$T/fcgi.log"'
call DELETE "/api/terminal/sessions/$ID/shares/$(echo $SIAN | cut -d" " -f3)" sia
call GET "/terminal/$ID/" v9 "" "" -H "Cookie: $VC"
expect "shellinabox: ... and takes the slot a revoked share left" 200
check "shellinabox: ... slot 3" \
    '[ "$(q "SELECT slot FROM termgate.share_grants WHERE username = '"'"'v9'"'"'")" = 3 ]'
# what runs the terminal decides, not termgate-fcgi's configuration:
# a terminal whose backend went unnoted takes no shared connection
q "UPDATE termgate.sessions SET backend = NULL WHERE id = '$ID'" >/dev/null
call GET "/terminal/$ID/" v9 "" "" -H "Cookie: $VC"
expect "shellinabox: a terminal of no known backend takes no shared client" 403
q "UPDATE termgate.sessions SET backend = 'shellinabox' WHERE id = '$ID'" >/dev/null
call DELETE "/api/terminal/sessions/$ID" sia
expect "shellinabox: close 200" 200
check_wait "shellinabox: close stops the process" \
    "! kill -0 $SIA_PID 2>/dev/null" 5
check_wait "shellinabox: its socket is removed" "[ ! -e '$T/sock/$ID.sock' ]" 5

# One shell across page loads, through shellinabox.
open_sess siapty
expect "shellinabox pty: open 201" 201
P=$ID PTOK=$TOKEN
HP=$(q "SELECT holder_pid FROM termgate.sessions WHERE id = '$P'")
BP=$(q "SELECT ttyd_pid FROM termgate.sessions WHERE id = '$P'")
check "shellinabox pty: a holder ($HP) beside shellinaboxd ($BP)" \
    '[ -n "$HP" ] && grep -q hold "/proc/$HP/cmdline" && [ -n "$BP" ] &&
    grep -q shellinaboxd "/proc/$BP/cmdline"'
CLIENT=$SIA CPATH=/terminal/$P/
pty_cases "shellinabox pty"
call DELETE "/api/terminal/sessions/$P" siapty
expect "shellinabox pty: close 200" 200
check_wait "shellinabox pty: close stops the holder" \
    "! kill -0 $HP 2>/dev/null" 5
# The typed-line capture's cases, on a bash without the integration.
capture_session "shellinabox typed" siatyped ""
sed -i "s|^terminal_command = .*|terminal_command = /bin/sh|" \
    "$T/termgate.conf"
kill -HUP "$SUP_PID"
