// The hotline's figures for leaders (/giam-sat/tong-dai): a fixture of
// calls on a day of their own where every count, the service level and the
// averages are known; signed agent.state events → the time in each state;
// the same figures in the CSV, the JSON and an XLSX read back by a second
// reader (Debian's python3-openpyxl, run by /usr/bin/python3: a python3
// earlier in PATH may lack it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { request, login, one, db, dbClose } from '../lib.mjs';
import { download, readXlsx } from '../xlsx.mjs';
import { hmacHex, hotlineKey, readSecret } from '../contract.mjs';

const ip = '127.0.66.1';
const day = '2025-03-04';		// the fixture's day, nobody else's
const secret = readSecret(path.join(process.env.TEST_VAR_DIR, 'hotline.secret'));
const sign = (body) => hmacHex(hotlineKey(secret, 'call-event'), body);
let sup, op, ids;
after(dbClose);

function send(obj) {
  const body = JSON.stringify(obj);
  return request('POST', '/api/internal/call-events', {
    ip, body, headers: { 'content-type': 'application/json', 'x-hotline-signature': sign(body) },
  });
}

// A call at hh:mm local time (UTC+7) on the fixture's day.
async function insertCall(disposition, hhmm, wait, talk, agent = null) {
  const at = new Date(`${day}T${hhmm}:00+07:00`);
  const answered = ['answered', 'transferred'].includes(disposition)
    ? new Date(at.getTime() + wait * 1000) : null;
  await db().query(`INSERT INTO calls (event_id, call_uuid, sip_call_id, caller, callee,
      agent_id, agent_ref, disposition, created_at, answered_at, ended_at, wait_seconds, talk_seconds)
      VALUES ($1, $2, $3, '0901234567', '1022', $4, $11, $5, $6, $7, $8, $9, $10)`,
  [crypto.randomUUID(), crypto.randomUUID(), `stats-${crypto.randomUUID()}`, agent, disposition,
    at, answered, new Date(at.getTime() + (wait + talk) * 1000), wait, talk, agent === null ? null : String(agent)]);
}

before(async () => {
  [sup, op] = await Promise.all([login('lanhdao', '127.0.66.2'), login('dtv.lan', '127.0.66.3')]);
  ids = Object.fromEntries((await db().query(`SELECT username, id FROM users
      WHERE username IN ('dtv.lan', 'dtv.minh')`)).rows.map((r) => [r.username, r.id]));
  await db().query(`DELETE FROM calls WHERE created_at >= $1::date AND created_at < $1::date + 2`, [day]);
  // 09h: four answered (waits 5, 10, 20, 30), two abandoned, a voicemail;
  // 10h: a transferred call answered after 15 s.
  await insertCall('answered', '09:00', 5, 60, ids['dtv.lan']);
  await insertCall('answered', '09:10', 10, 120, ids['dtv.lan']);
  await insertCall('answered', '09:20', 20, 180, ids['dtv.lan']);
  await insertCall('answered', '09:30', 30, 240, ids['dtv.minh']);
  await insertCall('abandoned', '09:40', 40, 0);
  await insertCall('abandoned', '09:45', 50, 0);
  await insertCall('voicemail', '09:50', 60, 0);
  await insertCall('transferred', '10:05', 15, 300, ids['dtv.minh']);
});

