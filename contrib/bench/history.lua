-- history.lua - wrk script: the command history panel's queries.
--
-- contrib/bench/history writes, for each kind of query, a file of
-- requests (BENCH_REQUESTS), one per line: the user, a tab, and the path
-- with its query string, drawn from the same parameter sets that pgbench
-- runs (history-<kind>.sql). Each request is a random line, sent as that
-- user (X-Bench-User, which the bench's nginx passes as REMOTE_USER).
-- Any answer but 200 counts as an error.

local file = os.getenv("BENCH_REQUESTS")
local threads, nthreads = {}, 0

function setup(thread)
	nthreads = nthreads + 1
	thread:set("seed", nthreads)
	threads[nthreads] = thread
end

function init(args)
	math.randomseed(os.time() * 100 + seed)
	reqs = {}
	for line in io.lines(file) do
		local user, path = line:match("^([^\t]+)\t(.+)$")
		if user then
			reqs[#reqs + 1] = wrk.format("GET", path,
			    { ["X-Bench-User"] = user })
		end
	end
	bad = 0
end

function request()
	return reqs[math.random(#reqs)]
end

function response(status, headers, body)
	if status ~= 200 then
		bad = bad + 1
		if bad <= 3 then
			io.stderr:write(string.format("HTTP %d %s\n", status,
			    body:sub(1, 200)))
		end
	end
end

-- One machine-readable line for contrib/bench/history (latencies in ms).
function done(summary, latency, requests)
	local e, b = summary.errors, 0
	for _, t in ipairs(threads) do
		b = b + t:get("bad")
	end
	io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.3f " ..
	    "p99_ms=%.3f max_ms=%.3f socket_errors=%d http_errors=%d\n",
	    summary.requests, summary.requests / (summary.duration / 1e6),
	    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
	    latency.max / 1000, e.connect + e.read + e.write + e.timeout, b))
end
