-- wrk: POST /api/v1/tickets with valid fields and content unique to each
-- request (thread, counter, random), so duplicate suppression never turns
-- a submission into a read.
local counter = 0
local n = 0
local fields = { "thu-tuc-hanh-chinh", "dat-dai", "moi-truong", "giao-thong",
	"dien", "nuoc", "y-te", "giao-duc", "bao-hiem", "khac", "" }
local prefixes = { "090", "091", "093", "094", "096", "097", "098", "032",
	"035", "070", "077", "081", "085", "086", "088", "089" }
local names = { "Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường",
	"Phạm Thị Dung", "Huỳnh Minh Em", "Võ Thị Giang" }
local topics = { "Đèn đường hư", "Rác thải chưa thu gom", "Hỏi thủ tục cấp giấy phép xây dựng",
	"Nước sinh hoạt bị đục", "Đường ngập sau mưa", "Hỏi hồ sơ đăng ký hộ kinh doanh" }
-- Many citizens behind the site's reverse proxy, as in production: Kore
-- trusts 127.0.0.1 (APP_TRUSTED_PROXIES in tests/bench/run) and takes the
-- citizen's address from X-Forwarded-For, so each has a rate-limit row of
-- their own.  The addresses are only strings; nothing is sent to them.
local headers = { ["Content-Type"] = "application/json" }

function setup(thread)
	counter = counter + 1
	thread:set("tid", counter)
end

function init(args)
	math.randomseed(os.time() * 100 + (tid or 0))
	run = string.format("%x%04x", os.time(), math.random(0, 65535))
end

function request()
	n = n + 1
	local phone = prefixes[math.random(#prefixes)] ..
	    string.format("%07d", math.random(0, 9999999))
	local topic = topics[math.random(#topics)]
	local body = string.format(
	    '{"name":"%s","phone":"%s","field":"%s","title":"%s (lần %d)",' ..
	    '"content":"%s tại khu vực %d, phường %d. Đề nghị cơ quan chức năng ' ..
	    'kiểm tra, xử lý. Mã thử tải %s-%d-%d."}',
	    names[math.random(#names)], phone, fields[math.random(#fields)],
	    topic, n, topic, math.random(1, 500), math.random(1, 12),
	    run, tid or 0, n)
	headers["X-Forwarded-For"] = string.format("10.%d.%d.%d",
	    math.random(0, 255), math.random(0, 255), math.random(1, 254))
	return wrk.format("POST", "/api/v1/tickets", headers, body)
end
