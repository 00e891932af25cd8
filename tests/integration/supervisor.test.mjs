// The supervisor's pages against the real stack: statistics numbers for a
// range that holds only this file's tickets, the CSV exports (BOM, quoting,
// formula injection), the read-only ticket view with its whole history,
// role checks, and bad filters answered with 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, postJSON, one, db, dbClose, citizen, login, freeYear } from '../lib.mjs';

const ips = ['127.0.2.1', '127.0.2.2', '127.0.2.3'];
const ip = ips[0];
after(dbClose);

let sup, year, from, to;
const codes = {};
let seq = 0;

async function newTicket(extra = {}) {
  const r = await postJSON('/api/v1/tickets', citizen(extra), { ip: ips[seq++ % ips.length] });
  assert.equal(r.status, 201, r.text);
  return r.json.code;
}

// Test data only: put a ticket into a known state.  The deadline set here
// is the ticket's first (ticket_deadlines, migrations/0059): the one given
// at creation is forgotten, as if the ticket had been created then.
async function setTicket(code, { created, due, answered = null, status, field = null, agency = null, channel }) {
  await db().query(`DELETE FROM ticket_deadlines
      WHERE ticket_id = (SELECT id FROM tickets WHERE code = $1)`, [code]);
  await db().query(
    `UPDATE tickets SET created_at = $2::timestamptz, due_at = $3::timestamptz,
        answered_at = $4::timestamptz, status = $5, channel = $6,
        field_id = (SELECT id FROM fields WHERE code = $7),
        agency_id = (SELECT id FROM agencies WHERE code = $8),
        answer = CASE WHEN $4::timestamptz IS NULL THEN NULL ELSE 'Đã trả lời.' END
      WHERE code = $1`,
    [code, created, due, answered, status, channel, field, agency]);
}

// RFC 4180, for reading our exports back.
function parseCSV(text) {
  const rows = [];
  let row = [], cell = '', i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      cell += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ',') { row.push(cell); cell = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
    cell += c; i++;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

before(async () => {
  sup = await login('lanhdao', ip);
  // A year no other ticket lives in, so the numbers are ours alone.
  year = await freeYear();
  from = `${year}-03-01`;
  to = `${year}-04-30`;
  const d = (s) => `${year}-${s}`;
  for (const k of ['A', 'B', 'C', 'D', 'E', 'F', 'G']) codes[k] = await newTicket();
  // Đất đai at STNMT, March: on time (2 h), late (48 h), open past due.
  await setTicket(codes.A, { created: d('03-10T08:00:00+07'), due: d('03-15T17:00:00+07'),
    answered: d('03-10T10:00:00+07'), status: 'answered', field: 'dat-dai', agency: 'STNMT', channel: 'web' });
  await setTicket(codes.B, { created: d('03-10T08:00:00+07'), due: d('03-11T08:00:00+07'),
    answered: d('03-12T08:00:00+07'), status: 'answered', field: 'dat-dai', agency: 'STNMT', channel: 'phone' });
  await setTicket(codes.C, { created: d('03-20T09:00:00+07'), due: d('03-23T17:00:00+07'),
    status: 'forwarded', field: 'dat-dai', agency: 'STNMT', channel: 'web' });
  // Giao thông at SGTVT, April: on time (4 h); closed unanswered (not overdue).
  await setTicket(codes.D, { created: d('04-05T10:00:00+07'), due: d('04-12T17:00:00+07'),
    answered: d('04-05T14:00:00+07'), status: 'answered', field: 'giao-thong', agency: 'SGTVT', channel: 'email' });
  await setTicket(codes.E, { created: d('04-06T10:00:00+07'), due: d('04-13T17:00:00+07'),
    status: 'closed', field: 'giao-thong', agency: 'SGTVT', channel: 'web' });
  // Not classified, no agency, open past due; created on the last evening.
  await setTicket(codes.F, { created: d('04-30T23:50:00+07'), due: d('05-04T17:00:00+07'),
    status: 'new', channel: 'web' });
  // Just after the range in Vietnam (still 30 April in UTC): left out.
  await setTicket(codes.G, { created: d('05-01T00:10:00+07'), due: d('05-05T17:00:00+07'),
    status: 'new', field: 'dat-dai', channel: 'web' });
});

const stats = (group, extra = '') =>
  request('GET', `/giam-sat/thong-ke.json?tu=${from}&den=${to}&theo=${group}${extra}`, sup);

function pick(r) {
  return [r.label, r.received, r.answered, r.on_time, r.on_time_pct, r.overdue_open, r.avg_hours];
}

test('statistics by field: counts, on time, overdue, average time to answer', async () => {
  const r = await stats('linh-vuc');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.from, from);
  assert.equal(r.json.to, to);
  assert.deepEqual(r.json.rows.map(pick), [
    ['Đất đai', 3, 2, 1, 50.0, 1, 25.0],
    ['Giao thông, vận tải công cộng', 2, 1, 1, 100.0, 0, 4.0],
    ['Chưa phân loại lĩnh vực', 1, 0, 0, null, 1, null],
  ]);
  assert.deepEqual(pick(r.json.total), ['Tổng cộng', 6, 3, 2, 66.7, 2, 18.0]);
  assert.equal(r.json.rows[0].key, 'dat-dai');
});

