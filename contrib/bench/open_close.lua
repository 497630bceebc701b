-- open_close.lua - wrk script: open a terminal (POST
-- /api/terminal/sessions, reuse false), then close it (DELETE), again and
-- again. Run it with as many threads as connections (wrk -tN -cN): each
-- connection is then its own Lua state and its own user (X-Bench-User:
-- bench-N, which the bench's nginx passes as REMOTE_USER), so a close
-- always follows its own open. Each open really starts a terminal process
-- and waits for it to listen.

local counter = 0
local threads = {}

function setup(thread)
	counter = counter + 1
	thread:set("user", "bench-" .. counter)
	threads[counter] = thread
end

local open_body = '{"host_id": "bench", "mode": "embedded", ' ..
    '"reuse": false, "on_limit": "error"}'
local headers, pending, last

function init(args)
	headers = { ["Content-Type"] = "application/json",
	    ["X-Bench-User"] = user }
	opened, closed, failed = 0, 0, 0
end

function request()
	if pending then
		last = "close"
		local id = pending
		pending = nil
		return wrk.format("DELETE", "/api/terminal/sessions/" .. id,
		    headers)
	end
	last = "open"
	return wrk.format("POST", "/api/terminal/sessions", headers,
	    open_body)
end

function response(status, hdrs, body)
	if last == "open" and status == 201 then
		pending = body:match('"session_id"%s*:%s*"(%x+)"')
		opened = opened + 1
	elseif last == "close" and status == 200 then
		closed = closed + 1
	else
		failed = failed + 1
		if failed <= 3 then
			io.stderr:write(string.format("%s: HTTP %d %s\n", last,
			    status, body:sub(1, 200)))
		end
	end
end

function done(summary, latency, requests)
	local o, c, f = 0, 0, 0
	for _, t in ipairs(threads) do
		o = o + t:get("opened")
		c = c + t:get("closed")
		f = f + t:get("failed")
	end
	local secs = summary.duration / 1e6
	local e = summary.errors
	io.write(string.format("RESULT requests=%d rps=%.1f pairs_per_s=%.1f " ..
	    "p50_ms=%.3f p99_ms=%.3f max_ms=%.3f opened=%d closed=%d " ..
	    "failed=%d socket_errors=%d\n", summary.requests,
	    summary.requests / secs, c / secs, latency:percentile(50) / 1000,
	    latency:percentile(99) / 1000, latency.max / 1000, o, c, f,
	    e.connect + e.read + e.write + e.timeout))
end
