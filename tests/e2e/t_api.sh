# t_api.sh - every endpoint of doc/api.md but command history (that is
# t_history.sh) through nginx, the seed's behaviours over HTTP, the
# cookie, authorize and the proxied terminal. Sourced by tests/e2e/run.

# --- operations
call GET /api/terminal/hosts alice
expect "hosts: 200" 200
check "hosts: lists local" '[ "$(jf ".hosts[0].id + \" \" + .hosts[0].name + \" \" + .hosts[0].address")" = "local local.lan 127.0.0.1" ]'
check "responses say Cache-Control: no-store" '[ "$(hdr Cache-Control)" = no-store ]'
check "responses are application/json" '[ "$(hdr Content-Type)" = application/json ]'
call GET /api/terminal/hosts ""
expect "hosts without a user: 401" 401 UNAUTHENTICATED
hosts_of() { call GET /api/terminal/hosts "$1"; jf '[.hosts[].id] | join(" ")'; }
check "hosts: a user sees only what a grant lets them open" \
    '[ "$(hosts_of mallory)" = local ]'
check "hosts: a member of a granted group sees its hosts too" \
    '[ "$(hosts_of olga)" = "local secret" ]'
check "hosts: an admin sees every host" '[ "$(hosts_of admin)" = "local secret" ]'
call POST /api/terminal/sessions mallory '{"host_id": "nowhere"}'
NOWHERE=$(cat "$T/body")
call POST /api/terminal/sessions mallory '{"host_id": "secret"}'
expect "open a host not granted: 404 UNKNOWN_HOST" 404 UNKNOWN_HOST
check "... the very answer a host that does not exist gets" \
    '[ "$(cat "$T/body")" = "$NOWHERE" ]'
check "... and the log says why" \
    'grep -q "open user=mallory host=secret outcome=unknown_host reason=not_granted" "$T/fcgi.log"'
open_sess olga '{"host_id": "secret"}'
expect "open a host granted to the user's group: 201" 201
call DELETE "/api/terminal/sessions/$ID" olga
open_sess admin '{"host_id": "secret"}'
expect "an admin opens any host: 201" 201
call DELETE "/api/terminal/sessions/$ID" admin
call GET /api/terminal/health alice
expect "health: 200" 200
check "health: ok, database ok, supervisor alive" \
    '[ "$(jf "[.status, .database, .supervisor.alive, .supervisor.node] | join(\" \")")" = "ok ok true local" ]'
check "health: version" '[ "$(jf .version)" != null ]'
call GET /api/terminal/metrics alice
expect "metrics: 200" 200
check "metrics: every documented field" '[ "$(jf "[has(\"sessions_created\"), has(\"sessions_reused\"), has(\"session_limit_hits\"), has(\"active_processes\"), has(\"gc_running\"), has(\"gc_runs\"), has(\"sessions_expired_ttl\"), has(\"sessions_expired_idle\"), has(\"sessions_client_lost\"), has(\"spawn_failures\")] | all")" = true ]'
call GET /metrics ""
expect "prometheus: 200" 200
check "prometheus: text with termgate_sessions_created_total" \
    'grep -q "^termgate_sessions_created_total [0-9]" "$T/body"'
check "prometheus: text/plain" 'grep -qi "^Content-Type: text/plain" "$T/hdr"'

# --- open, cookie, reuse
open_sess alice
expect "open: 201" 201
A1=$ID A1TOK=$TOKEN
check "open: active, not reused, url" '[ "$(jf "[.status, .reused, .url, .host_id, .host_name, .mode] | join(\" \")")" = "active false /terminal/$A1/ local local.lan embedded" ]'
check "open: token of at least 43 characters" '[ ${#A1TOK} -ge 43 ]'
check "open: heartbeat and idle seconds" '[ "$(jf "[.heartbeat_interval_seconds, .idle_timeout_seconds] | join(\" \")")" = "30 1800" ]'
check "open: ttyd_port null in unix mode" '[ "$(jf .ttyd_port)" = null ]'
check "open: the cookie exactly" '[ "$(hdr Set-Cookie)" = "termgate_token=$A1TOK; Path=/terminal/$A1/; HttpOnly; SameSite=Strict" ]'
open_sess alice
expect "reopen same host and mode: 200" 200
check "reopen: same session, reused, new token" '[ "$ID $(jf .reused)" = "$A1 true" ] && [ "$TOKEN" != "$A1TOK" ]'
A1OLD=$A1TOK A1TOK=$TOKEN

