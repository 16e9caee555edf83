-- serve.lua -- wrk script: replay the signed Twilio webhooks made by
-- bench-sign, each of the two threads walking its own half of the list.
local requests = {}
local n = 0
local threads = 0

-- Each thread starts its walk in its own share of the list, so that no
-- two threads send the same message.
function setup(thread)
	thread:set("tid", threads)
	threads = threads + 1
end

function init(args)
	for line in io.lines(args[1]) do
		local sig, body = line:match("^([^\t]+)\t(.*)$")
		n = n + 1
		requests[n] = wrk.format("POST", args[2], {
			["Content-Type"] = "application/x-www-form-urlencoded",
			["X-Twilio-Signature"] = sig,
		}, body)
	end
	counter = (tid or 0) * math.floor(n / 2)
end

function request()
	counter = counter % n + 1
	return requests[counter]
end
