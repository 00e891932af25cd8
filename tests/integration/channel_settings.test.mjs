// The channels' settings page (/quan-tri/kenh): for administrators only;
// a secret is never shown back (at most its last two characters), a blank
// secret keeps the one in use, clearing one needs a confirmation, a bad
// value is refused with a clear message and nothing changed, and every
// change is in the administration log without the secret's value.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { request, postForm, getPage, login, one, db, dbClose } from '../lib.mjs';

const ip = '127.0.56.1';
const SECRET = 'zl-9f8e7d6c5b4a-SECRETVALUE-34';
let s;

before(async () => {
  await db().query("DELETE FROM channel_settings WHERE channel IN ('zalo', 'sms')");
  s = await login('admin', ip);
});
after(async () => {
  await db().query("DELETE FROM channel_settings WHERE channel IN ('zalo', 'sms')");
  await dbClose();
});

const settings = async (channel) => Object.fromEntries((await db().query(
  'SELECT name, value, secret FROM channel_settings WHERE channel = $1', [channel])).rows.map((r) => [r.name, r]));
const lastEvent = () => one("SELECT kind, target_kind, target_id, payload, payload::text AS raw FROM admin_events ORDER BY id DESC LIMIT 1");
const zaloForm = (extra) => ({
  csrf: s.csrf, channel: 'zalo', app_id: '1234567890', api_base: 'https://openapi.zalo.me',
  oauth_base: '', ack_text: 'Tổng đài 1022 đã nhận tin nhắn của bạn.', oa_secret_key: '',
  app_secret_key: '', access_token: '', refresh_token: '', ...extra,
});

test('only administrators reach the page and its forms', async () => {
  for (const who of ['dtv.lan', 'lanhdao', 'cb.stnmt']) {
    const u = await login(who, ip);
    assert.equal((await request('GET', '/quan-tri/kenh', u)).status, 403, who);
    const r = await postForm('/quan-tri/kenh', { csrf: u.csrf, channel: 'sms', url: 'http://evil.example/' }, u);
    assert.equal(r.status, 403, who);
    const c = await postForm('/quan-tri/kenh/xoa', { csrf: u.csrf, channel: 'sms', name: 'password', confirm: '1' }, u);
    assert.equal(c.status, 403, who);
  }
  assert.deepEqual(await settings('sms'), {});
  const page = await request('GET', '/quan-tri/kenh', s);
  assert.equal(page.status, 200);
  assert.match(page.text, /href="\/quan-tri\/kenh" aria-current="page"/);
  for (const name of ['imap_password', 'smtp_url', 'oa_secret_key', 'page_access_token', 'template', 'reminder_hours']) {
    assert.ok(page.text.includes(`name="${name}"`), name);
  }
  // Without the CSRF token nothing is stored.
  const r = await postForm('/quan-tri/kenh', { channel: 'sms', url: 'http://127.0.0.1:21402/' }, s);
  assert.equal(r.status, 403);
  assert.deepEqual(await settings('sms'), {});
});

test('a secret is stored, never shown back, and kept when left blank', async () => {
  let r = await postForm('/quan-tri/kenh', zaloForm({ oa_secret_key: SECRET }), s);
  assert.equal(r.status, 303, r.text.slice(0, 400));
  let z = await settings('zalo');
  assert.equal(z.oa_secret_key.value, SECRET);
  assert.equal(z.oa_secret_key.secret, true);
  assert.equal(z.app_id.value, '1234567890');
  assert.equal(z.oauth_base, undefined, 'a blank setting is not stored');

  const ev = await lastEvent();
  assert.equal(ev.kind, 'channel_update');
  assert.equal(ev.target_kind, 'channel');
  assert.equal(ev.target_id, 'zalo');
  assert.ok(ev.payload.changed.includes('oa_secret_key'));
  assert.ok(!ev.raw.includes(SECRET), 'the log names the secret, never its value');
  assert.ok(!ev.raw.includes(SECRET.slice(0, 10)));

  const page = await request('GET', '/quan-tri/kenh', s);
  assert.ok(!page.text.includes(SECRET), 'not in the HTML');
  assert.ok(!page.text.includes(SECRET.slice(0, 10)), 'no part of it either');
  assert.match(page.text, /data-state="oa_secret_key">Đã đặt, kết thúc bằng …34/);
  assert.match(page.text, /data-state="access_token">Chưa đặt/);

  // Saved again with the secret blank: kept; the app id changes.
  r = await postForm('/quan-tri/kenh', zaloForm({ app_id: '555' }), s);
  assert.equal(r.status, 303);
  z = await settings('zalo');
  assert.equal(z.oa_secret_key.value, SECRET);
  assert.equal(z.app_id.value, '555');
  const ev2 = await lastEvent();
  assert.deepEqual(ev2.payload, { changed: ['app_id'], cleared: [] });
});

