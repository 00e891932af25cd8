// Honest timeliness (migrations/0059_timeliness.sql, src/stats.c): every
// deadline a ticket is given is kept; the statistics count "on time"
// against the first one, a reopened ticket once, the center's time to its
// first answer or forward and each agency's time from forward to reply;
// the inbox's overdue filter and the statistics use one definition; an
// agency officer sees their own agency's figures and no other's.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, postForm, login, one, db, dbClose, uniq, freeYear } from '../lib.mjs';

const ip = '127.0.59.1';
after(dbClose);

let op, sup, stnmt, sgtvt, year, from, to;
const agencyId = {};
const t = {};		// the fixture's tickets: { id, code }

async function phoneTicket() {
  const r = await postForm('/dtv/tao-phieu', {
    csrf: op.csrf, phone: '0914 555 666', title: `Đúng hạn ${uniq()}`,
    content: 'Đường hư hỏng sau mưa lũ.',
  }, op);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const id = Number(r.headers.location.split('/').pop());
  return { id, code: (await one('SELECT code FROM tickets WHERE id = $1', [id])).code };
}

async function act(session, path, fields) {
  const r = await postForm(path, { csrf: session.csrf, ...fields }, session);
  assert.equal(r.status, 303, r.text.slice(0, 300));
}

// Test data only.  The ticket's deadlines, as the trigger records them:
// the first, then each later one.
async function deadlines(id, dues) {
  await db().query('DELETE FROM ticket_deadlines WHERE ticket_id = $1', [id]);
  for (const due of dues)
    await db().query('UPDATE tickets SET due_at = $2::timestamptz WHERE id = $1', [id, due]);
}

async function state(id, { created, status, agency = null, answered = null }) {
  await db().query(`UPDATE tickets SET created_at = $2::timestamptz, status = $3,
      agency_id = (SELECT id FROM agencies WHERE code = $4), answered_at = $5::timestamptz,
      answer = CASE WHEN $5::timestamptz IS NULL THEN NULL ELSE 'Đã trả lời.' END
    WHERE id = $1`, [id, created, status, agency, answered]);
}

// ticket_events is append-only: the fixture's history is written with its
// own times, as the actions would have written it then.
async function event(id, at, kind, payload = {}) {
  await db().query(`INSERT INTO ticket_events (ticket_id, at, actor_label, kind, payload)
    VALUES ($1, $2::timestamptz, 'Kiểm thử', $3, $4::jsonb)`, [id, at, kind, JSON.stringify(payload)]);
}

const forward = (id, at, agency, due) =>
  event(id, at, 'forward', { agency_id: agencyId[agency], agency, due_at: due });
const agencyAnswer = (id, at, agency) => event(id, at, 'agency_answer', { agency_id: agencyId[agency] });

before(async () => {
  op = await login('dtv.minh', ip);
  sup = await login('lanhdao', ip);
  stnmt = await login('cb.stnmt', ip);
  sgtvt = await login('cb.sgtvt', ip);
  for (const code of ['STNMT', 'SGTVT'])
    agencyId[code] = (await one('SELECT id FROM agencies WHERE code = $1', [code])).id;

  // A year no other ticket or forward lives in, so the numbers are ours.
  year = await freeYear();
  from = `${year}-03-01`;
  to = `${year}-03-31`;
  const d = (s) => `${year}-${s}+07`;
  for (const k of ['reforward', 'reopened', 'agency', 'late']) t[k] = await phoneTicket();

  // Forwarded to STNMT with a deadline of 5 March, re-forwarded to SGTVT
  // with 12 March; SGTVT replied on 8 March, the center answered on the
  // 9th: late against the first deadline, though before the last.
  let id = t.reforward.id;
  await state(id, { created: d('03-02T08:00:00'), status: 'answered', agency: 'SGTVT',
    answered: d('03-09T08:00:00') });
  await deadlines(id, [d('03-05T17:00:00'), d('03-12T17:00:00')]);
  await forward(id, d('03-02T10:00:00'), 'STNMT', d('03-05T17:00:00'));
  await forward(id, d('03-04T09:00:00'), 'SGTVT', d('03-12T17:00:00'));
  await agencyAnswer(id, d('03-08T10:00:00'), 'SGTVT');
  await event(id, d('03-09T08:00:00'), 'answer');

  // Answered on time by the center, closed, then reopened with a new
  // deadline: open again and past it, one ticket, not answered, overdue.
  id = t.reopened.id;
  await state(id, { created: d('03-10T08:00:00'), status: 'reopened', answered: d('03-11T08:00:00') });
  await deadlines(id, [d('03-15T17:00:00'), d('03-19T17:00:00')]);
  await event(id, d('03-11T08:00:00'), 'answer');
  await event(id, d('03-11T09:00:00'), 'close');
  await event(id, d('03-12T09:00:00'), 'reopen');

  // STNMT replied in 24 hours; the center answered on time.
  id = t.agency.id;
  await state(id, { created: d('03-20T08:00:00'), status: 'answered', agency: 'STNMT',
    answered: d('03-22T08:00:00') });
  await deadlines(id, [d('03-25T17:00:00')]);
  await forward(id, d('03-20T12:00:00'), 'STNMT', d('03-25T17:00:00'));
  await agencyAnswer(id, d('03-21T12:00:00'), 'STNMT');
  await event(id, d('03-22T08:00:00'), 'answer');

  // With STNMT, no reply, past its deadline.
  id = t.late.id;
  await state(id, { created: d('03-26T08:00:00'), status: 'forwarded', agency: 'STNMT' });
  await deadlines(id, [d('03-31T17:00:00')]);
  await forward(id, d('03-26T10:00:00'), 'STNMT', d('03-31T17:00:00'));
});

