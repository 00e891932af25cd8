// The Kore side of the hotline: signed call events stored once, tickets
// that show their calls, agent tokens, and recordings behind a login.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { request, postJSON, postForm, getPage, login, one, db, dbClose, citizen } from '../lib.mjs';
import { hmacHex, hotlineKey, readSecret } from '../contract.mjs';

const ip = '127.0.23.1';
const varDir = process.env.TEST_VAR_DIR;
const secret = readSecret(path.join(varDir, 'hotline.secret'));
after(dbClose);

// One key per purpose, derived from the secret (the contract).
const key = (purpose) => hotlineKey(secret, purpose);
const sign = (body) => hmacHex(key('call-event'), body);
// The session id the hotline knows a login's Kore session by.
const sidOf = async (username) => (await one(`SELECT encode(substr(s.token_hash, 1, 8), 'hex') AS sid,
    extract(epoch FROM s.expires_at)::bigint AS expires FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE u.username = $1 ORDER BY s.created_at DESC LIMIT 1`, [username]));
function send(obj, { signature, raw } = {}) {
  const body = raw ?? JSON.stringify(obj);
  return request('POST', '/api/internal/call-events', {
    ip, body, headers: { 'content-type': 'application/json', 'x-hotline-signature': signature ?? sign(body) },
  });
}
function callEvent(extra = {}) {
  const callId = crypto.randomUUID();
  return {
    event_id: crypto.randomUUID(), type: 'call.ended', call_id: callId,
    sip_call_id: `1-${Date.now()}@127.0.0.1`, caller: '0901234567', callee: '1022',
    agent_user_id: null, disposition: 'abandoned', hangup_by: 'caller', codec: 'PCMA',
    created_at: '2026-11-23T08:00:00Z', answered_at: null, ended_at: '2026-11-23T08:00:20Z',
    wait_seconds: 20, talk_seconds: 0, recording: null, ...extra,
  };
}

test('a call event with a bad or missing signature is refused and not stored', async () => {
  const ev = callEvent();
  const bad = await send(ev, { signature: 'ab'.repeat(32) });
  assert.equal(bad.status, 401);
  const none = await request('POST', '/api/internal/call-events', { ip, body: JSON.stringify(ev), headers: { 'content-type': 'application/json' } });
  assert.equal(none.status, 401);
  // Signed with the shared secret itself, or with another purpose's key:
  // refused; only the call-event key signs events.
  const body = JSON.stringify(ev);
  for (const k of [Buffer.from(secret, 'latin1'), key('agent-token'), key('janus-token')])
    assert.equal((await send(ev, { signature: hmacHex(k, body) })).status, 401);
  const row = await one('SELECT count(*)::int AS n FROM calls WHERE event_id = $1', [ev.event_id]);
  assert.equal(row.n, 0);
});

test('an event delivered twice is stored once', async () => {
  const ev = callEvent();
  const a = await send(ev);
  const b = await send(ev);
  assert.equal(a.status, 200, a.text);
  assert.deepEqual(a.json, { stored: true });
  assert.equal(b.status, 200);
  assert.deepEqual(b.json, { stored: false });
  const row = await one('SELECT count(*)::int AS n, min(disposition) AS d, min(wait_seconds) AS w FROM calls WHERE call_uuid = $1', [ev.call_id]);
  assert.deepEqual(row, { n: 1, d: 'abandoned', w: 20 });
});