test('statistics by channel, agency and month', async () => {
  let r = await stats('kenh');
  assert.deepEqual(r.json.rows.map(pick), [
    ['Điện thoại 1022', 1, 1, 0, 0.0, 0, 48.0],
    ['Trang web', 4, 1, 1, 100.0, 2, 2.0],
    ['E-mail', 1, 1, 1, 100.0, 0, 4.0],
  ]);
  r = await stats('co-quan');
  assert.deepEqual(r.json.rows.map(pick), [
    ['Sở Giao thông vận tải', 2, 1, 1, 100.0, 0, 4.0],
    ['Sở Tài nguyên và Môi trường', 3, 2, 1, 50.0, 1, 25.0],
    ['Chưa chuyển cơ quan', 1, 0, 0, null, 1, null],
  ]);
  r = await stats('thang');
  assert.deepEqual(r.json.rows.map(pick), [
    [`03/${year}`, 3, 2, 1, 50.0, 1, 25.0],
    [`04/${year}`, 3, 1, 1, 100.0, 1, 4.0],
  ]);
  // Months without tickets are listed too, so a year reads as twelve months.
  r = await request('GET', `/giam-sat/thong-ke.json?tu=${year}-02-01&den=${year}-05-31&theo=thang`, sup);
  assert.deepEqual(r.json.rows.map(pick), [
    [`02/${year}`, 0, 0, 0, null, 0, null],
    [`03/${year}`, 3, 2, 1, 50.0, 1, 25.0],
    [`04/${year}`, 3, 1, 1, 100.0, 1, 4.0],
    [`05/${year}`, 1, 0, 0, null, 1, null],
  ]);
  assert.deepEqual(pick(r.json.total), ['Tổng cộng', 7, 3, 2, 66.7, 3, 18.0]);
  assert.equal(r.json.rows[0].key, `${year}-02`);
  r = await request('GET', `/giam-sat/thong-ke.json?tu=${year}-01-01&den=${year}-12-31&theo=thang`, sup);
  assert.equal(r.json.rows.length, 12);
  const page = await request('GET', `/giam-sat?tu=${year}-02-01&den=${year}-02-28&theo=thang`, sup);
  assert.equal(page.status, 200);
  assert.match(page.text, /Không có phiếu nào trong khoảng thời gian này/);
  assert.match(page.text, new RegExp(`<tr data-key="${year}-02">`));
  // One day only: the boundary is midnight in Vietnam, not in UTC.
  r = await request('GET', `/giam-sat/thong-ke.json?tu=01/05/${year}&den=01/05/${year}`, sup);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.total.received, 1);
  assert.equal(r.json.from, `${year}-05-01`);
});

