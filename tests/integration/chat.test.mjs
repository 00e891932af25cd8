// The portal's live chat at /chat/ws against the real stack (2 Kore
// workers, PostgreSQL): a visitor's message is stored once however often
// it is sent, a reconnect resumes with exactly what was missed, an
// operator's reply (message_send in SQL, as the inbox does) and events
// (NOTIFY inbox) reach the visitor on whichever worker holds the socket,
// bad frames are refused with an error frame and nothing stored, and the
// offline form files a ticket.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import WebSocket from 'ws';
import { BASE, request, postJSON, multipart, login, credentials, one, db, dbClose } from '../lib.mjs';

const ip = '127.0.61.1';
const WS_URL = `${BASE.replace(/^http/, 'ws')}/chat/ws`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
after(dbClose);

const newVisitor = () => crypto.randomBytes(32).toString('base64url');
const thread = (v) => crypto.createHash('sha256').update(v).digest('hex');

// A visitor's socket: every frame the server sent, and a wait for the next
// one that matches (taken off the list, so each is seen once).
class Visitor {
  constructor(ws) {
    this.ws = ws;
    this.frames = [];
    ws.on('message', (d) => this.frames.push(JSON.parse(d.toString())));
  }
  static async open({ address = ip, headers } = {}) {
    const ws = new WebSocket(WS_URL, { localAddress: address, headers });
    const v = new Visitor(ws);
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
    return v;
  }
  send(frame) { this.ws.send(typeof frame === 'object' && !Buffer.isBuffer(frame) ? JSON.stringify(frame) : frame, { binary: false }); }
  async next(pred, ms = 5000) {
    const end = Date.now() + ms;
    for (;;) {
      const i = this.frames.findIndex(pred);
      if (i >= 0) return this.frames.splice(i, 1)[0];
      if (Date.now() > end) throw new Error(`no such frame; got ${JSON.stringify(this.frames)}`);
      await sleep(15);
    }
  }
  msgs() { return this.frames.filter((f) => f.t === 'msg'); }
  async hello(visitor, last = 0, name) {
    this.send({ t: 'hello', visitor, last, ...(name ? { name } : {}) });
    return this.next((f) => f.t === 'ready');
  }
  close() { this.ws.close(); return new Promise((r) => this.ws.once('close', r)); }
}

// A visitor who has opened a conversation with one message.
async function conversation(text, cid = 'c-first') {
  const vis = newVisitor();
  const v = await Visitor.open();
  await v.hello(vis);
  v.send({ t: 'msg', cid, text });
  const ack = await v.next((f) => f.t === 'ack' && f.cid === cid);
  const conv = Number((await one('SELECT conversation_id FROM messages WHERE id = $1', [ack.id])).conversation_id);
  return { vis, v, ack, conv };
}

async function operatorReply(conv, text) {
  const c = await one("SELECT thread FROM conversations WHERE id = $1", [conv]);
  return Number((await one(
    "SELECT message_send('chat', $1, 'message', NULL, $2, $3, NULL, (SELECT id FROM users WHERE role = 'operator' ORDER BY id LIMIT 1)) AS id",
    [c.thread, text, conv])).id);
}
const stored = async (vis) => Number((await one(
  "SELECT count(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.thread = $1 AND m.direction = 'in'",
  [thread(vis)])).n);

const operator = Object.values(credentials()).find((c) => c.role === 'operator').user;

