// The operator console against the real stack: roles, the phone ticket,
// the inbox filters and pager, every action with its history event, the
// deadline in working days, overdue flags, conflicts and bad input.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, postForm, getPage, login, one, db, dbClose, uniq } from '../lib.mjs';

const ip = '127.0.12.1';
after(dbClose);

let opSession;
async function op() {
  if (!opSession) opSession = await login('dtv.lan', ip);
  return opSession;
}

// A ticket opened by hand through the console, as for a phone call.
async function phoneTicket(extra = {}) {
  const s = await op();
  const r = await postForm('/dtv/tao-phieu', {
    csrf: s.csrf, phone: '0913 000 111', name: 'Lê Văn Gọi',
    title: `Cuộc gọi ${uniq()}`, content: 'Người dân hỏi về giấy phép xây dựng.', ...extra,
  }, s);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const m = r.headers.location.match(/^\/dtv\/phieu\/(\d+)$/);
  assert.ok(m, r.headers.location);
  return Number(m[1]);
}

async function act(s, id, action, fields = {}) {
  return postForm(`/dtv/phieu/${id}/${action}`, { csrf: s.csrf, ...fields }, s);
}

async function snapshot(id) {
  return one(`SELECT row_to_json(t)::text AS t,
                     (SELECT count(*) FROM ticket_events WHERE ticket_id = t.id)::int AS events
              FROM tickets t WHERE id = $1`, [id]);
}

async function events(id) {
  return (await db().query(`SELECT kind, actor_id, actor_label, public, note, payload
                            FROM ticket_events WHERE ticket_id = $1 ORDER BY id`, [id])).rows;
}

const field = (code) => one('SELECT id, deadline_days, default_agency_id FROM fields WHERE code = $1', [code]);
const agency = (code) => one('SELECT id, name FROM agencies WHERE code = $1', [code]);

