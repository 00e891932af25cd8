// The Vietnamese user guide (docs/huong-dan/) and its screenshots.  Every
// page the guide shows is opened in a real browser by the role that uses
// it, with a little realistic data made first, and must answer 200 with its
// heading; every URL the guide names must be one of these pages or a route
// of src/routes.def, so the guide cannot silently rot.  With GUIDE_SHOTS=1
// (make guide-shots) the pages are also photographed into
// docs/huong-dan/anh/; without it nothing is written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, staffPage, BASE } from './browser.mjs';
import { credentials, one, dbClose, postJSON, citizen } from '../lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const GUIDE = path.join(ROOT, 'docs/huong-dan');
const SHOTS = process.env.GUIDE_SHOTS === '1';
const DESKTOP = { width: 1200, height: 760 };
const PHONE = { width: 390, height: 760 };
const SHOT_MAX = 150 * 1024;

let b;
before(async () => {
  b = await launch();
  if (SHOTS) fs.mkdirSync(path.join(GUIDE, 'anh'), { recursive: true });
});
after(async () => { await b?.close(); await dbClose(); });

const visited = new Set();

// Opens url, checks the answer and the heading, and when asked writes the
// top of the page (or one element of it) as docs/huong-dan/anh/<shot>.png.
async function visit(page, url, heading, shot, { element } = {}) {
  const r = await page.goto(url);
  assert.equal(r.status(), 200, `${url} answers 200`);
  const h1 = (await page.locator('h1').first().textContent()).replace(/\s+/g, ' ').trim();
  assert.match(h1, heading, `${url} has its heading`);
  visited.add(url.replace(/\?.*$/, ''));
  if (!SHOTS || !shot) return;
  const file = path.join(GUIDE, 'anh', `${shot}.png`);
  if (element) {
    await page.locator(element).first().screenshot({ path: file });
  } else {
    const vp = page.viewportSize();
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({ path: file, clip: { x: 0, y: 0, width: vp.width, height: Math.min(height, vp.height) } });
  }
  const size = fs.statSync(file).size;
  assert.ok(size <= SHOT_MAX, `${shot}.png is ${size} bytes, at most ${SHOT_MAX}`);
}

async function as(user, viewport = DESKTOP) {
  const page = await staffPage(b.browser, user, credentials()[user].password);
  await page.setViewportSize(viewport);
  return page;
}

const stamp = Date.now();
// Without a number in it, for the pictures: a second run within ten minutes
// gets the same ticket back (a repeat), which is as good.
const title = 'Hỏi về cấp đổi giấy chứng nhận quyền sử dụng đất bị rách';
let ticket;		// { id, code }

test('a citizen asks on the portal, on a phone', async () => {
  const ctx = await b.browser.newContext({ baseURL: BASE, viewport: PHONE, locale: 'vi-VN' });
  const cp = await ctx.newPage();
  await visit(cp, '/', /Gửi câu hỏi, phản ánh, kiến nghị/, 'cong-dan-gui-phan-anh');
  const r = await postJSON('/api/v1/tickets', citizen({
    name: 'Lê Thị Mai', phone: '0939 123 456', field: 'dat-dai', title,
    content: 'Giấy chứng nhận của gia đình tôi bị rách, xin hỏi cấp đổi cần hồ sơ gì và nộp ở đâu?',
  }), { ip: '127.0.0.81' });
  assert.ok([200, 201].includes(r.status), r.text);
  ticket = { code: r.json.code, ...(await one('SELECT id FROM tickets WHERE code = $1', [r.json.code])) };
  // A few more, so the lists look like a working day.
  for (const [name, phone, field, t, content] of [
    ['Trần Văn Hùng', '0918 222 333', 'giao-thong', 'Đèn tín hiệu giao thông ngã tư bị hỏng',
      'Đèn tín hiệu tại ngã tư đường Nguyễn Huệ không hoạt động từ sáng nay, rất nguy hiểm.'],
    ['Phạm Thị Thu', '0907 444 555', 'moi-truong', 'Rác thải chưa được thu gom',
      'Rác ở đầu hẻm 12 phường 1 đã ba ngày chưa được thu gom, bốc mùi hôi.'],
    ['Nguyễn Văn An', '0939 666 777', 'bao-hiem', 'Hỏi về gia hạn thẻ bảo hiểm y tế',
      'Thẻ bảo hiểm y tế hộ gia đình sắp hết hạn, xin hỏi gia hạn ở đâu và cần giấy tờ gì?'],
  ]) {
    const x = await postJSON('/api/v1/tickets', citizen({ name, phone, field, title: t, content }),
      { ip: '127.0.0.81' });
    assert.ok([200, 201].includes(x.status), x.text);
  }
  await visit(cp, `/tra-cuu?ma=${ticket.code}&dt=0939123456`, /Tra cứu phản ánh/, 'cong-dan-tra-cuu');
  await visit(cp, '/tra-cuu-ho-so', /Tra cứu hồ sơ một cửa/);
  await visit(cp, '/hoi-dap', /Hỏi đáp/);
  await visit(cp, '/thu-tuc', /Thủ tục hành chính/);
  await visit(cp, '/thong-tin', /Thông tin, chính sách/);
  await cp.setViewportSize(DESKTOP);
  await visit(cp, '/dang-nhap', /Đăng nhập dành cho cán bộ/, 'dang-nhap', { element: 'main' });
  await ctx.close();
});