# --- the terminal through nginx
tget() {	# tget ID TOKEN [USER]: GET the terminal page
	TCODE=$(curl -s -o "$T/tbody" -w '%{http_code}' --max-time 10 \
	    -b "termgate_token=$2" ${3:+-H "X-Test-User: $3"} \
	    "$BASE/terminal/$1/")
}
tget "$A1" "$A1TOK"
check "proxied HTTP with the right token: 200" '[ "$TCODE" = 200 ]'
tget "$A1" "$A1TOK" alice
check "proxied HTTP as the owner: 200" '[ "$TCODE" = 200 ]'
TCODE=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/terminal/$A1/")
check "authorize without the cookie: 401" '[ "$TCODE" = 401 ]'
tget "$A1" "$A1OLD"
check "authorize with the replaced token: 403" '[ "$TCODE" = 403 ]'
tget "$A1" "wrongtoken"
check "authorize with a wrong token: 403" '[ "$TCODE" = 403 ]'
tget "$A1" "$A1TOK" bob
check "authorize for another user: 403" '[ "$TCODE" = 403 ]'
tget "$A1" "$A1TOK" "ali ce"
check "authorize for a user termgate cannot take, right token: 403" \
    '[ "$TCODE" = 403 ]'
tget "0000000000000000000000000000000000000000000000000000000000000000" "$A1TOK"
check "authorize for no such session: 403" '[ "$TCODE" = 403 ]'
call GET /api/terminal/authorize alice
expect "authorize is not public: 404" 404
check "WebSocket through nginx runs a command" \
    '"$WS" "$PORT" "/terminal/$A1/ws" "termgate_token=$A1TOK" \
    "echo tg-\$((6*7))-ok" "tg-42-ok" 5'
check "WebSocket with a wrong token is refused" \
    '! "$WS" "$PORT" "/terminal/$A1/ws" termgate_token=x true x 3 2>/dev/null'
# ttyd takes max_clients (4 by default) WebSockets at once: a flood of
# them cannot exhaust the node's processes.
if real_ttyd; then
	HELD=
	for i in 1 2 3 4 5; do
		"$WS" "$PORT" "/terminal/$A1/ws" "termgate_token=$A1TOK" \
		    "echo held" "never-printed" 30 >/dev/null 2>&1 &
		HELD="$HELD $!"
	done
	check_wait "of five WebSockets at once, ttyd refuses one for max_clients" \
	    "grep -q 'refuse to serve WS client due to the --max-clients' \
	    \"\$T/sup.log\"" 10
	check_wait "and holds four" "grep -q 'clients: 4' \"\$T/sup.log\"" 10
	"$WS" "$PORT" "/terminal/$A1/ws" "termgate_token=$A1TOK" "echo x" x 3 \
	    >/dev/null 2>&1
	RC=$?
	check "a sixth, while they hold, is refused (exit $RC)" '[ "$RC" = 1 ]'
	kill $HELD 2>/dev/null
	wait $HELD 2>/dev/null
else
	echo "# max_clients: only the real ttyd enforces it (stand-in here)"
fi

# --- get, list, heartbeat
call GET "/api/terminal/sessions/$A1" alice
expect "get: 200" 200
check "get: fields" '[ "$(jf "[.session_id, .status, .reason_closed, .closed_at] | join(\" \")")" = "$A1 active  " ]'
call GET "/api/terminal/sessions/$A1" bob
expect "get another user's session: 404" 404 NOT_FOUND
call GET /api/terminal/sessions alice
expect "list: 200" 200
check "list: one session, max_active 3, no token" '[ "$(jf "[(.sessions | length), .max_active, (.sessions[0] | has(\"token\")), (.sessions[0] | has(\"age_seconds\")), (.sessions[0] | has(\"last_seen_seconds\"))] | join(\" \")")" = "1 3 false true true" ]'
call POST "/api/terminal/sessions/$A1/heartbeat" alice ""
expect "heartbeat (no body): 200" 200
check "heartbeat: healthy with time left" '[ "$(jf "[.session_id, .status, .healthy] | join(\" \")")" = "$A1 active true" ] && [ "$(jf .remaining_seconds)" -gt 500 ]'
call POST "/api/terminal/sessions/$A1/heartbeat" alice '{}'
expect "heartbeat (JSON body): 200" 200
call POST "/api/terminal/sessions/$A1/heartbeat" bob ""
expect "heartbeat on another user's session: 404" 404 NOT_FOUND