test('a call is written into the history of the ticket opened for it', async () => {
  const r = await postJSON('/api/v1/tickets', citizen(), { ip });
  const ev = callEvent({ disposition: 'answered', agent_user_id: '2', answered_at: '2026-11-23T08:00:05Z', talk_seconds: 15, wait_seconds: 5 });
  await one('UPDATE tickets SET call_uuid = $1 WHERE code = $2', [ev.call_id, r.json.code]);
  const s = await send(ev);
  assert.equal(s.status, 200);
  const e = await one(`SELECT e.kind, e.note, e.payload->>'talk_seconds' AS talk FROM ticket_events e
                       JOIN tickets t ON t.id = e.ticket_id WHERE t.code = $1 AND e.kind = 'call'`, [r.json.code]);
  assert.deepEqual(e, { kind: 'call', note: 'Cuộc gọi đã trả lời', talk: '15' });
  const c = await one('SELECT agent_id FROM calls WHERE call_uuid = $1', [ev.call_id]);
  assert.equal(c.agent_id, 2);
});

test('a transferred call tells its ticket where it went, and when', async () => {
  const r = await postJSON('/api/v1/tickets', citizen(), { ip });
  const ag = await one("SELECT id, name FROM agencies WHERE code = 'SGTVT'");
  const ev = callEvent({ disposition: 'transferred', agent_user_id: '2', hangup_by: 'agency',
    answered_at: '2026-11-23T08:00:05Z', talk_seconds: 15, wait_seconds: 5,
    transferred_to: '02773851234', transfer_agency_id: ag.id,
    transferred_at: '2026-11-23T08:00:12Z' });
  await one('UPDATE tickets SET call_uuid = $1 WHERE code = $2', [ev.call_id, r.json.code]);
  const s = await send(ev);
  assert.equal(s.status, 200, s.text);
  const c = await one(`SELECT transferred_to, transfer_agency_id AS agency,
                       to_char(transferred_at AT TIME ZONE 'UTC', 'HH24:MI:SS') AS at
                       FROM calls WHERE call_uuid = $1`, [ev.call_id]);
  assert.deepEqual(c, { transferred_to: '02773851234', agency: ag.id, at: '08:00:12' });
  const e = await one(`SELECT e.note FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
                       WHERE t.code = $1 AND e.kind = 'call'`, [r.json.code]);
  assert.equal(e.note, `Chuyển cuộc gọi đến ${ag.name}, số 02773851234, lúc 15:00 23/11/2026`);
  // A number of no agency (the administrator's transfer_allow), an agency
  // id that does not exist: the number is kept, no agency is made up.
  const ev2 = callEvent({ disposition: 'transferred', transferred_to: '113',
    transfer_agency_id: 999999, transferred_at: '2026-11-23T08:00:12Z' });
  assert.equal((await send(ev2)).status, 200);
  assert.deepEqual(await one('SELECT transferred_to, transfer_agency_id AS agency FROM calls WHERE call_uuid = $1',
    [ev2.call_id]), { transferred_to: '113', agency: null });
});

test('an authentic event that cannot be stored is quarantined and acknowledged', async () => {
  const before = await one('SELECT count(*)::int AS n FROM calls');
  const r1 = await send(callEvent({ disposition: 'teleported' }));
  assert.equal(r1.status, 202, r1.text);
  assert.equal(r1.json.stored, false, 'the answer is valid JSON');
  assert.match(r1.json.rejected, /refused/);
  const r2 = await send(null, { raw: '{"type": "call.ended", "event_id": 7' });
  assert.equal(r2.status, 202);
  const r3 = await send(callEvent({ created_at: 'yesterday' }));
  assert.equal(r3.status, 202);
  const q = await one("SELECT count(*)::int AS n FROM call_events_rejected WHERE received_at > now() - interval '1 minute'");
  assert.ok(q.n >= 3);
  assert.deepEqual(await one('SELECT count(*)::int AS n FROM calls'), before);
});