test('hello; a message sent twice with the same client id is stored once and acknowledged with the same id', async () => {
  await login(operator, ip);	// an operator is online
  const vis = newVisitor();
  const v = await Visitor.open();
  const ready = await v.hello(vis, 0, 'Lê Thị Khách');
  assert.equal(ready.conversation, null);
  assert.equal(ready.online, true);

  v.send({ t: 'msg', cid: 'c-1', text: '  Xin chào, tôi cần hỏi về hộ khẩu.  ' });
  const a1 = await v.next((f) => f.t === 'ack' && f.cid === 'c-1');
  v.send({ t: 'msg', cid: 'c-1', text: 'Xin chào, tôi cần hỏi về hộ khẩu.' });
  const a2 = await v.next((f) => f.t === 'ack' && f.cid === 'c-1');
  assert.equal(a1.id, a2.id);
  const echo = await v.next((f) => f.t === 'msg' && f.id === a1.id);
  assert.equal(echo.from, 'visitor');
  assert.equal(echo.cid, 'c-1');
  assert.equal(echo.text, 'Xin chào, tôi cần hỏi về hộ khẩu.');
  await sleep(300);
  assert.equal(v.msgs().length, 0, 'the message is shown once');
  assert.equal(await stored(vis), 1);
  const row = await one("SELECT m.sender, m.external_id, c.channel FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.id = $1", [a1.id]);
  assert.equal(row.sender, 'Lê Thị Khách');
  assert.equal(row.channel, 'chat');
  assert.equal(row.external_id, `${thread(vis)}:c-1`);
  await v.close();
});

test('a reconnect resumes from the last id: exactly the missed messages, each once', async () => {
  const c = await conversation('Tin thứ nhất');
  const { vis, ack, conv } = c;
  await c.v.next((f) => f.t === 'msg' && f.id === ack.id);
  await c.v.close();

  const r1 = await operatorReply(conv, 'Trả lời khi mất kết nối 1');
  const r2 = await operatorReply(conv, 'Trả lời khi mất kết nối 2');
  const v = await Visitor.open();
  const ready = await v.hello(vis, ack.id);
  assert.equal(ready.conversation, conv);
  const m1 = await v.next((f) => f.t === 'msg' && f.id === r1);
  const m2 = await v.next((f) => f.t === 'msg' && f.id === r2);
  assert.equal(m1.from, 'operator');
  assert.equal(m2.text, 'Trả lời khi mất kết nối 2');
  await sleep(300);
  assert.deepEqual(v.msgs(), [], 'nothing else, nothing twice');

  // A reload (last 0) gets the whole conversation, in order.
  const w = await Visitor.open();
  await w.hello(vis, 0);
  await w.next((f) => f.t === 'msg' && f.id === r2);
  assert.deepEqual(w.msgs().map((f) => f.id), [ack.id, r1]);
  await w.close();
  await v.close();
});

// Kore 4.1 keeps the accept lock on one worker until it is full, so the
// sockets of a quiet stack all sit on one worker; a reply stored by
// another process (here the test's own connection, as by another worker
// or machine) reaches each through NOTIFY.  Killing the worker that holds
// a socket hands the lock to the other: the visitor reconnects there,
// resumes, and that worker delivers too.
function workerPid(id) {
  const parent = fs.readFileSync(path.join(process.env.TEST_VAR_DIR, 'kore.pid'), 'utf8').trim();
  const out = execFileSync('ps', ['--ppid', parent, '-o', 'pid=,args='], { encoding: 'utf8' });
  for (const line of out.split('\n')) {
    const m = line.trim().match(/^(\d+)\s.*\[wrk (\d+)\]/);
    if (m && Number(m[2]) === id) return Number(m[1]);
  }
  throw new Error(`no worker ${id} in ${out}`);
}