test('the operator: inbox, ticket, forwarding, softphone, written channels, callbacks, dossiers', async () => {
  const op = await as('dtv.lan');
  await visit(op, '/dtv', /Phiếu tiếp nhận/, 'dtv-phieu-tiep-nhan');
  await visit(op, '/dtv/tao-phieu', /Tạo phiếu/, 'dtv-tao-phieu');
  await visit(op, `/dtv/phieu/${ticket.id}`, /Hỏi về cấp đổi giấy chứng nhận/, 'dtv-phieu');
  const forward = op.locator('form[action$="/forward"]');
  if (SHOTS) await forward.screenshot({ path: path.join(GUIDE, 'anh', 'dtv-chuyen-co-quan.png') });
  await forward.locator('select[name=agency]').selectOption({ label: 'Sở Tài nguyên và Môi trường' });
  await Promise.all([op.waitForNavigation(), forward.locator('button[type=submit]').last().click()]);
  assert.match(await op.textContent('main'), /Sở Tài nguyên và Môi trường/);
  await visit(op, '/dtv/tong-dai', /Tổng đài 1022 — điện thoại viên/, 'dtv-tong-dai');
  // Messages as the channels' receivers file them, and a call to ring back.
  const convs = [];
  for (const [channel, thread, name, subject, body, email] of [
    ['zalo', '4817263549102', 'Võ Thị Ngọc', null,
      'Cho em hỏi làm căn cước cho con 14 tuổi cần mang theo giấy tờ gì ạ?', null],
    ['facebook', '7391028465112', 'Lê Minh Khoa', null,
      'Đường vào ấp 3 xã Mỹ Tân bị sạt lở, xe máy đi rất khó.', null],
    ['email', 'bay.huynh@example.vn', 'Huỳnh Văn Bảy', 'Hỏi về lệ phí trước bạ',
      'Kính gửi Tổng đài, tôi muốn hỏi lệ phí trước bạ xe máy mới mua.', 'bay.huynh@example.vn'],
  ]) {
    convs.push((await one(`SELECT conversation_id::int AS conv FROM message_receive($1, $2, $3, $4, $5, $6,
        '{}', NULL, NULL, $7)`, [channel, `guide-${stamp}-${channel}`, thread, name, subject, body, email])).conv);
  }
  const uuid = crypto.randomUUID();
  await one(`WITH c AS (INSERT INTO calls (event_id, call_uuid, sip_call_id, caller, callee,
      disposition, created_at, ended_at, wait_seconds, talk_seconds)
    VALUES ($1, $2, $3, $4, '1022', 'abandoned', now() - interval '40 minutes',
      now() - interval '39 minutes', 62, 0) RETURNING id)
    INSERT INTO callbacks (call_id, operator_id, assigned_by)
    SELECT c.id, u.id, s.id FROM c, users u, users s
    WHERE u.username = 'dtv.lan' AND s.username = 'lanhdao' RETURNING id`,
  [crypto.randomUUID(), uuid, `${uuid}@guide`, `0913${String(stamp).slice(-6)}`]);
  await visit(op, '/dtv/hop-thu', /Hộp thư/, 'dtv-hop-thu');
  await visit(op, `/dtv/hop-thu/${convs[0]}`, /Võ Thị Ngọc/, 'dtv-cuoc-tro-chuyen');
  await visit(op, '/dtv/goi-lai', /Gọi lại/, 'dtv-goi-lai');
  await visit(op, '/dtv/ho-so', /Tra cứu hồ sơ/, 'dtv-tra-cuu-ho-so');
  await visit(op, '/doi-mat-khau', /Đổi mật khẩu/, 'doi-mat-khau', { element: 'main' });
  await op.context().close();
});

