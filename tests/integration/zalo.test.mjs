// Zalo OA: signed webhook events into the inbox, once each, with one
// acknowledgement per conversation sent through the OA message API (a local
// fake, tests/tools/fake-zalo.mjs); the access token refreshed once when it
// expires, even when two workers find it expired at the same moment.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { request, db, one, dbClose, sleep, waitFor, channelSetting } from '../lib.mjs';
import { startFakeZalo } from '../tools/fake-zalo.mjs';

const ip = '127.0.54.1';
const PORT = 21310 + (Number(process.env.TEST_PORT_OFFSET || 0) % 10);
const APP_ID = '360846524940903967';
const OA_SECRET = 'oa-secret-key-for-tests';
const ACK = 'Tổng đài Thông tin dịch vụ công tỉnh Đồng Tháp đã nhận được thông tin góp ý, phản ánh của Quý khách, xin cảm ơn.';
let fake;

const setting = (name, value) => channelSetting('zalo', name, value);
const control = (c) => fetch(`${fake.url}/_control`, { method: 'POST', body: JSON.stringify(c) });
const log = async () => (await fetch(`${fake.url}/_log`)).json();

const mac = (body, ts) => 'mac=' + crypto.createHash('sha256').update(APP_ID + body + ts + OA_SECRET).digest('hex');
function deliver(obj, { signature, raw } = {}) {
  const body = raw ?? JSON.stringify(obj);
  const headers = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-zevent-signature'] = signature ?? mac(body, obj.timestamp);
  return request('POST', '/webhooks/zalo', { ip, body, headers });
}
let serial = Date.now();
const uid = () => `${++serial}`;
function textEvent(user, text, extra = {}) {
  return { app_id: APP_ID, sender: { id: user }, user_id_by_app: '552177279717587730', recipient: { id: '388613280878808645' },
    event_name: 'user_send_text', message: { text, msg_id: `msg-${uid()}` }, timestamp: `${Date.now()}`, ...extra };
}
const countIn = async (extId) => Number((await one(
  "SELECT count(*) AS n FROM messages WHERE channel = 'zalo' AND direction = 'in' AND external_id = $1", [extId])).n);

before(async () => {
  fake = await startFakeZalo(PORT);
  for (const [k, v] of Object.entries({ app_id: APP_ID, oa_secret_key: OA_SECRET, app_secret_key: 'app-secret',
    access_token: 'A0', refresh_token: 'R0', api_base: fake.url, oauth_base: fake.url, ack_text: null })) await setting(k, v);
  await sleep(600);		// every worker reloads its webhook keys (NOTIFY social_settings)
});
after(async () => { await fake.close(); await dbClose(); });