test("an operator's reply reaches each visitor, on whichever worker holds the socket, and after that worker dies", async (t) => {
  const socks = [];
  for (let i = 0; i < 6; i++) {
    const v = await Visitor.open();
    v.visitor = newVisitor();
    v.worker = (await v.hello(v.visitor)).worker;
    v.send({ t: 'msg', cid: 'w-1', text: `Khách số ${i}` });
    v.ack = await v.next((f) => f.t === 'ack');
    v.conv = Number((await one('SELECT conversation_id FROM messages WHERE id = $1', [v.ack.id])).conversation_id);
    await v.next((f) => f.t === 'msg' && f.id === v.ack.id);
    socks.push(v);
  }
  try {
    const replies = [];
    for (const v of socks) replies.push(await operatorReply(v.conv, `Chào khách của hội thoại ${v.conv}`));
    for (const [i, v] of socks.entries()) {
      const m = await v.next((f) => f.t === 'msg' && f.id === replies[i]);
      assert.equal(m.text, `Chào khách của hội thoại ${v.conv}`);
      v.last = m.id;
    }
    await sleep(300);
    for (const v of socks) assert.deepEqual(v.msgs(), [], 'no one gets another conversation');

    // The worker of the first visitor dies; its sockets close.
    const first = socks[0];
    const closed = new Promise((r) => first.ws.once('close', r));
    process.kill(workerPid(first.worker), 'SIGKILL');
    await closed;
    const missed = await operatorReply(first.conv, 'Trả lời trong lúc máy chủ khởi động lại');
    let v;
    for (let i = 0; i < 50 && !v; i++) {
      try { v = await Visitor.open(); } catch { await sleep(100); }
    }
    const ready = await v.hello(first.visitor, first.last);
    // The survivor takes the lock when it next wakes (here: the NOTIFY of
    // the reply above); the restarted worker could win the race.
    if (ready.worker === first.worker) t.diagnostic('the restarted worker took the socket');
    else t.diagnostic(`worker ${ready.worker} took over from worker ${first.worker}`);
    assert.equal((await v.next((f) => f.t === 'msg')).id, missed);
    const after = await operatorReply(first.conv, 'Trả lời qua worker kia');
    assert.equal((await v.next((f) => f.t === 'msg')).id, after);
    await sleep(300);
    assert.deepEqual(v.msgs(), []);
    await v.close();
  } finally {
    for (const v of socks) if (v.ws.readyState === WebSocket.OPEN) await v.close();
  }
});

test('an operator joining and typing is shown to the visitor', async () => {
  const { vis, v, ack, conv } = await conversation('Có ai không ạ?');
  await one(`SELECT pg_notify('inbox', json_build_object('conversation', $1::bigint, 'event', 'claimed', 'name', 'Trần Văn Trực')::text)`, [conv]);
  const j = await v.next((f) => f.t === 'joined');
  assert.equal(j.name, 'Trần Văn Trực');
  await one(`SELECT pg_notify('inbox', json_build_object('conversation', $1::bigint, 'event', 'typing')::text)`, [conv]);
  await v.next((f) => f.t === 'typing');
  // Another conversation's events are not ours.
  await one(`SELECT pg_notify('inbox', json_build_object('conversation', $1::bigint, 'event', 'typing')::text)`, [conv + 100000]);
  await sleep(300);
  assert.equal(v.frames.filter((f) => f.t === 'typing').length, 0);
  // A reconnect names the operator who holds the conversation.
  await db().query("UPDATE conversations SET claimed_by = (SELECT id FROM users WHERE role = 'operator' ORDER BY id LIMIT 1) WHERE id = $1", [conv]);
  const w = await Visitor.open();
  const ready = await w.hello(vis, ack.id);
  const name = (await one("SELECT full_name FROM users WHERE role = 'operator' ORDER BY id LIMIT 1")).full_name;
  assert.equal(ready.operator, name);
  await w.close();
  await v.close();
});

