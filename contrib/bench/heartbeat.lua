-- heartbeat.lua - wrk script: POST /api/terminal/sessions/ID/heartbeat,
-- each request on a random one of the pre-made active sessions.
--
-- contrib/bench/run makes BENCH_SESSIONS (default 1000) sessions whose ids
-- are their number zero-padded to 64 digits (digits are valid lowercase
-- hex), all owned by the user nginx passes when no X-Bench-User header is
-- sent. heartbeat.sql runs the same statement with pgbench. With
-- BENCH_SESSION_FILE (contrib/bench/thousand: real sessions) it takes
-- its sessions from that file instead, one "USER ID" a line, and sends
-- each one's user as X-Bench-User.

local sessions = tonumber(os.getenv("BENCH_SESSIONS") or "1000")
local headers = { ["Content-Type"] = "application/json" }
local file = os.getenv("BENCH_SESSION_FILE")
-- BENCH_PREFIX=/reference sends them to the reference stack (lib.sh)
local prefix = os.getenv("BENCH_PREFIX") or ""
local listed = {}
if file then
	for line in io.lines(file) do
		local user, id = line:match("^(%S+) (%S+)$")
		if user then
			listed[#listed + 1] = { user = user, id = id }
		end
	end
	sessions = #listed
end

-- Seeds and session ids (seeded.lua, beside this one).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "seeded.lua")

function request()
	local n = math.random(sessions)
	if file then
		local s = listed[n]
		return wrk.format("POST", "/api/terminal/sessions/" .. s.id ..
		    "/heartbeat", { ["Content-Type"] = "application/json",
		    ["X-Bench-User"] = s.user }, "{}")
	end
	return wrk.format("POST", prefix .. "/api/terminal/sessions/" ..
	    bench_session_id(n) .. "/heartbeat", headers, "{}")
end

-- The RESULT line for the bench script (result.lua, beside this one).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "result.lua")