test('call statistics on a known fixture: counts, service level, averages', async () => {
  const r = await request('GET', `/giam-sat/tong-dai.json?tu=${day}&den=${day}&theo=ngay`, sup);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.threshold, 20);
  assert.equal(r.json.rows.length, 1);
  const want = { received: 8, answered: 5, abandoned: 2, voicemail: 1, transferred: 1,
    in_sl: 4, service_level: 50, avg_wait: 16, avg_talk: 180 };
  for (const [k, v] of Object.entries(want)) {
    assert.equal(r.json.rows[0][k], v, k);
    assert.equal(r.json.total[k], v, `total ${k}`);
  }
  assert.equal(r.json.rows[0].key, day);

  // By hour; the threshold asked for (10 s) changes the service level.
  const h = await request('GET', `/giam-sat/tong-dai.json?tu=${day}&den=${day}&theo=gio&nguong=10`, sup);
  assert.deepEqual(h.json.rows.map((x) => [x.label, x.received, x.in_sl, x.service_level]),
    [['09:00–10:00', 7, 2, 28.6], ['10:00–11:00', 1, 0, 0]]);
  assert.equal(h.json.total.service_level, 25);

  // By operator: nobody answered three of them.
  const o = await request('GET', `/giam-sat/tong-dai.json?tu=${day}&den=${day}&theo=dtv`, sup);
  const by = Object.fromEntries(o.json.rows.map((x) => [x.key, x]));
  assert.deepEqual([by[String(ids['dtv.lan'])].received, by[String(ids['dtv.lan'])].service_level,
    by[String(ids['dtv.lan'])].avg_wait], [3, 100, 11.7]);
  assert.deepEqual([by[String(ids['dtv.minh'])].received, by[String(ids['dtv.minh'])].in_sl,
    by[String(ids['dtv.minh'])].avg_talk], [2, 1, 270]);
  assert.equal(by[''].label, 'Không có điện thoại viên nhận');
  assert.equal(by[''].received, 3);

  // By month: March 2025.
  const m = await request('GET', `/giam-sat/tong-dai.json?tu=${day}&den=${day}&theo=thang`, sup);
  assert.deepEqual(m.json.rows.map((x) => [x.label, x.received]), [['03/2025', 8]]);
});

test('missed calls (rang out, silent voicemail, media gone) have their own column', async () => {
  const next = '2025-03-05';
  const at = new Date(`${next}T08:00:00+07:00`);
  await db().query(`INSERT INTO calls (event_id, call_uuid, sip_call_id, caller, callee,
      disposition, created_at, ended_at, wait_seconds, talk_seconds)
      VALUES ($1, $2, $3, '0901234567', '1022', 'missed', $4, $5, 25, 0)`,
  [crypto.randomUUID(), crypto.randomUUID(), `stats-${crypto.randomUUID()}`, at,
    new Date(at.getTime() + 25000)]);
  const r = await request('GET', `/giam-sat/tong-dai.json?tu=${next}&den=${next}&theo=ngay`, sup);
  assert.equal(r.status, 200, r.text);
  const want = { received: 1, answered: 0, abandoned: 0, missed: 1, voicemail: 0, in_sl: 0 };
  for (const [k, v] of Object.entries(want)) assert.equal(r.json.total[k], v, k);
  const d = await request('GET', `/giam-sat/tong-dai.json?tu=${day}&den=${day}&theo=ngay`, sup);
  assert.equal(d.json.total.missed, 0);
});

test('the page shows the figures in Vietnamese; bad filters get a clear error', async () => {
  const r = await request('GET', `/giam-sat/tong-dai?tu=${day}&den=${day}`, sup);
  assert.equal(r.status, 200);
  assert.match(r.text, /Thống kê tổng đài/);
  assert.match(r.text, /<td class="num" data-col="service_level">50,0<\/td>/);
  assert.match(r.text, /<td class="num" data-col="avg_wait">16,0 giây<\/td>/);
  assert.match(r.text, /href="\/giam-sat\/tong-dai\.xlsx\?tu=2025-03-04&amp;den=2025-03-04&amp;theo=ngay&amp;nguong=20"/);
  for (const qs of ['nguong=0', 'nguong=601', 'nguong=abc', 'theo=tuan', 'den=2025-03-03']) {
    const b = await request('GET', `/giam-sat/tong-dai?tu=${day}&${qs}`, sup);
    assert.equal(b.status, 400, qs);
    assert.match(b.text, /role="alert"/);
  }
  // A range without calls: zeros, no error.
  const none = await request('GET', '/giam-sat/tong-dai.json?tu=2025-03-06&den=2025-03-06', sup);
  assert.equal(none.status, 200, none.text);
  assert.deepEqual([none.json.rows, none.json.total.received, none.json.total.service_level], [[], 0, null]);
  assert.equal((await request('GET', '/giam-sat/tong-dai?tu=2025-03-06&den=2025-03-06', sup)).status, 200);
  // An operator may not see the leaders' figures.
  assert.equal((await request('GET', '/giam-sat/tong-dai', op)).status, 403);
});