const stats = (group) =>
  request('GET', `/giam-sat/thong-ke.json?tu=${from}&den=${to}&theo=${group}`, sup);

test('every deadline is kept, the first one first, through the real actions', async () => {
  const { id } = await phoneTicket();
  const first = await one('SELECT due_at FROM tickets WHERE id = $1', [id]);
  assert.ok(first.due_at, 'a deadline at creation');
  await act(op, `/dtv/phieu/${id}/forward`, { agency: String(agencyId.STNMT), days: '2' });
  await act(stnmt, `/co-quan/phieu/${id}/return`, { note: 'Không thuộc thẩm quyền.' });
  await act(op, `/dtv/phieu/${id}/forward`, { agency: String(agencyId.SGTVT), days: '9' });
  const rows = (await db().query(`SELECT due_at, agency_id, status FROM ticket_deadlines
    WHERE ticket_id = $1 ORDER BY id`, [id])).rows;
  const now = await one('SELECT due_at FROM tickets WHERE id = $1', [id]);
  assert.ok(rows.length >= 2, JSON.stringify(rows));
  assert.equal(rows[0].due_at.getTime(), first.due_at.getTime());
  assert.equal(rows.at(-1).due_at.getTime(), now.due_at.getTime());
  assert.equal(rows.at(-1).agency_id, agencyId.SGTVT);
  assert.equal(rows.at(-1).status, 'forwarded');
  assert.ok(rows.at(-1).due_at > rows.at(-2).due_at, 'the re-forward moved the deadline');
  const f = await one(`SELECT ticket_first_due($1) AS d,
      to_char(ticket_first_due($1), 'DD/MM/YYYY HH24:MI') AS text`, [id]);
  assert.equal(f.d.getTime(), first.due_at.getTime());
  // The ticket's page shows the first deadline beside the current one.
  const page = await request('GET', `/dtv/phieu/${id}`, op);
  assert.ok(page.text.includes(`id="first-due">${f.text} `), 'the first deadline shown');
});

test('a reopened ticket gets a new deadline and keeps its first', async () => {
  const { id } = await phoneTicket();
  const first = await one('SELECT due_at FROM tickets WHERE id = $1', [id]);
  await act(op, `/dtv/phieu/${id}/answer`, { answer: 'Đã trả lời qua điện thoại.' });
  // Its deadline long past by the time the citizen calls back.
  await db().query(`UPDATE tickets SET due_at = now() - interval '3 days' WHERE id = $1`, [id]);
  await act(op, `/dtv/phieu/${id}/reopen`, { note: 'Người dân gọi lại.' });
  const now = await one(`SELECT due_at, ticket_overdue(t) AS overdue, ticket_first_due(id) AS first
    FROM tickets t WHERE id = $1`, [id]);
  assert.ok(now.due_at > new Date(), 'a deadline ahead');
  assert.equal(now.overdue, false);
  assert.equal(now.first.getTime(), first.due_at.getTime());
  const last = await one(`SELECT status, due_at FROM ticket_deadlines WHERE ticket_id = $1
    ORDER BY id DESC LIMIT 1`, [id]);
  assert.equal(last.status, 'reopened');
  assert.equal(last.due_at.getTime(), now.due_at.getTime());
  const ev = await one(`SELECT payload->>'due_at' AS due FROM ticket_events
    WHERE ticket_id = $1 AND kind = 'reopen'`, [id]);
  assert.equal(new Date(ev.due).getTime(), now.due_at.getTime());
});

test('on time against the first deadline; a reopened ticket counted once', async () => {
  const r = await stats('linh-vuc');
  assert.equal(r.status, 200, r.text);
  const x = r.json.total;
  assert.equal(x.received, 4);
  // Answered: re-forwarded and agency; the reopened one is open again.
  assert.equal(x.answered, 2);
  // The re-forwarded ticket's answer (9 March) missed its first deadline
  // (5 March) though not the one the re-forward gave (12 March).
  assert.equal(x.on_time, 1);
  assert.equal(x.on_time_pct, 50.0);
  // Reopened and past due, forwarded and past due.
  assert.equal(x.overdue_open, 2);
  assert.equal(x.avg_hours, 108.0);		// (168 + 48) / 2
  // The center: first answer or forward, 2, 24, 4 and 2 hours, all on time.
  assert.equal(x.center_replied, 4);
  assert.equal(x.center_on_time_pct, 100.0);
  assert.equal(x.center_avg_hours, 8.0);
  // The ticket's own page says the same of the re-forwarded one.
  const page = await request('GET', `/giam-sat/phieu/${t.reforward.id}`, sup);
  assert.equal(page.status, 200);
});

