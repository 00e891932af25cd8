// Every call for supervisors and the callbacks operators owe (issue 11):
// the calls page's filters, pages and CSV on a day that holds only this
// file's calls, who may see it, a call given to an operator once, the
// outcome recorded once, the count owed in the operator's menu, and a
// cancelled callback after its confirmation page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { request, postForm, getPage, one, db, dbClose, login } from '../lib.mjs';

after(dbClose);

// A day of its own, years ahead: 55 calls (50 answered by Lan, 3
// abandoned, a voicemail, a transfer).
const day = new Date(Date.UTC(2035, 0, 1) + (Date.now() % 3650) * 86400000)
  .toISOString().slice(0, 10);
const dayVi = `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
let sup, lan, minh, agency, ids;
const calls = {};

async function insertCall(disposition, i, { agent = null, caller, recording = null } = {}) {
  const uuid = crypto.randomUUID();
  const at = new Date(Date.parse(`${day}T02:00:00Z`) + i * 60000);
  const r = await one(`INSERT INTO calls (event_id, call_uuid, sip_call_id, caller, callee,
      agent_id, agent_ref, disposition, created_at, answered_at, ended_at, wait_seconds,
      talk_seconds, recording)
    VALUES ($1, $2, $3, $4, '1022', $5::integer, $5::text, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
  [crypto.randomUUID(), uuid, `${uuid}@test`, caller ?? `09${String(10000000 + i).slice(-8)}`,
    agent, disposition, at, disposition === 'answered' ? new Date(at.getTime() + 5000) : null,
    new Date(at.getTime() + 95000), disposition === 'answered' ? 5 : 40,
    disposition === 'answered' ? 90 : 0, recording]);
  return { id: String(r.id), uuid };
}

const owed = async (user) => (await one(`SELECT count(*)::int AS n FROM callbacks
    WHERE operator_id = $1 AND state = 'owed'`, [user])).n;
