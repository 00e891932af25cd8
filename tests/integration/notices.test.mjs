// Notices: a ticket's news goes out by itself.  A forward e-mails the
// agency once (even when the request is repeated after a lost
// connection), a reminder is queued once however often the timer runs,
// and an answer tells the citizen by the channel they used, else e-mail,
// else SMS through the gateway (a local fake: tests/tools/fake-sms.mjs),
// else nothing, which the ticket's history says.  A gateway's error is
// retried with backoff and shown; a refused message fails with the reason,
// is listed on /quan-tri/tin-gui and "Gửi lại" puts it back in the queue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { request, postForm, postJSON, login, citizen, one, db, dbClose, uniq, pgConfig } from '../lib.mjs';
import { startFakeSms } from '../tools/fake-sms.mjs';

const ip = '127.0.55.1';
const SMS_PORT = 21401;
const proxy = process.env.TEST_PGPROXY_URL;
const base = process.env.TEST_BASE_URL;
let op, fake, agency;
const agencyMail = `focal.${process.pid}@syt.example.vn`;

const smsSettings = [
  // A name, not an address: the worker resolves it under its sandbox.
  ['url', `http://localhost:${SMS_PORT}/send`, false],
  ['username', 'tongdai', false],
  ['password', 'mat-khau-cong-sms', true],
  ['sender', 'TD1022', false],
];

before(async () => {
  fake = await startFakeSms(SMS_PORT);
  op = await login('dtv.minh', ip);
  agency = (await one("UPDATE agencies SET email = $1 WHERE code = 'SYT' RETURNING id", [agencyMail])).id;
});

after(async () => {
  await db().query("UPDATE agencies SET email = NULL WHERE code = 'SYT'");
  await db().query("DELETE FROM channel_settings WHERE channel = 'sms'");
  await dbClose();
  fake.server.close();
});

async function setSms(on) {
  await db().query("DELETE FROM channel_settings WHERE channel = 'sms'");
  if (!on) return;
  for (const [name, value, secret] of smsSettings) {
    await db().query("INSERT INTO channel_settings (channel, name, value, secret) VALUES ('sms', $1, $2, $3)",
      [name, value, secret]);
  }
}

async function phoneTicket() {
  const r = await postForm('/dtv/tao-phieu', {
    csrf: op.csrf, phone: '0914 222 333', title: `Phản ánh ${uniq()}`,
    content: 'Đèn đường hỏng nhiều ngày.',
  }, op);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  return Number(r.headers.location.split('/').pop());
}

async function citizenTicket(extra, from) {
  const r = await postJSON('/api/v1/tickets', citizen(extra), { ip: from });
  assert.equal(r.status, 201, r.text);
  return one('SELECT id, code, phone FROM tickets WHERE code = $1', [r.json.code]);
}

// A citizen's ticket, answered by the operator.
async function answered(extra, from) {
  const t = await citizenTicket(extra, from);
  const r = await postForm(`/dtv/phieu/${t.id}/answer`, { csrf: op.csrf, answer: 'Đã xử lý xong.' }, op);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  return t;
}

const notices = (id, extra = '') => db().query(
  `SELECT * FROM messages WHERE ticket_id = $1 AND kind = 'notice' AND direction = 'out' ${extra} ORDER BY id`, [id]);

async function until(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a forward e-mails the agency once, with the code, title, due date and link', async () => {
  const id = await phoneTicket();
  const r = await postForm(`/dtv/phieu/${id}/forward`, { csrf: op.csrf, agency: String(agency) }, op);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const { rows } = await notices(id);
  assert.equal(rows.length, 1);
  const t = await one("SELECT code, title, to_char(due_at, 'DD/MM/YYYY') AS due FROM tickets WHERE id = $1", [id]);
  assert.equal(rows[0].channel, 'email');
  assert.equal(rows[0].recipient, agencyMail);
  assert.match(rows[0].subject, new RegExp(t.code));
  assert.ok(rows[0].body.includes(t.title));
  assert.ok(rows[0].body.includes(t.due), rows[0].body);
  assert.ok(rows[0].body.includes(`${base}/co-quan/phieu/${id}`), rows[0].body);
  assert.ok(['pending', 'sending', 'failed', 'sent'].includes(rows[0].state));
});

test('a forward whose answer is lost after the commit still sends one notice', async () => {
  const id = await phoneTicket();
  const cut = await fetch(`${proxy}/cut?sql=${encodeURIComponent("'forward', true")}&n=1`, { method: 'POST' });
  assert.equal(cut.status, 200);
  const r = await postForm(`/dtv/phieu/${id}/forward`, { csrf: op.csrf, agency: String(agency) }, op);
  assert.equal(r.status, 503, r.text.slice(0, 300));
  // The officer tries again: the ticket has moved on, nothing more is sent.
  await postForm(`/dtv/phieu/${id}/forward`, { csrf: op.csrf, agency: String(agency) }, op);
  assert.equal((await notices(id)).rows.length, 1);
  assert.equal((await one("SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1 AND kind = 'forward'", [id])).n, 1);
});

