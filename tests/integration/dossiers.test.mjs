// One-stop dossier lookup (issue 10, src/dossiers.c, docs/dossiers.md).
// An administrator imports dossiers (bad rows reported with line and
// reason, a re-import updates by code); citizens look one up on the
// portal, by JSON and by the one-line text for SMS and kiosks, within a
// limit per address; operators look up without it and link a dossier to a
// ticket.  With the HTTP adapter the answers come from the province's
// one-stop system (a local fake: tests/tools/fake-motcua.mjs) that answers,
// errors and times out: a failure is a clear Vietnamese message within the
// configured timeout, never a hang, and an answer is cached.
import fs from 'node:fs';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, postForm, getPage, login, one, db, dbClose, multipart } from '../lib.mjs';
import { startFakeMotcua } from '../tools/fake-motcua.mjs';

const ip = '127.0.63.1';
const PORT = 22300 + (Number(process.env.TEST_PORT_OFFSET || 0) % 100);
const FAKE = `http://127.0.0.1:${PORT}/api/ho-so`;
let admin, op, fake;

// Codes of this run: the day part varies with the process so reruns differ.
const day = String(100 + (process.pid % 28)).slice(1);
const code = (n) => `000.00.21.H21-2612${day}-${String(n).padStart(4, '0')}`;

before(async () => {
  fake = await startFakeMotcua(PORT);
  admin = await login('admin', ip);
  op = await login('dtv.minh', ip);
});

after(async () => {
  await db().query("UPDATE dossier_settings SET adapter = 'local', url = '', username = '', password = ''");
  await db().query('DELETE FROM dossier_cache');
  await dbClose();
  fake.server.close();
});

async function importFile(text, name = 'ho-so.csv') {
  const page = await getPage('/quan-tri/ho-so', admin);
  assert.equal(page.status, 200);
  const mp = multipart([['csrf', page.csrf], ['tep', Buffer.from(text), name, 'text/csv']]);
  return request('POST', '/quan-tri/ho-so/nhap', { ...admin, body: mp.body, headers: mp.headers });
}

async function settings(fields) {
  const page = await getPage('/quan-tri/ho-so', admin);
  return postForm('/quan-tri/ho-so', { csrf: page.csrf, ...fields }, admin);
}

test('an import stores the valid rows, reports the others by line and reason, and updates by code', async () => {
  const csv = [
    'code,status,procedure,agency,received_on,due_on,missing,pickup',
    `${code(1)},processing,"Cấp giấy phép xây dựng, nhà ở riêng lẻ",UBND huyện Cao Lãnh,2026-11-20,2026-12-30,,`,
    `${code(2)},supplement,Đăng ký kinh doanh hộ cá thể,UBND thành phố Sa Đéc,20/11/2026,2026-12-05,"Bản sao CCCD của chủ hộ; hợp đồng thuê mặt bằng",`,
    `${code(3)},ready,Cấp phiếu lý lịch tư pháp,Sở Tư pháp,2026-11-25,2026-12-04,,Trung tâm Phục vụ hành chính công tỉnh`,
    'not-a-code,processing,,Sở Tư pháp,2026-11-25',
    `${code(4)},finished,,Sở Tư pháp,2026-11-25`,
    `${code(5)},received,,Sở Tư pháp,2026-02-30`,
  ].join('\r\n');
  const r = await importFile(csv);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.text, /Đã nhập 3 hồ sơ: 3 mới, 0 cập nhật\./);
  assert.match(r.text, /3 dòng bị từ chối/);
  assert.match(r.text, /<td>5<\/td><td>Mã hồ sơ \(code\) không hợp lệ\.<\/td>/);
  assert.match(r.text, /<td>6<\/td><td>Trạng thái \(status\) không hợp lệ/);
  assert.match(r.text, /<td>7<\/td><td>received_on không phải ngày hợp lệ/);
  const n = await one('SELECT count(*)::int AS n FROM dossiers WHERE code = ANY($1)',
    [[code(1), code(2), code(3), code(4), code(5)]]);
  assert.equal(n.n, 3);

  // The same code again, as JSON lines: an update, not a second row.
  const jl = JSON.stringify({ code: code(1).toLowerCase(), status: 'supplement', agency: 'UBND huyện Cao Lãnh',
    received_on: '2026-11-20', due_on: '2026-12-30', missing: 'Bản vẽ thiết kế' }) + '\n';
  const again = await importFile(jl, 'ho-so.jsonl');
  assert.match(again.text, /Đã nhập 1 hồ sơ: 0 mới, 1 cập nhật\./);
  const row = await one('SELECT status, missing FROM dossiers WHERE code = $1', [code(1)]);
  assert.deepEqual(row, { status: 'supplement', missing: 'Bản vẽ thiết kế' });
  const ev = await one("SELECT payload FROM admin_events WHERE kind = 'dossier_import' ORDER BY id DESC LIMIT 2 OFFSET 1");
  assert.deepEqual(ev.payload, { rows: 3, added: 3, rejected: 3 });

  // More than 20,000 rows: refused whole, nothing stored.
  const before = await one('SELECT count(*)::int AS n FROM dossiers');
  const huge = await importFile(`${code(6)},received,,Sở Tư pháp,2026-11-25\n` + 'x\n'.repeat(20000));
  assert.equal(huge.status, 413);
  assert.match(huge.text, /tối đa 20\.000 dòng/);
  assert.equal((await one('SELECT count(*)::int AS n FROM dossiers')).n, before.n);

  // Only administrators import.
  const mp = multipart([['csrf', op.csrf], ['tep', Buffer.from(csv), 'x.csv', 'text/csv']]);
  const denied = await request('POST', '/quan-tri/ho-so/nhap', { ...op, body: mp.body, headers: mp.headers });
  assert.equal(denied.status, 403);
});