test('agent.state events are stored once and become time per state and pause reason', async () => {
  const agent = String(ids['dtv.lan']);
  const minh = String(ids['dtv.minh']);
  const ev = (who, state, hhmm, reason = null, d = day) => ({
    event_id: crypto.randomUUID(), type: 'agent.state', agent_user_id: who, state, reason,
    at: new Date(`${d}T${hhmm}:00+07:00`).toISOString().replace(/\.000Z$/, 'Z'), device: 'web',
  });
  await db().query('DELETE FROM agent_states WHERE agent_ref IN ($1, $2)', [agent, minh]);
  const seq = [ev(agent, 'available', '08:00'), ev(agent, 'ringing', '08:29'), ev(agent, 'in_call', '08:30'),
    ev(agent, 'wrap_up', '08:35'), ev(agent, 'available', '08:36'),
    ev(agent, 'paused', '11:30', 'Ăn trưa'), ev(agent, 'available', '12:30'),
    ev(agent, 'paused', '16:00', 'Họp giao ban'), ev(agent, 'offline', '16:15'),
    // Across midnight: an hour on each day.
    ev(minh, 'available', '23:00'), ev(minh, 'offline', '01:00', null, '2025-03-05')];
  // Out of order on the wire: the time of each event decides.
  for (const e of [...seq].reverse()) {
    const r = await send(e);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { stored: true });
  }
  const again = await send(seq[0]);
  assert.deepEqual(again.json, { stored: false });
  assert.equal((await one('SELECT count(*)::int AS n FROM agent_states WHERE agent_ref = $1', [agent])).n, 9);
  // Not a state, no agent, a bad time: quarantined, nothing stored.
  for (const bad of [{ ...ev(agent, 'dancing', '09:00') }, { ...ev(agent, 'available', '09:00'), agent_user_id: null },
    { ...ev(agent, 'available', '09:00'), at: 'yesterday' }, { ...ev(agent, 'paused', '09:00'), reason: 7 }]) {
    const r = await send(bad);
    assert.equal(r.status, 202, JSON.stringify(bad));
    assert.equal((await one('SELECT count(*)::int AS n FROM agent_states WHERE event_id = $1', [bad.event_id])).n, 0);
  }

  const r = await request('GET', `/giam-sat/tong-dai.json?tu=${day}&den=2025-03-05`, sup);
  const lan = r.json.states.find((s) => s.day === day && s.in_call === 300);
  assert.ok(lan, JSON.stringify(r.json.states));
  assert.deepEqual([lan.day, lan.available, lan.ringing, lan.in_call, lan.wrap_up, lan.paused],
    [day, 1740 + 10440 + 12600, 60, 300, 60, 3600 + 900]);
  assert.match(lan.pauses, /Ăn trưa: 01:00:00/);
  assert.match(lan.pauses, /Họp giao ban: 00:15:00/);
  const m = r.json.states.filter((s) => s.available === 3600);
  assert.deepEqual(m.map((s) => s.day), [day, '2025-03-05']);

  const page = await request('GET', `/giam-sat/tong-dai?tu=${day}&den=${day}`, sup);
  assert.match(page.text, /<td class="num" data-col="available">6:53:00<\/td>/);
  assert.match(page.text, /<td class="num" data-col="paused">1:15:00<\/td>/);
});