test('the statistics page is a complete table without JavaScript, with the chart wired', async () => {
  const r = await request('GET', `/giam-sat?tu=${from}&den=${to}&theo=linh-vuc`, sup);
  assert.equal(r.status, 200, r.text);
  const row = r.text.match(/<tr data-key="dat-dai">([\s\S]*?)<\/tr>/);
  assert.ok(row, 'a row for Đất đai');
  const cells = [...row[1].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
  // The center's own time needs forward or answer events: none here.
  assert.deepEqual(cells, ['3', '2', '1', '50,0%', '1', '25,0 giờ', '—', '—']);
  const total = r.text.match(/<tr data-key="total">([\s\S]*?)<\/tr>/);
  assert.deepEqual([...total[1].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]),
    ['6', '3', '2', '66,7%', '2', '18,0 giờ', '—', '—']);
  // The chart: a data source on the canvas, scripts from our own origin only.
  assert.match(r.text, new RegExp(`data-src="/giam-sat/thong-ke.json\\?tu=${from}&amp;den=${to}&amp;theo=linh-vuc"`));
  assert.match(r.text, /<script src="\/vendor\/chart.js\/chart.min.js" defer><\/script>/);
  assert.match(r.text, /<script src="\/assets\/js\/stats.js" defer><\/script>/);
  assert.doesNotMatch(r.text, /<script>/);
  assert.match(r.headers['content-security-policy'], /script-src 'self'/);
  // Both scripts are served.
  const chart = await request('GET', '/vendor/chart.js/chart.min.js', { ip });
  assert.equal(chart.status, 200);
  assert.match(chart.text, /Chart/);
  const js = await request('GET', '/assets/js/stats.js', { ip });
  assert.equal(js.status, 200);
  // Days longer than two are shown in days.
  const ch = await request('GET', `/giam-sat?tu=${from}&den=${to}&theo=kenh`, sup);
  const phone = ch.text.match(/<tr data-key="phone">([\s\S]*?)<\/tr>/);
  assert.match(phone[1], /2,0 ngày/);
});

test('the statistics CSV has a BOM, a header and the same numbers', async () => {
  const r = await request('GET', `/giam-sat/thong-ke.csv?tu=${from}&den=${to}&theo=co-quan`, sup);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers['content-type'], /^text\/csv; charset=utf-8/);
  assert.match(r.headers['content-disposition'], /attachment; filename="thong-ke-co-quan-\d{4}-03-01-\d{4}-04-30.csv"/);
  assert.ok(r.text.startsWith('\uFEFF'));
  assert.deepEqual(parseCSV(r.text.slice(1)), [
    ['Cơ quan xử lý', 'Tiếp nhận', 'Đã trả lời', 'Trả lời đúng hạn', 'Tỷ lệ đúng hạn (%)',
      'Quá hạn chưa trả lời', 'Thời gian trả lời trung bình (giờ)',
      'Tổng đài đã xử lý lần đầu', 'Tổng đài xử lý đúng hạn (%)',
      'Thời gian Tổng đài xử lý trung bình (giờ)'],
    ['Sở Giao thông vận tải', '2', '1', '1', '100.0', '0', '4.0', '0', '', ''],
    ['Sở Tài nguyên và Môi trường', '3', '2', '1', '50.0', '1', '25.0', '0', '', ''],
    ['Chưa chuyển cơ quan', '1', '0', '0', '', '1', '', '0', '', ''],
    ['Tổng cộng', '6', '3', '2', '66.7', '2', '18.0', '0', '', ''],
    // Then each agency's own figures (timeliness.test.mjs): no forward
    // events in this file's year.
    [''],
    ['Cơ quan xử lý', 'Đã nhận', 'Đã trả lời', 'Trả lời đúng hạn', 'Tỷ lệ đúng hạn (%)',
      'Quá hạn chưa trả lời', 'Thời gian trả lời trung bình (giờ)'],
  ]);
});