test('a text, an image, a file and a place: one conversation, one acknowledgement sent to Zalo', async () => {
  const user = `u${uid()}`;
  const first = textEvent(user, 'Đường Nguyễn Huệ có ổ gà');
  const r = await deliver(first);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { stored: 1, acks: 1 });

  const image = { ...textEvent(user, ''), event_name: 'user_send_image',
    message: { msg_id: `img-${uid()}`, text: 'ảnh', attachments: [{ type: 'image', payload: { thumbnail: 'https://zalo.example/t.jpg', url: 'https://zalo.example/i.jpg' } }] } };
  const file = { ...textEvent(user, ''), event_name: 'user_send_file',
    message: { msg_id: `file-${uid()}`, attachments: [{ type: 'file', payload: { size: '2048', name: 'don-kien-nghi.pdf', checksum: 'c', type: 'pdf', url: 'https://zalo.example/d.pdf' } }] } };
  const place = { ...textEvent(user, ''), event_name: 'user_send_location',
    message: { msg_id: `loc-${uid()}`, attachments: [{ type: 'location', payload: { coordinates: { latitude: '10.4538', longitude: '105.6339' } } }] } };
  for (const e of [image, file, place]) {
    const x = await deliver(e);
    assert.equal(x.status, 200, x.text);
    assert.deepEqual(x.json, { stored: 1, acks: 0 });
  }

  const convs = (await db().query("SELECT id FROM conversations WHERE channel = 'zalo' AND thread = $1", [user])).rows;
  assert.equal(convs.length, 1);
  const msgs = (await db().query(`SELECT direction, kind, body, payload, recipient FROM messages
    WHERE conversation_id = $1 ORDER BY id`, [convs[0].id])).rows;
  assert.deepEqual(msgs.map((m) => `${m.direction}:${m.kind}`), ['in:message', 'out:ack', 'in:message', 'in:message', 'in:message']);
  assert.equal(msgs[0].body, 'Đường Nguyễn Huệ có ổ gà');
  assert.equal(msgs[1].body, ACK);
  assert.equal(msgs[2].payload.attachments[0].url, 'https://zalo.example/i.jpg');
  assert.equal(msgs[3].payload.attachments[0].name, 'don-kien-nghi.pdf');
  assert.equal(msgs[4].payload.location.lat, 10.4538);

  // The acknowledgement went out through the OA API, and is marked sent.
  const sent = await waitFor(async () => (await log()).sends.find((s) => s.user === user && s.result === 0), 'the ack at Zalo');
  assert.equal(sent.text, ACK);
  assert.equal(sent.token, 'A0');
  const ack = await waitFor(() => one("SELECT state, external_id FROM messages WHERE recipient = $1 AND kind = 'ack' AND state = 'sent'", [user]), 'ack sent');
  assert.equal(ack.external_id, sent.id);
});

test('follow and unfollow are kept as events, with no acknowledgement', async () => {
  const user = `f${uid()}`;
  const ts = `${Date.now()}`;
  const follow = { oa_id: '388613280878808645', follower: { id: user }, user_id_by_app: '1', event_name: 'follow', source: 'oa_profile', app_id: APP_ID, timestamp: ts };
  const r = await deliver(follow);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { stored: 1, acks: 0 });
  const r2 = await deliver({ ...follow, event_name: 'unfollow', timestamp: `${Number(ts) + 1}` });
  assert.deepEqual(r2.json, { stored: 1, acks: 0 });
  const rows = (await db().query(`SELECT m.kind, m.body FROM messages m JOIN conversations c ON c.id = m.conversation_id
    WHERE c.channel = 'zalo' AND c.thread = $1 ORDER BY m.id`, [user])).rows;
  assert.deepEqual(rows.map((m) => m.kind), ['event', 'event']);
  assert.match(rows[0].body, /quan tâm/);
  // A receipt of our own message is not a message.
  const seen = await deliver({ app_id: APP_ID, sender: { id: user }, recipient: { id: 'oa' }, event_name: 'user_seen_message', message: { msg_ids: ['x'] }, timestamp: ts });
  assert.deepEqual(seen.json, { stored: 0 });
});

test('the same delivery twice is stored once and acknowledged once', async () => {
  const user = `d${uid()}`;
  const e = textEvent(user, 'Gửi lại');
  const body = JSON.stringify(e);
  const a = await deliver(e, { raw: body });
  const b = await deliver(e, { raw: body });
  assert.equal(a.status, 200);
  assert.equal(b.status, 200);
  assert.deepEqual(b.json, { stored: 0, acks: 0 });
  assert.equal(await countIn(e.message.msg_id), 1);
  assert.equal(Number((await one("SELECT count(*) AS n FROM messages WHERE recipient = $1 AND kind = 'ack'", [user])).n), 1);
});

test('a bad or missing signature gets 401 and stores nothing', async () => {
  const e = textEvent(`s${uid()}`, 'giả mạo');
  const body = JSON.stringify(e);
  const wrong = 'mac=' + crypto.createHash('sha256').update(APP_ID + body + e.timestamp + 'not-the-key').digest('hex');
  const r = await deliver(e, { raw: body, signature: wrong });
  assert.equal(r.status, 401);
  assert.ok(r.json.error);
  const m = await deliver(e, { raw: body, signature: null });
  assert.equal(m.status, 401);
  // A signature of another timestamp than the body's.
  const t = await deliver(e, { raw: body, signature: mac(body, `${Number(e.timestamp) + 1}`) });
  assert.equal(t.status, 401);
  assert.equal(await countIn(e.message.msg_id), 0);
});