test('the agency officer: inbox, ticket, figures; the answer reaches the citizen', async () => {
  const ag = await as('cb.stnmt');
  await visit(ag, '/co-quan', /Phiếu chờ cơ quan xử lý/, 'co-quan-phieu-cho');
  await visit(ag, `/co-quan/phieu/${ticket.id}`, /Hỏi về cấp đổi giấy chứng nhận/, 'co-quan-phieu');
  const answer = 'Hồ sơ gồm đơn đề nghị cấp đổi và bản gốc giấy chứng nhận; nộp tại Bộ phận một cửa cấp huyện.';
  const aform = ag.locator('form[action$="/answer"]');
  await aform.locator('textarea[name=answer]').fill(answer);
  await Promise.all([ag.waitForNavigation(), aform.locator('button[type=submit]').last().click()]);
  await visit(ag, '/co-quan/thong-ke', /Số liệu xử lý của cơ quan/, 'co-quan-thong-ke');
  await ag.context().close();

  // The operator sends the agency's answer on; the citizen reads it.
  const op = await as('dtv.lan');
  await op.goto(`/dtv/phieu/${ticket.id}`);
  const oform = op.locator('form[action$="/answer"]');
  assert.match(await oform.locator('textarea[name=answer]').inputValue(), /Bộ phận một cửa/);
  await Promise.all([op.waitForNavigation(), oform.locator('button[type=submit]').last().click()]);
  await op.context().close();
  const ctx = await b.browser.newContext({ baseURL: BASE, viewport: PHONE, locale: 'vi-VN' });
  const cp = await ctx.newPage();
  await visit(cp, `/tra-cuu?ma=${ticket.code}&dt=0939123456`, /Tra cứu phản ánh/);
  assert.match(await cp.textContent('#status'), /Đã trả lời/);
  assert.match(await cp.textContent('#answer'), /Bộ phận một cửa/);
  if (SHOTS) await cp.locator('#answer').screenshot({ path: path.join(GUIDE, 'anh', 'cong-dan-doc-tra-loi.png') });
  await ctx.close();
});

test('the leader: statistics, live page, calls, the periodic report', async () => {
  // One call the caller hung up on, so the calls list has a row.
  const uuid = crypto.randomUUID();
  await one(`INSERT INTO calls (event_id, call_uuid, sip_call_id, caller, callee,
      disposition, created_at, ended_at, wait_seconds, talk_seconds)
    VALUES ($1, $2, $3, $4, '1022', 'abandoned', now() - interval '10 minutes',
      now() - interval '9 minutes', 45, 0) RETURNING id`,
  [crypto.randomUUID(), uuid, `${uuid}@guide`, `0907${String(stamp).slice(-6)}`]);
  const sup = await as('lanhdao');
  await visit(sup, '/giam-sat', /Thống kê tiếp nhận và trả lời/, 'lanh-dao-thong-ke');
  await visit(sup, '/giam-sat/truc-tiep', /Giám sát tổng đài trực tiếp/, 'lanh-dao-truc-tiep');
  await visit(sup, '/giam-sat/tong-dai', /Thống kê tổng đài/, 'lanh-dao-thong-ke-tong-dai');
  await visit(sup, '/giam-sat/cuoc-goi', /Cuộc gọi/, 'lanh-dao-cuoc-goi');
  await visit(sup, '/giam-sat/bao-cao', /Báo cáo định kỳ/, 'lanh-dao-bao-cao');
  await visit(sup, '/giam-sat/phieu', /Tìm phiếu/, 'lanh-dao-tim-phieu');
  await visit(sup, `/giam-sat/phieu/${ticket.id}`, new RegExp(`Phiếu ${ticket.code}`), 'lanh-dao-phieu');
  await visit(sup, '/quan-tri/tin-gui', /Tin gửi đi/);
  for (const file of ['/giam-sat/bao-cao.xlsx', '/giam-sat/tong-dai.xlsx']) {
    const r = await sup.request.get(file);
    assert.equal(r.status(), 200, `${file} answers 200`);
    assert.match(r.headers()['content-type'], /spreadsheetml/);
    visited.add(file);
  }
  await sup.context().close();
});