test('citizens look a dossier up by JSON, by one SMS-sized line and on the portal', async () => {
  const j = await request('GET', `/api/v1/dossiers/${code(2)}`, { ip });
  assert.equal(j.status, 200, j.text);
  assert.equal(j.json.code, code(2));
  assert.equal(j.json.status, 'supplement');
  assert.equal(j.json.status_text, 'Cần bổ sung hồ sơ');
  assert.equal(j.json.agency, 'UBND thành phố Sa Đéc');
  assert.equal(j.json.received_on, '2026-11-20');
  assert.equal(j.json.due_on, '2026-12-05');
  assert.match(j.json.missing, /Bản sao CCCD/);

  const t = await request('GET', `/api/v1/dossiers/${code(3).toLowerCase()}.txt`, { ip });
  assert.equal(t.status, 200);
  assert.match(t.headers['content-type'], /^text\/plain; charset=utf-8/);
  const line = t.text.trimEnd();
  assert.ok([...line].length <= 160, line);
  assert.match(line, new RegExp(`^Hồ sơ ${code(3).replace(/\./g, '\\.')}: Đã có kết quả, mời nhận\\.`));
  assert.match(line, /Nhận tại: Trung tâm Phục vụ hành chính công tỉnh/);

  const missing = await request('GET', `/api/v1/dossiers/${code(9)}.txt`, { ip });
  assert.equal(missing.status, 404);
  assert.match(missing.text, /^Không tìm thấy hồ sơ có mã này/);
  const bad = await request('GET', '/api/v1/dossiers/abc%27%3B--', { ip });
  assert.equal(bad.status, 400);
  assert.match(bad.json.error, /Mã hồ sơ không hợp lệ/);

  const page = await request('GET', `/tra-cuu-ho-so?ma=${encodeURIComponent(' ' + code(1) + ' ')}`, { ip });
  assert.equal(page.status, 200);
  assert.match(page.text, /<dd id="dossier-status">Cần bổ sung hồ sơ/);
  assert.match(page.text, /Bản vẽ thiết kế/);
  const nf = await request('GET', `/tra-cuu-ho-so?ma=${code(9)}`, { ip });
  assert.equal(nf.status, 404);
  assert.match(nf.text, /Không tìm thấy hồ sơ có mã này/);
  const form = await request('GET', '/tra-cuu-ho-so', { ip });
  assert.equal(form.status, 200);
  assert.match(form.text, /Mã số hồ sơ/);
  // The field of the same name is untouched: /tra-cuu stays the ticket tracker.
  assert.equal((await request('GET', '/tra-cuu', { ip })).status, 200);
});