test('malformed JSON gets 400 with a reason and stores nothing', async () => {
  const before = Number((await one("SELECT count(*) AS n FROM messages WHERE channel = 'zalo'")).n);
  const r = await deliver({ timestamp: '1' }, { raw: '{"event_name": "user_send_text", "timestamp": "1"', signature: mac('x', '1') });
  assert.equal(r.status, 400);
  assert.match(r.json.error, /JSON/);
  // Well-formed and signed, but a message without its id.
  const e = { app_id: APP_ID, sender: { id: 'u1' }, event_name: 'user_send_text', message: { text: 'x' }, timestamp: '5' };
  const r2 = await deliver(e);
  assert.equal(r2.status, 400);
  assert.ok(r2.json.error);
  assert.equal(Number((await one("SELECT count(*) AS n FROM messages WHERE channel = 'zalo'")).n), before);
});

test('an expired access token is refreshed once, both new tokens stored, and the message goes', async () => {
  await control({ reset: true, access: 'ROTATED-BY-ZALO' });
  const token0 = (await one("SELECT value FROM channel_settings WHERE channel = 'zalo' AND name = 'access_token'")).value;
  const user = `t${uid()}`;
  const id = (await one("SELECT message_send('zalo', $1, 'message', NULL, 'Phiếu của anh đã được chuyển') AS id", [user])).id;
  const m = await waitFor(() => one("SELECT state, last_error FROM messages WHERE id = $1 AND state IN ('sent', 'failed')", [id]), 'the send');
  assert.equal(m.state, 'sent', m.last_error);
  const l = await log();
  assert.equal(l.refreshes.length, 1);
  assert.equal(l.refreshes[0].secret, 'app-secret');
  assert.equal(l.refreshes[0].appId, APP_ID);
  assert.deepEqual(l.sends.filter((s) => s.user === user).map((s) => [s.token === token0, s.result]), [[true, -216], [false, 0]]);
  const stored = Object.fromEntries((await db().query(
    "SELECT name, value FROM channel_settings WHERE channel = 'zalo' AND name IN ('access_token', 'refresh_token')")).rows.map((r) => [r.name, r.value]));
  assert.deepEqual(stored, { access_token: l.access, refresh_token: l.refresh });
});

test('two workers finding the token expired at once spend the refresh token once', async () => {
  // The refresh takes a while, so the second message is claimed by the other
  // worker's sender while the first holds the refresh token's lock.
  await control({ reset: true, access: 'ROTATED-AGAIN', refreshDelayMs: 1500 });
  const a = `ra${uid()}`, b = `rb${uid()}`;
  const id1 = (await one("SELECT message_send('zalo', $1, 'message', NULL, 'Một') AS id", [a])).id;
  await waitFor(async () => (await log()).refreshes.length === 1, 'the first refresh to start');
  const id2 = (await one("SELECT message_send('zalo', $1, 'message', NULL, 'Hai') AS id", [b])).id;
  const done = await waitFor(async () => {
    const r = (await db().query("SELECT id, state, last_error FROM messages WHERE id IN ($1, $2) AND state IN ('sent', 'failed')", [id1, id2])).rows;
    return r.length === 2 ? r : null;
  }, 'both sends');
  assert.deepEqual(done.map((r) => r.state), ['sent', 'sent'], JSON.stringify(done));
  const l = await log();
  assert.equal(l.refreshes.length, 1, JSON.stringify(l.refreshes));
  assert.equal(l.refreshes.filter((r) => r.result === -14014).length, 0);
  // Both senders met the expired token; the second took the first's new one.
  assert.equal(l.sends.filter((s) => s.result === -216).length, 2, JSON.stringify(l.sends));
  assert.ok(l.sends.filter((s) => s.result === 0).every((s) => s.token === l.access));
  await control({ refreshDelayMs: 0 });
});

