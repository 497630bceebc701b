-- authorize.lua - wrk script: GET /terminal/ID/ with the session's token
-- cookie, each request on a random one of the pre-made active sessions
-- (lib.sh's bench_sessions: ids are their number zero-padded to 64
-- digits, every token is BENCH_TOKEN). The bench's nginx asks termgate's
-- authorize (auth_request) and answers 204 itself when it says yes.

local sessions = tonumber(os.getenv("BENCH_SESSIONS") or "1000")
local headers = { ["Cookie"] = "termgate_token=" ..
    (os.getenv("BENCH_TOKEN") or "") }
local nthreads = 0
-- BENCH_PREFIX=/ceiling/ asks nginx's own yes instead (lib.sh)
local prefix = os.getenv("BENCH_PREFIX") or "/terminal/"

function setup(thread)
	nthreads = nthreads + 1
	thread:set("seed", nthreads)
end

function init(args)
	math.randomseed(os.time() * 100 + seed)
end

local function session_id(n)
	local s = tostring(n)
	return string.rep("0", 64 - #s) .. s
end

function request()
	return wrk.format("GET", prefix .. session_id(math.random(sessions))
	    .. "/", headers)
end

-- The RESULT line for the bench script (result.lua, beside this one).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "result.lua")
