-- wrk: GET /api/v1/tickets/{code}?phone=... for random seeded tickets.
-- BENCH_PAIRS names a file of "code<TAB>phone" lines (tests/bench/run
-- writes it from the database, so every pair exists).
local pairs_file = os.getenv("BENCH_PAIRS") or "var/bench/pairs.tsv"
local paths = {}
local counter = 0

function setup(thread)
	counter = counter + 1
	thread:set("tid", counter)
end

function init(args)
	local f = assert(io.open(pairs_file, "r"))
	for line in f:lines() do
		local code, phone = line:match("^(%S+)\t(%S+)")
		if code then
			paths[#paths + 1] = "/api/v1/tickets/" .. code .. "?phone=" .. phone
		end
	end
	f:close()
	assert(#paths > 0, "no pairs in " .. pairs_file)
	math.randomseed(1022 + (tid or 0))
end

function request()
	return wrk.format("GET", paths[math.random(#paths)])
end
