// Open311 GeoReport v2: an existing client can list services, file a
// request with the api_key an administrator issued it, and read back only
// what the public may see.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { request, getJSON, getPage, postForm, login, one, db, dbClose, multipart } from '../lib.mjs';

const ip = '127.0.24.1';
after(dbClose);

// An integrator gets a key the way a real one would: an administrator
// issues it on /quan-tri/open311 and reads it off the page once.
let admin;
async function issueKey(name) {
  admin ??= await login('admin', ip);
  const page = await getPage('/quan-tri/open311', admin);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  const r = await postForm('/quan-tri/open311', { csrf: admin.csrf, name }, admin);
  assert.equal(r.status, 201, r.text.slice(0, 500));
  const m = r.text.match(/id="new-key">([^<]+)</);
  assert.ok(m, 'the key is shown once');
  const row = await one('SELECT id FROM open311_clients WHERE name = $1 ORDER BY id DESC LIMIT 1', [name]);
  return { key: m[1], id: row.id, page: r.text };
}

let apiKey;
before(async () => { apiKey = (await issueKey(`Ứng dụng phản ánh ${process.pid}`)).key; });
const tickets = async () => (await one('SELECT count(*)::int AS n FROM tickets')).n;

test('services are the fields', async () => {
  const r = await getJSON('/open311/v2/services.json', { ip });
  assert.equal(r.status, 200);
  const dat = r.json.find((s) => s.service_code === 'dat-dai');
  assert.equal(dat.service_name, 'Đất đai');
  assert.equal(dat.metadata, true);
  assert.equal(dat.type, 'realtime');
});

test('a request filed through Open311 becomes a ticket and reads back without private data', async () => {
  const description = `Đèn đường hỏng trước nhà số 12, gọi tôi 0912 345 678 ${Date.now()}`;
  const r = await postForm('/open311/v2/requests.json', {
    api_key: apiKey, service_code: 'dien', description, first_name: 'Trần', last_name: 'Văn Bình',
    phone: '0912345678', address_string: 'Đường Nguyễn Huệ, phường 1', lat: '10.46', long: '105.63',
  }, { ip });
  assert.equal(r.status, 201, r.text);
  const id = r.json[0].service_request_id;
  assert.match(id, /^\d{4}-[0-9A-Z]{8}$/);
  assert.match(r.json[0].service_notice, /xin cảm ơn/);

  const t = await one('SELECT channel, name, title, content FROM tickets WHERE code = $1', [id]);
  assert.equal(t.channel, 'open311');
  assert.equal(t.name, 'Trần Văn Bình');
  assert.match(t.title, /Điện, chiếu sáng — Đường Nguyễn Huệ/);
  assert.match(t.content, /Tọa độ: 10.46, 105.63/);

  // Not published: its public fields (status, service, dates), never its words.
  const s = await getJSON(`/open311/v2/requests/${id}.json`, { ip });
  const unknown = await getJSON(`/open311/v2/requests/${id.slice(0, 5)}ZZZZZZZZ.json`, { ip });
  assert.equal(unknown.status, 404);
  assert.deepEqual(unknown.json, [{ code: 404, description: unknown.json[0].description }]);
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json[0].service_request_id, id);
  assert.equal(s.json[0].status, 'open');
  assert.equal(s.json[0].service_code, 'dien');
  assert.match(s.json[0].requested_datetime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  assert.equal(s.json[0].description, null);
  assert.equal(s.json[0].status_notes, null);
  assert.ok(!s.text.includes('0912'));
  assert.ok(!s.text.includes('Bình'));
  assert.ok(!s.text.includes('Đèn đường'));
  // Answered but not published: closed, still no words.
  await one("UPDATE tickets SET status = 'answered', answer = 'Đã sửa xong.', answered_at = now() WHERE code = $1", [id]);
  const a = await getJSON(`/open311/v2/requests/${id}.json`, { ip });
  assert.equal(a.status, 200);
  assert.equal(a.json[0].status, 'closed');
  assert.equal(a.json[0].description, null);
  assert.equal(a.json[0].status_notes, null);

  // Once answered and published, the text appears with the phone masked.
  await one('UPDATE tickets SET published = true WHERE code = $1', [id]);
  const p = await getJSON(`/open311/v2/requests/${id}.json`, { ip });
  assert.equal(p.json[0].status, 'closed');
  assert.match(p.json[0].description, /Đèn đường hỏng/);
  assert.ok(!p.json[0].description.includes('0912 345 678'));
  assert.equal(p.json[0].status_notes, 'Đã sửa xong.');
  const list = await getJSON('/open311/v2/requests.json?service_code=dien', { ip });
  assert.ok(list.json.some((x) => x.service_request_id === id));
});