test('the administrator: every page of the administration', async () => {
  const ad = await as('admin');
  const pages = [
    ['/quan-tri', /Tài khoản/],
    ['/quan-tri/nguoi-dung', /Tài khoản/, 'quan-tri-tai-khoan'],
    ['/quan-tri/nguoi-dung/moi', /Tạo tài khoản/, 'quan-tri-tao-tai-khoan'],
    ['/quan-tri/co-quan', /Cơ quan/, 'quan-tri-co-quan'],
    ['/quan-tri/linh-vuc', /Lĩnh vực/, 'quan-tri-linh-vuc'],
    ['/quan-tri/cap-do', /Cấp độ phiếu/, 'quan-tri-cap-do'],
    ['/quan-tri/gio-tong-dai', /Giờ tổng đài 1022/, 'quan-tri-gio-tong-dai'],
    ['/quan-tri/lich', /Lịch ngày nghỉ, ngày làm bù/, 'quan-tri-lich'],
    ['/quan-tri/kenh', /Cấu hình kênh/, 'quan-tri-kenh'],
    ['/quan-tri/tin-gui', /Tin gửi đi/, 'quan-tri-tin-gui'],
    ['/quan-tri/thu-tuc', /Thủ tục hành chính/, 'quan-tri-thu-tuc'],
    ['/quan-tri/thu-tuc/nhap', /Nhập thủ tục hành chính/, 'quan-tri-nhap-thu-tuc'],
    ['/quan-tri/ho-so', /Tra cứu hồ sơ một cửa/, 'quan-tri-ho-so'],
    ['/quan-tri/open311', /Khóa API Open311/, 'quan-tri-open311'],
    ['/quan-tri/nhat-ky', /Nhật ký quản trị/, 'quan-tri-nhat-ky'],
  ];
  for (const [url, heading, shot] of pages) await visit(ad, url, heading, shot);
  await ad.context().close();
});

// Every path the guide names in `backquotes` is a page opened above or a
// route of src/routes.def (with its numbers written <số> or <mã> in the guide).
test('every URL the guide names exists', () => {
  const routes = [...fs.readFileSync(path.join(ROOT, 'src/routes.def'), 'utf8')
    .matchAll(/^ROUTE\([A-Z_0-9]+, "([^"]+)"/gm)].map((m) => m[1]);
  const matches = (p) => routes.some((r) => r.startsWith('^')
    ? new RegExp(r.replace(/\\\\/g, '\\')).test(p) : r === p);
  const files = fs.readdirSync(GUIDE).filter((f) => f.endsWith('.md'));
  assert.deepEqual(files.sort(), ['README.md', 'can-bo-co-quan.md', 'dien-thoai-vien.md',
    'lanh-dao.md', 'quan-tri.md']);
  let named = 0;
  for (const f of files) {
    const text = fs.readFileSync(path.join(GUIDE, f), 'utf8');
    for (const [, url] of text.matchAll(/`(\/[^`\s]*)`/g)) {
      const p = url.replace(/\?.*$/, '').replace(/<số>/g, '1').replace(/<mã>/g, 'ABC-1');
      named++;
      assert.ok(visited.has(p) || matches(p), `${f} names ${url}, which is no page of the product`);
    }
    for (const [, img] of text.matchAll(/\]\((anh\/[^)]+\.png)\)/g))
      assert.ok(fs.existsSync(path.join(GUIDE, img)), `${f} shows ${img}, which was not taken`);
  }
  assert.ok(named > 40, `the guide names ${named} URLs`);
});