# --- the limit (3) and its rich error
open_sess alice '{"host_id": "local", "reuse": false}'
A2=$ID
expect "open without reuse: 201" 201
open_sess alice '{"host_id": "local", "mode": "popout"}'
A3=$ID
expect "open another mode: 201" 201
open_sess alice '{"host_id": "local", "reuse": false}'
expect "open over the limit: 429" 429 SESSION_LIMIT
check "limit: message, max_active, current_count" '[ "$(jf "[.message, .max_active, .current_count] | join(\"|\")")" = "Maximum sessions reached (3)|3|3" ]'
check "limit: active sessions oldest first" '[ "$(jf "[.active_sessions[].session_id] | join(\" \")")" = "$A1 $A2 $A3" ]'
check "limit: active session fields" '[ "$(jf ".active_sessions[0] | [has(\"host_id\"), has(\"host_name\"), has(\"mode\"), has(\"age_seconds\"), has(\"last_seen_seconds\")] | all")" = true ]'
check "limit: reuse_existing first, close_session per session" '[ "$(jf ".suggested_actions | join(\" \")")" = "reuse_existing close_oldest close_session:$A1 close_session:$A2 close_session:$A3" ]'
check "limit: can_reuse and reusable_session_id" '[ "$(jf ".can_reuse")" = true ] && [ "$(jf .reusable_session_id | grep -c -E "^($A1|$A2|$A3)$")" = 1 ]'
open_sess alice '{"host_id": "local", "reuse": false, "on_limit": "close_oldest"}'
expect "on_limit close_oldest: 201" 201
A4=$ID
call GET "/api/terminal/sessions/$A1" alice
check "close_oldest closed the oldest with user_close" '[ "$(jf "[.status, .reason_closed] | join(\" \")")" = "closed user_close" ]'
tget "$A1" "$A1TOK"
check "authorize a closed session: 403" '[ "$TCODE" = 403 ]'

# --- close: idempotent, first reason stands
call DELETE "/api/terminal/sessions/$A2" bob
expect "close another user's session: 404" 404 NOT_FOUND
# as curl -X DELETE sends it: no body, no Content-Type
call DELETE "/api/terminal/sessions/$A2" alice "" ""
expect "close without a body or a content type: 200" 200
check "close: closed user_close" '[ "$(jf "[.status, .reason_closed] | join(\" \")")" = "closed user_close" ]'
call DELETE "/api/terminal/sessions/$A2" alice
expect "close again: 200" 200
check "close again: same status and reason" '[ "$(jf "[.status, .reason_closed] | join(\" \")")" = "closed user_close" ]'
call POST "/api/terminal/sessions/$A2/heartbeat" alice ""
expect "heartbeat on a closed session: 200" 200
check "heartbeat closed: unhealthy, 0 left, reason" '[ "$(jf "[.status, .healthy, .remaining_seconds, .reason_closed] | join(\" \")")" = "closed false 0 user_close" ]'
check_wait "closed session's terminal is stopped" "[ ! -S '$T/sock/$A2.sock' ]" 5

# --- beacon (beacon_grace = 0: closes at once)
call POST "/api/terminal/sessions/$A3/beacon" "" "nope" text/plain
expect "beacon with a wrong token: 403" 403 FORBIDDEN
call POST "/api/terminal/sessions/0000000000000000000000000000000000000000000000000000000000000000/beacon" "" "x" text/plain
expect "beacon for no such session: 404" 404 NOT_FOUND
open_sess alice '{"host_id": "local", "mode": "popout"}'
A3TOK=$TOKEN
call POST "/api/terminal/sessions/$A3/beacon" "" "$A3TOK" "text/plain;charset=UTF-8"
check "beacon raw, without a user: 204" '[ "$CODE" = 204 ]'
call GET "/api/terminal/sessions/$A3" alice
check "beacon closed it client_lost" '[ "$(jf "[.status, .reason_closed] | join(\" \")")" = "closed client_lost" ]'
call POST "/api/terminal/sessions/$A3/beacon" "" "$A3TOK" text/plain
check "beacon on a closed session: 204" '[ "$CODE" = 204 ]'
open_sess alice '{"host_id": "local", "mode": "popout"}'
B=$ID BTOK=$TOKEN
call POST "/api/terminal/sessions/$B/beacon" "" "token=$BTOK" application/x-www-form-urlencoded
check "beacon form-encoded: 204" '[ "$CODE" = 204 ]'

