-- result.lua - the one machine-readable line a wrk bench script ends with
-- (latencies in ms; every answer but the script's expected status counts
-- in http_errors). A script loads it beside itself:
--	dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "result.lua")
function done(summary, latency, requests)
	local e = summary.errors
	io.write(string.format("RESULT requests=%d rps=%.1f p50_ms=%.3f " ..
	    "p99_ms=%.3f max_ms=%.3f socket_errors=%d http_errors=%d\n",
	    summary.requests, summary.requests / (summary.duration / 1e6),
	    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
	    latency.max / 1000, e.connect + e.read + e.write + e.timeout,
	    e.status))
end