test('each agency: forward to its own reply, against the first deadline it was given', async () => {
  const r = await stats('co-quan');
  const byKey = Object.fromEntries(r.json.agencies.map((a) => [a.key, a]));
  assert.deepEqual(Object.keys(byKey).sort(), ['SGTVT', 'STNMT']);
  // STNMT: three forwarded (one then re-forwarded away), one reply in 24 h,
  // one still waiting past its deadline.
  assert.deepEqual(byKey.STNMT, { key: 'STNMT', label: byKey.STNMT.label, received: 3, answered: 1,
    on_time: 1, on_time_pct: 100.0, overdue: 1, avg_hours: 24.0 });
  // SGTVT: the re-forwarded ticket, replied in 97 h, before its deadline.
  assert.deepEqual(byKey.SGTVT, { key: 'SGTVT', label: byKey.SGTVT.label, received: 1, answered: 1,
    on_time: 1, on_time_pct: 100.0, overdue: 0, avg_hours: 97.0 });
  // The page's table and the CSV carry them too.
  const page = await request('GET', `/giam-sat?tu=${from}&den=${to}&theo=co-quan`, sup);
  const row = page.text.match(/<tr data-key="STNMT">\s*<th scope="row">[^<]*<\/th>([\s\S]*?)<\/tr>/g);
  assert.ok(row && row.length === 2, 'STNMT in both tables');
  assert.match(row[1], /data-col="avg">24,0 giờ</);
  const csv = await request('GET', `/giam-sat/thong-ke.csv?tu=${from}&den=${to}&theo=co-quan`, sup);
  assert.match(csv.text, /\r\n\r\nCơ quan xử lý,Đã nhận,/);
  assert.match(csv.text, /Sở Giao thông vận tải,1,1,1,100\.0,0,97\.0\r\n/);
});

test('the inbox\'s overdue filter and the statistics agree', async () => {
  const overdue = [];
  for (const [k, { id, code }] of Object.entries(t)) {
    const r = await request('GET', `/dtv?overdue=1&status=all&q=${code}`, op);
    assert.equal(r.status, 200);
    if (r.text.includes(`is-overdue" data-id="${id}"`)) overdue.push(k);
  }
  assert.deepEqual(overdue.sort(), ['late', 'reopened']);
  const s = await stats('linh-vuc');
  assert.equal(s.json.total.overdue_open, overdue.length);
  // The same function, asked directly.
  const n = await one(`SELECT count(*) FILTER (WHERE ticket_overdue(t))::int AS n
    FROM tickets t WHERE id = ANY($1)`, [Object.values(t).map((x) => x.id)]);
  assert.equal(n.n, 2);
  // The agency's inbox flags its overdue ticket as well.
  const a = await request('GET', '/co-quan', stnmt);
  assert.match(a.text, new RegExp(`is-overdue" data-id="${t.late.id}"`));
});

test('an agency officer sees their own figures and never another agency\'s', async () => {
  let r = await request('GET', `/co-quan/thong-ke?tu=${from}&den=${to}`, stnmt);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.match(r.text, /Sở Tài nguyên và Môi trường/);
  assert.doesNotMatch(r.text, /Sở Giao thông vận tải/);
  const cell = (text, col) => text.match(new RegExp(`data-col="${col}">([^<]*)<`))[1];
  assert.equal(cell(r.text, 'received'), '3');
  assert.equal(cell(r.text, 'answered'), '1');
  assert.equal(cell(r.text, 'on_time'), '1');
  assert.equal(cell(r.text, 'overdue'), '1');
  assert.equal(cell(r.text, 'avg'), '24,0 giờ');
  assert.equal((r.text.match(/id="agency-stats"/g) || []).length, 1);

  r = await request('GET', `/co-quan/thong-ke?tu=${from}&den=${to}`, sgtvt);
  assert.equal(r.status, 200);
  assert.match(r.text, /Sở Giao thông vận tải/);
  assert.doesNotMatch(r.text, /Sở Tài nguyên và Môi trường/);
  assert.equal(cell(r.text, 'received'), '1');
  assert.equal(cell(r.text, 'avg'), '4,0 ngày');

  // Linked from the agency inbox; the center's people are not agencies.
  const inbox = await request('GET', '/co-quan', stnmt);
  assert.match(inbox.text, /href="\/co-quan\/thong-ke"/);
  const no = await request('GET', `/co-quan/thong-ke?tu=${from}&den=${to}`, sup);
  assert.notEqual(no.status, 200);
  // Bad dates: a clear 400, nothing else.
  const bad = await request('GET', '/co-quan/thong-ke?tu=2026-02-30', stnmt);
  assert.equal(bad.status, 400);
  assert.match(bad.text, /Ngày bắt đầu không hợp lệ/);
});
