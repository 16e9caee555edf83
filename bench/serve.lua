-- serve.lua -- wrk script for bench/serve.sh: replay the signed Twilio
-- webhooks made by bench-sign, and print what the round measured.
--
--   wrk -t2 ... -s bench/serve.lua URL -- DIR ROUND PATH
--
-- DIR holds the requests split in six ("seg0" ... "seg5"), one
-- "signature<TAB>body" a line: thread T of round R (0-2) replays seg(2R+T)
-- in a loop, so no two threads and no two rounds send the same message.
-- A thread that goes round its share again sends messages the server has
-- already stored, which is cheaper; done() counts those as "repeated".
--
-- The 2xx count comes from wrk's own tally (wrk counts a status above 399
-- as an error): a response() function would make wrk parse every answer in
-- Lua, slowing the client, which would flatter whichever server is faster.
local threads = {}
local requests = {}
local n = 0
sent = 0

function setup(thread)
	thread:set("tid", #threads)
	table.insert(threads, thread)
end

function init(args)
	local file = args[1] .. "/seg" .. (tonumber(args[2]) * 2 + tid)
	for line in io.lines(file) do
		local sig, body = line:match("^([^\t]+)\t(.*)$")
		n = n + 1
		requests[n] = wrk.format("POST", args[3], {
			["Content-Type"] = "application/x-www-form-urlencoded",
			["X-Twilio-Signature"] = sig,
		}, body)
	end
	size = n
end

function request()
	sent = sent + 1
	return requests[(sent - 1) % n + 1]
end

function done(summary, latency, _)
	local total, repeated = 0, 0
	for _, t in ipairs(threads) do
		local s, z = t:get("sent"), t:get("size")
		total = total + s
		if s > z then
			repeated = repeated + s - z
		end
	end
	local e = summary.errors
	io.write(string.format("BENCH requests=%d acked=%d sent=%d "
	    .. "repeated=%d duration_us=%d p50_us=%d p99_us=%d max_us=%d "
	    .. "socket_errors=%d\n",
	    summary.requests, summary.requests - e.status, total, repeated,
	    summary.duration, latency:percentile(50), latency:percentile(99),
	    latency.max, e.connect + e.read + e.write + e.timeout))
end
