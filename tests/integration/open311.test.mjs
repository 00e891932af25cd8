// Open311 GeoReport v2: an existing client can list services, file a
// request with the api_key an administrator issued it, and read back only
// what the public may see.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { request, getJSON, getPage, postForm, login, one, db, dbClose } from '../lib.mjs';

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
  assert.equal(dat.metadata, false);
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

  // Not published: exactly what an unknown request gets.
  const s = await getJSON(`/open311/v2/requests/${id}.json`, { ip });
  const unknown = await getJSON(`/open311/v2/requests/${id.slice(0, 5)}ZZZZZZZZ.json`, { ip });
  assert.equal(unknown.status, 404);
  assert.equal(s.status, 404);
  assert.equal(s.text, unknown.text);
  assert.deepEqual(s.json, [{ code: 404, description: s.json[0].description }]);
  assert.ok(!s.text.includes('0912'));
  assert.ok(!s.text.includes('Bình'));
  // Answered but not published: still nothing.
  await one("UPDATE tickets SET status = 'answered', answer = 'Đã sửa xong.', answered_at = now() WHERE code = $1", [id]);
  const a = await getJSON(`/open311/v2/requests/${id}.json`, { ip });
  assert.equal(a.status, 404);
  assert.equal(a.text, unknown.text);

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
    [{ service_code: 'dien', description: 'x' }, 400],
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