test('bad filters get a clear 400, never a 500', async () => {
  const bad = [
    ['tu=2026-02-30', /Ngày bắt đầu không hợp lệ/],
    ['tu=abc', /Ngày bắt đầu không hợp lệ/],
    ['den=31/13/2026', /Ngày kết thúc không hợp lệ/],
    ['tu=1999-12-31', /Ngày bắt đầu không hợp lệ/],
    [`tu=${'9'.repeat(300)}`, /Ngày bắt đầu không hợp lệ/],
    ['tu=2026-05-01&den=2026-04-01', /phải trước hoặc bằng ngày kết thúc/],
    ['theo=nam', /Cách nhóm không hợp lệ/],
    ['tu=2026-01-01%00', /không hợp lệ/],
  ];
  for (const [qs, msg] of bad) {
    const page = await request('GET', `/giam-sat?${qs}`, sup);
    assert.equal(page.status, 400, qs);
    assert.match(page.text, msg, qs);
    assert.match(page.text, /<form method="get" action="\/giam-sat"/);
    const json = await request('GET', `/giam-sat/thong-ke.json?${qs}`, sup);
    assert.equal(json.status, 400, qs);
    assert.match(json.json.error, msg);
    const csv = await request('GET', `/giam-sat/thong-ke.csv?${qs}`, sup);
    assert.equal(csv.status, 400, qs);
  }
  // Leap day exists in leap years only.
  assert.equal((await request('GET', '/giam-sat?tu=2024-02-29', sup)).status, 200);
  assert.equal((await request('GET', '/giam-sat?tu=2023-02-29', sup)).status, 400);
  // No filters: this year so far.
  const def = await request('GET', '/giam-sat/thong-ke.json', sup);
  assert.equal(def.status, 200);
  assert.match(def.json.from, /^\d{4}-01-01$/);
  assert.equal(def.json.group, 'linh-vuc');
});

test('only supervisors and administrators see the supervisor pages', async () => {
  const paths = ['/giam-sat', '/giam-sat/thong-ke.csv', '/giam-sat/phieu',
    '/giam-sat/phieu/1', '/giam-sat/phieu/1/lich-su.csv', '/giam-sat/phieu/1/in'];
  for (const who of ['dtv.lan', 'cb.stnmt']) {
    const s = await login(who, ip);
    for (const p of paths) {
      const r = await request('GET', p, s);
      assert.equal(r.status, 403, `${who} ${p}`);
      assert.doesNotMatch(r.text, /Tổng cộng|Lịch sử xử lý/);
    }
    const j = await request('GET', '/giam-sat/thong-ke.json', s);
    assert.equal(j.status, 403);
    assert.ok(j.json.error);
  }
  for (const p of paths) {
    const r = await request('GET', p, { ip });
    assert.equal(r.status, 303, p);
    assert.equal(r.headers.location, `/dang-nhap?next=${p}`);
  }
  const anon = await request('GET', '/giam-sat/thong-ke.json', { ip });
  assert.equal(anon.status, 401);
  const admin = await login('admin', ip);
  assert.equal((await request('GET', '/giam-sat', admin)).status, 200);
  // Only GET.
  const post = await request('POST', '/giam-sat/phieu/1/lich-su.csv', { ...sup, body: '' });
  assert.equal(post.status, 405);
});

test('the finder finds a ticket by code or phone and links to its page', async () => {
  const row = await one('SELECT id FROM tickets WHERE code = $1', [codes.A]);
  let r = await request('GET', `/giam-sat/phieu?q=${encodeURIComponent(codes.A.toLowerCase())}`, sup);
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, new RegExp(`<a href="/giam-sat/phieu/${row.id}">${codes.A}</a>`));
  r = await request('GET', `/giam-sat/phieu?q=${encodeURIComponent('0912 345 678')}`, sup);
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(codes.A) || /find-results/.test(r.text));
  r = await request('GET', '/giam-sat/phieu?q=khong-phai-ma', sup);
  assert.equal(r.status, 400);
  assert.match(r.text, /Nhập mã phiếu/);
  r = await request('GET', `/giam-sat/phieu?q=${'x'.repeat(200)}`, sup);
  assert.equal(r.status, 400);
  r = await request('GET', '/giam-sat/phieu?q=2611-00000000', sup);
  assert.ok([200, 400].includes(r.status));
  r = await request('GET', '/giam-sat/phieu', sup);
  assert.equal(r.status, 200);
  assert.match(r.text, /Phiếu mới nhất/);
});