test('clearing a secret needs the confirmation, and is logged', async () => {
  const page = await getPage('/quan-tri/kenh', s);
  assert.match(page.text, /action="\/quan-tri\/kenh\/xoa"/);
  let r = await postForm('/quan-tri/kenh/xoa', { csrf: s.csrf, channel: 'zalo', name: 'oa_secret_key' }, s);
  assert.equal(r.status, 400);
  assert.match(r.text, /xác nhận/);
  assert.equal((await settings('zalo')).oa_secret_key.value, SECRET, 'still there');
  r = await postForm('/quan-tri/kenh/xoa', { csrf: s.csrf, channel: 'zalo', name: 'app_id', confirm: '1' }, s);
  assert.equal(r.status, 400, 'only secrets are cleared this way');
  r = await postForm('/quan-tri/kenh/xoa', { csrf: s.csrf, channel: 'zalo', name: 'oa_secret_key', confirm: '1' }, s);
  assert.equal(r.status, 303);
  assert.equal((await settings('zalo')).oa_secret_key, undefined);
  const ev = await lastEvent();
  assert.equal(ev.kind, 'channel_secret_clear');
  assert.deepEqual(ev.payload, { cleared: ['oa_secret_key'] });
  r = await postForm('/quan-tri/kenh/xoa', { csrf: s.csrf, channel: 'zalo', name: 'oa_secret_key', confirm: '1' }, s);
  assert.equal(r.status, 404);
  const log = await request('GET', '/quan-tri/nhat-ky', s);
  assert.match(log.text, /Xóa khóa bí mật của kênh/);
  assert.match(log.text, /Sửa cấu hình kênh/);
});

test('a bad value is refused with a clear message and nothing changes', async () => {
  let r = await postForm('/quan-tri/kenh', { csrf: s.csrf, channel: 'sms', url: 'http://127.0.0.1:21402/send',
    sender: 'TD1022', password: 'p4ss-word-long-enough' }, s);
  assert.equal(r.status, 303);
  const before = await settings('sms');
  const events = (await one('SELECT count(*)::int AS n FROM admin_events')).n;
  for (const [fields, msg] of [
    [{ url: 'javascript:alert(1)' }, /Địa chỉ cổng SMS: địa chỉ không hợp lệ/],
    [{ url: 'http:// spaced.example/' }, /Địa chỉ cổng SMS: địa chỉ không hợp lệ/],
    [{ url: 'ftp://files.example/' }, /Địa chỉ cổng SMS: địa chỉ không hợp lệ/],
  ]) {
    r = await postForm('/quan-tri/kenh', { csrf: s.csrf, channel: 'sms', sender: 'NEW', password: 'changed-secret-x', ...fields }, s);
    assert.equal(r.status, 400, JSON.stringify(fields));
    assert.match(r.text, msg);
    assert.ok(!r.text.includes('changed-secret-x'), 'a typed secret is not echoed either');
  }
  r = await postForm('/quan-tri/kenh', { csrf: s.csrf, channel: 'notice', reminder_hours: '-3' }, s);
  assert.equal(r.status, 400);
  assert.match(r.text, /Nhắc hạn trước \(giờ\): phải là số nguyên từ 0 đến 720/);
  r = await postForm('/quan-tri/kenh', { csrf: s.csrf, channel: 'email', from_address: 'not an address' }, s);
  assert.equal(r.status, 400);
  assert.match(r.text, /Địa chỉ gửi đi: địa chỉ e-mail không hợp lệ/);
  r = await postForm('/quan-tri/kenh', { csrf: s.csrf, channel: 'secret-ops', url: 'http://x.example/' }, s);
  assert.equal(r.status, 400);
  assert.deepEqual(await settings('sms'), before);
  assert.equal((await one('SELECT count(*)::int AS n FROM admin_events')).n, events);
});