test('operators get a signed short-lived single-use token for the plugin, tied to their session; agencies do not', async () => {
  const op = await login('dtv.lan', ip);
  const r = await request('GET', '/dtv/hotline/token', op);
  assert.equal(r.status, 200, r.text);
  const [uid, sid, nonce, expires, mac] = r.json.token.split('.');
  const me = await one("SELECT id FROM users WHERE username = 'dtv.lan'");
  assert.equal(Number(uid), me.id);
  const now = Date.now() / 1000;
  assert.ok(Number(expires) > now && Number(expires) <= now + 301);
  assert.equal(r.json.expires, Number(expires));
  assert.equal(sid, (await sidOf('dtv.lan')).sid, 'the token names the Kore session');
  assert.match(nonce, /^[0-9a-f]{32}$/);
  assert.equal(mac, hmacHex(key('agent-token'), `${uid}.${sid}.${nonce}.${expires}`));
  const again = (await request('GET', '/dtv/hotline/token', op)).json.token.split('.');
  assert.notEqual(again[2], nonce, 'every token has its own nonce');
  assert.match(r.json.janus, /^wss?:\/\//);

  const ag = await login('cb.stnmt', '127.0.23.2');
  assert.equal((await request('GET', '/dtv/hotline/token', ag)).status, 403);
  assert.equal((await request('GET', '/dtv/hotline/token', { ip })).status, 401);
});

test('the page also gets a Janus token, for janus.plugin.hotline only, until its session ends', async () => {
  const op = await login('dtv.lan', '127.0.23.4');
  const r = await request('GET', '/dtv/hotline/token', op);
  assert.equal(r.status, 200, r.text);
  // Janus's signed-token format (token_auth_secret = hex of key(janus-token)).
  const m = /^(\d+),janus,janus\.plugin\.hotline:([A-Za-z0-9+/=]+)$/.exec(r.json.janus_token);
  assert.ok(m, r.json.janus_token);
  assert.equal(Number(m[1]), Number((await sidOf('dtv.lan')).expires), 'valid as long as the Kore session');
  const want = crypto.createHmac('sha1', key('janus-token').toString('hex'))
      .update(r.json.janus_token.split(':')[0]).digest('base64');
  assert.equal(m[2], want);
  const sup = await login('lanhdao', '127.0.23.4');
  const s = await request('GET', '/giam-sat/hotline/token', sup);
  assert.match(s.json.janus_token, /^\d+,janus,janus\.plugin\.hotline:/);
});

// A user of this test, made with a password it knows.
async function tempUser(role) {
  const username = `hl.${process.pid}.${Date.now() % 100000}.${role}`;
  const password = `pw-${crypto.randomBytes(8).toString('hex')}`;
  const h = spawnSync(fileURLToPath(new URL('../../build/hashpw', import.meta.url)), { input: password });
  assert.equal(h.status, 0, String(h.stderr));
  const row = (await db().query(`INSERT INTO users (username, full_name, role, password_hash, active)
      VALUES ($1, 'Người thử tổng đài', $2, $3, true) RETURNING id`, [username, role, String(h.stdout).trim()])).rows[0];
  return { id: row.id, username, password };
}
async function loginWith(u, ip) {
  const cookies = new Map();
  const page = await getPage('/dang-nhap', { cookies, ip });
  const r = await postForm('/dang-nhap', { csrf: page.csrf, username: u.username, password: u.password }, { cookies, ip });
  assert.equal(r.status, 303, `login ${u.username}`);
  const s = { cookies, ip };
  s.csrf = (await getPage('/doi-mat-khau', s)).csrf;
  s.sid = (await request('GET', '/dtv/hotline/token', s)).json.token.split('.')[1];
  return s;
}
// The sessions the hotline is told have ended: the file must be signed.
function endedSessions() {
  const raw = fs.readFileSync(path.join(varDir, 'hotline-sessions-ended.txt'));
  const text = raw.toString('latin1');
  const m = /(?:^|\n)mac ([0-9a-f]{64})\n$/.exec(text);
  assert.ok(m, 'the file ends with its mac line');
  const body = text.slice(0, text.length - m[0].length + (m[0].startsWith('\n') ? 1 : 0));
  assert.equal(m[1], hmacHex(key('sessions-ended'), raw.subarray(0, body.length)),
      'signed with the sessions-ended key');
  const out = new Map();
  for (const l of body.split('\n'))
    if (l && !l.startsWith('#')) {
      const f = /^session ([0-9a-f]{16}) (\d+)$/.exec(l);
      assert.ok(f, `line ${l}`);
      out.set(f[1], Number(f[2]));
    }
  return out;
}

test('the hotline is told when a session ends: logout, lock, password reset, own password change, new role', async () => {
  const admin = await login('admin', '127.0.23.5');
  const u = await tempUser('operator');
  const s1 = await loginWith(u, '127.0.23.5');
  const s2 = await loginWith(u, '127.0.23.6');
  assert.notEqual(s1.sid, s2.sid);

  // Logout ends that session only.
  const out = await postForm('/dang-xuat', { csrf: s1.csrf }, s1);
  assert.equal(out.status, 303);
  let ended = endedSessions();
  assert.ok(ended.has(s1.sid), 'the session logged out is listed');
  assert.ok(ended.get(s1.sid) > Date.now() / 1000, 'until the session would have expired');
  assert.ok(!ended.has(s2.sid), 'the other session goes on');

  // Locking the account ends every session of it.
  const adm = await getPage(`/quan-tri/nguoi-dung/${u.id}`, admin);
  const lock = await postForm(`/quan-tri/nguoi-dung/${u.id}/khoa`, { csrf: adm.csrf }, admin);
  assert.equal(lock.status, 303, lock.text);
  ended = endedSessions();
  assert.ok(ended.has(s2.sid) && ended.has(s1.sid), 'the lock ended the other session; the first is kept');

  // An administrator's reset, and a change of one's own password (which
  // ends the user's other sessions).
  const v = await tempUser('supervisor');
  const v1 = await loginWith(v, '127.0.23.7');
  const v2 = await loginWith(v, '127.0.23.8');
  const reset = await postForm(`/quan-tri/nguoi-dung/${v.id}/mat-khau`, { csrf: adm.csrf }, admin);
  assert.equal(reset.status, 200, reset.text);
  ended = endedSessions();
  assert.ok(ended.has(v1.sid) && ended.has(v2.sid), 'a reset ends every session');
  const w = await tempUser('operator');
  const w1 = await loginWith(w, '127.0.23.9');
  const w2 = await loginWith(w, '127.0.23.10');
  const ch = await postForm('/doi-mat-khau', { csrf: w1.csrf, current: w.password,
      new: 'mat-khau-moi-rat-dai-1022', confirm: 'mat-khau-moi-rat-dai-1022' }, w1);
  assert.equal(ch.status, 303, ch.text);
  ended = endedSessions();
  assert.ok(ended.has(w2.sid) && !ended.has(w1.sid), 'the other session ended, the one in use goes on');
  assert.ok(ended.has(s1.sid), 'entries of other users stay');

  // The edit form: unchecking "active" locks (sessions end); another role
  // ends only the hotline logins (the Kore session goes on).
  const x = await tempUser('operator');
  const x1 = await loginWith(x, '127.0.23.11');
  const y = await tempUser('operator');
  const y1 = await loginWith(y, '127.0.23.12');
  let r = await postForm(`/quan-tri/nguoi-dung/${x.id}`, { csrf: adm.csrf, full_name: 'Người thử tổng đài',
      role: 'operator' }, admin);
  assert.equal(r.status, 303, r.text);
  r = await postForm(`/quan-tri/nguoi-dung/${y.id}`, { csrf: adm.csrf, full_name: 'Người thử tổng đài',
      role: 'supervisor', active: '1' }, admin);
  assert.equal(r.status, 303, r.text);
  ended = endedSessions();
  assert.ok(ended.has(x1.sid), 'locked through the edit form');
  assert.ok(ended.has(y1.sid), 'a new role ends the hotline login');
  assert.equal((await request('GET', '/giam-sat/truc-tiep', y1)).status, 200, 'the Kore session goes on in its new role');
});

test('supervisors get a token that says so; the live page is theirs; pages may reach Janus', async () => {
  const sup = await login('lanhdao', '127.0.23.3');
  const r = await request('GET', '/giam-sat/hotline/token', sup);
  assert.equal(r.status, 200, r.text);
  const [role, uid, sid, nonce, expires, mac] = r.json.token.split('.');
  const me = await one("SELECT id FROM users WHERE username = 'lanhdao'");
  assert.equal(role, 'supervisor');
  assert.equal(Number(uid), me.id);
  assert.equal(mac, hmacHex(key('agent-token'), `supervisor.${uid}.${sid}.${nonce}.${expires}`));
  // The role is part of what is signed: the operator's token with the
  // prefix added does not verify.
  const op = await login('dtv.lan', '127.0.23.3');
  const t = (await request('GET', '/dtv/hotline/token', op)).json.token.split('.');
  assert.notEqual(t[4], hmacHex(key('agent-token'), `supervisor.${t.slice(0, 4).join('.')}`));
  assert.equal((await request('GET', '/giam-sat/hotline/token', op)).status, 403);
  const ag = await login('cb.stnmt', '127.0.23.3');
  assert.equal((await request('GET', '/giam-sat/hotline/token', ag)).status, 403);
  assert.equal((await request('GET', '/giam-sat/hotline/token', { ip })).status, 401);

  const page = await request('GET', '/giam-sat/truc-tiep', sup);
  assert.equal(page.status, 200);
  assert.match(page.text, /data-token-url="\/giam-sat\/hotline\/token"/);
  assert.match(page.text, new RegExp(`<li data-id="${me.id}">`));
  assert.equal((await request('GET', '/giam-sat/truc-tiep', op)).status, 403);
  // The softphone and the live page talk to Janus's WebSocket: the CSP
  // names its origin (and nothing else beyond our own).
  const csp = page.headers['content-security-policy'];
  const janus = new URL(r.json.janus);
  assert.match(csp, new RegExp(`connect-src 'self' ${janus.protocol}//${janus.host.replace(/\./g, '\\.')};`));
  assert.match(csp, /script-src 'self';/);
});

test('recordings are served to staff only, never from a public path', async () => {
  const ev = callEvent({ disposition: 'answered', answered_at: '2026-11-23T08:00:05Z', talk_seconds: 3 });
  const rel = `2026/11/${ev.call_id}.wav`;
  ev.recording = rel;
  const file = path.join(varDir, 'recordings', rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const wav = Buffer.alloc(44 + 8000 * 4);
  wav.write('RIFF', 0); wav.write('WAVE', 8);
  fs.writeFileSync(file, wav);
  assert.equal((await send(ev)).status, 200);

  const op = await login('dtv.minh', '127.0.23.3');
  const r = await request('GET', `/ghi-am/${ev.call_id}`, op);
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'audio/wav');
  assert.equal(Number(r.headers['content-length']), wav.length);

  const sup = await login('lanhdao', '127.0.23.4');
  assert.equal((await request('GET', `/ghi-am/${ev.call_id}`, sup)).status, 200);
  const ag = await login('cb.sgtvt', '127.0.23.5');
  assert.equal((await request('GET', `/ghi-am/${ev.call_id}`, ag)).status, 403);
  assert.equal((await request('GET', `/ghi-am/${ev.call_id}`, { ip })).status, 303);
  assert.equal((await request('GET', `/ghi-am/${crypto.randomUUID()}`, op)).status, 404);
  assert.equal((await request('GET', '/ghi-am/..%2f..%2fetc%2fpasswd', op)).status, 404);
  assert.notEqual((await request('GET', `/recordings/${rel}`, { ip })).status, 200);
});

test('the softphone page and the caller history are for the center staff', async () => {
  const op = await login('dtv.lan', '127.0.23.6');
  const page = await request('GET', '/dtv/tong-dai', op);
  assert.equal(page.status, 200);
  assert.match(page.text, /\/vendor\/janus\/janus\.min\.js/);
  assert.match(page.text, /\/assets\/js\/hotline\.js/);
  for (const js of ['/vendor/janus/janus.min.js', '/vendor/webrtc-adapter/adapter.min.js', '/assets/js/hotline.js']) {
    const r = await request('GET', js, { ip });
    assert.equal(r.status, 200, js);
  }

  const phone = '0977 111 222';
  const mine = await postJSON('/api/v1/tickets', citizen({ phone, name: 'Đỗ Văn Gọi' }), { ip: '127.0.23.7' });
  const other = await postJSON('/api/v1/tickets', citizen({ phone: '0977111333' }), { ip: '127.0.23.7' });
  const h = await request('GET', '/dtv/api/caller?phone=0977111222', op);
  assert.equal(h.status, 200);
  assert.equal(h.json.phone, '0977111222');
  const codes = h.json.tickets.map((t) => t.code);
  assert.ok(codes.includes(mine.json.code));
  assert.ok(!codes.includes(other.json.code));
  const withheld = await request('GET', '/dtv/api/caller?phone=anonymous', op);
  assert.deepEqual(withheld.json, { phone: null, tickets: [] });

  const ag = await login('cb.caolanh', '127.0.23.8');
  assert.equal((await request('GET', '/dtv/tong-dai', ag)).status, 403);
  assert.equal((await request('GET', '/dtv/api/caller?phone=0977111222', ag)).status, 403);
});

test('a phone ticket opened for a call shows the call and its recording', async () => {
  const op = await login('dtv.minh', '127.0.23.9');
  // The plugin's report arrives first ...
  const ev = callEvent({ disposition: 'answered', answered_at: '2026-11-23T08:00:05Z', talk_seconds: 42, caller: '0988777666' });
  ev.recording = `2026/11/${ev.call_id}.wav`;
  assert.equal((await send(ev)).status, 200);
  // ... then the operator saves the ticket the softphone opened.
  const form = await request('GET', `/dtv/tao-phieu?phone=0988777666&call_id=${ev.call_id}`, op);
  assert.equal(form.status, 200);
  assert.ok(form.text.includes(`value="${ev.call_id}"`));
  const csrf = form.text.match(/name="csrf" value="([^"]+)"/)[1];
  const body = new URLSearchParams({ csrf, phone: '0988777666', name: 'Người gọi', title: `Hỏi lịch tiếp dân ${ev.call_id}`,
    content: 'Người dân hỏi lịch tiếp công dân của UBND tỉnh.', call_id: ev.call_id }).toString();
  const r = await request('POST', '/dtv/tao-phieu', { ...op, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const t = await request('GET', r.headers.location, op);
  assert.match(t.text, new RegExp(`<audio[^>]+src="/ghi-am/${ev.call_id}"`));
  assert.match(t.text, /Cuộc gọi đã trả lời|Đã trả lời/);
  const e = await one(`SELECT count(*)::int AS n FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
                       WHERE t.call_uuid = $1 AND e.kind = 'call'`, [ev.call_id]);
  assert.equal(e.n, 1);

  const bad = new URLSearchParams({ csrf, phone: '0988777666', title: 'x', content: 'y', call_id: 'not-a-uuid' }).toString();
  const rb = await request('POST', '/dtv/tao-phieu', { ...op, body: bad, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(rb.status, 400);
});

test('a voicemail becomes a ticket with the recording, once', async () => {
  const ev = callEvent({ disposition: 'voicemail', caller: '0911222333', hangup_by: 'caller', voicemail_at: '2026-11-23T08:00:30Z',
    wait_seconds: 30, talk_seconds: 0 });
  ev.recording = `2026/11/${ev.call_id}.wav`;
  const a = await send(ev);
  const b = await send(ev);
  assert.deepEqual([a.status, b.status], [200, 200]);
  const t = await one(`SELECT t.code, t.channel, t.phone, t.status, t.due_at > now() AS due,
                              (SELECT array_agg(kind ORDER BY id) FROM ticket_events WHERE ticket_id = t.id) AS kinds
                       FROM tickets t WHERE t.call_uuid = $1`, [ev.call_id]);
  assert.equal(t.channel, 'phone');
  assert.equal(t.phone, '0911222333');
  assert.equal(t.status, 'new');
  assert.equal(t.due, true);
  assert.deepEqual(t.kinds, ['created', 'call']);
  const n = await one('SELECT count(*)::int AS n FROM tickets WHERE call_uuid = $1', [ev.call_id]);
  assert.equal(n.n, 1, 'delivered twice, one ticket');
  // The caller can track it like any other ticket.
  const tr = await request('GET', `/api/v1/tickets/${t.code}?phone=0911222333`, { ip });
  assert.equal(tr.status, 200);
  assert.match(tr.json.timeline[0].text, /lời nhắn thoại/);
});

test('a voicemail is made like every other ticket: the caller\'s contact is linked, not renamed', async () => {
  // The caller wrote on the website before, under their own name.
  const phone = '0911444555';
  const web = await postJSON('/api/v1/tickets', citizen({ name: 'Phan Thị Hạnh', phone }), { ip: '127.0.28.9' });
  assert.equal(web.status, 201, web.text);
  const ev = callEvent({ disposition: 'voicemail', caller: phone, hangup_by: 'caller', voicemail_at: '2026-11-23T08:00:30Z',
    wait_seconds: 30, talk_seconds: 0 });
  ev.recording = `2026/11/${ev.call_id}.wav`;
  assert.equal((await send(ev)).status, 200);
  const t = await one(`SELECT t.contact_id, w.contact_id AS web_contact, c.name AS contact_name,
                              (SELECT actor_label || ': ' || note FROM ticket_events WHERE ticket_id = t.id ORDER BY id LIMIT 1) AS first
                       FROM tickets t JOIN tickets w ON w.code = $2 JOIN contacts c ON c.id = t.contact_id
                       WHERE t.call_uuid = $1`, [ev.call_id, web.json.code]);
  assert.equal(t.contact_id, t.web_contact, 'the same contact as the caller\'s web ticket');
  assert.equal(t.contact_name, 'Phan Thị Hạnh', 'the contact keeps the name the citizen gave');
  assert.equal(t.first, 'Tổng đài: Tổng đài đã tiếp nhận lời nhắn thoại.');

  // An answered call makes no ticket of its own.
  const answered = callEvent({ disposition: 'answered', caller: phone, talk_seconds: 12 });
  assert.equal((await send(answered)).status, 200);
  assert.equal((await one('SELECT count(*)::int AS n FROM tickets WHERE call_uuid = $1', [answered.call_id])).n, 0);
});

test('a missed call (silent voicemail, caller gone while ringing or without a BYE) is stored, makes no ticket and is owed a callback', async () => {
  const ev = callEvent({ disposition: 'missed', caller: '0911222444', hangup_by: 'system',
    voicemail_at: '2026-11-23T08:00:30Z', wait_seconds: 30, talk_seconds: 0 });
  ev.recording = `2026/11/${ev.call_id}.wav`;
  const a = await send(ev);
  assert.equal(a.status, 200, a.text);
  assert.deepEqual(a.json, { stored: true });
  const row = await one(`SELECT c.disposition, call_needs_callback(c.disposition, c.call_uuid) AS owed,
                                call_history_note(c.disposition, NULL, NULL, NULL) AS note,
                                (SELECT count(*)::int FROM tickets t WHERE t.call_uuid = c.call_uuid) AS tickets
                         FROM calls c WHERE c.call_uuid = $1`, [ev.call_id]);
  assert.deepEqual(row, { disposition: 'missed', owed: true,
    note: 'Cuộc gọi nhỡ (không ai nói chuyện với người gọi)', tickets: 0 });
});
