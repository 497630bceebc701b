# t_metrics.sh - GET /metrics the Prometheus way: promtool accepts it,
# the histograms count what happens, the gauges say what the database
# says, and what contrib/ ships (alerting rules, the Grafana dashboard)
# names only metrics that exist. Sourced by tests/e2e/run after t_api.sh.

# scrape NAME: GET /metrics into $T/NAME.prom
scrape() { call GET /metrics ""; cp "$T/body" "$T/$1.prom"; }
# val NAME SERIES: the value of sample SERIES (name{labels}) in NAME.prom
val() { awk -v s="$2" '$1 == s { print $2 }' "$T/$1.prom"; }
# grew SERIES: it is greater after than before
grew() { [ "$(val after "$1")" -gt "$(val before "$1")" ]; }
HISTS="termgate_open_ready_duration_seconds termgate_spawn_duration_seconds
termgate_authorize_duration_seconds termgate_heartbeat_duration_seconds"

scrape before
check "metrics: 200" '[ "$CODE" = 200 ]'
check "metrics: the text format's content type" \
    '[ "$(hdr Content-Type)" = "text/plain; version=0.0.4; charset=utf-8" ]'
open_sess metrics
MID=$ID MTOK=$TOKEN
check "metrics: a session to measure opens" '[ "$CODE" = 201 ]'
call POST "/api/terminal/sessions/$MID/heartbeat" metrics ""
check "metrics: a heartbeat to measure" '[ "$CODE" = 200 ]'
tget "$MID" "$MTOK" metrics
check "metrics: an authorized terminal request to measure" '[ "$TCODE" = 200 ]'
scrape after
promtool check metrics <"$T/after.prom" >"$T/promtool.out" 2>&1
PROMTOOL_RC=$?
check "metrics: promtool check metrics finds nothing" '[ $PROMTOOL_RC = 0 ]'
cat "$T/promtool.out"
for h in $HISTS; do
	check "metrics: $h is a histogram" \
	    'grep -qx "# TYPE $h histogram" "$T/after.prom"'
	check "metrics: ${h}_count grew" 'grew ${h}_count'
	check "metrics: ${h}_count is its +Inf bucket" \
	    '[ "$(val after ${h}_count)" = "$(val after "${h}_bucket{le=\"+Inf\"}")" ]'
done
live() {
	q "SELECT count(*) FROM termgate.sessions WHERE node = 'local'
	    AND status = '$1'"
}
check "metrics: termgate_sessions{status=active} is the database's count" \
    '[ "$(val after "termgate_sessions{node=\"local\",status=\"active\"}")" = "$(live active)" ]'
check "metrics: termgate_sessions is a gauge" \
    'grep -qx "# TYPE termgate_sessions gauge" "$T/after.prom"'
check "metrics: the supervisor of node local is up" \
    '[ "$(val after "termgate_supervisor_up{node=\"local\"}")" = 1 ]'
SEEN=$(val after 'termgate_supervisor_last_seen_timestamp_seconds{node="local"}')
check "metrics: its last report is a recent Unix time" \
    '[ $(( $(date +%s) - ${SEEN%.*} )) -ge 0 ] && [ $(( $(date +%s) - ${SEEN%.*} )) -le 300 ]'
check "metrics: the database is up" \
    '[ "$(val after termgate_database_up)" = 1 ]'
call GET /api/terminal/health alice
VERSION=$(jf .version)
check "metrics: termgate_build_info names the version" \
    '[ "$(val after "termgate_build_info{version=\"$VERSION\"}")" = 1 ]'
check "metrics: counters end in _total" \
    '[ -z "$(awk "/^# TYPE .* counter\$/ && \$3 !~ /_total\$/" "$T/after.prom")" ]'
call DELETE "/api/terminal/sessions/$MID" metrics

# --- what contrib/ ships
check "alerts.yml: promtool check rules passes" \
    'promtool check rules "$TG_SRCDIR/contrib/prometheus/alerts.yml" >/dev/null'
# absent FILE...: the termgate_* names the files use that the scrape lacks
absent() {
	grep -oh 'termgate_[a-z_]*' "$@" | sort -u | while read -r m; do
		grep -q "^$m[{ ]" "$T/after.prom" || echo "$m"
	done
}
jq -r '.. | .expr? // empty' "$TG_SRCDIR/contrib/grafana/termgate.json" \
    >"$T/dashboard.exprs"
check "dashboard: it has queries" '[ "$(wc -l <"$T/dashboard.exprs")" -ge 10 ]'
check "dashboard: every metric it queries is in a live scrape" \
    '[ -z "$(absent "$T/dashboard.exprs")" ] || { absent "$T/dashboard.exprs"; false; }'
grep 'expr:' -A3 "$TG_SRCDIR/contrib/prometheus/alerts.yml" >"$T/alert.exprs"
check "alerts.yml: every metric it names is in a live scrape" \
    '[ -z "$(absent "$T/alert.exprs")" ] || { absent "$T/alert.exprs"; false; }'

# metrics_token_file: nginx lets only loopback in, which behind a local
# TLS terminator is every request; with a token set, a scrape must show
# it as a Bearer credential too.
od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$T/metrics.token"
chmod 644 "$T/metrics.token"
kill -TERM "$FCGI_PID"
wait "$FCGI_PID"
echo "metrics_token_file = $T/metrics.token" >>"$T/termgate.conf"
start_fcgi
call GET /metrics ""
check "metrics: with a token set, none shown: 401 UNAUTHENTICATED" \
    '[ "$CODE $(jf .error)" = "401 UNAUTHENTICATED" ] &&
    [ "$(hdr WWW-Authenticate)" = "Bearer realm=\"termgate metrics\"" ]'
call GET /metrics "" "" "" -H "Authorization: Bearer $(rev "$T/metrics.token")"
check "metrics: a wrong token: 401" '[ "$CODE" = 401 ]'
call GET /metrics "" "" "" -H "Authorization: Bearer $(cat "$T/metrics.token")"
check "metrics: the token: 200, the metrics" \
    '[ "$CODE" = 200 ] && grep -q "^termgate_database_up 1" "$T/body"'
kill -TERM "$FCGI_PID"
wait "$FCGI_PID"
sed -i '/^metrics_token_file/d' "$T/termgate.conf"
start_fcgi
call GET /metrics ""
check "metrics: no token set again: 200 from loopback" '[ "$CODE" = 200 ]'