test('an address that probes many codes is stopped; staff are not', async () => {
  const probe = '127.0.63.2';
  let last;
  for (let i = 0; i < 61; i++) {
    last = await request('GET', `/api/v1/dossiers/${code(100 + i)}.txt`, { ip: probe });
  }
  assert.equal(last.status, 429);
  assert.match(last.text, /quá nhiều lần/);
  const staff = await request('GET', `/api/v1/dossiers/${code(2)}`, { ...op });
  assert.equal(staff.status, 200);

  // An SMS gateway or a kiosk asks for many citizens from one address:
  // the administrator lists it, and it is not limited.
  const saved = await settings({ adapter: 'local', url: '', username: '', password: '', timeout_ms: '3000',
    cache_seconds: '120', trusted: '127.0.63.3 , 2001:DB8::7' });
  assert.equal(saved.status, 200, saved.text.slice(0, 300));
  assert.match(saved.text, /value="127\.0\.63\.3, 2001:db8::7"/);
  const kiosk = '127.0.63.3';
  for (let i = 0; i < 61; i++) {
    last = await request('GET', `/api/v1/dossiers/${code(100 + i)}.txt`, { ip: kiosk });
  }
  assert.equal(last.status, 404);
  const wrong = await settings({ adapter: 'local', url: '', username: '', password: '', timeout_ms: '3000',
    cache_seconds: '120', trusted: 'kiosk.local' });
  assert.equal(wrong.status, 400);
  assert.match(wrong.text, /Địa chỉ tin cậy phải là các địa chỉ IP/);
});

