// Facebook Messenger: the subscription check, signed webhooks with several
// entries and messaging items into the inbox once each, one acknowledgement
// per conversation sent through the Send API (a local fake,
// tests/tools/fake-facebook.mjs), and Graph errors shown on the message,
// retried or failed as they should be.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import dns from 'node:dns/promises';
import os from 'node:os';
import { request, db, one, dbClose, sleep, waitFor, channelSetting } from '../lib.mjs';
import { startFakeFacebook } from '../tools/fake-facebook.mjs';

const ip = '127.0.54.2';
const PORT = 21320 + (Number(process.env.TEST_PORT_OFFSET || 0) % 10);
const APP_SECRET = 'fb-app-secret-for-tests';
const VERIFY = 'verify-token-for-tests';
const PAGE = '1234567890';
const ACK = 'Tổng đài Thông tin dịch vụ công tỉnh Đồng Tháp đã nhận được thông tin góp ý, phản ánh của Quý khách, xin cảm ơn.';
let fake;

const setting = (name, value) => channelSetting('facebook', name, value);
const control = (c) => fetch(`${fake.url}/_control`, { method: 'POST', body: JSON.stringify(c) });
const log = async () => (await fetch(`${fake.url}/_log`)).json();

const sign = (body, key = APP_SECRET) => 'sha256=' + crypto.createHmac('sha256', key).update(body).digest('hex');
function deliver(obj, { signature, raw } = {}) {
  const body = raw ?? JSON.stringify(obj);
  const headers = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-hub-signature-256'] = signature ?? sign(body);
  return request('POST', '/webhooks/facebook', { ip, body, headers });
}
let serial = Date.now();
const uid = () => `${++serial}`;
const page = (...entries) => ({ object: 'page', entry: entries.map((messaging) => ({ id: PAGE, time: Date.now(), messaging })) });
const textItem = (psid, text) => ({ sender: { id: psid }, recipient: { id: PAGE }, timestamp: Date.now(), message: { mid: `m_${uid()}`, text } });
const countIn = async (mid) => Number((await one(
  "SELECT count(*) AS n FROM messages WHERE channel = 'facebook' AND direction = 'in' AND external_id = $1", [mid])).n);

before(async () => {
  fake = await startFakeFacebook(PORT);
  for (const [k, v] of Object.entries({ app_secret: APP_SECRET, verify_token: VERIFY, page_access_token: 'PAGE-TOKEN',
    graph_base: fake.url, graph_version: 'v19.0' })) await setting(k, v);
  await sleep(600);		// every worker reloads its webhook keys (NOTIFY social_settings)
});
after(async () => { await fake.close(); await dbClose(); });

test('the subscription check echoes the challenge for the right token only', async () => {
  const q = (token, mode = 'subscribe') => `/webhooks/facebook?hub.mode=${mode}&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`;
  const ok = await request('GET', q(VERIFY), { ip });
  assert.equal(ok.status, 200);
  assert.equal(ok.text, '1158201444');
  const wrong = await request('GET', q('guess'), { ip });
  assert.equal(wrong.status, 403);
  assert.ok(wrong.json.error);
  assert.equal((await request('GET', q(VERIFY, 'unsubscribe'), { ip })).status, 400);
  assert.equal((await request('GET', '/webhooks/facebook', { ip })).status, 400);
});

