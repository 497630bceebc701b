-- authorize.lua - wrk script: GET /terminal/ID/ with the session's token
-- cookie, each request on a random one of the pre-made active sessions
-- (lib.sh's bench_sessions: ids are their number zero-padded to 64
-- digits, every token is BENCH_TOKEN). The bench's nginx asks termgate's
-- authorize (auth_request) and answers 204 itself when it says yes.

local sessions = tonumber(os.getenv("BENCH_SESSIONS") or "1000")
local headers = { ["Cookie"] = "termgate_token=" ..
    (os.getenv("BENCH_TOKEN") or "") }
-- BENCH_PREFIX=/ceiling/ asks nginx's own yes instead (lib.sh)
local prefix = os.getenv("BENCH_PREFIX") or "/terminal/"

-- Seeds and session ids (seeded.lua, beside this one).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "seeded.lua")

function request()
	local id = bench_session_id(math.random(sessions))
	return wrk.format("GET", prefix .. id .. "/", headers)
end

-- The RESULT line for the bench script (result.lua, beside this one).
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "result.lua")