# --- admin
call GET /api/terminal/admin/sessions alice
expect "admin list as a user: 403" 403 FORBIDDEN
call GET "/api/terminal/admin/sessions?user_id=alice&status=active&limit=10" admin
expect "admin list: 200" 200
check "admin list: alice's active sessions" '[ "$(jf "[.sessions[] | select(.username == \"alice\" and .status == \"active\")] | length")" = "$(jf ".sessions | length")" ] && [ "$(jf ".sessions | length")" -ge 1 ]'
call GET "/api/terminal/admin/sessions?status=bogus" admin
expect "admin list with a bad status: 400" 400 INVALID_FIELD
call GET "/api/terminal/admin/sessions?limit=0" admin
expect "admin list with a bad limit: 400" 400 INVALID_FIELD
call DELETE "/api/terminal/admin/sessions/$A4" alice
expect "admin close as a user: 403" 403 FORBIDDEN
call DELETE "/api/terminal/admin/sessions/$A4" admin
expect "admin close: 200" 200
check "admin close: admin_close" '[ "$(jf "[.status, .reason_closed] | join(\" \")")" = "closed admin_close" ]'

# --- GC: an idle session is expired and its terminal stopped
open_sess carol
C=$ID
expect "open for GC: 201" 201
q "UPDATE termgate.sessions SET last_seen_at = now() - interval '1 hour' WHERE id = '$C'"
check_wait "GC expires an idle session" "[ \"\$(q \"SELECT status || ' ' || reason_closed FROM termgate.sessions WHERE id = '$C'\")\" = 'expired idle' ]" 5
call POST "/api/terminal/sessions/$C/heartbeat" carol ""
check "heartbeat on an expired session: expired idle" '[ "$(jf "[.status, .healthy, .reason_closed] | join(\" \")")" = "expired false idle" ]'
check_wait "GC stopped its terminal" "[ ! -S '$T/sock/$C.sock' ]" 5
call GET /api/terminal/metrics alice
check "metrics count what happened" '[ "$(jf "[.sessions_created >= 6, .sessions_reused >= 1, .session_limit_hits >= 1, .sessions_expired_idle >= 1, .sessions_client_lost >= 2] | all")" = true ]'

# --- the malformed-input table: each its documented error
LONGID=$(printf 'a%.0s' $(seq 1 65))
head -c 70000 /dev/zero | tr '\0' 'x' >"$T/huge"
while IFS='|' read -r desc method path user body ctype status err; do
	[ -z "$desc" ] && continue
	call "$method" "$path" "$user" "$body" "$ctype"
	expect "malformed: $desc" "$status" "$err"
