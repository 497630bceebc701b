# t_console.sh - the operator's console's API (sourced by tests/e2e/run):
# an admin's close with a reason, which lands in the closed event's
# detail, and the audit trail (GET /api/terminal/admin/events): its
# filters, its cursor, its CSV export and the export's formula guard,
# and its refusals (403 for a non-admin, 400 for each bad parameter).

# --- close with a reason
open_sess opal
expect "console: opal opens a terminal" 201
OPAL=$ID
call DELETE "/api/terminal/admin/sessions/$OPAL" opal '{"reason": "x"}'
expect "console: a user may not close with a reason" 403 FORBIDDEN
call DELETE "/api/terminal/admin/sessions/$OPAL" admin '{"reason": 5}'
expect "console: a reason that is not a string: 400" 400 INVALID_FIELD
check "console: ... naming reason" '[ "$(jf .field)" = reason ]'
call DELETE "/api/terminal/admin/sessions/$OPAL" admin '{"reason": null}'
expect "console: a null reason: 400" 400 INVALID_FIELD
call DELETE "/api/terminal/admin/sessions/$OPAL" admin \
    "{\"reason\": \"$(head -c 501 /dev/zero | tr '\0' r)\"}"
expect "console: a reason over 500 bytes: 400" 400 INVALID_FIELD
call DELETE "/api/terminal/admin/sessions/$OPAL" admin '{"reason": "a\u0007b"}'
expect "console: a reason with a control character: 400" 400 INVALID_FIELD
call DELETE "/api/terminal/admin/sessions/$OPAL" admin '{"reason": '
expect "console: a body that is not JSON: 400" 400 INVALID_JSON
check "console: refused closes left it live" '[ "$(q "SELECT status FROM termgate.sessions WHERE id = '"'$OPAL'"'")" = active ]'
call DELETE "/api/terminal/admin/sessions/$OPAL" admin \
    '{"reason": "=cmd|calc, runaway job"}'
expect "console: admin close with a reason: 200" 200
check "console: ... admin_close" '[ "$(jf .reason_closed)" = admin_close ]'
check "console: the reason is in the closed event's detail" '[ "$(q "SELECT detail->>'"'note'"' FROM termgate.session_events WHERE session_id = '"'$OPAL'"' AND kind = '"'closed'"'")" = "=cmd|calc, runaway job" ]'
check "console: ... with who closed it" '[ "$(q "SELECT detail->>'"'by'"' FROM termgate.session_events WHERE session_id = '"'$OPAL'"' AND kind = '"'closed'"'")" = admin ]'
open_sess opal
OPAL2=$ID
call DELETE "/api/terminal/admin/sessions/$OPAL2" admin
expect "console: admin close without a body still works" 200
check "console: ... and records no note" '[ "$(q "SELECT coalesce(detail->>'"'note'"', '"'none'"') FROM termgate.session_events WHERE session_id = '"'$OPAL2'"' AND kind = '"'closed'"'")" = none ]'

# --- the audit trail
call GET /api/terminal/admin/events opal
expect "events: a non-admin is refused" 403 FORBIDDEN
call GET "/api/terminal/admin/events?format=csv" opal
expect "events: ... and so is its export" 403 FORBIDDEN
call GET /api/terminal/admin/events ""
expect "events: no user: 401" 401 UNAUTHENTICATED
while IFS='|' read -r desc qs; do
	call GET "/api/terminal/admin/events?$qs" admin
	expect "events: bad $desc: 400" 400 INVALID_FIELD
	check "events: ... names ${qs%%=*}" '[ "$(jf .field)" = "${qs%%=*}" ]'
done <<'EOF2'
user|user=a%20b
host|host=-x
kind|kind=Closed
kind (quote)|kind=closed'--
since|since=yesterday
until|until=2026-13-01T00:00:00Z
limit 0|limit=0
limit 201|limit=201
limit text|limit=ten
cursor|before=bm90IGEgY3Vyc29y
format|format=xml
EOF2
call GET "/api/terminal/admin/events?user=opal&kind=closed" admin
expect "events: filtered by user and kind: 200" 200
check "events: ... opal's two closes, newest first" '[ "$(jf "[.items[].session_id] | join(\" \")")" = "$OPAL2 $OPAL" ]'
check "events: ... the detail as an object, with the reason" '[ "$(jf ".items[1].detail.note")" = "=cmd|calc, runaway job" ]'
check "events: ... one page only" '[ "$(jf .next_before)" = null ]'
call GET "/api/terminal/admin/events?user=opal&limit=1" admin
expect "events: a page of one" 200
check "events: ... the newest, and a cursor" '[ "$(jf ".items | length")" = 1 ] && [ "$(jf .next_before)" != null ]'
FIRST=$(jf '.items[0].id') NEXT=$(jf .next_before)
call GET "/api/terminal/admin/events?user=opal&limit=200&before=$NEXT" admin
check "events: the page after the cursor starts after its row" '[ "$(jf "[.items[].id] | map(select(. == $FIRST)) | length")" = 0 ] && [ "$(jf "[.items[].id] | length")" -ge 3 ]'
check "events: ... in order, newest first" '[ "$(jf "[.items[].at] == ([.items[].at] | sort | reverse)")" = true ]'
call GET "/api/terminal/admin/events?user=opal&host=local&kind=created&since=2000-01-01T00:00:00Z&until=9999-01-01T00:00:00Z" admin
check "events: every filter at once" '[ "$(jf "[.items[] | select(.kind == \"created\" and .username == \"opal\" and .host_id == \"local\")] | length")" = 2 ]'
call GET "/api/terminal/admin/events?user=opal&until=2000-01-01T00:00:00Z" admin
check "events: until before everything: none" '[ "$(jf ".items | length")" = 0 ]'

# --- its export
q "INSERT INTO termgate.session_events (username, kind, detail) VALUES ('=HYPERLINK(\"x\")', 'adopted', '{\"n\": 1}')" >/dev/null
call GET "/api/terminal/admin/events?format=csv&user=opal" admin
expect "events export: 200" 200
check "events export: text/csv, an attachment" '[ "$(hdr Content-Type)" = "text/csv; charset=utf-8" ] && hdr Content-Disposition | grep -q "termgate-events.csv"'
check "events export: a header and a line per event" '[ "$(head -n 1 "$T/body" | tr -d "\r")" = "id,at,kind,username,session_id,host_id,detail" ] && [ "$(tail -n +2 "$T/body" | wc -l)" = "$(q "SELECT count(*) FROM termgate.session_events WHERE username = '"'opal'"'")" ]'
check "events export: the detail's quotes doubled" 'grep -q "\"\"note\"\": \"\"=cmd|calc, runaway job\"\"" "$T/body"'
call GET "/api/terminal/admin/events?format=csv&user=%3DHYPERLINK(%22x%22)" admin
check "events export: a field that would be a formula gets a '" 'grep -q "^[0-9]*,\"[^\"]*\",\"adopted\",\"'"'"'=HYPERLINK(\"\"x\"\")\"" "$T/body"'