test('CSV and XLSX carry the same figures; openpyxl reads numbers, dates and durations', async () => {
  const csv = await download(`/giam-sat/tong-dai.csv?tu=${day}&den=${day}`, sup);
  assert.equal(csv.status, 200);
  const text = csv.body.toString('utf8');
  assert.match(text, /^\ufeffNgày,Cuộc gọi đến,Đã trả lời/);
  assert.match(text, /\r\n04\/03\/2025,8,5,2,0,1,1,4,50\.0,16\.0,180\.0\r\nTổng cộng,8,5,2,0,1,1,4,50\.0,16\.0,180\.0\r\n/);
  assert.match(text, /,04\/03\/2025,24780,60,300,60,4500,.*Ăn trưa: 01:00:00/);

  const x = await download(`/giam-sat/tong-dai.xlsx?tu=${day}&den=${day}`, sup);
  assert.equal(x.status, 200, x.body.toString());
  assert.equal(x.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(x.headers['content-disposition'], /attachment; filename="tong-dai-ngay-2025-03-04-2025-03-04\.xlsx"/);
  const wb = readXlsx(x.body);
  const calls = wb['Cuộc gọi'].rows;
  assert.match(calls[0][0], /^Cuộc gọi theo Ngày, từ 04\/03\/2025 đến 04\/03\/2025/);
  assert.deepEqual(calls[2], ['Ngày', 'Cuộc gọi đến', 'Đã trả lời', 'Bỏ máy khi chờ', 'Cuộc gọi nhỡ', 'Để lại lời nhắn',
    'Chuyển cơ quan', 'Trả lời trong ngưỡng', 'Mức phục vụ (%)', 'Chờ trung bình (giây)',
    'Đàm thoại trung bình (giây)']);
  assert.deepEqual(calls[3], ['2025-03-04T00:00:00', 8, 5, 2, 0, 1, 1, 4, 50, 16, 180]);
  assert.deepEqual(calls[4].slice(1), [8, 5, 2, 0, 1, 1, 4, 50, 16, 180], 'the total row');
  assert.equal(wb['Cuộc gọi'].formats[0], 'dd/mm/yyyy');
  assert.ok(wb['Cuộc gọi'].widths.A >= 12, JSON.stringify(wb['Cuộc gọi'].widths));
  const states = wb['Trạng thái'].rows;
  assert.deepEqual(states[2].slice(0, 3), ['Điện thoại viên', 'Ngày', 'Sẵn sàng']);
  assert.ok(states.slice(3).some((row) => row[1] === '2025-03-04T00:00:00' &&
    JSON.stringify(row.slice(2, 8)) === JSON.stringify([24780, 60, 300, 60, 4500, row[7]]) &&
    /Ăn trưa: 01:00:00/.test(row[7])), JSON.stringify(states));
  // No sandbox violation while the workbook was written.
  const log = fs.readFileSync(path.join(process.env.TEST_VAR_DIR, 'log', 'kore.log'), 'utf8');
  assert.doesNotMatch(log, /sandbox violation/);
  // Nothing left behind in VAR_DIR/tmp.
  const tmp = path.join(process.env.TEST_VAR_DIR, 'tmp');
  assert.deepEqual(fs.existsSync(tmp) ? fs.readdirSync(tmp).filter((f) => f.startsWith('report-')) : [], []);
});

test('the states table pages 50 rows at a time; the exports carry them all', async () => {
  // One operator's 60 days in May–June 2025: an hour available each day.
  await db().query(`DELETE FROM agent_states WHERE agent_ref = 'pager-test'`);
  await db().query(`INSERT INTO agent_states (event_id, agent_ref, state, at)
      SELECT gen_random_uuid(), 'pager-test', s, d + t
      FROM generate_series('2025-05-01'::timestamptz, '2025-06-29', '1 day') d,
        (VALUES ('available', interval '8 hours'), ('offline', interval '9 hours')) v (s, t)`);
  const q = 'tu=2025-05-01&den=2025-06-29';
  const rows = (html) => (html.match(/<tr data-day="/g) || []).length;
  const p1 = await request('GET', `/giam-sat/tong-dai?${q}`, sup);
  assert.equal(rows(p1.text), 50);
  assert.match(p1.text, /60 dòng .* trang 1\/2/);
  assert.match(p1.text, /href="\/giam-sat\/tong-dai\?tu=2025-05-01&amp;den=2025-06-29&amp;theo=ngay&amp;nguong=20&amp;page=2"/);
  const p2 = await request('GET', `/giam-sat/tong-dai?${q}&page=2`, sup);
  assert.equal(rows(p2.text), 10);
  assert.equal((await request('GET', `/giam-sat/tong-dai?${q}&page=0`, sup)).status, 400);
  const j = await request('GET', `/giam-sat/tong-dai.json?${q}`, sup);
  assert.equal(j.json.states.filter((s) => s.name === 'pager-test').length, 60);
  assert.ok(j.json.states.every((s) => s.name !== 'pager-test' || s.available === 3600));
  const csv = await download(`/giam-sat/tong-dai.csv?${q}`, sup);
  assert.equal((csv.body.toString('utf8').match(/^pager-test,/gm) || []).length, 60);
});
