// The hotline's own hours (/quan-tri/gio-tong-dai, issue 11), apart from
// the deadline calendar: the weekly hours and the shifts are saved, logged,
// checked at the edge, and written into $VAR_DIR/calendar.txt for the
// plugin ("hours" and "shift" lines) within seconds; a deadline holiday
// adds no closing line.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { request, postForm, login, one, db, dbClose } from '../lib.mjs';

const ip = '127.0.62.1';
const calFile = path.join(process.env.TEST_VAR_DIR, 'calendar.txt');
after(async () => {
  await db().query('DELETE FROM hotline_hours');
  await db().query("DELETE FROM hotline_shifts WHERE day >= '2099-01-01'");
  await dbClose();
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// The file once it matches re (or, with not, once it does not), else null.
async function fileHas(re, ms = 8000, not = false) {
  const until = Date.now() + ms;
  for (;;) {
    let text = '';
    try { text = fs.readFileSync(calFile, 'utf8'); } catch { /* not yet */ }
    if (text !== '' && re.test(text) !== not) return text;
    if (Date.now() > until) return null;
    await sleep(200);
  }
}

const week = (over = {}) => {
  const f = {};
  for (let d = 1; d <= 7; d++) { f[`mode_${d}`] = 'default'; f[`opens_${d}`] = ''; f[`closes_${d}`] = ''; }
  return { ...f, ...over };
};
const snapshot = async () => ({
  hours: (await db().query('SELECT * FROM hotline_hours ORDER BY dow')).rows,
  shifts: (await db().query('SELECT day, closed, opens, closes, note FROM hotline_shifts ORDER BY day')).rows,
  events: (await one("SELECT count(*)::int AS n FROM admin_events WHERE target_kind = 'hotline_schedule'")).n,
});

test('hotline hours: only the administrator; default 24/7 with no closing line', async () => {
  for (const p of ['/quan-tri/gio-tong-dai']) {
    const r = await request('GET', p, { ip });
    assert.equal(r.status, 303);
  }
  const op = await login('dtv.lan', ip);
  for (const p of ['/quan-tri/gio-tong-dai', '/quan-tri/gio-tong-dai/ca', '/quan-tri/gio-tong-dai/xoa']) {
    const r = await postForm(p, { csrf: op.csrf, ...week({ mode_1: 'closed' }), day: '2099-01-05', kind: 'closed' }, op);
    assert.equal(r.status, 403, p);
  }
  const s = await login('admin', ip);
  const r = await request('GET', '/quan-tri/gio-tong-dai', s);
  assert.equal(r.status, 200);
  assert.match(r.text, /Giờ tổng đài 1022/);
  assert.match(r.text, /ngày nghỉ lễ không làm tổng đài đóng cửa/);
  assert.equal((r.text.match(/value="default" selected/g) || []).length, 7, 'every weekday as configured');
  // No CSRF token: refused, nothing stored.
  const before = await snapshot();
  const bad = await postForm('/quan-tri/gio-tong-dai', { ...week({ mode_1: 'closed' }) }, s);
  assert.ok([400, 403].includes(bad.status), String(bad.status));
  assert.deepEqual(await snapshot(), before);
});

test('weekly hours: saved, logged, refused when malformed, written for the plugin', async () => {
  const s = await login('admin', ip);
  const before = await snapshot();
  for (const [over, msg] of [
    [{ mode_2: 'sometimes' }, /Thứ Ba: vui lòng chọn cách mở/],
    [{ mode_3: 'open', opens_3: '17:00', closes_3: '07:00' }, /Thứ Tư: giờ mở và giờ đóng/],
    [{ mode_3: 'open', opens_3: '07:00', closes_3: '24:30' }, /Thứ Tư: giờ mở/],
    [{ mode_3: 'open', opens_3: '7h', closes_3: '17:00' }, /Thứ Tư: giờ mở/],
    [{ mode_7: "closed'}" }, /Chủ nhật: vui lòng chọn/],
  ]) {
    const r = await postForm('/quan-tri/gio-tong-dai', { csrf: s.csrf, ...week(over) }, s);
    assert.equal(r.status, 400, JSON.stringify(over));
    assert.match(r.text, msg, JSON.stringify(over));
  }
  assert.deepEqual(await snapshot(), before, 'nothing stored on bad input');

  const r = await postForm('/quan-tri/gio-tong-dai', { csrf: s.csrf, ...week({
    mode_1: 'open', opens_1: '07:30', closes_1: '17:00', mode_6: 'allday', mode_7: 'closed' }) }, s);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(r.headers.location, '/quan-tri/gio-tong-dai?ok=tuan');
  const rows = (await db().query("SELECT dow, closed, to_char(opens, 'HH24:MI') AS o, to_char(closes, 'HH24:MI') AS c FROM hotline_hours ORDER BY dow")).rows;
  assert.deepEqual(rows, [{ dow: 1, closed: false, o: '07:30', c: '17:00' }, { dow: 6, closed: false, o: '00:00', c: '24:00' },
    { dow: 7, closed: true, o: null, c: null }]);
  const ev = await one("SELECT kind, actor_label FROM admin_events WHERE target_kind = 'hotline_schedule' ORDER BY id DESC LIMIT 1");
  assert.equal(ev.kind, 'hotline_hours');
  const text = await fileHas(/^hours sun closed$/m);
  assert.ok(text, 'calendar.txt gets the weekly hours');
  assert.match(text, /^hours mon 07:30-17:00$/m);
  assert.match(text, /^hours sat 00:00-24:00$/m);
  assert.doesNotMatch(text, /^hours tue/m, 'a weekday as configured has no line');
  const page = await request('GET', '/quan-tri/gio-tong-dai?ok=tuan', s);
  assert.match(page.text, /Đã lưu giờ tổng đài theo thứ/);
  assert.match(page.text, /value="closed" selected/);

  // Back to the default: the lines go.
  const back = await postForm('/quan-tri/gio-tong-dai', { csrf: s.csrf, ...week() }, s);
  assert.equal(back.status, 303);
  assert.equal((await one('SELECT count(*)::int AS n FROM hotline_hours')).n, 0);
  assert.ok(await fileHas(/^hours /m, 8000, true), 'no hours line left');
});

test('shifts: a closed date and other hours; a deadline holiday alone adds no shift', async () => {
  const s = await login('admin', ip);
  const day = `2099-0${1 + (process.pid % 9)}-1${process.pid % 10}`;
  const day2 = `2099-1${process.pid % 3}-2${process.pid % 8}`;
  // A deadline holiday: in the file as "holiday", no "shift" line.
  let r = await postForm('/quan-tri/lich', { csrf: s.csrf, day, kind: 'holiday', name: 'Lễ thử (tổng đài vẫn mở)' }, s);
  assert.equal(r.status, 303);
  let text = await fileHas(new RegExp(`^holiday ${day}$`, 'm'));
  assert.ok(text, 'the deadline holiday is written');
  assert.doesNotMatch(text, new RegExp(`^shift ${day}`, 'm'));

  const before = await snapshot();
  for (const [over, msg] of [[{ day: '2099-02-30' }, /Ngày không hợp lệ/], [{ day: '2020-01-01' }, /hôm nay hoặc ngày sau/],
    [{ kind: 'maybe' }, /Vui lòng chọn/], [{ kind: 'open', opens: '12:00', closes: '08:00' }, /Giờ mở và giờ đóng/],
    [{ note: 'x'.repeat(201) }, /Ghi chú/]]) {
    r = await postForm('/quan-tri/gio-tong-dai/ca', { csrf: s.csrf, day, kind: 'closed', note: '', ...over }, s);
    assert.equal(r.status, 400, JSON.stringify(over));
    assert.match(r.text, msg, JSON.stringify(over));
  }
  assert.deepEqual(await snapshot(), before, 'nothing stored on bad input');

  r = await postForm('/quan-tri/gio-tong-dai/ca', { csrf: s.csrf, day, kind: 'closed', note: 'Bão số 3' }, s);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  r = await postForm('/quan-tri/gio-tong-dai/ca', { csrf: s.csrf, day: day2, kind: 'open', opens: '08:00', closes: '12:00', note: '' }, s);
  assert.equal(r.status, 303);
  r = await postForm('/quan-tri/gio-tong-dai/ca', { csrf: s.csrf, day, kind: 'open', opens: '08:00', closes: '12:00' }, s);
  assert.equal(r.status, 409);
  assert.match(r.text, /đã có ca riêng/);
  text = await fileHas(new RegExp(`^shift ${day2} 08:00-12:00$`, 'm'));
  assert.ok(text, 'the shifts are written');
  assert.match(text, new RegExp(`^shift ${day} closed$`, 'm'));
  const page = await request('GET', '/quan-tri/gio-tong-dai', s);
  assert.match(page.text, /Bão số 3/);
  assert.match(page.text, /<details class="confirm">\s*<summary>Xóa…<\/summary>/, 'removal asks to confirm');

  r = await postForm('/quan-tri/gio-tong-dai/xoa', { csrf: s.csrf, day: '2099-13-01' }, s);
  assert.equal(r.status, 400);
  r = await postForm('/quan-tri/gio-tong-dai/xoa', { csrf: s.csrf, day: '2099-12-31' }, s);
  assert.equal(r.status, 404);
  r = await postForm('/quan-tri/gio-tong-dai/xoa', { csrf: s.csrf, day }, s);
  assert.equal(r.status, 303);
  assert.equal(await one('SELECT 1 AS x FROM hotline_shifts WHERE day = $1', [day]), undefined);
  assert.ok(await fileHas(new RegExp(`^shift ${day}`, 'm'), 8000, true), 'the removed shift leaves the file');
  const kinds = (await db().query("SELECT kind FROM admin_events WHERE target_kind = 'hotline_schedule' AND target_id = $1 ORDER BY id", [day]))
    .rows.map((x) => x.kind);
  assert.deepEqual(kinds, ['hotline_shift_add', 'hotline_shift_remove']);
  await postForm('/quan-tri/lich/xoa', { csrf: s.csrf, day }, s);
});
