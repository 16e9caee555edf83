-- serve.lua -- wrk script: replay the signed Twilio webhooks made by
-- bench-sign, each connection walking the list from its own place.
local requests = {}
local n = 0

function init(args)
	for line in io.lines(args[1]) do
		local sig, body = line:match("^([^\t]+)\t(.*)$")
		n = n + 1
		requests[n] = wrk.format("POST", args[2], {
			["Content-Type"] = "application/x-www-form-urlencoded",
			["X-Twilio-Signature"] = sig,
		}, body)
	end
	counter = math.random(n)
end

function request()
	counter = counter % n + 1
	return requests[counter]
end