test('an Open311 client cannot set the ticket fields the service maps itself', async () => {
  const description = `Nước sinh hoạt đục ${Date.now()}`;
  const r = await postForm('/open311/v2/requests.json', {
    api_key: apiKey, title: 'Tiêu đề của máy khách', field: 'dat-dai', name: 'Tên giả', content: 'nội dung khác',
    service_code: 'nuoc', description, phone: '0912345678',
  }, { ip });
  assert.equal(r.status, 201, r.text);
  const t = await one(`SELECT t.name, t.title, t.content, f.code AS field FROM tickets t
    LEFT JOIN fields f ON f.id = t.field_id WHERE t.code = $1`, [r.json[0].service_request_id]);
  assert.equal(t.field, 'nuoc');
  assert.equal(t.name, 'Người dân (Open311)');
  assert.doesNotMatch(t.title, /máy khách/);
  assert.equal(t.content, description);
});

test('bad Open311 requests get GeoReport errors and store nothing', async () => {
  const before = await one('SELECT count(*)::int AS n FROM tickets');
  const cases = [
    [{ description: 'x', phone: '0912345678' }, 400],
    [{ service_code: 'khong-co', description: 'x', phone: '0912345678' }, 400],
    [{ service_code: 'dien', phone: '0912345678' }, 400],
    [{ service_code: 'dien', description: 'x', phone: '12' }, 400],
    [{ service_code: 'dien', description: 'x', email: 'không phải thư' }, 400],
  ];
  for (const [body, status] of cases) {
    const r = await postForm('/open311/v2/requests.json', { api_key: apiKey, ...body }, { ip });
    assert.equal(r.status, status, r.text);
    assert.equal(r.json[0].code, status);
    assert.ok(r.json[0].description.length > 3);
  }
  const j = await request('POST', '/open311/v2/requests.json', { ip, body: '{}', headers: { 'content-type': 'application/json' } });
  assert.equal(j.status, 415);
  assert.equal((await getJSON('/open311/v2/requests.json?start_date=2026-02-30', { ip })).status, 400);
  assert.equal((await getJSON('/open311/v2/requests.json?start_date=yesterday', { ip })).status, 400);
  assert.equal((await getJSON('/open311/v2/requests/NOPE.json', { ip })).status, 404);
  assert.deepEqual(await one('SELECT count(*)::int AS n FROM tickets'), before);
});