test('bad frames get an error frame and nothing is stored', async () => {
  const vis = newVisitor();
  const v = await Visitor.open();
  // Before hello nothing else is taken.
  v.send({ t: 'msg', cid: 'b-0', text: 'trước khi chào' });
  await v.next((f) => f.t === 'error' && f.code === 'shape');
  await v.hello(vis);
  const bad = [
    ['too_big', JSON.stringify({ t: 'msg', cid: 'b-1', text: 'a'.repeat(9000) })],
    ['json', '{"t":"msg","cid":"b-2","text":'],
    ['utf8', Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ['shape', JSON.stringify({ t: 'msg', cid: 'không hợp lệ', text: 'x' })],
    ['shape', JSON.stringify({ t: 'bay' })],
    ['shape', JSON.stringify([1, 2])],
    ['text', JSON.stringify({ t: 'msg', cid: 'b-3', text: '   ' })],
    ['text', JSON.stringify({ t: 'msg', cid: 'b-4', text: 'chuông \u0007' })],
    ['text', JSON.stringify({ t: 'msg', cid: 'b-5', text: 'ạ'.repeat(2001) })],
    ['shape', JSON.stringify({ t: 'hello', visitor: newVisitor() })],
  ];
  for (const [code, frame] of bad) {
    v.send(frame);
    const e = await v.next((f) => f.t === 'error');
    assert.equal(e.code, code, String(frame).slice(0, 60));
    assert.match(e.error, /[ăâđêôơưạảấầẩậắằẳặẹẻẽếềểệỉịọỏốồổộớờởợụủứừửựỳỵỷỹ]/i, 'a Vietnamese message');
  }
  assert.equal(await stored(vis), 0);

  // Too fast: 20 messages a minute, then an error frame for each more.
  for (let i = 0; i < 22; i++) v.send({ t: 'msg', cid: `f-${i}`, text: `Tin nhanh ${i}` });
  for (let i = 0; i < 20; i++) await v.next((f) => f.t === 'ack' && f.cid === `f-${i}`);
  for (const cid of ['f-20', 'f-21']) {
    const e = await v.next((f) => f.t === 'error' && f.cid === cid);
    assert.equal(e.code, 'rate');
  }
  assert.equal(await stored(vis), 20);
  await v.close();
});

test('a page of another site cannot open the socket', async () => {
  await assert.rejects(Visitor.open({ headers: { origin: 'https://evil.example' } }), /403/);
  const v = await Visitor.open({ headers: { origin: BASE } });
  await v.close();
});

test('the visitor asks for the conversation by e-mail: queued with the transcript, a few times at most', async () => {
  const vis = newVisitor();
  const v = await Visitor.open();
  await v.hello(vis, 0, 'Phạm Văn Thư');
  v.send({ t: 'email', address: 'khach@example.vn' });
  assert.equal((await v.next((f) => f.t === 'error')).code, 'empty');
  v.send({ t: 'msg', cid: 'e-1', text: 'Cho tôi hỏi lịch tiếp dân.' });
  const ack = await v.next((f) => f.t === 'ack');
  const conv = Number((await one('SELECT conversation_id FROM messages WHERE id = $1', [ack.id])).conversation_id);
  await operatorReply(conv, 'Thứ Hai đến thứ Sáu, 7 giờ đến 17 giờ.');
  v.send({ t: 'email', address: 'không phải địa chỉ' });
  assert.equal((await v.next((f) => f.t === 'error')).code, 'email');
  for (let i = 0; i < 3; i++) {
    v.send({ t: 'email', address: 'khach@example.vn' });
    await v.next((f) => f.t === 'emailed');
  }
  v.send({ t: 'email', address: 'khach@example.vn' });
  assert.equal((await v.next((f) => f.t === 'error')).code, 'email_limit');
  const mails = (await db().query(
    "SELECT recipient, kind, state, subject, body FROM messages WHERE conversation_id = $1 AND channel = 'email' ORDER BY id", [conv])).rows;
  assert.equal(mails.length, 3);
  assert.equal(mails[0].recipient, 'khach@example.vn');
  assert.equal(mails[0].kind, 'notice');
  assert.match(mails[0].body, /Phạm Văn Thư: Cho tôi hỏi lịch tiếp dân\./);
  assert.match(mails[0].body, /: Thứ Hai đến thứ Sáu, 7 giờ đến 17 giờ\./);
  await v.close();
});

test('no operator online: the widget is told so, and the offline form files a ticket on the one ticket path', async () => {
  await db().query("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE role = 'operator')");
  const v = await Visitor.open();
  const ready = await v.hello(newVisitor());
  assert.equal(ready.online, false);
  await v.close();

  const content = `Tôi muốn hỏi thủ tục cấp đổi giấy phép lái xe ${Date.now()}.`;
  let r = await postJSON('/chat/ngoai-gio', { name: 'Võ Thị Ngoài Giờ', phone: '0912 000 222', content }, { ip });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.code, /^[0-9A-Z-]{6,}$/);
  const t = await one('SELECT channel, title, content, c.phone FROM tickets t JOIN contacts c ON c.id = t.contact_id WHERE t.code = $1', [r.json.code]);
  assert.equal(t.channel, 'chat');
  assert.equal(t.content, content);
  assert.equal(t.phone, '0912000222');
  // The same again is the same ticket.
  r = await postJSON('/chat/ngoai-gio', { name: 'Võ Thị Ngoài Giờ', phone: '0912 000 222', content }, { ip });
  assert.equal(r.status, 200);
  // Bad input: a clear message, nothing stored.
  const before = Number((await one("SELECT count(*) AS n FROM tickets WHERE channel = 'chat'")).n);
  r = await postJSON('/chat/ngoai-gio', { phone: '12', content: 'x' }, { ip });
  assert.equal(r.status, 400);
  assert.equal(r.json.field, 'phone');
  r = await postJSON('/chat/ngoai-gio', { phone: '0912 000 222', content: '' }, { ip });
  assert.equal(r.status, 400);
  assert.equal(r.json.field, 'content');
  assert.equal(Number((await one("SELECT count(*) AS n FROM tickets WHERE channel = 'chat'")).n), before);
});