done <<EOF
broken JSON|POST|/api/terminal/sessions|alice|{"host_id": |application/json|400|INVALID_JSON
trailing garbage|POST|/api/terminal/sessions|alice|{"host_id": "local"} x|application/json|400|INVALID_JSON
not an object|POST|/api/terminal/sessions|alice|["local"]|application/json|400|INVALID_JSON
empty body|POST|/api/terminal/sessions|alice||application/json|400|INVALID_JSON
missing host_id|POST|/api/terminal/sessions|alice|{}|application/json|400|INVALID_FIELD
host_id a number|POST|/api/terminal/sessions|alice|{"host_id": 7}|application/json|400|INVALID_FIELD
host_id bad characters|POST|/api/terminal/sessions|alice|{"host_id": "-rf /"}|application/json|400|INVALID_FIELD
mode unknown|POST|/api/terminal/sessions|alice|{"host_id": "local", "mode": "x"}|application/json|400|INVALID_FIELD
reuse a string|POST|/api/terminal/sessions|alice|{"host_id": "local", "reuse": "yes"}|application/json|400|INVALID_FIELD
on_limit unknown|POST|/api/terminal/sessions|alice|{"host_id": "local", "on_limit": "x"}|application/json|400|INVALID_FIELD
unknown host|POST|/api/terminal/sessions|alice|{"host_id": "nowhere"}|application/json|404|UNKNOWN_HOST
text/plain open|POST|/api/terminal/sessions|alice|{"host_id": "local"}|text/plain|415|UNSUPPORTED_MEDIA_TYPE
form open|POST|/api/terminal/sessions|alice|host_id=local|application/x-www-form-urlencoded|415|UNSUPPORTED_MEDIA_TYPE
missing user|POST|/api/terminal/sessions||{"host_id": "local"}|application/json|401|UNAUTHENTICATED
short id|GET|/api/terminal/sessions/abc|alice|||400|INVALID_SESSION_ID
long id|GET|/api/terminal/sessions/$LONGID|alice|||400|INVALID_SESSION_ID
uppercase id|DELETE|/api/terminal/sessions/$(echo "$A1" | tr a-f A-F)|alice||application/json|400|INVALID_SESSION_ID
bad id heartbeat|POST|/api/terminal/sessions/x'1/heartbeat|alice||application/json|400|INVALID_SESSION_ID
heartbeat without a content type|POST|/api/terminal/sessions/$B/heartbeat|alice|||415|UNSUPPORTED_MEDIA_TYPE
heartbeat as a cross-site form|POST|/api/terminal/sessions/$B/heartbeat|alice||application/x-www-form-urlencoded|415|UNSUPPORTED_MEDIA_TYPE
heartbeat as text|POST|/api/terminal/sessions/$B/heartbeat|alice||text/plain|415|UNSUPPORTED_MEDIA_TYPE
close with a body but no content type|DELETE|/api/terminal/sessions/$B|alice|{}||415|UNSUPPORTED_MEDIA_TYPE
close as text|DELETE|/api/terminal/sessions/$B|alice||text/plain|415|UNSUPPORTED_MEDIA_TYPE
admin close with a body but no content type|DELETE|/api/terminal/admin/sessions/$B|admin|{}||415|UNSUPPORTED_MEDIA_TYPE
beacon as JSON|POST|/api/terminal/sessions/$B/beacon||$BTOK|application/json|415|UNSUPPORTED_MEDIA_TYPE
beacon without a content type|POST|/api/terminal/sessions/$B/beacon||$BTOK||415|UNSUPPORTED_MEDIA_TYPE
beacon as multipart|POST|/api/terminal/sessions/$B/beacon||$BTOK|multipart/form-data; boundary=x|415|UNSUPPORTED_MEDIA_TYPE
a user with a space|GET|/api/terminal/hosts|a b|||403|FORBIDDEN
a user with a space opens|POST|/api/terminal/sessions|a b|{"host_id": "local"}|application/json|403|FORBIDDEN
a user with a space beacons|POST|/api/terminal/sessions/$B/beacon|a b|$BTOK|text/plain|403|FORBIDDEN
bad id beacon|POST|/api/terminal/sessions/1;drop/beacon||tok|text/plain|400|INVALID_SESSION_ID
unknown route|GET|/api/terminal/nothing|alice|||404|NOT_FOUND
trailing slash|GET|/api/terminal/sessions/|alice|||404|NOT_FOUND
dot-dot trick|GET|/api/terminal/sessions/../nothing|alice|||404|NOT_FOUND
dot-dot into a session|GET|/api/terminal/hosts/../sessions/x|alice|||400|INVALID_SESSION_ID
encoded dot-dot|GET|/api/terminal/sessions/%2e%2e/nothing|alice|||404|NOT_FOUND
encoded slash trick|GET|/api/terminal/sessions/$B%2Fheartbeat|alice|||405|METHOD_NOT_ALLOWED
PUT sessions|PUT|/api/terminal/sessions|alice|||405|METHOD_NOT_ALLOWED
GET heartbeat|GET|/api/terminal/sessions/$B/heartbeat|alice|||405|METHOD_NOT_ALLOWED
NUL in the path (nginx)|GET|/api/terminal/sessions/%00|alice|||400|BAD_REQUEST
../ above the root (nginx)|GET|/api/../../etc/passwd|alice|||400|BAD_REQUEST
EOF
call PUT /api/terminal/sessions alice
check "405 names the allowed methods" '[ "$(hdr Allow)" = "POST, GET" ]'
call POST /api/terminal/sessions alice "@$T/huge"
expect "malformed: body over 64 KiB" 413 BODY_TOO_LARGE
head -c 2000000 /dev/zero | tr '\0' 'x' >"$T/huger"
call POST /api/terminal/sessions alice "@$T/huger"
expect "malformed: body over nginx's limit, still JSON" 413 BODY_TOO_LARGE
call GET /api/terminal/hosts alice
expect "workers still answer after the malformed table" 200
check "no worker died on malformed input" '[ "$(grep -c "killed signal\|exited status=[1-9]" "$T/fcgi.log")" = 0 ]'
