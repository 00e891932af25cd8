// Open311 GeoReport v2: an existing client can list services, file a
// request and read it back, and sees only what the public may see.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, getJSON, postForm, one, dbClose } from '../lib.mjs';

const ip = '127.0.24.1';
after(dbClose);

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
    service_code: 'dien', description, first_name: 'Trần', last_name: 'Văn Bình',
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

  const s = await getJSON(`/open311/v2/requests/${id}.json`, { ip });
  assert.equal(s.status, 200);
  assert.equal(s.json[0].status, 'open');
  assert.equal(s.json[0].service_code, 'dien');
  assert.equal(s.json[0].description, undefined, 'not published: no text');
  assert.ok(!s.text.includes('0912'));
  assert.ok(!s.text.includes('Bình'));

  // Once answered and published, the text appears with the phone masked.
  await one("UPDATE tickets SET status = 'answered', answer = 'Đã sửa xong.', answered_at = now(), published = true WHERE code = $1", [id]);
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
    title: 'Tiêu đề của máy khách', field: 'dat-dai', name: 'Tên giả', content: 'nội dung khác',
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
    const r = await postForm('/open311/v2/requests.json', body, { ip });
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
