# t_ratelimit.sh - nginx with the shipped termgate-http.conf: opening
# sessions is rate limited per client address, and the refusal is JSON in
# the API's error shape; other calls are not limited. Sourced last by
# tests/e2e/run.

kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
NGINX_PID=
SHIPPED_LIMITS=1 start_nginx || return
rl_codes=""
for _i in $(seq 1 30); do
	# Broken JSON: each request counts, but no session is opened.
	call POST /api/terminal/sessions ratelimit '{'
	rl_codes="$rl_codes $CODE"
done
check "rate limit: the first opens pass (400 INVALID_JSON)" \
    '[ "$(echo "$rl_codes" | tr " " "\n" | grep -c "^400\$")" -ge 20 ]'
check "rate limit: a burst beyond it gets 429" \
    '[ "$(echo "$rl_codes" | tr " " "\n" | grep -c "^429\$")" -ge 5 ]'
call POST /api/terminal/sessions ratelimit '{'
expect "rate limit: 429 in the API's error shape" 429 RATE_LIMITED
check "rate limit: with Retry-After" '[ "$(hdr Retry-After)" = 1 ]'
call GET /api/terminal/sessions ratelimit
expect "rate limit: other calls are not limited" 200
