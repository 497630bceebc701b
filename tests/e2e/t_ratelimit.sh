# t_ratelimit.sh - nginx with the shipped termgate-http.conf: opening
# sessions is rate limited per client address, and the refusal is JSON in
# the API's error shape; other calls are not limited. Sourced last by
# tests/e2e/run.

kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
NGINX_PID=
SHIPPED_LIMITS=1 start_nginx || return
# 30 opens at once (one curl, in parallel), so that however slow the
# machine the burst arrives faster than the limit refills; each line of
# rl_out is "STATUS BODYFILE RETRY-AFTER". Broken JSON: each request
# counts, but no session is opened.
set -- -s -Z --parallel-immediate --parallel-max 30 \
    -w '%{http_code} %{filename_effective} %header{retry-after}\n' \
    -X POST -H "X-Test-User: ratelimit" -H "Content-Type: application/json" \
    --data-binary '{'
for _i in $(seq 1 30); do
	set -- "$@" -o "$T/rl.$_i" "$BASE/api/terminal/sessions"
done
rl_out=$(curl "$@" 2>/dev/null)
set --
rl_429=$(echo "$rl_out" | grep '^429 ' | head -n 1)
check "rate limit: the first opens pass (400 INVALID_JSON)" \
    '[ "$(echo "$rl_out" | grep -c "^400 ")" -ge 20 ]'
check "rate limit: a burst beyond it gets 429" \
    '[ "$(echo "$rl_out" | grep -c "^429 ")" -ge 5 ]'
check "rate limit: 429 in the API's error shape" \
    '[ "$(jq -r .error "$(echo "$rl_429" | cut -d" " -f2)")" = RATE_LIMITED ]'
check "rate limit: with Retry-After" \
    '[ "$(echo "$rl_429" | cut -d" " -f3 | tr -d "\r")" = 1 ]'
call GET /api/terminal/sessions ratelimit
expect "rate limit: other calls are not limited" 200