test('a spent refresh token fails the message with a message for the admin; the old tokens stay', async () => {
  await control({ reset: true, access: 'ROTATED-3', refresh: 'SOMEONE-ELSE-SPENT-IT' });
  const beforeTokens = (await db().query("SELECT name, value FROM channel_settings WHERE channel = 'zalo' AND name IN ('access_token', 'refresh_token') ORDER BY name")).rows;
  const id = (await one("SELECT message_send('zalo', $1, 'message', NULL, 'Ba') AS id", [`x${uid()}`])).id;
  const m = await waitFor(() => one("SELECT state, last_error FROM messages WHERE id = $1 AND state IN ('sent', 'failed')", [id]), 'the send');
  assert.equal(m.state, 'failed');
  assert.match(m.last_error, /refresh token.*quản trị viên/);
  assert.equal((await log()).refreshes[0].result, -14014);
  assert.deepEqual((await db().query("SELECT name, value FROM channel_settings WHERE channel = 'zalo' AND name IN ('access_token', 'refresh_token') ORDER BY name")).rows, beforeTokens);
  // Mended by the admin: tokens that Zalo takes.
  const l = await log();
  await control({ access: 'A-ADMIN', refresh: 'R-ADMIN' });
  await setting('access_token', 'A-ADMIN');
  await setting('refresh_token', 'R-ADMIN');
  assert.ok(l);
});

test('a provider error is shown and retried; the retry goes', async () => {
  await control({ reset: true, fail5xx: 1 });
  const id = (await one("SELECT message_send('zalo', $1, 'message', NULL, 'Bốn') AS id", [`e${uid()}`])).id;
  const m = await waitFor(() => one("SELECT state, attempts, last_error, next_attempt_at > now() AS later FROM messages WHERE id = $1 AND state = 'pending' AND attempts = 1", [id]), 'the failed try');
  assert.match(m.last_error, /Zalo/);
  assert.equal(m.later, true);
  // The backoff (retry.c) is not waited out: the retry is made due now.
  await db().query("UPDATE messages SET next_attempt_at = now() WHERE id = $1", [id]);
  await db().query("SELECT pg_notify('outbox', $1)", [String(id)]);
  const s = await waitFor(() => one("SELECT state, attempts, last_error FROM messages WHERE id = $1 AND state = 'sent'", [id]), 'the retry');
  assert.equal(s.attempts, 2);
  assert.equal(s.last_error, null);
});

test('the acknowledgement text is the province\'s when set', async () => {
  await setting('ack_text', 'Trung tâm đã nhận tin nhắn của Quý khách.');
  const user = `k${uid()}`;
  const r = await deliver(textEvent(user, 'Chào'));
  assert.deepEqual(r.json, { stored: 1, acks: 1 });
  assert.equal((await one("SELECT body FROM messages WHERE recipient = $1 AND kind = 'ack'", [user])).body, 'Trung tâm đã nhận tin nhắn của Quý khách.');
  await setting('ack_text', null);
});

test('without a text of its own, the acknowledgement names the province set for every channel', async () => {
  await one("INSERT INTO channel_settings (channel, name, value) VALUES ('notice', 'province', 'An Giang')");
  try {
    const user = `k${uid()}`;
    const r = await deliver(textEvent(user, 'Chào'));
    assert.deepEqual(r.json, { stored: 1, acks: 1 });
    assert.equal((await one("SELECT body FROM messages WHERE recipient = $1 AND kind = 'ack'", [user])).body,
      ACK.replace('Đồng Tháp', 'An Giang'));
  } finally {
    await one("DELETE FROM channel_settings WHERE channel = 'notice' AND name = 'province'");
  }
});
