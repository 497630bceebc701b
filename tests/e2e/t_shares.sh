# t_shares.sh - share links and an admin's watch and join, through nginx
# and the terminal's backend (ttyd, per session or the gateway): the API
# (owner only, someone else's session 404, bad ids and bodies 400), the
# events, tokens stored as hashes, a viewer whose keys never reach the
# shell (checked in the shell), a revoked link's open WebSocket closed
# within a second and its cookie refused by authorize, an expired link
# and a link for named users refused, an admin's watch ended, an admin's
# join typing a command that is recorded, and who is attached, as the
# owner sees it. Sourced by tests/e2e/run and tests/e2e/gateway, with the
# daemons running and terminal_command a bash with the integration.

SHO=sharer
# sh_command CMD: terminal_command for the sessions opened from now on.
sh_command() {
	sed -i "s|^terminal_command = .*|terminal_command = $1|" \
	    "$T/termgate.conf"
	_n=$(grep -c 'reload: configuration re-read' "$T/sup.log")
	kill -HUP "$SUP_PID"
	wait_for "[ \$(grep -c 'reload: configuration re-read' '$T/sup.log') -gt $_n ]" 5
}
sh_command "bash --noprofile --rcfile $TG_SRCDIR/contrib/shell/termgate.bash -i"
# sh_ws USER COOKIE INPUT EXPECT [SECONDS]: a WebSocket to session $S
# through nginx as USER with COOKIE.
sh_ws() {
	_u=$1 _c=$2; shift 2
	WS_HEADER="X-Test-User: $_u" WS_WAIT=${WS_WAIT-@} \
	    "$WS" "$PORT" "/terminal/$S/ws" "$_c" "$@"
}
# events KIND: how many events of KIND session $S has.
events() {
	q "SELECT count(*) FROM termgate.session_events
	    WHERE session_id = '$S' AND kind = '$1'"
}
# cookie_of: the termgate_share=... of the last answer's Set-Cookie.
cookie_of() { hdr Set-Cookie | sed 's/;.*//'; }

open_sess "$SHO"
expect "shares: open 201" 201
S=$ID STOK=$TOKEN
SHP="/api/terminal/sessions/$S/shares"

# --- the API
call POST "$SHP" bob '{}'
expect "shares: someone else's session: 404" 404 NOT_FOUND
call GET "$SHP" bob
expect "shares: someone else's list: 404" 404 NOT_FOUND
call POST /api/terminal/sessions/nothex/shares "$SHO" '{}'
expect "shares: a bad session id: 400" 400 INVALID_SESSION_ID
call DELETE "$SHP/nothex" "$SHO"
expect "shares: a bad share id: 400" 400 INVALID_FIELD
check "... naming share_id" '[ "$(jf .field)" = share_id ]'
call DELETE "$SHP/$(printf '0%.0s' $(seq 64))" "$SHO"
expect "shares: no such share: 404" 404 NOT_FOUND
for b in '{"mode": "admin"}' '{"mode": null}' '{"ttl_seconds": 0}' \
    '{"ttl_seconds": 86401}' '{"ttl_seconds": "60"}' '{"users": []}' \
    '{"users": "bob"}' '{"users": ["a b"]}' '[]' 'nope'; do
	call POST "$SHP" "$SHO" "$b"
	check "shares: body $b: 400" '[ "$CODE" = 400 ]'
done
call POST "$SHP" "$SHO" '{}' text/plain
expect "shares: not JSON-typed: 415" 415
call POST "$SHP" "$SHO" '{}'
expect "shares: create 201" 201
V=$(jf .share_id) VTOK=$(jf .token)
check "shares: read-only by default, for anyone, for share_default_ttl" \
    '[ "$(jf "[.mode, .kind, (.users == null), .active] | map(tostring) | join(\" \")")" = "view link true true" ]'
check "shares: the link carries the token" \
    '[ "$(jf .link)" = "/#share=$VTOK" ]'
check "shares: only the SHA-256 of the token's secret is stored" \
    '[ "$(q "SELECT token_hash = encode(sha256(convert_to(
    split_part('\''$VTOK'\'', '\''.'\'', 2), '\''UTF8'\'')), '\''hex'\'')
    FROM termgate.shares WHERE id = '\''$V'\''")" = t ]'
check "shares: no column holds the token" \
    '[ "$(q "SELECT count(*) FROM termgate.shares s WHERE
    s::text LIKE '\''%'\'' || split_part('\''$VTOK'\'', '\''.'\'', 2) ||
    '\''%'\''")" = 0 ]'
