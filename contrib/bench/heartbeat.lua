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
local threads, nthreads = {}, 0
local file = os.getenv("BENCH_SESSION_FILE")
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

function setup(thread)
	nthreads = nthreads + 1
	thread:set("seed", nthreads)
	threads[nthreads] = thread
end

function init(args)
	math.randomseed(os.time() * 100 + seed)
end

local function session_id(n)
	local s = tostring(n)
	return string.rep("0", 64 - #s) .. s
end

function request()
	local n = math.random(sessions)
	if file then
		local s = listed[n]
		return wrk.format("POST", "/api/terminal/sessions/" .. s.id ..
		    "/heartbeat", { ["Content-Type"] = "application/json",
		    ["X-Bench-User"] = s.user }, "{}")
	end
	return wrk.format("POST", "/api/terminal/sessions/" ..
	    session_id(n) .. "/heartbeat", headers, "{}")
end

-- One machine-readable line for contrib/bench/run (latencies in ms).
function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.3f " ..
	    "p99_ms=%.3f max_ms=%.3f socket_errors=%d http_errors=%d\n",
	    summary.requests, summary.requests / (summary.duration / 1e6),
	    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
	    latency.max / 1000, e.connect + e.read + e.write + e.timeout,
	    e.status))
end
