-- seeded.lua - what the wrk scripts that pick random pre-made sessions
-- share: each thread its own random seed, and the ids lib.sh's
-- bench_sessions gives. A script loads it beside itself:
--	dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "seeded.lua")
local nthreads = 0

function setup(thread)
	nthreads = nthreads + 1
	thread:set("seed", nthreads)
end

function init(args)
	math.randomseed(os.time() * 100 + seed)
end

-- Session N of bench_sessions: N zero-padded to 64 digits.
function bench_session_id(n)
	local s = tostring(n)
	return string.rep("0", 64 - #s) .. s
end