test('filing needs an api_key that an administrator issued and has not revoked', async () => {
  const before = await tickets();
  const body = { service_code: 'dien', description: `Cột điện nghiêng ${Date.now()}`, phone: '0912345678' };
  const post = (extra) => postForm('/open311/v2/requests.json', { ...body, ...extra }, { ip });

  const none = await post({});
  assert.equal(none.status, 400, none.text);
  assert.equal(none.json[0].code, 400);
  assert.match(none.json[0].description, /api_key/);
  const empty = await post({ api_key: '' });
  assert.equal(empty.status, 400);
  for (const api_key of ['o311_' + 'A'.repeat(43), 'sai', apiKey.slice(0, -1), apiKey + 'x', `${apiKey}\n`]) {
    const r = await post({ api_key });
    assert.equal(r.status, 403, `${api_key}: ${r.text}`);
    assert.deepEqual(Object.keys(r.json[0]), ['code', 'description']);
    assert.equal(r.json[0].code, 403);
  }
  // In the query string instead of the body: not accepted (URLs end up in logs).
  const q = await request('POST', `/open311/v2/requests.json?api_key=${encodeURIComponent(apiKey)}`, {
    ip, body: new URLSearchParams(body).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(q.status, 400, q.text);
  assert.equal(await tickets(), before, 'nothing filed without a valid key');

  // The key works; once revoked on the admin page it does not.
  const k = await issueKey(`Ứng dụng sẽ thu hồi ${process.pid}`);
  const ok = await post({ api_key: k.key });
  assert.equal(ok.status, 201, ok.text);
  const list = await getPage('/quan-tri/open311', admin);
  assert.match(list.text, new RegExp(`Ứng dụng sẽ thu hồi ${process.pid}`));
  assert.ok(!list.text.includes(k.key), 'the list never shows a key');
  assert.match(list.text, new RegExp(`action="/quan-tri/open311/${k.id}/thu-hoi"`));
  const rv = await postForm(`/quan-tri/open311/${k.id}/thu-hoi`, { csrf: admin.csrf }, admin);
  assert.equal(rv.status, 303, rv.text.slice(0, 300));
  const again = await post({ api_key: k.key, description: `Cột điện khác ${Date.now()}` });
  assert.equal(again.status, 403, again.text);
  assert.equal(await tickets(), before + 1);
  // Revoking twice changes nothing and says so.
  const rv2 = await postForm(`/quan-tri/open311/${k.id}/thu-hoi`, { csrf: admin.csrf }, admin);
  assert.equal(rv2.status, 404);
});

test('keys are stored hashed, issuing and revoking are in the admin log', async () => {
  const k = await issueKey(`Ứng dụng kiểm tra nhật ký ${process.pid}`);
  assert.match(k.key, /^o311_[A-Za-z0-9_-]{43}$/);
  assert.match(k.page, /chỉ hiển thị một lần/);
  const row = await one(`SELECT encode(key_hash, 'hex') AS h, row_to_json(c)::text AS j
                         FROM open311_clients c WHERE id = $1`, [k.id]);
  assert.equal(row.h, crypto.createHash('sha256').update(k.key).digest('hex'));
  assert.ok(!row.j.includes(k.key.slice(5)), 'the key itself is not stored');
  await postForm(`/quan-tri/open311/${k.id}/thu-hoi`, { csrf: admin.csrf }, admin);
  const ev = (await db().query(`SELECT kind, target_label, payload::text AS p FROM admin_events
    WHERE target_kind = 'open311_client' AND target_id = $1 ORDER BY id`, [String(k.id)])).rows;
  assert.deepEqual(ev.map((e) => e.kind), ['open311_key_issue', 'open311_key_revoke']);
  assert.ok(ev.every((e) => !e.p.includes(k.key.slice(5))), 'no secret in the log');
  const log = await getPage('/quan-tri/nhat-ky', admin);
  assert.match(log.text, /Cấp khóa API Open311/);
  assert.match(log.text, /Thu hồi khóa API Open311/);
  // A revoked key stays revoked, even for a direct UPDATE.
  await assert.rejects(db().query('UPDATE open311_clients SET revoked_at = NULL WHERE id = $1', [k.id]));
});

test('the key page: admins only, a name is required, revoking asks first', async () => {
  assert.equal((await request('GET', '/quan-tri/open311', { ip })).status, 303);
  const op = await login('dtv.lan', ip);
  assert.equal((await request('GET', '/quan-tri/open311', op)).status, 403);
  assert.equal((await postForm('/quan-tri/open311', { csrf: op.csrf, name: 'Không được' }, op)).status, 403);
  admin ??= await login('admin', ip);
  const n = (await one('SELECT count(*)::int AS n FROM open311_clients')).n;
  assert.equal((await postForm('/quan-tri/open311', { name: 'Thiếu mã' }, admin)).status, 403, 'CSRF token needed');
  const bad = await postForm('/quan-tri/open311', { csrf: admin.csrf, name: ' ' }, admin);
  assert.equal(bad.status, 400);
  assert.match(bad.text, /role="alert"/);
  assert.equal((await one('SELECT count(*)::int AS n FROM open311_clients')).n, n);
  const page = await getPage('/quan-tri/open311', admin);
  assert.match(page.text, /<html lang="vi"/);
  assert.match(page.text, /<label for="name">/);
  // Revoking sits behind a <details> disclosure: one more deliberate click.
  assert.match(page.text, /<details class="confirm">\s*<summary>Thu hồi…/);
});

test('a cross-site browser form cannot file a request', async () => {
  const before = await tickets();
  const fields = { service_code: 'dien', description: `Biểu mẫu giả ${Date.now()}`, phone: '0912345678' };
  const origin = { origin: 'https://trang-la.example', referer: 'https://trang-la.example/form.html' };
  const form = await postForm('/open311/v2/requests.json', fields, { ip, headers: origin });
  assert.equal(form.status, 400, form.text);
  assert.equal(form.json[0].code, 400);
  const text = await request('POST', '/open311/v2/requests.json', {
    ip, body: new URLSearchParams(fields).toString(), headers: { ...origin, 'content-type': 'text/plain' },
  });
  assert.ok(text.status >= 400 && text.status < 500, text.text);
  const text2 = await request('POST', '/open311/v2/requests.json', {
    ip, body: new URLSearchParams({ ...fields, api_key: apiKey }).toString(),
    headers: { ...origin, 'content-type': 'text/plain;charset=UTF-8' },
  });
  assert.ok(text2.status >= 400 && text2.status < 500, text2.text);
  assert.equal(await tickets(), before);
});

test('reading stays open without a key', async () => {
  assert.equal((await getJSON('/open311/v2/services.json', { ip })).status, 200);
  assert.equal((await getJSON('/open311/v2/requests.json', { ip })).status, 200);
});

// ---- GeoReport v2 as the spec has it: XML beside JSON, established clients' requests ----

// A real XML parser: the document must be well-formed, then it is read as
// a tree.  Text stays text (no number guessing), entities are decoded.
const xmlParser = new XMLParser({ parseTagValue: false, ignoreAttributes: true, processEntities: true,
  isArray: (name, path) => ['services.service', 'service_requests.request', 'errors.error',
    'service_definition.attributes.attribute', 'discovery.endpoints.endpoint',
    'discovery.endpoints.endpoint.formats.format', 'service_request_updates.request_update'].includes(path) });
async function getXML(path, opts = { ip }) {
  const r = await request(opts.method || 'GET', path, opts);
  assert.equal(XMLValidator.validate(r.text), true, `well-formed XML: ${r.text.slice(0, 300)}`);
  assert.match(r.headers['content-type'], /^text\/xml; charset=utf-8/);
  assert.match(r.text, /^<\?xml version="1.0" encoding="utf-8"\?>/);
  return { ...r, xml: xmlParser.parse(r.text) };
}
const postXML = (path, fields, opts = {}) => getXML(path, {
  ip, method: 'POST', body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' }, ...opts,
});
const isoZ = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/;

test('discovery, services and a service definition answer in XML and JSON', async () => {
  const d = await getXML('/open311/v2/discovery.xml');
  assert.equal(d.status, 200);
  const ep = d.xml.discovery.endpoints.endpoint[0];
  assert.equal(ep.specification, 'http://wiki.open311.org/GeoReport_v2');
  assert.match(ep.url, /\/open311\/v2$/);
  assert.deepEqual(ep.formats.format, ['text/xml', 'application/json']);
  const dj = await getJSON('/open311/v2/discovery.json', { ip });
  assert.equal(dj.json.endpoints[0].url, ep.url);

  const x = await getXML('/open311/v2/services.xml');
  assert.equal(x.status, 200);
  const dat = x.xml.services.service.find((s) => s.service_code === 'dat-dai');
  assert.equal(dat.service_name, 'Đất đai');
  assert.equal(dat.metadata, 'true');
  assert.equal(dat.type, 'realtime');
  assert.equal(dat.group, 'Sở Tài nguyên và Môi trường', 'grouped by the agency that answers');
  const j = await getJSON('/open311/v2/services.json', { ip });
  assert.equal(j.json.length, x.xml.services.service.length);

  const def = await getXML('/open311/v2/services/dat-dai.xml');
  assert.equal(def.status, 200);
  assert.equal(def.xml.service_definition.service_code, 'dat-dai');
  const attrs = def.xml.service_definition.attributes.attribute;
  assert.deepEqual(attrs.map((a) => a.code), ['ma_ho_so', 'thu_tuc']);
  assert.equal(attrs[0].datatype, 'string');
  assert.equal(attrs[0].required, 'false');
  const defj = await getJSON('/open311/v2/services/dat-dai.json', { ip });
  assert.equal(defj.json.attributes[1].code, 'thu_tuc');
  const none = await getXML('/open311/v2/services/khong-co.xml');
  assert.equal(none.status, 404);
  assert.equal(none.xml.errors.error[0].code, '404');
});

test('errors come in the format asked for, as the spec\'s list', async () => {
  const nf = await getXML('/open311/v2/requests/NOPE.xml');
  assert.equal(nf.status, 404);
  assert.equal(nf.xml.errors.error[0].code, '404');
  assert.ok(nf.xml.errors.error[0].description.length > 3);
  const nokey = await postXML('/open311/v2/requests.xml', { service_code: 'dien', description: 'x' });
  assert.equal(nokey.status, 400);
  assert.match(nokey.xml.errors.error[0].description, /api_key/);
  const bad = await postXML('/open311/v2/requests.xml', { api_key: apiKey.slice(0, -1), service_code: 'dien', description: 'x' });
  assert.equal(bad.status, 403);
  const badStatus = await getXML('/open311/v2/requests.xml?status=bogus');
  assert.equal(badStatus.status, 400);
  assert.match(badStatus.xml.errors.error[0].description, /status/);
  assert.equal((await getJSON('/open311/v2/requests.json?status=bogus', { ip })).status, 400);
  // Another jurisdiction: not ours.
  const jur = await getXML('/open311/v2/services.xml?jurisdiction_id=hanoi.gov.vn');
  assert.equal(jur.status, 404);
  assert.match(jur.xml.errors.error[0].description, /jurisdiction_id/);
  assert.equal((await getXML('/open311/v2/services.xml?jurisdiction_id=dongthap.gov.vn')).status, 200);
});

test('an established client files in XML, form-encoded, without a phone, with attributes', async () => {
  const stamp = Date.now();
  const description = `Ổ gà lớn giữa đường & nước đọng <sâu> ${stamp}`;
  const r = await postXML('/open311/v2/requests.xml', {
    api_key: apiKey, jurisdiction_id: 'dongthap.gov.vn', service_code: 'dat-dai', description,
    email: 'nguoidan@example.vn', first_name: 'Lê', last_name: 'Thị Hồng', lat: '10.45', long: '105.63',
    address_string: 'Quốc lộ 30, xã Mỹ Tân', 'attribute[ma_ho_so]': `000.00.12.H22-${stamp}`,
    'attribute[thu_tuc]': 'Cấp giấy chứng nhận quyền sử dụng đất', 'attribute[khong_biet]': 'bỏ qua',
    media_url: 'https://anh.example.vn/o-ga/123.jpg', device_id: 'may-1', account_id: 'tk-9',
  });
  assert.equal(r.status, 201, r.text);
  const req = r.xml.service_requests.request[0];
  assert.match(req.service_request_id, /^\d{4}-[0-9A-Z]{8}$/);
  assert.match(req.service_notice, /xin cảm ơn/);
  const t = await one('SELECT channel, name, phone, email, content FROM tickets WHERE code = $1', [req.service_request_id]);
  assert.equal(t.channel, 'open311');
  assert.equal(t.phone, null);
  assert.equal(t.email, 'nguoidan@example.vn');
  assert.equal(t.name, 'Lê Thị Hồng');
  assert.match(t.content, new RegExp(`Mã hồ sơ: 000.00.12.H22-${stamp}`));
  assert.match(t.content, /Thủ tục hành chính: Cấp giấy chứng nhận quyền sử dụng đất/);
  assert.ok(!t.content.includes('bỏ qua'));
  assert.match(t.content, /Ảnh đính kèm: https:\/\/anh\.example\.vn\/o-ga\/123\.jpg/);
  const noMedia = await postXML('/open311/v2/requests.xml', { api_key: apiKey, service_code: 'dien',
    description: `Ảnh sai ${stamp}`, media_url: 'javascript:alert(1)' });
  assert.equal(noMedia.status, 400);
  assert.match(noMedia.xml.errors.error[0].description, /media_url/);

  // Neither phone nor e-mail: followed by its id.
  const bare = await postForm('/open311/v2/requests.json', { api_key: apiKey, service_code: 'nuoc',
    description: `Mất nước từ sáng ${stamp}` }, { ip });
  assert.equal(bare.status, 201, bare.text);
  const shown = await getXML(`/open311/v2/requests/${bare.json[0].service_request_id}.xml`);
  assert.equal(shown.status, 200);
  assert.equal(shown.xml.service_requests.request[0].status, 'open');
  assert.equal(shown.xml.service_requests.request[0].description, '');

  // Once published, the text comes back intact through the XML escapes.
  await one(`UPDATE tickets SET status = 'answered', answer = 'Đã vá <ổ gà> & thoát nước.', answered_at = now(),
             published = true WHERE code = $1`, [req.service_request_id]);
  const p = await getXML(`/open311/v2/requests/${req.service_request_id}.xml`);
  const pr = p.xml.service_requests.request[0];
  assert.equal(pr.status, 'closed');
  assert.ok(pr.description.startsWith(description), pr.description);
  assert.equal(pr.status_notes, 'Đã vá <ổ gà> & thoát nước.');
  assert.match(pr.requested_datetime, isoZ);
  assert.match(pr.updated_datetime, isoZ);
});

test('multipart posts are taken like form-encoded ones', async () => {
  const description = `Cây đổ chắn đường ${Date.now()}`;
  const m = multipart([['api_key', apiKey], ['service_code', 'dien'], ['description', description],
    ['jurisdiction_id', 'dongthap.gov.vn'], ['first_name', 'Phạm']]);
  const r = await getXML('/open311/v2/requests.xml', { ip, method: 'POST', body: m.body, headers: m.headers });
  assert.equal(r.status, 201, r.text);
  const t = await one('SELECT content, name FROM tickets WHERE code = $1', [r.xml.service_requests.request[0].service_request_id]);
  assert.equal(t.content, description);
  assert.equal(t.name, 'Phạm');
  // The key in a multipart body is checked like any other.
  const bad = multipart([['api_key', 'o311_' + 'B'.repeat(43)], ['service_code', 'dien'], ['description', description + '!']]);
  const b = await getXML('/open311/v2/requests.xml', { ip, method: 'POST', body: bad.body, headers: bad.headers });
  assert.equal(b.status, 403);
});

test('long Vietnamese names and addresses are cut by characters, never mid-letter', async () => {
  const first = 'Nguyễn'.repeat(30);        // 180 characters, 240 bytes
  const addr = 'Đường Hùng Vương, '.repeat(30);
  const r = await postForm('/open311/v2/requests.json', { api_key: apiKey, service_code: 'dien',
    description: `Đèn tín hiệu hỏng ${Date.now()}`, first_name: first, last_name: 'Văn', address_string: addr }, { ip });
  assert.equal(r.status, 201, r.text);
  const t = await one('SELECT name, title, content FROM tickets WHERE code = $1', [r.json[0].service_request_id]);
  assert.equal([...t.name].length, 100);
  assert.ok(t.name.startsWith('Nguyễn'));
  assert.ok(!t.name.includes('\ufffd'));
  assert.equal([...t.title].length, 200);
  assert.ok(!t.title.includes('\ufffd'));
  assert.ok(t.content.includes('Địa chỉ: Đường Hùng Vương'));
});

test('the list: service_request_id, status, dates with fractions, pages, open requests without their words', async () => {
  const stamp = Date.now();
  const codes = [];
  for (const i of [1, 2, 3]) {
    const r = await postForm('/open311/v2/requests.json', { api_key: apiKey, service_code: 'giao-thong',
      description: `Biển báo bị che khuất số ${i} ${stamp}`, phone: '0912345678' }, { ip });
    assert.equal(r.status, 201, r.text);
    codes.push(r.json[0].service_request_id);
  }
  await one("UPDATE tickets SET status = 'closed', published = true, answer = 'Đã xử lý.' WHERE code = $1", [codes[0]]);

  // One asked for is the one answered, whatever else the list holds.
  const a = await getJSON(`/open311/v2/requests.json?service_request_id=${codes[1]}`, { ip });
  assert.deepEqual(a.json.map((x) => x.service_request_id), [codes[1]]);
  const two = await getXML(`/open311/v2/requests.xml?service_request_id=${codes[2]},${codes[0]}`);
  assert.deepEqual(two.xml.service_requests.request.map((x) => x.service_request_id).sort(), [codes[0], codes[2]].sort());
  assert.equal((await getJSON('/open311/v2/requests.json?service_request_id=abc', { ip })).status, 400);

  // status filters; open requests are listed with their public fields only.
  const open = await getJSON('/open311/v2/requests.json?service_code=giao-thong&status=open&page_size=200', { ip });
  assert.ok(open.json.every((x) => x.status === 'open'));
  assert.ok(open.json.some((x) => x.service_request_id === codes[1]));
  assert.ok(!open.json.some((x) => x.service_request_id === codes[0]));
  assert.ok(open.json.every((x) => x.description === null && x.status_notes === null));
  assert.ok(!open.text.includes('Biển báo'));
  const closed = await getJSON('/open311/v2/requests.json?service_code=giao-thong&status=closed', { ip });
  assert.ok(closed.json.every((x) => x.status === 'closed'));
  assert.ok(closed.json.some((x) => x.service_request_id === codes[0]));
  const both = await getJSON('/open311/v2/requests.json?service_code=giao-thong&status=open,closed&page_size=200', { ip });
  assert.ok(both.json.some((x) => x.service_request_id === codes[0]) && both.json.some((x) => x.service_request_id === codes[1]));

  // Dates: fractional seconds and zones as ISO 8601 has them.
  const since = new Date(Date.now() - 3600e3).toISOString();  // 2026-12-03T10:00:00.000Z
  const d = await getJSON(`/open311/v2/requests.json?service_code=giao-thong&start_date=${since}`, { ip });
  assert.equal(d.status, 200, d.text);
  assert.ok(d.json.some((x) => x.service_request_id === codes[2]));
  const future = await getJSON('/open311/v2/requests.json?start_date=2099-01-01T00:00:00.5%2B07:00', { ip });
  assert.deepEqual(future.json, []);

  // Pages: newest first, page_size at a time.
  const p1 = await getJSON('/open311/v2/requests.json?service_code=giao-thong&page_size=1&page=1', { ip });
  const p2 = await getJSON('/open311/v2/requests.json?service_code=giao-thong&page_size=1&page=2', { ip });
  assert.equal(p1.json.length, 1);
  assert.equal(p2.json.length, 1);
  assert.notEqual(p1.json[0].service_request_id, p2.json[0].service_request_id);
  for (const q of ['page=0', 'page_size=0', 'page_size=201', 'page=x']) {
    const r = await getJSON(`/open311/v2/requests.json?${q}`, { ip });
    assert.equal(r.status, 400, q);
  }
});

test('servicerequestupdates (mySociety) lists public events, in XML and JSON', async () => {
  // From just before the filing: the whole suite files hundreds of
  // tickets, more than a page of the last ten minutes.
  const since = new Date(Date.now() - 2000).toISOString();
  const r = await postForm('/open311/v2/requests.json', { api_key: apiKey, service_code: 'dien',
    description: `Dây điện võng thấp ${Date.now()}` }, { ip });
  assert.equal(r.status, 201, r.text);
  const id = r.json[0].service_request_id;
  const x = await getXML(`/open311/v2/servicerequestupdates.xml?start_date=${since}&page_size=200`);
  assert.equal(x.status, 200, x.text);
  const mine = (x.xml.service_request_updates.request_update || []).filter((u) => u.service_request_id === id);
  assert.ok(mine.length >= 1, x.text.slice(0, 500));
  assert.equal(mine[0].status, 'open');
  assert.match(mine[0].updated_datetime, isoZ);
  const j = await getJSON(`/open311/v2/servicerequestupdates.json?start_date=${since}&page_size=200`, { ip });
  assert.ok(j.json.some((u) => u.service_request_id === id));
  assert.equal((await getJSON('/open311/v2/servicerequestupdates.json?end_date=nope', { ip })).status, 400);
});

test('a valid api_key has its own limit, higher than an address\'s', async () => {
  // tests/run: APP_RATE_SUBMIT=20 per address, APP_RATE_OPEN311=30 per key.
  const k = await issueKey(`Ứng dụng giới hạn ${process.pid}`);
  const from = '127.0.24.9';
  const stamp = Date.now();
  let n = 0;
  for (; n < 30; n++) {
    const r = await postForm('/open311/v2/requests.json', { api_key: k.key, service_code: 'dien',
      description: `Phản ánh số ${n} ${stamp}` }, { ip: from });
    assert.equal(r.status, 201, `${n}: ${r.text}`);
  }
  const over = await postXML('/open311/v2/requests.xml', { api_key: k.key, service_code: 'dien',
    description: `Phản ánh số ${n} ${stamp}` }, { ip: from });
  assert.equal(over.status, 429, over.text);
  assert.equal(over.xml.errors.error[0].code, '429');
  // Another key from the same address is not held back by the first.
  const other = await postForm('/open311/v2/requests.json', { api_key: apiKey, service_code: 'dien',
    description: `Phản ánh khác ${stamp}` }, { ip: from });
  assert.equal(other.status, 201, other.text);
});

test('tokens/{token}: the id stands for itself, unknown tokens are 404', async () => {
  const r = await postForm('/open311/v2/requests.json', { api_key: apiKey, service_code: 'dien',
    description: `Cột đèn nghiêng ${Date.now()}` }, { ip });
  assert.equal(r.status, 201, r.text);
  const id = r.json[0].service_request_id;
  const x = await getXML(`/open311/v2/tokens/${id}.xml`);
  assert.equal(x.status, 200, x.text);
  assert.deepEqual(x.xml.service_requests.request, [{ service_request_id: id, token: id }]);
  const j = await getJSON(`/open311/v2/tokens/${id}.json`, { ip });
  assert.deepEqual(j.json, [{ service_request_id: id, token: id }]);
  const none = await getXML(`/open311/v2/tokens/${id.slice(0, 5)}ZZZZZZZZ.xml`);
  assert.equal(none.status, 404);
  assert.equal(none.xml.errors.error[0].code, '404');
  assert.equal((await getJSON('/open311/v2/tokens/khong-phai.json', { ip })).status, 404);
});