check "shares: a share_created event" '[ "$(events share_created)" = 1 ]'
call GET "$SHP" "$SHO"
expect "shares: list 200" 200
check "shares: the list has it, without its token" \
    '[ "$(jf "[.shares[].share_id] | join(\" \")")" = "$V" ] &&
    [ "$(jf ".shares[0] | has(\"token\")")" = false ]'

# --- redeeming, and a viewer's keys
call POST /api/terminal/shares/redeem bob '{"token": 42}'
expect "redeem: a token that is no string: 400" 400 INVALID_FIELD
call POST /api/terminal/shares/redeem bob \
    "{\"token\": \"$V.$(printf 'A%.0s' $(seq 43))\"}"
expect "redeem: a wrong secret: 404" 404 NOT_FOUND
call POST /api/terminal/shares/redeem bob "{\"token\": \"$VTOK\"}"
expect "redeem: 200" 200
BOBC=$(cookie_of)
check "redeem: a cookie for the terminal's path only" \
    'hdr Set-Cookie | grep -q "^termgate_share=.*; Path=/terminal/$S/; HttpOnly; SameSite=Strict"'
check "redeem: the terminal's url" '[ "$(jf .url)" = "/terminal/$S/" ]'
check "redeem: a share_used event" '[ "$(events share_used)" = 1 ]'
BG=$(q "SELECT id FROM termgate.share_grants WHERE username = 'bob'
    AND share_id = '$V'")
call GET "$SHP" "$SHO"
check "shares: who used it" '[ "$(jf ".shares[0].used_by[0].user")" = bob ]'
call GET "/terminal/$S/" alice "" "" -H "Cookie: $BOBC"
expect "authorize: bob's grant is bob's alone" 403
call GET "/terminal/$S/" bob "" "" -H "Cookie: $BOBC"
expect "authorize: bob's grant opens the terminal" 200

rm -f "$T/viewer-keys" "$T/v.ready"
WS_READY="$T/v.ready" sh_ws bob "$BOBC" "touch $T/viewer-keys" \
    "mark-\$((6*7))-seen" 60 >/dev/null 2>&1 &
VIEWER=$!
wait_for "[ -e '$T/v.ready' ]" 10
check "viewer: the owner's output reaches the viewer" \
    'sh_ws "$SHO" "termgate_token=$STOK" "echo mark-\$((6*7))-seen" \
    "mark-42-seen" 20 && wait "$VIEWER"'
check_wait "viewer: the holder took all it sent, and closed it" \
    "holder_ended $BG" 10
check "viewer: the holder said it is read-only" \
    'grep -q "mode=view grant=$(echo "$BG" | cut -c1-12)" "$T/sup.log"'
check "viewer: its keys never reached the shell (no file)" \
    '[ ! -e "$T/viewer-keys" ] && sh_ws "$SHO" "termgate_token=$STOK" \
    "test -e $T/viewer-keys || echo clean-\$((2+3))" clean-5 20'

# --- revoked: the open connection closes within a second
rm -f "$T/v.ready"
WS_READY="$T/v.ready" sh_ws bob "$BOBC" - never-shown 60 >/dev/null 2>&1 &
VIEWER=$!
wait_for "[ -e '$T/v.ready' ]" 10
T0=$(now_ms)
call DELETE "$SHP/$V" "$SHO"
wait "$VIEWER"
T1=$(now_ms)
expect "revoke: 200" 200
check "revoke: the share says when" '[ "$(jf .revoked_at)" != null ] &&
    [ "$(jf .active)" = false ]'
check "revoke: the viewer's WebSocket closed within 1 s ($((T1 - T0)) ms)" \
    '[ $((T1 - T0)) -lt 1000 ]'
check "revoke: a share_revoked event" '[ "$(events share_revoked)" = 1 ]'
call GET "/terminal/$S/" bob "" "" -H "Cookie: $BOBC"
expect "revoke: authorize refuses the grant's cookie" 403
check "revoke: and a WebSocket with it is refused" \
    '! sh_ws bob "$BOBC" - x 5 2>/dev/null'
call POST /api/terminal/shares/redeem carol "{\"token\": \"$VTOK\"}"
expect "revoke: the link redeems no more" 403 FORBIDDEN
call DELETE "$SHP/$V" "$SHO"
expect "revoke again: 200, nothing more" 200
check "... and no second event" '[ "$(events share_revoked)" = 1 ]'

# --- expired, and named users
call POST "$SHP" "$SHO" '{"mode": "control", "ttl_seconds": 600}'
E=$(jf .share_id) ETOK=$(jf .token)
call POST /api/terminal/shares/redeem bob "{\"token\": \"$ETOK\"}"
EC=$(cookie_of)
q "UPDATE termgate.shares SET expires_at = now() - interval '1 second'
    WHERE id = '$E'" >/dev/null
call POST /api/terminal/shares/redeem carol "{\"token\": \"$ETOK\"}"
expect "expired: the link is refused" 403 FORBIDDEN
check "... saying so" 'jf .message | grep -q expired'
call GET "/terminal/$S/" bob "" "" -H "Cookie: $EC"
expect "expired: authorize refuses a cookie it gave" 403
call POST "$SHP" "$SHO" '{"users": ["carol"]}'
N=$(jf .share_id) NTOK=$(jf .token)
call POST /api/terminal/shares/redeem bob "{\"token\": \"$NTOK\"}"
expect "named users: another is refused" 403 FORBIDDEN
call POST /api/terminal/shares/redeem carol "{\"token\": \"$NTOK\"}"
expect "named users: a named one redeems it" 200

# --- an admin's watch and join
WP="/api/terminal/admin/sessions/$S/watch"
call POST "$WP" bob '{"mode": "view"}'
expect "watch: not an admin: 403" 403 FORBIDDEN
call POST "$WP" admin '{"mode": "peek"}'
expect "watch: a bad mode: 400" 400 INVALID_FIELD
call POST "/api/terminal/admin/sessions/$(printf 'f%.0s' $(seq 64))/watch" \
    admin '{"mode": "view"}'
expect "watch: no live session: 404" 404 NOT_FOUND
call POST "$WP" admin '{"mode": "view"}'
expect "watch: 200" 200
W=$(jf .share_id) WC=$(cookie_of)
check "watch: the terminal's url, read-only" \
    '[ "$(jf "[.url, .mode] | join(\" \")")" = "/terminal/$S/ view" ]'
check "watch: a watch_started event" '[ "$(events watch_started)" = 1 ]'
rm -f "$T/v.ready" "$T/watcher-keys"
WS_READY="$T/v.ready" sh_ws admin "$WC" "touch $T/watcher-keys" \
    never-shown 60 >/dev/null 2>&1 &
VIEWER=$!
wait_for "[ -e '$T/v.ready' ]" 10
viewers() {
	call GET "/api/terminal/sessions/$S" "$SHO"
	jf '[.viewers[] | .user + ":" + .mode] | join(" ")'
}
check_wait "watch: the owner sees the admin watching" \
    '[ "$(viewers)" = admin:view ]' 10
check "watch: the admin list counts two clients... or more" \
    'call GET "/api/terminal/admin/sessions?status=active" admin &&
    [ "$(jf "[.sessions[] | select(.session_id == \"$S\") | .clients][0]")" -ge 1 ]'
T0=$(now_ms)
call DELETE "$WP/$W" admin
wait "$VIEWER"
T1=$(now_ms)
expect "watch: ended, 200" 200
check "watch: its WebSocket closed within 1 s ($((T1 - T0)) ms)" \
    '[ $((T1 - T0)) -lt 1000 ]'
check_wait "watch: the owner sees nobody watching" '[ "$(viewers)" = "" ]' 10
check "watch: a viewer_left event" '[ "$(events viewer_left)" -ge 1 ]'
WG=$(q "SELECT id FROM termgate.share_grants WHERE share_id = '$W'")
check_wait "watch: the holder took all the watcher sent" \
    "holder_ended $WG" 10
check "watch: the watcher's keys never reached the shell" \
    '[ ! -e "$T/watcher-keys" ] && sh_ws "$SHO" "termgate_token=$STOK" \
    "test -e $T/watcher-keys || echo clean-\$((3+4))" clean-7 20'
call DELETE "$WP/$W" bob
expect "watch: ending one is for admins" 403
call POST "$WP" admin '{"mode": "control"}'
expect "join: 200" 200
J=$(jf .share_id) JC=$(cookie_of)
check "join: a join_started event" '[ "$(events join_started)" = 1 ]'
check "join: the admin types into the shell" \
    'sh_ws admin "$JC" "echo joined-\$((2+3))" joined-5 20'
check_wait "join: the command is recorded" \
    "[ \"\$(q \"SELECT count(*) FROM termgate.command_history WHERE
    session_id = '$S' AND command = 'echo joined-\\\$((2+3))'\")\" = 1 ]" 10
# typed_by: the admin for the join's line, null for the owner's own
typed_by() {
	call GET "/api/terminal/history?session_id=$S" "$SHO" &&
	    jf "[.items[] | select(.command == \"$1\") | .typed_by] | map(tostring) | join(\" \")"
}
check "join: the history says the admin typed it" \
    '[ "$(typed_by "echo joined-\$((2+3))")" = admin ]'
check "join: and that the owner typed the owner's line" \
    '[ "$(typed_by "test -e $T/watcher-keys || echo clean-\$((3+4))")" = null ]'
# The owner's own arg=s never reach ttyd -a (a grant's name and view)
check "the owner's ?arg=view&arg=GRANT is dropped: the owner still types" \
    'WS_HEADER="X-Test-User: $SHO" WS_WAIT=@ "$WS" "$PORT" \
    "/terminal/$S/ws?arg=view&arg=$WG" "termgate_token=$STOK" \
    "echo own-args-\$((4+4))" own-args-8 20'
call DELETE "$WP/$J" admin
expect "join: ended" 200
call GET "/terminal/$S/" admin "" "" -H "Cookie: $JC"
expect "join: its cookie is refused once ended" 403
call DELETE "/api/terminal/sessions/$S" "$SHO"
sh_command /bin/sh