test('a ticket\'s full history: page, print page and CSV with safe quoting', async () => {
  const code = await newTicket();
  const t = await one('SELECT id FROM tickets WHERE code = $1', [code]);
  const hostile = '=HYPERLINK("http://x.example/?a=1","bấm"), "trích dẫn"\ndòng hai';
  await db().query('UPDATE tickets SET title = $2 WHERE code = $1', [code, hostile]);
  await db().query(`INSERT INTO ticket_events (ticket_id, actor_id, actor_label, kind, public, note, payload)
      VALUES ($1, (SELECT id FROM users WHERE username = 'dtv.minh'), 'Điện thoại viên', 'note', false,
              $2, '{"x": 1}'),
             ($1, NULL, 'Hệ thống', 'forward', true, '@SUM(1+1)', '{}'),
             ($1, NULL, 'Hệ thống', 'note', false, '+84 912 345 678', '{}'),
             ($1, NULL, 'Hệ thống', 'note', false, '-1', '{}')`,
  [t.id, 'Ghi chú nội bộ: người dân hay gọi lại']);

  const file = await one(`INSERT INTO attachments (ticket_id, stored_name, original_name, mime, size)
      VALUES ($1, $2, 'ảnh <hiện trường>.jpg', 'image/jpeg', 2048) RETURNING id`,
  [t.id, `sup-test-${t.id}.jpg`]);

  const page = await request('GET', `/giam-sat/phieu/${t.id}`, sup);
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, /Ghi chú nội bộ: người dân hay gọi lại/);
  assert.match(page.text, /Trần Văn Minh/);
  assert.match(page.text, /Nội bộ/);
  assert.match(page.text, /Nguyễn Thị Bé/);
  assert.match(page.text, /0912345678/);
  assert.ok(page.text.includes('=HYPERLINK(&quot;http://x.example/?a=1&quot;'), 'escaped in HTML');
  assert.match(page.text, new RegExp(`href="/giam-sat/phieu/${t.id}/lich-su.csv"`));
  assert.ok(page.text.includes(`<a href="/tep/${file.id}">ảnh &lt;hiện trường&gt;.jpg</a>`));
  assert.match(page.text, /image\/jpeg, 2 KB/);

  const print = await request('GET', `/giam-sat/phieu/${t.id}/in`, sup);
  assert.equal(print.status, 200);
  assert.match(print.text, /Lịch sử xử lý/);
  assert.match(print.text, /Trích xuất bởi Lê Hoàng Phúc/);
  assert.match(print.text, /Ghi chú nội bộ: người dân hay gọi lại/);

  const csv = await request('GET', `/giam-sat/phieu/${t.id}/lich-su.csv`, sup);
  assert.equal(csv.status, 200);
  assert.match(csv.headers['content-type'], /^text\/csv; charset=utf-8/);
  assert.equal(csv.headers['content-disposition'], `attachment; filename="lich-su-${code}.csv"`);
  assert.ok(csv.text.startsWith('\uFEFF'), 'UTF-8 BOM');
  // The title cell, exactly: quoted, quotes doubled, the formula defused.
  assert.ok(csv.text.includes(
    '"\'=HYPERLINK(""http://x.example/?a=1"",""bấm""), ""trích dẫn""\ndòng hai"'), csv.text);
  const rows = parseCSV(csv.text.slice(1));
  assert.deepEqual(rows[0], ['Mã phiếu', 'Tiêu đề phiếu', 'Thời điểm', 'Người thực hiện', 'Hành động',
    'Mã hành động', 'Công khai', 'Nội dung', 'Chi tiết']);
  assert.equal(rows.length, 1 + 5);
  for (const row of rows.slice(1)) {
    assert.equal(row.length, 9);
    assert.equal(row[0], code);
    assert.equal(row[1], `'${hostile}`);
    assert.match(row[2], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
  }
  assert.deepEqual(rows[1].slice(3, 8), ['Người dân', 'Tiếp nhận', 'created', 'Có', 'Tổng đài đã tiếp nhận thông tin.']);
  assert.deepEqual(rows[2].slice(3, 9), ['Trần Văn Minh (dtv.minh)', 'Ghi chú nội bộ', 'note', 'Không',
    'Ghi chú nội bộ: người dân hay gọi lại', '{"x": 1}']);
  assert.equal(rows[3][7], "'@SUM(1+1)");
  assert.equal(rows[4][7], "'+84 912 345 678");
  assert.equal(rows[5][7], "'-1");
  // No cell anywhere starts like a formula.
  for (const row of rows) for (const cell of row) assert.doesNotMatch(cell, /^[=+\-@\t\r]/);

  assert.equal((await request('GET', '/giam-sat/phieu/999999999999', sup)).status, 404);
  assert.equal((await request('GET', '/giam-sat/phieu/999999999999/lich-su.csv', sup)).status, 404);
  assert.equal((await request('GET', '/giam-sat/phieu/99999999999999999999', sup)).status, 404);
});