test('a reminder before the due date is queued once, even run twice at once', async () => {
  const id = await phoneTicket();
  let r = await postForm(`/dtv/phieu/${id}/forward`, { csrf: op.csrf, agency: String(agency) }, op);
  assert.equal(r.status, 303);
  await db().query("UPDATE tickets SET due_at = now() + interval '3 hours' WHERE id = $1", [id]);
  // Two workers (or machines) run the timer's statement at the same
  // moment, as the role Kore connects as, with the setting it sends.
  const a = new pg.Client({ ...pgConfig({ user: 'app' }), options: `-c tongdai.public_url=${base}` });
  const b = new pg.Client({ ...pgConfig({ user: 'app' }), options: `-c tongdai.public_url=${base}` });
  await a.connect();
  await b.connect();
  try {
    await Promise.all([a.query('SELECT notice_reminders()'), b.query('SELECT notice_reminders()')]);
    await a.query('SELECT notice_reminders()');
  } finally {
    await a.end();
    await b.end();
  }
  const { rows } = await notices(id, "AND payload->>'notice' = 'reminder'");
  assert.equal(rows.length, 1);
  assert.equal(rows[0].recipient, agencyMail);
  assert.match(rows[0].subject, /Nhắc hạn/);
  assert.ok(rows[0].body.includes(`${base}/co-quan/phieu/${id}`));
  // By default a working day ahead: due on a Monday, reminded on the
  // Friday before; due on the day after a holiday, reminded before it.
  const at = async (due) => (await one(
    "SELECT to_char(notice_remind_at($1::timestamptz, 24), 'YYYY-MM-DD HH24:MI') AS at", [due])).at;
  assert.equal(await at('2026-12-14 17:00'), '2026-12-11 17:00');
  assert.equal(await at('2026-12-16 10:00'), '2026-12-15 10:00');
  assert.equal(await at('2026-09-03 09:00'), '2026-08-31 09:00', 'Quốc khánh, 1-2/9, skipped');
  // A ticket not yet near its due date is not reminded.
  const later = await phoneTicket();
  r = await postForm(`/dtv/phieu/${later}/forward`, { csrf: op.csrf, agency: String(agency), days: '10' }, op);
  assert.equal(r.status, 303);
  await one('SELECT notice_reminders()');
  assert.equal((await notices(later, "AND payload->>'notice' = 'reminder'")).rows.length, 0);
});

// The app's own timer (src/notice.c, worker 1, every APP_NOTICE_SECONDS):
// run with APP_NOTICE_SECONDS=1 to see it queue a reminder by itself.
const timerSeconds = Number(process.env.APP_NOTICE_SECONDS || 300);
test('the app\'s timer queues a reminder by itself', { skip: timerSeconds > 5 && 'APP_NOTICE_SECONDS above 5' }, async () => {
  const id = await phoneTicket();
  const r = await postForm(`/dtv/phieu/${id}/forward`, { csrf: op.csrf, agency: String(agency) }, op);
  assert.equal(r.status, 303);
  await db().query("UPDATE tickets SET due_at = now() + interval '2 hours' WHERE id = $1", [id]);
  const row = await until('the reminder', async () => (await notices(id, "AND payload->>'notice' = 'reminder'")).rows[0],
    (timerSeconds + 5) * 1000);
  assert.ok(row.body.includes(`${base}/co-quan/phieu/${id}`), 'the link carries the app\'s PUBLIC_URL');
});

test('an answer is e-mailed to a citizen who gave an e-mail, with the tracking link', async () => {
  const t = await answered({ email: 'dan.a@example.vn' }, '127.0.55.2');
  const { rows } = await notices(t.id);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].channel, 'email');
  assert.equal(rows[0].recipient, 'dan.a@example.vn');
  assert.ok(rows[0].body.includes(`${base}/tra-cuu?code=${t.code}`), rows[0].body);
});

test('an answer goes back on the conversation the ticket came from', async () => {
  const t = await citizenTicket({ email: 'dan.b@example.vn' }, '127.0.55.3');
  const conv = await one("SELECT conversation_id FROM message_receive('zalo', $1, $2, 'Dân Zalo', NULL, 'Xin chào')",
    [uniq('zmsg'), uniq('zuser')]);
  await db().query('UPDATE conversations SET ticket_id = $1 WHERE id = $2', [t.id, conv.conversation_id]);
  const r = await postForm(`/dtv/phieu/${t.id}/answer`, { csrf: op.csrf, answer: 'Đã xử lý xong.' }, op);
  assert.equal(r.status, 303);
  const { rows } = await notices(t.id);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].channel, 'zalo');
  assert.equal(rows[0].conversation_id, conv.conversation_id);
  assert.ok(rows[0].body.includes(`/tra-cuu?code=${t.code}`));
});

test('an answer reaches a phone-only citizen by SMS through the gateway', async () => {
  await setSms(true);
  const t = await answered({}, '127.0.55.4');
  const sent = await until('the SMS', async () => {
    const { rows } = await notices(t.id, "AND state = 'sent'");
    return rows[0];
  });
  assert.equal(sent.channel, 'sms');
  assert.equal(sent.recipient, t.phone);
  const got = fake.state.requests.find((q) => q.id === sent.external_id);
  assert.ok(got, 'the gateway got it, and its id is kept');
  assert.equal(got.body.to, t.phone);
  assert.equal(got.body.from, 'TD1022');
  assert.equal(got.user, 'tongdai:mat-khau-cong-sms');
  assert.ok(got.body.text.includes(`${base}/tra-cuu?code=${t.code}`), got.body.text);
});