test('every entry and every messaging item: messages kept, echoes and receipts not, one ack per conversation', async () => {
  const a = `PA${uid()}`, b = `PB${uid()}`;
  const t1 = textItem(a, 'Cột điện nghiêng ở xã Mỹ An');
  const echo = { sender: { id: PAGE }, recipient: { id: a }, timestamp: Date.now(), message: { mid: `m_${uid()}`, is_echo: true, app_id: 1, text: 'ours' } };
  const delivery = { sender: { id: a }, recipient: { id: PAGE }, timestamp: Date.now(), delivery: { mids: ['m_x'], watermark: Date.now() } };
  const read = { sender: { id: a }, recipient: { id: PAGE }, timestamp: Date.now(), read: { watermark: Date.now() } };
  const image = { sender: { id: a }, recipient: { id: PAGE }, timestamp: Date.now(), message: { mid: `m_${uid()}`,
    attachments: [{ type: 'image', payload: { url: 'https://scontent.example/p.jpg' } }] } };
  const t2 = textItem(b, 'Xin hỏi thủ tục cấp phép');
  const postback = { sender: { id: b }, recipient: { id: PAGE }, timestamp: Date.now() + 1, postback: { title: 'Bắt đầu', payload: 'GET_STARTED', mid: `m_${uid()}` } };
  const r = await deliver(page([t1, echo, delivery], [read, image], [t2, postback]));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { stored: 4, acks: 2 });
  assert.equal(await countIn(echo.message.mid), 0);

  const msgs = async (psid) => (await db().query(`SELECT m.direction, m.kind, m.body, m.payload FROM messages m
    JOIN conversations c ON c.id = m.conversation_id WHERE c.channel = 'facebook' AND c.thread = $1 ORDER BY m.id`, [psid])).rows;
  const ma = await msgs(a);
  assert.deepEqual(ma.map((m) => `${m.direction}:${m.kind}`), ['in:message', 'out:ack', 'in:message']);
  assert.equal(ma[0].body, 'Cột điện nghiêng ở xã Mỹ An');
  assert.equal(ma[2].payload.attachments[0].url, 'https://scontent.example/p.jpg');
  const mb = await msgs(b);
  assert.deepEqual(mb.map((m) => `${m.direction}:${m.kind}:${m.body}`),
    ['in:message:Xin hỏi thủ tục cấp phép', `out:ack:${ACK}`, 'in:message:Bắt đầu']);
  assert.equal(Number((await one("SELECT count(*) AS n FROM conversations WHERE channel = 'facebook' AND thread IN ($1, $2)", [a, b])).n), 2);

  // Both acknowledgements went through the Send API and are marked sent.
  const sent = await waitFor(async () => {
    const s = (await log()).sends.filter((x) => [a, b].includes(x.psid) && x.result === 0);
    return s.length === 2 ? s : null;
  }, 'two acks at Facebook');
  for (const s of sent) {
    assert.equal(s.text, ACK);
    assert.equal(s.type, 'RESPONSE');
    assert.equal(s.version, 'v19.0');
    assert.equal(s.token, 'PAGE-TOKEN');
  }
  await waitFor(async () => Number((await one("SELECT count(*) AS n FROM messages WHERE recipient IN ($1, $2) AND kind = 'ack' AND state = 'sent' AND external_id LIKE 'm_out_%'", [a, b])).n) === 2, 'acks sent');
});

test('the same webhook twice is stored once', async () => {
  const t = textItem(`PD${uid()}`, 'hai lần');
  const body = JSON.stringify(page([t]));
  assert.deepEqual((await deliver(null, { raw: body })).json, { stored: 1, acks: 1 });
  assert.deepEqual((await deliver(null, { raw: body })).json, { stored: 0, acks: 0 });
  assert.equal(await countIn(t.message.mid), 1);
});

test('two first messages of one person at once: one conversation, one acknowledgement, no error', async () => {
  for (let round = 0; round < 5; round++) {
    const psid = `PC${uid()}`;
    const rs = await Promise.all([1, 2, 3].map((i) => deliver(page([textItem(psid, `cùng lúc ${i}`)]))));
    assert.deepEqual(rs.map((r) => r.status), [200, 200, 200], rs.map((r) => r.text).join(' '));
    assert.equal(Number((await one("SELECT count(*) AS n FROM conversations WHERE channel = 'facebook' AND thread = $1", [psid])).n), 1);
    assert.equal(Number((await one("SELECT count(*) AS n FROM contacts WHERE facebook_psid = $1", [psid])).n), 1);
    assert.equal(Number((await one("SELECT count(*) AS n FROM messages WHERE recipient = $1 AND kind = 'ack'", [psid])).n), 1);
  }
});

test('a bad or missing signature gets 401 and stores nothing', async () => {
  const t = textItem(`PS${uid()}`, 'giả mạo');
  const body = JSON.stringify(page([t]));
  const r = await deliver(null, { raw: body, signature: sign(body, 'wrong-secret') });
  assert.equal(r.status, 401);
  assert.ok(r.json.error);
  assert.equal((await deliver(null, { raw: body, signature: null })).status, 401);
  assert.equal((await deliver(null, { raw: body, signature: 'sha1=' + crypto.createHmac('sha1', APP_SECRET).update(body).digest('hex') })).status, 401);
  // Signed, then changed on the way.
  assert.equal((await deliver(null, { raw: body.replace('giả mạo', 'gia mao'), signature: sign(body) })).status, 401);
  assert.equal(await countIn(t.message.mid), 0);
});