const rows = (html) => (html.match(/<tr data-id="/g) || []).length;

before(async () => {
  [sup, lan, minh, agency] = await Promise.all([login('lanhdao', '127.0.41.1'),
    login('dtv.lan', '127.0.41.2'), login('dtv.minh', '127.0.41.3'),
    login('cb.stnmt', '127.0.41.4')]);
  ids = Object.fromEntries((await db().query(`SELECT username, id FROM users
      WHERE username IN ('lanhdao', 'dtv.lan', 'dtv.minh')`)).rows.map((r) => [r.username, r.id]));
  for (let i = 0; i < 50; i++)
    calls[`answered${i}`] = await insertCall('answered', i, { agent: ids['dtv.lan'],
      recording: i === 49 ? `${day.slice(0, 4)}/${day.slice(5, 7)}/${crypto.randomUUID()}.wav` : null });
  for (let i = 0; i < 3; i++)
    calls[`abandoned${i}`] = await insertCall('abandoned', 50 + i, { caller: `090555000${i}` });
  calls.voicemail = await insertCall('voicemail', 53);
  calls.transferred = await insertCall('transferred', 54, { agent: ids['dtv.lan'] });
});

test('only supervisors and administrators see the calls page', async () => {
  assert.equal((await request('GET', `/giam-sat/cuoc-goi?tu=${day}`, agency)).status, 403);
  assert.equal((await request('GET', `/giam-sat/cuoc-goi?tu=${day}`, lan)).status, 403);
  assert.equal((await request('GET', `/giam-sat/cuoc-goi.csv?tu=${day}`, lan)).status, 403);
  const r = await request('GET', `/giam-sat/cuoc-goi?tu=${day}`, sup);
  assert.equal(r.status, 200);
  assert.match(r.text, /href="\/giam-sat\/cuoc-goi">Cuộc gọi<\/a>/);
  // Not logged in: to the login page, never the list.
  const anon = await request('GET', `/giam-sat/cuoc-goi?tu=${day}`, { ip: '127.0.41.5' });
  assert.notEqual(anon.status, 200);
});

test('calls of a day, newest first, 50 a page, filtered by operator and disposition', async () => {
  const p1 = await request('GET', `/giam-sat/cuoc-goi?tu=${day}&den=${day}`, sup);
  assert.equal(p1.status, 200);
  assert.match(p1.text, /55 cuộc gọi · trang 1\/2/);
  assert.equal(rows(p1.text), 50);
  // Newest first: the transfer (the day's last call) leads.
  assert.match(p1.text, new RegExp(`<tr data-id="${calls.transferred.id}"`));
  assert.ok(p1.text.indexOf(`data-id="${calls.transferred.id}"`) < p1.text.indexOf(`data-id="${calls.abandoned0.id}"`));
  assert.match(p1.text, new RegExp(`${dayVi} \\d\\d:\\d\\d:\\d\\d`));
  assert.match(p1.text, /1 phút 30 giây/);
  // The recording, for a role that may hear it.
  assert.match(p1.text, new RegExp(`href="/ghi-am/${calls.answered49.uuid}"`));
  const p2 = await request('GET', `/giam-sat/cuoc-goi?tu=${day}&den=${day}&page=2`, sup);
  assert.equal(rows(p2.text), 5);
  assert.match(p2.text, /rel="prev"/);

  const ab = await request('GET', `/giam-sat/cuoc-goi?tu=${dayVi}&ket-thuc=abandoned`, sup);
  assert.equal(rows(ab.text), 3);
  assert.match(ab.text, /Bỏ máy khi chờ/);
  const byLan = await request('GET', `/giam-sat/cuoc-goi?tu=${day}&nguoi=${ids['dtv.lan']}`, sup);
  assert.match(byLan.text, /51 cuộc gọi/);
  const both = await request('GET', `/giam-sat/cuoc-goi?tu=${day}&nguoi=${ids['dtv.lan']}&ket-thuc=transferred`, sup);
  assert.equal(rows(both.text), 1);

  for (const bad of ['tu=31/02/2035', 'tu=2035-01-02&den=2035-01-01', 'ket-thuc=lost',
    'nguoi=abc', 'page=0', `tu=${'9'.repeat(40)}`])
    assert.equal((await request('GET', `/giam-sat/cuoc-goi?${bad}`, sup)).status, 400, bad);
});

test('the CSV holds every call of the filter', async () => {
  const r = await request('GET', `/giam-sat/cuoc-goi.csv?tu=${day}&den=${day}`, sup);
  assert.equal(r.status, 200);
  assert.match(r.headers['content-type'], /text\/csv/);
  const lines = r.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(lines.length, 56);
  assert.match(lines[0], /Số gọi đến/);
  assert.equal(lines.filter((l) => l.includes(',abandoned,')).length, 3);
});

test('a call is given once; only calls owed a callback, only to operators', async () => {
  const page = await getPage(`/giam-sat/cuoc-goi?tu=${day}&ket-thuc=abandoned`, sup);
  // Without the form's token: refused, nothing stored.
  const noCsrf = await postForm(`/giam-sat/cuoc-goi/${calls.abandoned0.id}/goi-lai`,
    { nguoi: ids['dtv.minh'] }, sup);
  assert.equal(noCsrf.status, 403);
  // An operator may not give calls.
  assert.equal((await postForm(`/giam-sat/cuoc-goi/${calls.abandoned0.id}/goi-lai`,
    { csrf: lan.csrf, nguoi: ids['dtv.minh'] }, lan)).status, 403);

  const before = await owed(ids['dtv.minh']);
  const ok = await postForm(`/giam-sat/cuoc-goi/${calls.abandoned0.id}/goi-lai`,
    { csrf: page.csrf, nguoi: ids['dtv.minh'], tu: day, den: day }, sup);
  assert.equal(ok.status, 303, ok.text);
  assert.equal(ok.headers.location, `/giam-sat/cuoc-goi?tu=${day}&den=${day}&ok=giao`);
  const again = await postForm(`/giam-sat/cuoc-goi/${calls.abandoned0.id}/goi-lai`,
    { csrf: page.csrf, nguoi: ids['dtv.lan'] }, sup);
  assert.equal(again.status, 409);
  // A transfer is not owed a callback; a supervisor takes no callbacks.
  assert.equal((await postForm(`/giam-sat/cuoc-goi/${calls.transferred.id}/goi-lai`,
    { csrf: page.csrf, nguoi: ids['dtv.minh'] }, sup)).status, 409);
  assert.equal((await postForm(`/giam-sat/cuoc-goi/${calls.answered47.id}/goi-lai`,
    { csrf: page.csrf, nguoi: ids.lanhdao }, sup)).status, 409);
  assert.equal((await postForm(`/giam-sat/cuoc-goi/${calls.answered47.id}/goi-lai`,
    { csrf: page.csrf, nguoi: 'x' }, sup)).status, 400);
  assert.equal(await owed(ids['dtv.minh']), before + 1);
  const cb = await one(`SELECT cb.id, cb.assigned_by, e.actor_id, e.kind FROM callbacks cb
      JOIN callback_events e ON e.callback_id = cb.id WHERE cb.call_id = $1`, [calls.abandoned0.id]);
  assert.equal(cb.assigned_by, ids.lanhdao);
  assert.equal(cb.kind, 'assigned');

  // The list shows who owes it, and what each operator owes.
  const list = await request('GET', `/giam-sat/cuoc-goi?tu=${day}&con-no=1`, sup);
  assert.equal(rows(list.text), 1);
  assert.match(list.text, /Chờ Trần Văn Minh gọi lại/);
  assert.match(list.text, new RegExp(`data-operator="${ids['dtv.minh']}"><td>Trần Văn Minh</td><td class="count">${before + 1}<`));
});

test('the operator sees what they owe and records the outcome once', async () => {
  const n = await owed(ids['dtv.minh']);
  const page = await getPage('/dtv/goi-lai', minh);
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(`Gọi lại \\(${n}\\)</a>`));
  assert.match(page.text, /0905550000/);
  assert.match(page.text, /Bỏ máy khi chờ/);
  const cb = await one(`SELECT id FROM callbacks WHERE call_id = $1 AND state = 'owed'`, [calls.abandoned0.id]);
  // Lan does not owe it; "Khác" needs a note; an unknown outcome is refused.
  assert.equal((await postForm(`/dtv/goi-lai/${cb.id}`, { csrf: lan.csrf, 'ket-qua': 'no_answer' }, lan)).status, 409);
  assert.equal((await postForm(`/dtv/goi-lai/${cb.id}`, { csrf: page.csrf, 'ket-qua': 'other' }, minh)).status, 400);
  assert.equal((await postForm(`/dtv/goi-lai/${cb.id}`, { csrf: page.csrf, 'ket-qua': 'maybe' }, minh)).status, 400);
  assert.equal((await one('SELECT state FROM callbacks WHERE id = $1', [cb.id])).state, 'owed');

  const done = await postForm(`/dtv/goi-lai/${cb.id}`, { csrf: page.csrf, 'ket-qua': 'no_answer',
    'ghi-chu': 'Gọi hai lần, không nghe máy.' }, minh);
  assert.equal(done.status, 303);
  assert.equal(done.headers.location, '/dtv/goi-lai?ok=1');
  const twice = await postForm(`/dtv/goi-lai/${cb.id}`, { csrf: page.csrf, 'ket-qua': 'reached' }, minh);
  assert.equal(twice.status, 409);
  const row = await one(`SELECT state, outcome, note, closed_by FROM callbacks WHERE id = $1`, [cb.id]);
  assert.deepEqual(row, { state: 'done', outcome: 'no_answer', note: 'Gọi hai lần, không nghe máy.', closed_by: ids['dtv.minh'] });
  const ev = await one(`SELECT actor_id, outcome FROM callback_events WHERE callback_id = $1 AND kind = 'done'`, [cb.id]);
  assert.deepEqual(ev, { actor_id: ids['dtv.minh'], outcome: 'no_answer' });
  const after = await request('GET', '/dtv/goi-lai', minh);
  assert.doesNotMatch(after.text, /0905550000/);
  assert.equal(await owed(ids['dtv.minh']), n - 1);
  // Called back once, the call may be given again.
  const sp = await getPage(`/giam-sat/cuoc-goi?tu=${day}&ket-thuc=abandoned`, sup);
  assert.match(sp.text, /Không nghe máy \(Trần Văn Minh\)/);
  assert.match(sp.text, /Giao bởi Lê Hoàng Phúc lúc [0-9/]+ [0-9:]+; ghi kết quả lúc /);
});

test('reached, with a ticket: the phone-ticket form, filled, links the call', async () => {
  const sp = await getPage(`/giam-sat/cuoc-goi?tu=${day}`, sup);
  assert.equal((await postForm(`/giam-sat/cuoc-goi/${calls.answered48.id}/goi-lai`,
    { csrf: sp.csrf, nguoi: ids['dtv.lan'] }, sup)).status, 303);
  const cb = await one(`SELECT id FROM callbacks WHERE call_id = $1 AND state = 'owed'`, [calls.answered48.id]);
  const r = await postForm(`/dtv/goi-lai/${cb.id}`, { csrf: lan.csrf, 'ket-qua': 'reached', 'mo-phieu': '1' }, lan);
  assert.equal(r.status, 303);
  const loc = new URL(r.headers.location, 'http://x');
  assert.equal(loc.pathname, '/dtv/tao-phieu');
  assert.equal(loc.searchParams.get('call_id'), calls.answered48.uuid);
  const form = await getPage(r.headers.location, lan);
  assert.match(form.text, new RegExp(`value="${calls.answered48.uuid}"`));
  const made = await postForm('/dtv/tao-phieu', { csrf: form.csrf, channel: 'phone',
    phone: loc.searchParams.get('phone'), name: 'Người gọi lại', title: 'Hỏi lại về hồ sơ đất đai',
    content: 'Gọi lại cho người dân theo cuộc gọi đã trả lời.', call_id: calls.answered48.uuid }, lan);
  assert.equal(made.status, 303, made.text.slice(0, 300));
  // The call now has its ticket: shown on the list, no longer owed a callback.
  const list = await request('GET', `/giam-sat/cuoc-goi?tu=${day}`, sup);
  const tr = list.text.slice(list.text.indexOf(`<tr data-id="${calls.answered48.id}"`));
  const row = tr.slice(0, tr.indexOf('</tr>'));
  assert.match(row, /class="ticket"/);
  assert.doesNotMatch(row, /goi-lai"/);
});

test('cancelling asks first, then the callback leaves the operator\'s list', async () => {
  const sp = await getPage(`/giam-sat/cuoc-goi?tu=${day}`, sup);
  assert.equal((await postForm(`/giam-sat/cuoc-goi/${calls.abandoned1.id}/goi-lai`,
    { csrf: sp.csrf, nguoi: ids['dtv.minh'] }, sup)).status, 303);
  const cb = await one(`SELECT id FROM callbacks WHERE call_id = $1 AND state = 'owed'`, [calls.abandoned1.id]);
  const confirm = await getPage(`/giam-sat/goi-lai/${cb.id}/huy`, sup);
  assert.equal(confirm.status, 200);
  assert.match(confirm.text, /Hủy yêu cầu gọi lại\?/);
  assert.equal((await one('SELECT state FROM callbacks WHERE id = $1', [cb.id])).state, 'owed');
  const r = await postForm(`/giam-sat/goi-lai/${cb.id}/huy`, { csrf: confirm.csrf, tu: day, den: day }, sup);
  assert.equal(r.status, 303);
  assert.equal((await one('SELECT state, closed_by FROM callbacks WHERE id = $1', [cb.id])).closed_by, ids.lanhdao);
  assert.equal((await postForm(`/giam-sat/goi-lai/${cb.id}/huy`, { csrf: confirm.csrf }, sup)).status, 409);
  assert.equal((await request('GET', `/giam-sat/goi-lai/${cb.id}/huy`, sup)).status, 409);
  assert.equal((await postForm(`/dtv/goi-lai/${cb.id}`, { csrf: minh.csrf, 'ket-qua': 'reached' }, minh)).status, 409);
  const ev = await db().query('SELECT kind FROM callback_events WHERE callback_id = $1 ORDER BY id', [cb.id]);
  assert.deepEqual(ev.rows.map((e) => e.kind), ['assigned', 'cancelled']);
});