test('an image into the conversation: checked like the portal uploads, stored once, shown to the visitor', async () => {
  const { vis, v } = await conversation('Tôi gửi ảnh hiện trường.');
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  const send = (parts) => { const m = multipart(parts); return request('POST', '/chat/anh', { ip, body: m.body, headers: m.headers }); };
  const uploads = () => { try { return fs.readdirSync(path.join(process.env.TEST_VAR_DIR, 'uploads')); } catch { return []; } };
  const before = uploads().length;

  let r = await send([['visitor', vis], ['cid', 'i-1'], ['file', png, 'ổ gà.png', 'image/png']]);
  assert.equal(r.status, 201, r.text);
  const id = Number(r.json.id);
  const m = await v.next((f) => f.t === 'msg' && f.id === id);
  assert.equal(m.image, 'ổ gà.png');
  assert.equal(m.cid, 'i-1');
  const att = (await db().query('SELECT stored_name, original_name, mime, size FROM message_attachments WHERE message_id = $1', [id])).rows;
  assert.equal(att.length, 1);
  assert.equal(att[0].mime, 'image/png');
  assert.equal(att[0].size, png.length);
  assert.ok(fs.existsSync(path.join(process.env.TEST_VAR_DIR, 'uploads', att[0].stored_name)));
  assert.equal(uploads().length, before + 1);

  // The same again (a retry): the same message, no second file.
  r = await send([['visitor', vis], ['cid', 'i-1'], ['file', png, 'ổ gà.png', 'image/png']]);
  assert.equal(r.status, 200);
  assert.equal(Number(r.json.id), id);
  assert.equal(uploads().length, before + 1);

  // Not an image, or not ours to take: refused, nothing stored.
  const n = await stored(vis);
  for (const [parts, status] of [
    [[['visitor', vis], ['cid', 'i-2'], ['file', Buffer.from('<script>alert(1)</script>'), 'a.png', 'image/png']], 400],
    [[['visitor', vis], ['cid', 'i-3'], ['file', Buffer.from('%PDF-1.4\n%\xe2\xe3\n1 0 obj\n'), 'a.pdf', 'application/pdf']], 400],
    [[['visitor', 'ngắn'], ['cid', 'i-4'], ['file', png, 'a.png', 'image/png']], 400],
    [[['visitor', vis], ['cid', 'i-5']], 400],
    [[['visitor', vis], ['cid', 'i-6'], ['file', Buffer.alloc(5 * 1024 * 1024 + 1, 0x89), 'big.png', 'image/png']], 400],
  ]) {
    r = await send(parts);
    assert.equal(r.status, status, r.text.slice(0, 200));
    assert.ok(r.json && r.json.error, r.text.slice(0, 200));
  }
  assert.equal(await stored(vis), n);
  assert.equal(uploads().length, before + 1);
  await v.close();
});