test('malformed JSON gets 400 with a reason and stores nothing', async () => {
  const before = Number((await one("SELECT count(*) AS n FROM messages WHERE channel = 'facebook'")).n);
  const raw = '{"object":"page","entry":[{"messaging":[';
  const r = await deliver(null, { raw });
  assert.equal(r.status, 400);
  assert.match(r.json.error, /JSON/);
  // Well-formed, but an item without its sender: the whole body is refused.
  const bad = page([textItem(`PM${uid()}`, 'ok'), { recipient: { id: PAGE }, message: { mid: 'm_nosender', text: 'x' } }]);
  const r2 = await deliver(bad);
  assert.equal(r2.status, 400);
  assert.ok(r2.json.error);
  // Beyond the route's limit (256 KiB), before any signature or parse.
  const huge = JSON.stringify(page([textItem(`PH${uid()}`, 'x'.repeat(300 * 1024))]));
  const r3 = await deliver(null, { raw: huge });
  assert.equal(r3.status, 413);
  assert.equal(Number((await one("SELECT count(*) AS n FROM messages WHERE channel = 'facebook'")).n), before);
});

// error: what the fake answers this message's send, and no other's (an
// acknowledgement or a retry of an earlier test may be on its way too).
async function sendAndSettle(text, states = ['sent', 'failed'], error) {
  const psid = `PG${uid()}`;
  if (error) await control({ errors: [{ ...error, psid }] });
  const id = (await one("SELECT message_send('facebook', $1, 'message', NULL, $2) AS id", [psid, text])).id;
  return waitFor(() => one(`SELECT state, attempts, last_error, external_id FROM messages WHERE id = $1
    AND attempts > 0 AND state = ANY($2)`, [id, states]), `message ${id}`);
}

test('Graph errors are shown on the message: expired token, closed window and blocked user fail; rate limits retry', async () => {
  await control({ reset: true });
  let m = await sendAndSettle('ngoài 24 giờ', undefined,
    { status: 400, code: 10, subcode: 2018278, message: '(#10) This message is sent outside of allowed window.' });
  assert.equal(m.state, 'failed');
  assert.match(m.last_error, /24 giờ/);

  m = await sendAndSettle('bị chặn', undefined,
    { status: 400, code: 551, subcode: 1545041, message: 'This person isn\'t available right now.' });
  assert.equal(m.state, 'failed');
  assert.match(m.last_error, /chặn/);

  m = await sendAndSettle('giới hạn', ['pending'],
    { status: 400, code: 613, message: 'Calls to this api have exceeded the rate limit.' });
  assert.equal(m.attempts, 1);
  assert.match(m.last_error, /sẽ gửi lại/);

  m = await sendAndSettle('máy chủ lỗi', ['pending'], { status: 503 });
  assert.match(m.last_error, /Facebook/);

  await control({ token: 'A-NEWER-TOKEN', errors: [] });
  m = await sendAndSettle('mã hết hạn');
  assert.equal(m.state, 'failed');
  assert.match(m.last_error, /hết hạn.*190/);
  await control({ token: 'PAGE-TOKEN' });

  m = await sendAndSettle('bình thường');
  assert.equal(m.state, 'sent');
  assert.match(m.external_id, /^m_out_/);
});

// Production names its providers by host name: libcurl resolves it on a
// thread of its own that wakes the sender through a socketpair, which the
// worker's sandbox must allow, or the sender waits out its timeout.  The
// machine's own name (from /etc/hosts) stands in for graph.facebook.com
// when it resolves to this host's loopback.  A name asked of a DNS server
// also needs sendmmsg (src/app.c), which no test here can reach.
test('a provider named by host name is reached from the sandboxed worker', async (t) => {
  const name = os.hostname();
  const addr = await dns.lookup(name, { family: 4 }).catch(() => null);
  if (!addr || addr.address !== '127.0.0.1') return t.skip(`${name} does not resolve to 127.0.0.1`);
  await setting('graph_base', `http://${name}:${PORT}`);
  try {
    const m = await sendAndSettle('theo tên máy');
    assert.equal(m.state, 'sent', m.last_error);
  } finally {
    await setting('graph_base', fake.url);
  }
});