test('without any way to reach the citizen, nothing is sent and the history says so', async () => {
  await setSms(false);
  const t = await answered({}, '127.0.55.5');
  assert.equal((await notices(t.id)).rows.length, 0);
  const ev = await one("SELECT note, public FROM ticket_events WHERE ticket_id = $1 AND kind = 'notice'", [t.id]);
  assert.match(ev.note, /Không gửi được thông báo/);
  assert.equal(ev.public, false);
});

test('a gateway error is retried later and shown; a refusal fails with the reason', async () => {
  await setSms(true);
  await fetch(`http://127.0.0.1:${SMS_PORT}/_fail?status=503&n=1`, { method: 'POST' });
  const t = await answered({}, '127.0.55.6');
  const waiting = await until('the retry', async () => {
    const { rows } = await notices(t.id, "AND state = 'pending' AND attempts = 1");
    return rows[0];
  });
  assert.match(waiting.last_error, /HTTP 503.*thử lại/);
  assert.ok(new Date(waiting.next_attempt_at) > new Date(Date.now() + 10000), 'backoff before the next try');
  // Its time comes: it goes.
  await db().query("UPDATE messages SET next_attempt_at = now() WHERE id = $1", [waiting.id]);
  await db().query("SELECT pg_notify('outbox', $1)", [String(waiting.id)]);
  await until('the retried SMS', async () => (await notices(t.id, "AND state = 'sent'")).rows[0]);

  await fetch(`http://127.0.0.1:${SMS_PORT}/_fail?status=400&n=1`, { method: 'POST' });
  const u = await answered({}, '127.0.55.7');
  const failed = await until('the refusal', async () => (await notices(u.id, "AND state = 'failed'")).rows[0]);
  assert.match(failed.last_error, /từ chối.*HTTP 400.*Số thuê bao không tồn tại/);
});

test('the outbound list shows a failed SMS with its error, and "Gửi lại" sends it again', async () => {
  await setSms(true);
  await fetch(`http://127.0.0.1:${SMS_PORT}/_fail?status=422&n=1`, { method: 'POST' });
  const t = await answered({}, '127.0.55.8');
  const failed = await until('the failure', async () => (await notices(t.id, "AND state = 'failed'")).rows[0]);

  const dtv = await login('dtv.lan', '127.0.55.9');
  assert.equal((await request('GET', '/quan-tri/tin-gui', dtv)).status, 403, 'operators do not see it');
  let r = await postForm(`/quan-tri/tin-gui/${failed.id}/gui-lai`, { csrf: dtv.csrf }, dtv);
  assert.equal(r.status, 403);

  const sup = await login('lanhdao', '127.0.55.9');
  const page = await request('GET', '/quan-tri/tin-gui?trang-thai=failed&kenh=sms', sup);
  assert.equal(page.status, 200);
  const row = page.text.match(new RegExp(`<tr data-id="${failed.id}" data-state="failed">[\\s\\S]*?</tr>`));
  assert.ok(row, 'the failed message is listed');
  assert.match(row[0], /Lỗi/);
  assert.match(row[0], /HTTP 422\): Số thuê bao không tồn tại/);
  assert.match(row[0], /Gửi lại/);
  assert.ok(row[0].includes(t.code));
  const sent = await request('GET', '/quan-tri/tin-gui?trang-thai=sent', sup);
  assert.ok(!sent.text.includes(`data-id="${failed.id}"`), 'the filter by state holds');
  assert.equal((await request('GET', '/quan-tri/tin-gui?trang-thai=bogus', sup)).status, 400);
  assert.equal((await request('GET', '/quan-tri/tin-gui?kenh=fax', sup)).status, 400);

  r = await postForm(`/quan-tri/tin-gui/${failed.id}/gui-lai`, {}, sup);
  assert.equal(r.status, 403, 'CSRF token required');
  const csrf = page.text.match(/name="csrf" value="([^"]+)"/)[1];
  r = await postForm(`/quan-tri/tin-gui/${failed.id}/gui-lai`, { csrf }, sup);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const ev = await one("SELECT actor_label, target_id, payload FROM admin_events WHERE kind = 'message_resend' ORDER BY id DESC LIMIT 1");
  assert.equal(ev.target_id, String(failed.id));
  assert.equal(ev.actor_label, 'Lê Hoàng Phúc');
  const again = await until('the resent SMS', async () => (await notices(t.id, "AND state = 'sent'")).rows[0]);
  assert.equal(again.id, failed.id, 'the same message, not a copy');
  assert.equal(again.last_error, null);
  r = await postForm(`/quan-tri/tin-gui/${failed.id}/gui-lai`, { csrf }, sup);
  assert.equal(r.status, 409, 'only a failed message is resent');
});
