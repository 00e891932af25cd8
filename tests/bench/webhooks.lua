-- wrk: signed webhook deliveries, POST /webhooks/facebook or /webhooks/zalo
-- (the path given to wrk chooses), each a new text message with an id of
-- its own (run, thread, counter), from one of BENCH_HOOK_USERS people, so
-- redelivery suppression never turns one into a read.  Each body is
-- signed here as the provider signs it, through OpenSSL's libcrypto by
-- LuaJIT's FFI: Facebook's HMAC-SHA256 with the app secret
-- (X-Hub-Signature-256), Zalo's SHA-256 of app id, body, timestamp and OA
-- secret key (X-ZEvent-Signature).  The keys are the ones tests/bench/run
-- stores in channel_settings.
local ffi = require("ffi")
ffi.cdef [[
const void *EVP_sha256(void);
unsigned char *HMAC(const void *, const void *, int, const unsigned char *,
    size_t, unsigned char *, unsigned int *);
unsigned char *SHA256(const unsigned char *, size_t, unsigned char *);
]]
local ok, crypto = pcall(ffi.load, "crypto")
if not ok then crypto = ffi.load("libcrypto.so.3") end

local fb_secret = os.getenv("BENCH_FB_SECRET") or "bench-app-secret"
local zalo_app = os.getenv("BENCH_ZALO_APP_ID") or "1022000000000000000"
local zalo_secret = os.getenv("BENCH_ZALO_SECRET") or "bench-oa-secret"
local users = tonumber(os.getenv("BENCH_HOOK_USERS") or "1000")
local md = ffi.new("unsigned char[32]")
local mdlen = ffi.new("unsigned int[1]")
local counter = 0
local n = 0

local function hex(p)
	local t = {}
	for i = 0, 31 do t[i + 1] = string.format("%02x", p[i]) end
	return table.concat(t)
end

function setup(thread)
	counter = counter + 1
	thread:set("tid", counter)
end

function init(args)
	math.randomseed(os.time() * 100 + (tid or 0))
	run = string.format("%x%04x-%d", os.time(), math.random(0, 65535), tid or 0)
	zalo = wrk.path:find("zalo", 1, true) ~= nil
end

function request()
	n = n + 1
	local user = string.format("%d", 8400000000 + math.random(users))
	local ts = string.format("%d", os.time() * 1000 + n % 1000)
	local text = string.format("Phản ánh thử tải số %d: đèn đường khu vực %d hư", n,
	    math.random(1, 500))
	local body, headers
	if zalo then
		body = string.format('{"app_id":"%s","sender":{"id":"%s"},"user_id_by_app":"1",' ..
		    '"recipient":{"id":"1022"},"event_name":"user_send_text","message":' ..
		    '{"text":"%s","msg_id":"bench-%s-%d"},"timestamp":"%s"}',
		    zalo_app, user, text, run, n, ts)
		local signed = zalo_app .. body .. ts .. zalo_secret
		crypto.SHA256(signed, #signed, md)
		headers = { ["Content-Type"] = "application/json",
		    ["X-ZEvent-Signature"] = "mac=" .. hex(md) }
	else
		body = string.format('{"object":"page","entry":[{"id":"1022","time":%s,' ..
		    '"messaging":[{"sender":{"id":"%s"},"recipient":{"id":"1022"},' ..
		    '"timestamp":%s,"message":{"mid":"m_bench-%s-%d","text":"%s"}}]}]}',
		    ts, user, ts, run, n, text)
		crypto.HMAC(crypto.EVP_sha256(), fb_secret, #fb_secret, body, #body, md, mdlen)
		headers = { ["Content-Type"] = "application/json",
		    ["X-Hub-Signature-256"] = "sha256=" .. hex(md) }
	end
	return wrk.format("POST", nil, headers, body)
end