test('the console needs a staff login; agencies and citizens are kept out', async () => {
  let r = await request('GET', '/dtv', { ip });
  assert.equal(r.status, 303);
  assert.match(r.headers.location, /^\/dang-nhap\?next=\/dtv/);
  r = await request('GET', '/dtv/phieu/1', { ip });
  assert.equal(r.status, 303);
  assert.match(r.headers.location, /^\/dang-nhap/);
  r = await request('POST', '/dtv/phieu/1/answer', { ip, body: 'answer=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.ok([401, 403].includes(r.status), `${r.status}`);

  const ag = await login('cb.stnmt', ip);
  for (const path of ['/dtv', '/dtv/phieu/1', '/dtv/tao-phieu']) {
    r = await request('GET', path, ag);
    assert.equal(r.status, 403, path);
  }
  r = await postForm('/dtv/tao-phieu', { csrf: ag.csrf, phone: '0913000111', title: 'x', content: 'y' }, ag);
  assert.equal(r.status, 403);

  const s = await op();
  r = await request('GET', '/co-quan', s);
  assert.equal(r.status, 403, 'operators are not agency officers');

  // Supervisors read tickets in the console too.
  const id = await phoneTicket();
  const sup = await login('lanhdao', ip);
  r = await request('GET', `/dtv/phieu/${id}`, sup);
  assert.equal(r.status, 200);
});

test('a ticket for a phone call: form, validation, stored with channel phone', async () => {
  const s = await op();
  const form = await getPage('/dtv/tao-phieu', s);
  assert.equal(form.status, 200);
  assert.match(form.text, /Số điện thoại người gọi/);
  const before = await one('SELECT count(*)::int AS n FROM tickets');

  const title = `Hỏi lịch tiếp dân ${uniq()}`;
  let r = await postForm('/dtv/tao-phieu', { phone: '0913000222', title, content: 'abc' }, s);
  assert.equal(r.status, 403, 'no CSRF token');
  r = await postForm('/dtv/tao-phieu', { csrf: s.csrf, phone: '', title, content: 'Nội dung giữ lại' }, s);
  assert.equal(r.status, 400);
  assert.match(r.text, /số điện thoại/);
  assert.ok(r.text.includes(title), 'what was typed is shown again');
  assert.ok(r.text.includes('Nội dung giữ lại'));
  r = await postForm('/dtv/tao-phieu', { csrf: s.csrf, phone: '12345', title, content: 'abc' }, s);
  assert.equal(r.status, 400);
  r = await postForm('/dtv/tao-phieu', { csrf: s.csrf, phone: '0913000222', title: '', content: 'abc' }, s);
  assert.equal(r.status, 400);
  assert.match(r.text, /Tóm tắt/);
  r = await postForm('/dtv/tao-phieu', { csrf: s.csrf, phone: '0913000222', title: 't'.repeat(201), content: 'abc' }, s);
  assert.equal(r.status, 400);
  assert.match(r.text, /quá dài/);
  r = await postForm('/dtv/tao-phieu', { csrf: s.csrf, phone: '0913000222', title, content: 'abc', field: '99999' }, s);
  assert.equal(r.status, 400);
  r = await postForm('/dtv/tao-phieu', { csrf: s.csrf, phone: '0913000222', title, content: 'abc', field: "1' OR '1'='1" }, s);
  assert.equal(r.status, 400);
  assert.equal((await one('SELECT count(*)::int AS n FROM tickets')).n, before.n);

  const f = await field('dat-dai');
  r = await postForm('/dtv/tao-phieu', {
    csrf: s.csrf, phone: '0913 000 222', title, content: 'Hỏi lịch tiếp công dân tháng này.', field: String(f.id),
  }, s);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const id = Number(r.headers.location.split('/').pop());
  const t = await one(`SELECT t.channel, t.phone, t.name, t.field_id, t.status, t.due_at > now() AS due_later,
                              t.created_by = u.id AS by_op
                       FROM tickets t, users u WHERE t.id = $1 AND u.username = 'dtv.lan'`, [id]);
  assert.deepEqual(t, { channel: 'phone', phone: '0913000222', name: '', field_id: f.id, status: 'new', due_later: true, by_op: true });
  const ev = await events(id);
  assert.equal(ev.length, 1);
  assert.equal(ev[0].kind, 'created');
  assert.equal(ev[0].payload.channel, 'phone');

  // The same call saved twice is one ticket.
  r = await postForm('/dtv/tao-phieu', {
    csrf: s.csrf, phone: '0913 000 222', title, content: 'Hỏi lịch tiếp công dân tháng này.', field: String(f.id),
  }, s);
  assert.equal(r.headers.location, `/dtv/phieu/${id}`);

  const page = await request('GET', `/dtv/phieu/${id}`, s);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(title));
  assert.match(page.text, /Điện thoại 1022/);
  assert.match(page.text, /\(không rõ tên\)/);
});

test('inbox: filters by status, field, channel, agency, text and overdue; 50 per page', async () => {
  const s = await op();
  const mark = `LOC${Date.now()}`;
  const f = await field('giao-thong');
  const a = await agency('SGTVT');
  // 55 tickets of one batch, inserted directly: the pager is what is tested here.
  await db().query(`INSERT INTO tickets (code, channel, name, phone, title, content, field_id, status, agency_id, due_at, created_at)
    SELECT 'T' || $1 || '-' || g, CASE WHEN g % 5 = 0 THEN 'email' ELSE 'web' END, 'Người thử', '0912000' || lpad(g::text, 3, '0'),
           $1 || ' số ' || g, 'nội dung', CASE WHEN g <= 10 THEN $2::integer END,
           CASE WHEN g <= 3 THEN 'forwarded' ELSE 'new' END, CASE WHEN g <= 3 THEN $3::integer END,
           now() + CASE WHEN g = 7 THEN interval '-2 days' ELSE interval '3 days' END,
           now() - g * interval '1 minute'
    FROM generate_series(1, 55) g`, [mark, f.id, a.id]);

  let r = await request('GET', `/dtv?q=${mark}`, s);
  assert.equal(r.status, 200);
  const rows = (text) => (text.match(/class="ticket-row/g) || []).length;
  assert.equal(rows(r.text), 50);
  assert.match(r.text, /55 phiếu · trang 1\/2/);
  assert.ok(r.text.includes(`${mark} số 1<`), 'newest first');
  const next = r.text.match(/href="([^"]+)" rel="next"/);
  assert.ok(next, 'a link to the next page');
  r = await request('GET', next[1].replace(/&amp;/g, '&'), s);
  assert.equal(rows(r.text), 5);
  assert.match(r.text, /rel="prev"/);
  assert.ok(!/rel="next"/.test(r.text));

  r = await request('GET', `/dtv?q=${mark}&field=${f.id}`, s);
  assert.equal(rows(r.text), 10);
  r = await request('GET', `/dtv?q=${mark}&channel=email`, s);
  assert.equal(rows(r.text), 11);
  r = await request('GET', `/dtv?q=${mark}&status=forwarded`, s);
  assert.equal(rows(r.text), 3);
  r = await request('GET', `/dtv?q=${mark}&agency=${a.id}`, s);
  assert.equal(rows(r.text), 3);
  r = await request('GET', `/dtv?q=${mark}&overdue=1`, s);
  assert.equal(rows(r.text), 1);
  assert.ok(r.text.includes(`${mark} số 7<`));
  assert.match(r.text, /Quá hạn/);
  r = await request('GET', `/dtv?q=${mark}&sort=han`, s);
  assert.ok(r.text.indexOf(`${mark} số 7<`) < r.text.indexOf(`${mark} số 1<`), 'most urgent first');
  // Text matches the code, the phone and the title without diacritics.
  r = await request('GET', `/dtv?q=${encodeURIComponent(`t${mark.toLowerCase()}-12`)}`, s);
  assert.equal(rows(r.text), 1);
  r = await request('GET', `/dtv?q=0912000055`, s);
  assert.ok(r.text.includes(`${mark} số 55<`));
  r = await request('GET', `/dtv?q=${encodeURIComponent(`${mark} so 55`)}`, s);
  assert.equal(rows(r.text), 1);

  // Bad filters are refused, not guessed at.
  for (const q of ['status=nope', 'field=abc', 'field=99999', 'channel=fax', 'page=0', 'page=-1',
    'page=99999999', 'sort=x', `q=${'x'.repeat(101)}`, 'q=%C0%AF', "agency=1%20OR%201=1"]) {
    r = await request('GET', `/dtv?${q}`, s);
    assert.equal(r.status, 400, q);
  }
});

test('classify, answer, note, publish, close, reopen: each recorded with its actor', async () => {
  const s = await op();
  const id = await phoneTicket();
  const me = await one(`SELECT id, full_name FROM users WHERE username = 'dtv.lan'`);
  const f = await field('xay-dung');

  let r = await act(s, id, 'classify', { field: String(f.id), level: '1' });
  assert.equal(r.status, 303, r.text.slice(0, 400));
  assert.equal(r.headers.location, `/dtv/phieu/${id}#lich-su`);
  let t = await one('SELECT status, field_id, level FROM tickets WHERE id = $1', [id]);
  assert.deepEqual(t, { status: 'classified', field_id: f.id, level: 1 });

  r = await act(s, id, 'note', { note: 'Người dân sẽ gọi lại sau 15h.' });
  assert.equal(r.status, 303);
  const answer = 'Hồ sơ gồm: đơn đề nghị, bản sao giấy tờ đất, bản vẽ thiết kế.';
  r = await act(s, id, 'answer', { answer });
  assert.equal(r.status, 303);
  t = await one('SELECT status, answer, answered_at IS NOT NULL AS at, published FROM tickets WHERE id = $1', [id]);
  assert.deepEqual(t, { status: 'answered', answer, at: true, published: false });

  r = await act(s, id, 'publish');
  assert.equal(r.status, 303);
  assert.equal((await one('SELECT published FROM tickets WHERE id = $1', [id])).published, true);
  r = await act(s, id, 'publish');
  assert.equal(r.status, 409, 'already published');
  r = await act(s, id, 'unpublish');
  assert.equal(r.status, 303);
  assert.equal((await one('SELECT published FROM tickets WHERE id = $1', [id])).published, false);

  r = await act(s, id, 'close');
  assert.equal(r.status, 303);
  t = await one('SELECT status, closed_at IS NOT NULL AS closed FROM tickets WHERE id = $1', [id]);
  assert.deepEqual(t, { status: 'closed', closed: true });
  r = await act(s, id, 'reopen', { note: 'Người dân gọi lại, chưa rõ.' });
  assert.equal(r.status, 303);
  t = await one('SELECT status, closed_at FROM tickets WHERE id = $1', [id]);
  assert.deepEqual(t, { status: 'reopened', closed_at: null });

  const ev = await events(id);
  assert.deepEqual(ev.map((e) => e.kind),
    ['created', 'classify', 'note', 'answer', 'notice', 'publish', 'unpublish', 'close', 'reopen']);
  for (const e of ev.slice(1)) {
    assert.equal(e.actor_id, me.id, e.kind);
    assert.equal(e.actor_label, me.full_name, e.kind);
  }
  const pub = Object.fromEntries(ev.map((e) => [e.kind, e.public]));
  // notice: the citizen could not be told (no e-mail, no SMS gateway set up).
  assert.deepEqual(pub, { created: true, classify: false, note: false, answer: true, notice: false, publish: false,
    unpublish: false, close: true, reopen: true });
  assert.equal(ev[2].note, 'Người dân sẽ gọi lại sau 15h.');
  assert.equal(ev[3].payload.text, answer);
  assert.equal(ev[1].payload.field_id, f.id);
  assert.equal(ev[1].payload.level, 1);
  assert.equal(ev[8].payload.text, 'Người dân gọi lại, chưa rõ.');

  // The page shows who did what, when.
  const page = await request('GET', `/dtv/phieu/${id}`, s);
  assert.equal(page.status, 200);
  for (const label of ['Phân loại', 'Ghi chú nội bộ', 'Trả lời', 'Công khai câu trả lời', 'Đóng phiếu', 'Mở lại phiếu']) {
    assert.ok(page.text.includes(label), label);
  }
  assert.ok(page.text.includes(`${me.full_name} (dtv.lan)`));
  assert.match(page.text, /<time>\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d<\/time>/);

  // The citizen sees progress, never the internal notes.
  const code = (await one('SELECT code FROM tickets WHERE id = $1', [id])).code;
  const track = await request('GET', `/api/v1/tickets/${code}?phone=0913000111`, { ip });
  assert.equal(track.status, 200);
  assert.deepEqual(track.json.timeline.map((e) => e.event), ['created', 'answer', 'close', 'reopen']);
  assert.ok(!track.text.includes('15h'));
});

// The reference: n working days after the day received (the next working
// day when received after 17:00 or on a day off), due at 17:00 local time.
async function expectedDue(n) {
  const cal = (await db().query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, kind FROM calendar_days`)).rows;
  const kind = Object.fromEntries(cal.map((c) => [c.day, c.kind]));
  const working = (d) => {
    const k = kind[d.toISOString().slice(0, 10)];
    if (k === 'holiday') return false;
    if (k === 'workday') return true;
    return d.getUTCDay() !== 0 && d.getUTCDay() !== 6;
  };
  const local = new Date(Date.now() + 7 * 3600e3);
  let day = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()));
  const next = () => { do { day = new Date(day.getTime() + 86400e3); } while (!working(day)); };
  if (!working(day) || local.getUTCHours() >= 17) next();
  for (let i = 0; i < n; i++) next();
  return new Date(day.getTime() + 17 * 3600e3 - 7 * 3600e3);
}

test('forward: the agency and a deadline in working days, default from the field', async () => {
  const s = await op();
  const f = await field('moi-truong');
  const a = await agency('STNMT');
  let id = await phoneTicket({ field: String(f.id) });

  // The form proposes the field's agency and deadline.
  const page = await request('GET', `/dtv/phieu/${id}`, s);
  assert.match(page.text, new RegExp(`<option value="${a.id}" selected>`));
  assert.match(page.text, new RegExp(`name="days"[^>]*value="${f.deadline_days}"`));

  let r = await act(s, id, 'forward', { agency: String(a.id), note: 'Đề nghị kiểm tra tại chỗ.' });
  assert.equal(r.status, 303, r.text.slice(0, 400));
  let t = await one('SELECT status, agency_id, due_at FROM tickets WHERE id = $1', [id]);
  assert.equal(t.status, 'forwarded');
  assert.equal(t.agency_id, a.id);
  assert.equal(t.due_at.getTime(), (await expectedDue(f.deadline_days)).getTime());
  const ev = (await events(id)).pop();
  assert.equal(ev.kind, 'forward');
  assert.equal(ev.public, true);
  assert.equal(ev.note, `Đã chuyển đến ${a.name}`);
  assert.equal(ev.payload.agency_id, a.id);
  assert.equal(ev.payload.days, f.deadline_days);
  assert.equal(ev.payload.text, 'Đề nghị kiểm tra tại chỗ.');

  id = await phoneTicket();
  r = await act(s, id, 'forward', { agency: String(a.id), days: '3' });
  assert.equal(r.status, 303);
  t = await one('SELECT due_at FROM tickets WHERE id = $1', [id]);
  assert.equal(t.due_at.getTime(), (await expectedDue(3)).getTime());
  const shown = await request('GET', `/dtv/phieu/${id}`, s);
  const due = await expectedDue(3);
  const local = new Date(due.getTime() + 7 * 3600e3);
  const dd = `${String(local.getUTCDate()).padStart(2, '0')}/${String(local.getUTCMonth() + 1).padStart(2, '0')}/${local.getUTCFullYear()} 17:00`;
  assert.ok(shown.text.includes(dd), `deadline ${dd} shown`);
});

test('overdue tickets are flagged on the page and in the inbox', async () => {
  const s = await op();
  const id = await phoneTicket();
  await db().query(`UPDATE tickets SET due_at = now() - interval '1 hour' WHERE id = $1`, [id]);
  const code = (await one('SELECT code FROM tickets WHERE id = $1', [id])).code;
  let r = await request('GET', `/dtv/phieu/${id}`, s);
  assert.match(r.text, /id="due">[^<]*<span class="overdue">Quá hạn/);
  r = await request('GET', `/dtv?overdue=1&q=${code}`, s);
  assert.match(r.text, new RegExp(`is-overdue" data-id="${id}"`));
  // Answered in time or not, an answered ticket is no longer overdue.
  await act(s, id, 'answer', { answer: 'Đã trả lời qua điện thoại.' });
  r = await request('GET', `/dtv/phieu/${id}`, s);
  assert.ok(!/id="due">[^<]*<span class="overdue"/.test(r.text));
  r = await request('GET', `/dtv?overdue=1&status=all&q=${code}`, s);
  assert.match(r.text, /Không có phiếu nào phù hợp/);
});

test('two operators at once: one wins, the other gets 409 and nothing is lost', async () => {
  const s = await op();
  const other = await login('dtv.minh', ip);
  const id = await phoneTicket();
  const a = await agency('SGTVT');
  const b = await agency('STNMT');
  const [r1, r2] = await Promise.all([
    act(s, id, 'forward', { agency: String(a.id) }),
    act(other, id, 'forward', { agency: String(b.id), note: 'Chú thích của Minh' }),
  ]);
  assert.deepEqual([r1.status, r2.status].sort(), [303, 409]);
  const loser = r1.status === 409 ? r1 : r2;
  assert.match(loser.text, /Phiếu đã được người khác cập nhật|Không thể thực hiện/);
  const fw = (await events(id)).filter((e) => e.kind === 'forward');
  assert.equal(fw.length, 1);

  // A transition the workflow does not allow: a clear 409, nothing stored.
  const before = await snapshot(id);
  let r = await act(s, id, 'reopen');
  assert.equal(r.status, 409);
  assert.match(r.text, /Không thể thực hiện/);
  r = await act(s, id, 'publish');
  assert.equal(r.status, 409);
  assert.deepEqual(await snapshot(id), before);
});

test('every action needs the CSRF token', async () => {
  const s = await op();
  const id = await phoneTicket();
  const f = await field('dien');
  const before = await snapshot(id);
  const forms = {
    classify: { field: String(f.id), level: '2' }, answer: { answer: 'x' }, forward: { agency: String(f.default_agency_id) },
    note: { note: 'x' }, publish: {}, unpublish: {}, close: {}, reopen: {},
  };
  for (const [action, fields] of Object.entries(forms)) {
    let r = await postForm(`/dtv/phieu/${id}/${action}`, fields, s);
    assert.equal(r.status, 403, action);
    r = await postForm(`/dtv/phieu/${id}/${action}`, { ...fields, csrf: 'A'.repeat(43) }, s);
    assert.equal(r.status, 403, action);
  }
  assert.deepEqual(await snapshot(id), before);
});

test('bad input for each action: a clear 4xx, the form kept, nothing stored changes', async () => {
  const s = await op();
  const id = await phoneTicket();
  const before = await snapshot(id);
  const typed = 'Câu trả lời đang soạn dở <b>đậm</b>';
  const cases = [
    ['answer', {}, 400, /Vui lòng nhập Câu trả lời/],
    ['answer', { answer: '   ' }, 400, /Vui lòng nhập/],
    ['answer', { answer: 'ư'.repeat(10001) }, 400, /tối đa 10000 ký tự/],
    ['answer', { answer: `${typed}\u0007` }, 400, /ký tự điều khiển/],
    ['note', {}, 400, /Vui lòng nhập Ghi chú nội bộ/],
    ['note', { note: 'n'.repeat(2001) }, 400, /tối đa 2000 ký tự/],
    ['classify', { field: '99999', level: '1' }, 400, /lĩnh vực/],
    ['classify', { field: '1', level: '4' }, 400, /cấp độ/],
    ['classify', { field: '1', level: '0' }, 400, /cấp độ/],
    ['classify', { field: "1 OR 1=1", level: '1' }, 400, /lĩnh vực/],
    ['classify', { level: '1' }, 400, /lĩnh vực/],
    ['forward', {}, 400, /cơ quan/],
    ['forward', { agency: '99999' }, 400, /cơ quan/],
    ['forward', { agency: "3; DROP TABLE tickets;--" }, 400, /cơ quan/],
    ['forward', { agency: '3', days: '61' }, 400, /Thời hạn/],
    ['forward', { agency: '3', days: '-1' }, 400, /Thời hạn/],
    ['forward', { agency: '3', days: 'abc' }, 400, /Thời hạn/],
    ['forward', { agency: '3', note: 'x'.repeat(2001) }, 400, /tối đa 2000/],
    ['close', { note: 'c'.repeat(2001) }, 400, /tối đa 2000/],
  ];
  for (const [action, fields, status, msg] of cases) {
    const r = await act(s, id, action, fields);
    assert.equal(r.status, status, `${action} ${JSON.stringify(fields).slice(0, 60)}: ${r.status}`);
    assert.match(r.text, msg, action);
    assert.match(r.text, /role="alert"/);
  }
  // What was typed is shown again, escaped.
  let r = await act(s, id, 'answer', { answer: `${typed}\u0007` });
  assert.ok(r.text.includes('Câu trả lời đang soạn dở &lt;b&gt;đậm&lt;/b&gt;'));

  // Invalid UTF-8 (an overlong '/'), sent as raw bytes.
  for (const [action, name] of [['answer', 'answer'], ['note', 'note']]) {
    r = await request('POST', `/dtv/phieu/${id}/${action}`, {
      ...s, body: `csrf=${s.csrf}&${name}=abc%C0%AFdef`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 400, action);
    assert.match(r.text, /không hợp lệ/);
  }
  // A NUL byte inside a value.
  r = await request('POST', `/dtv/phieu/${id}/note`, {
    ...s, body: `csrf=${s.csrf}&note=abc%00def`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 400);
  // Too large a body.
  r = await request('POST', `/dtv/phieu/${id}/answer`, {
    ...s, body: `csrf=${s.csrf}&answer=${'x'.repeat(70000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 413);

  // Unknown actions and ids that are not ids.
  for (const path of [`/dtv/phieu/${id}/delete`, `/dtv/phieu/${id}/agency_answer`, `/dtv/phieu/${id}/need_info`,
    '/dtv/phieu/0/answer', '/dtv/phieu/99999999999999999999/answer', '/dtv/phieu/999999999/answer']) {
    r = await postForm(path, { csrf: s.csrf, answer: 'x', note: 'x' }, s);
    assert.equal(r.status, 404, path);
  }
  for (const path of ['/dtv/phieu/0', '/dtv/phieu/00', '/dtv/phieu/99999999999999999999', '/dtv/phieu/999999999',
    `/dtv/phieu/${id}/answer`]) {
    r = await request('GET', path, s);
    assert.equal(r.status, path.endsWith('answer') ? 404 : 404, path);
  }
  r = await request('GET', `/dtv/phieu/${id}%27%20OR%201=1`, s);
  assert.equal(r.status, 404);

  assert.deepEqual(await snapshot(id), before);
});

test('HTML and SQL in text are stored as typed and shown escaped', async () => {
  const s = await op();
  const id = await phoneTicket();
  const evil = `'); DELETE FROM ticket_events;-- <script>alert(1)</script>`;
  const r = await act(s, id, 'note', { note: evil });
  assert.equal(r.status, 303);
  const ev = (await events(id)).pop();
  assert.equal(ev.note, evil);
  const page = await request('GET', `/dtv/phieu/${id}`, s);
  assert.ok(!page.text.includes('<script>alert(1)</script>'));
  assert.ok(page.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
});

test('a call id with a NUL byte inside is refused, not copied', async () => {
  const s = await op();
  const before = await one('SELECT count(*)::int AS n FROM tickets');
  const r = await postForm('/dtv/tao-phieu', { csrf: s.csrf, phone: '0913000222', title: `NUL ${uniq()}`,
    content: 'Kiểm tra mã cuộc gọi.', call_id: `6f1c2d3e-0000-4000-8000-00000000abcd\u0000${'A'.repeat(4000)}` }, s);
  assert.equal(r.status, 400);
  assert.match(r.text, /Mã cuộc gọi không hợp lệ/);
  assert.deepEqual(await one('SELECT count(*)::int AS n FROM tickets'), before);
});