test('with the HTTP adapter the one-stop system answers, is cached, errors and times out', async () => {
  await db().query('DELETE FROM dossier_cache');
  await request('PUT', `http://127.0.0.1:${PORT}/_dossiers`, {
    body: JSON.stringify([{ code: code(50), status: 'processing', procedure: 'Cấp đổi giấy phép lái xe',
      agency: 'Sở Giao thông vận tải', received_on: '2026-11-30', due_on: '2026-12-10' }]),
  });

  const bad = await settings({ adapter: 'http', url: 'ftp://x', username: '', password: '', timeout_ms: '1500', cache_seconds: '60' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /http:\/\/ hoặc https:\/\//);
  assert.match(bad.text, /<input id="url" name="url" type="url" maxlength="500" value="ftp:\/\/x"/);
  assert.equal((await one('SELECT adapter FROM dossier_settings')).adapter, 'local');
  const saved = await settings({ adapter: 'http', url: FAKE, username: 'tongdai1022', password: 'mk-mot-cua',
    timeout_ms: '1500', cache_seconds: '60' });
  assert.equal(saved.status, 200, saved.text.slice(0, 300));
  assert.match(saved.text, /Đã lưu cấu hình/);
  assert.doesNotMatch(saved.text, /mk-mot-cua/);	// the password is never shown back
  assert.match(saved.text, /đã lưu; để trống để giữ nguyên/);
  const ev = await one("SELECT payload FROM admin_events WHERE kind = 'dossier_settings' ORDER BY id DESC LIMIT 1");
  assert.equal(ev.payload.password_changed, true);
  assert.equal(ev.payload.url, FAKE);
  assert.doesNotMatch(JSON.stringify(ev.payload), /mk-mot-cua/);

  const j = await request('GET', `/api/v1/dossiers/${code(50)}`, { ip });
  assert.equal(j.status, 200, j.text);
  assert.equal(j.json.agency, 'Sở Giao thông vận tải');
  assert.equal(fake.state.requests.length, 1);
  assert.deepEqual([fake.state.requests[0].code, fake.state.requests[0].user, fake.state.requests[0].accept],
    [code(50), 'tongdai1022:mk-mot-cua', 'application/json']);
  // From the cache: the one-stop system is not asked again.
  const t = await request('GET', `/api/v1/dossiers/${code(50)}.txt`, { ip });
  assert.match(t.text, /Đang giải quyết\. Hẹn trả 10\/12\/2026\./);
  assert.equal(fake.state.requests.length, 1);

  const nf = await request('GET', `/api/v1/dossiers/${code(51)}`, { ip });
  assert.equal(nf.status, 404);

  // The system fails: a clear message, not cached.
  await request('POST', `http://127.0.0.1:${PORT}/_mode?mode=error`);
  const err = await request('GET', `/api/v1/dossiers/${code(52)}`, { ip });
  assert.equal(err.status, 503);
  assert.match(err.json.error, /Hệ thống một cửa của tỉnh đang không phản hồi/);
  await request('POST', `http://127.0.0.1:${PORT}/_mode?mode=garbage`);
  const junk = await request('GET', `/tra-cuu-ho-so?ma=${code(52)}`, { ip });
  assert.equal(junk.status, 503);
  assert.match(junk.text, /Hệ thống một cửa của tỉnh đang không phản hồi/);
  assert.equal((await one('SELECT count(*)::int AS n FROM dossier_cache WHERE code = $1', [code(52)])).n, 0);

  // The system hangs: the answer comes within the timeout (1.5 s), not after.
  await request('POST', `http://127.0.0.1:${PORT}/_mode?mode=slow&ms=20000`);
  const t0 = Date.now();
  const slow = await request('GET', `/api/v1/dossiers/${code(53)}.txt`, { ip });
  const took = Date.now() - t0;
  assert.equal(slow.status, 503);
  assert.match(slow.text, /^Hệ thống một cửa của tỉnh đang không phản hồi/);
  assert.ok(took >= 1000 && took < 6000, `answered in ${took} ms`);
  // Other requests are served meanwhile: the event loop never waits.
  const [s2, health] = await Promise.all([
    request('GET', `/api/v1/dossiers/${code(54)}`, { ip }),
    (async () => { const h0 = Date.now(); const h = await request('GET', '/healthz', { ip }); return { h, ms: Date.now() - h0 }; })(),
  ]);
  assert.equal(s2.status, 503);
  assert.ok(health.ms < 1000, `healthz took ${health.ms} ms while a lookup waited`);

  await request('POST', `http://127.0.0.1:${PORT}/_mode?mode=ok`);
  // A stale cache row of another code goes when an answer is kept.
  await db().query("INSERT INTO dossier_cache (code, payload, fetched_at) VALUES ($1, NULL, now() - interval '2 days')", [code(55)]);
  await db().query('DELETE FROM dossier_cache WHERE code = $1', [code(50)]);
  const back = await request('GET', `/api/v1/dossiers/${code(50)}`, { ip });
  assert.equal(back.status, 200);
  assert.equal(fake.state.requests.length, 7);	// 50, 51, 52 twice, 53, 54, 50
  assert.equal((await one('SELECT count(*)::int AS n FROM dossier_cache WHERE code = $1', [code(55)])).n, 0);
});

test('an operator looks a dossier up from the console and links it to a ticket', async () => {
  await db().query("UPDATE dossier_settings SET adapter = 'local'");
  const inbox = await request('GET', '/dtv', op);
  assert.match(inbox.text, /action="\/dtv\/ho-so"/);

  const created = await postForm('/dtv/tao-phieu', {
    csrf: op.csrf, phone: '0914 222 333', title: 'Hỏi tình trạng hồ sơ xây dựng',
    content: 'Người dân hỏi hồ sơ cấp phép xây dựng đã đến đâu.',
  }, op);
  assert.equal(created.status, 303, created.text.slice(0, 300));
  const ticket = created.headers.location.split('/').pop();

  const look = await request('GET', `/dtv/ho-so?ma=${code(1)}&phieu=${ticket}`, op);
  assert.equal(look.status, 200);
  assert.match(look.text, /Cần bổ sung hồ sơ/);
  assert.match(look.text, /Gắn hồ sơ này vào phiếu/);

  const link = await postForm('/dtv/ho-so/lien-ket', { csrf: op.csrf, phieu: ticket, ma: code(1) }, op);
  assert.equal(link.status, 303);
  assert.equal(link.headers.location, `/dtv/phieu/${ticket}`);
  const badLink = await postForm('/dtv/ho-so/lien-ket', { csrf: op.csrf, phieu: ticket, ma: 'xyz' }, op);
  assert.equal(badLink.status, 400);

  const linked = await request('GET', `/dtv/api/phieu/${ticket}/ho-so`, op);
  assert.deepEqual(linked.json, { codes: [code(1)] });
  const page = await request('GET', `/dtv/phieu/${ticket}`, op);
  assert.match(page.text, new RegExp(`id="dossier-box" data-ticket="${ticket}"`));
  // Citizens cannot read a ticket's links.
  assert.equal((await request('GET', `/dtv/api/phieu/${ticket}/ho-so`, { ip })).status, 401);
});

test('the demo dossiers of make run are valid and answer', async () => {
  await db().query(fs.readFileSync(new URL('../../scripts/demo-dossiers.sql', import.meta.url), 'utf8'));
  const row = await one("SELECT code FROM dossiers WHERE procedure = 'Cấp phiếu lý lịch tư pháp' AND status = 'ready'");
  const r = await request('GET', `/api/v1/dossiers/${row.code}.txt`, { ...op });
  assert.equal(r.status, 200);
  assert.match(r.text, /Đã có kết quả, mời nhận\. Nhận tại: Trung tâm Phục vụ hành chính công tỉnh/);
});
