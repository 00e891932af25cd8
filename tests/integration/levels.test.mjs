// Ticket types and levels that mean something (issue 11, migrations/0065):
// a ticket's type and level from the staff form, when the contact was
// received and the due date counted from it, a level's deadline applied
// when it is classified, a must-forward level the center cannot answer
// itself, and a ticket closed without an answer only with a reason and a
// guidance the citizen then sees on the tracking page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, postForm, postJSON, getPage, login, one, db, dbClose, uniq } from '../lib.mjs';

const ip = '127.0.65.1';
after(dbClose);

let op;
before(async () => { op = await login('dtv.minh', ip); });

// A local "YYYY-MM-DDTHH:MM" as the browser's datetime-local sends it, in
// the center's zone (the database's, as Kore's).
async function localInput(sql) {
  return (await one(`SELECT to_char(${sql}, 'YYYY-MM-DD"T"HH24:MI') AS v`)).v;
}

async function create(fields) {
  return postForm('/dtv/tao-phieu', {
    csrf: op.csrf, phone: '0913 222 333', title: `Cấp độ ${uniq()}`,
    content: 'Người dân gọi khi tổng đài mất điện, ghi tay.', ...fields,
  }, op);
}

const idOf = (r) => Number(r.headers.location.split('/').pop());

test('a contact received earlier: stored, the due date counted from it', async () => {
  const received = await localInput("now() - interval '20 days'");
  const r = await create({ received_at: received, level: '1', kind: 'hoi' });
  assert.equal(r.status, 303, r.text.slice(0, 400));
  const t = await one(`SELECT kind, level, to_char(received_at, 'YYYY-MM-DD"T"HH24:MI') AS rec,
      received_at < created_at - interval '19 days' AS earlier,
      due_at > received_at AS after_received, due_at < now() AS already_due
    FROM tickets WHERE id = $1`, [idOf(r)]);
  assert.equal(t.kind, 'hoi');
  assert.equal(t.level, 1);
  assert.equal(t.rec, received);
  assert.ok(t.earlier);
  // Level 1 gives one working day: from 20 days ago it is long past.
  assert.ok(t.after_received);
  assert.ok(t.already_due, 'the due date counts from received_at, not from now');

  const page = await getPage(`/dtv/phieu/${idOf(r)}`, op);
  assert.match(page.text, /id="kind">Hỏi</);
  assert.match(page.text, /nhập vào hệ thống lúc/);
});

test('a received time in the future, too old or malformed is refused, nothing stored', async () => {
  const before = (await one('SELECT count(*)::int AS n FROM tickets')).n;
  for (const [value, msg] of [
    [await localInput("now() + interval '2 hours'"), /tương lai/],
    [await localInput("now() - interval '200 days'"), /trước quá 90 ngày/],
    ['2026-12-07 8h', /không hợp lệ/],
  ]) {
    const r = await create({ received_at: value });
    assert.equal(r.status, 400, value);
    assert.match(r.text, msg);
  }
  const bad = await create({ kind: 'phan-anh' });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /Loại phiếu không hợp lệ/);
  const lvl = await create({ level: '42' });
  assert.equal(lvl.status, 400);
  assert.match(lvl.text, /Cấp độ không hợp lệ/);
  assert.equal((await one('SELECT count(*)::int AS n FROM tickets')).n, before);
});

test('the citizen may say the type on the portal; no type is "khác"', async () => {
  const title = `Kiến nghị ${uniq()}`;
  const r = await postJSON('/api/v1/tickets', {
    name: 'Nguyễn Văn Tư', phone: '0912 000 111', title,
    content: 'Đề nghị lắp đèn đường ở ấp 3.', kind: 'kien_nghi',
  }, { ip: '127.0.65.2' });
  assert.equal(r.status, 201, r.text.slice(0, 300));
  assert.equal((await one('SELECT kind FROM tickets WHERE title = $1', [title])).kind, 'kien_nghi');
  const home = await request('GET', '/', { ip: '127.0.65.2' });
  assert.match(home.text, /<option value="kien_nghi">Kiến nghị<\/option>/);
  const other = await create({});
  assert.equal((await one('SELECT kind FROM tickets WHERE id = $1', [idOf(other)])).kind, 'khac');
});

test('classifying gives the level deadline; a must-forward level cannot be answered', async () => {
  const r = await create({});
  const id = idOf(r);
  const before = await one('SELECT due_at FROM tickets WHERE id = $1', [id]);
  // Level 3 (seed): one working day, must be forwarded, supervisors alerted;
  // the field's own deadline is 10 days.
  const field = (await one(`SELECT id FROM fields WHERE code = 'xay-dung'`)).id;
  const c = await postForm(`/dtv/phieu/${id}/classify`, {
    csrf: op.csrf, field, level: '3', kind: 'phan_anh',
  }, op);
  assert.equal(c.status, 303, c.text.slice(0, 400));
  const t = await one(`SELECT level, kind, due_at,
      (SELECT count(*)::int FROM ticket_deadlines d WHERE d.ticket_id = t.id) AS n
    FROM tickets t WHERE id = $1`, [id]);
  assert.equal(t.level, 3);
  assert.equal(t.kind, 'phan_anh');
  assert.ok(t.due_at < before.due_at, 'one working day, sooner than the default five');
  assert.equal(t.n, 2, 'the first deadline is kept beside the new one');

  const a = await postForm(`/dtv/phieu/${id}/answer`, {
    csrf: op.csrf, answer: 'Tổng đài trả lời luôn.',
  }, op);
  assert.equal(a.status, 409);
  assert.match(a.text, /phải được chuyển cơ quan chuyên môn/);
  assert.equal((await one('SELECT answer FROM tickets WHERE id = $1', [id])).answer, null);

  const f = await postForm(`/dtv/phieu/${id}/forward`, {
    csrf: op.csrf, agency: (await one(`SELECT id FROM agencies WHERE code = 'SXD'`)).id,
  }, op);
  assert.equal(f.status, 303, f.text.slice(0, 300));
  const ev = await one(`SELECT payload->>'days' AS days FROM ticket_events
    WHERE ticket_id = $1 AND kind = 'forward'`, [id]);
  assert.equal(ev.days, '1', 'the forward takes the level deadline, not the field one');
});

test('closing without an answer needs a reason and a guidance the citizen sees', async () => {
  const phone = '0913 444 555';
  const r = await create({ phone, email: 'nguoidan.levels@example.vn', title: `Tố cáo ${uniq()}` });
  const id = idOf(r);
  const { code } = await one('SELECT code FROM tickets WHERE id = $1', [id]);

  const page = await getPage(`/dtv/phieu/${id}`, op);
  assert.match(page.text, /name="guidance"/);
  assert.match(page.text, /Không thuộc thẩm quyền/);

  const none = await postForm(`/dtv/phieu/${id}/close`, { csrf: op.csrf }, op);
  assert.equal(none.status, 400);
  assert.match(none.text, /lý do kết thúc/);
  const short = await postForm(`/dtv/phieu/${id}/close`, {
    csrf: op.csrf, reason: 'tham_quyen', guidance: 'Gọi 113.',
  }, op);
  assert.equal(short.status, 400);
  assert.match(short.text, /ít nhất 20 ký tự/);
  const badReason = await postForm(`/dtv/phieu/${id}/close`, {
    csrf: op.csrf, reason: 'vi-sao', guidance: 'Đơn tố cáo xin gửi Thanh tra tỉnh theo thủ tục.',
  }, op);
  assert.equal(badReason.status, 400);
  assert.equal((await one('SELECT status FROM tickets WHERE id = $1', [id])).status, 'new');

  const guidance = 'Đơn tố cáo xin gửi đến Thanh tra tỉnh Đồng Tháp theo thủ tục giải quyết tố cáo.';
  const ok = await postForm(`/dtv/phieu/${id}/close`, {
    csrf: op.csrf, reason: 'tham_quyen', guidance,
  }, op);
  assert.equal(ok.status, 303, ok.text.slice(0, 400));
  const t = await one('SELECT status, close_reason, close_guidance FROM tickets WHERE id = $1', [id]);
  assert.deepEqual(t, { status: 'closed', close_reason: 'tham_quyen', close_guidance: guidance });
  // The citizen is sent the guidance, as an answer would be (by e-mail here).
  const m = await one(`SELECT recipient, body FROM messages
    WHERE ticket_id = $1 AND kind = 'notice' AND payload->>'notice' = 'guidance'`, [id]);
  assert.equal(m.recipient, 'nguoidan.levels@example.vn');
  assert.ok(m.body.includes(guidance));

  const track = await request('GET', `/tra-cuu?ma=${code}&dt=${encodeURIComponent(phone)}`, { ip });
  assert.equal(track.status, 200);
  assert.match(track.text, /Hướng dẫn của Tổng đài 1022/);
  assert.ok(track.text.includes(guidance));
  assert.doesNotMatch(track.text, /Đã hoàn thành/);

  const api = await request('GET', `/api/v1/tickets/${code}?phone=${encodeURIComponent(phone)}`, { ip });
  assert.equal(api.status, 200);
  assert.equal(JSON.parse(api.text).guidance, guidance);
});

test('a ticket with an answer still closes as before, no guidance asked', async () => {
  const r = await create({});
  const id = idOf(r);
  const a = await postForm(`/dtv/phieu/${id}/answer`, { csrf: op.csrf, answer: 'Hồ sơ gồm đơn và bản vẽ.' }, op);
  assert.equal(a.status, 303, a.text.slice(0, 300));
  const c = await postForm(`/dtv/phieu/${id}/close`, { csrf: op.csrf }, op);
  assert.equal(c.status, 303, c.text.slice(0, 300));
  const t = await one('SELECT status, close_guidance FROM tickets WHERE id = $1', [id]);
  assert.deepEqual(t, { status: 'closed', close_guidance: null });
});

test('agencies reach down to the communes, each under its district', async () => {
  const r = await one(`SELECT count(*)::int AS xa,
      count(DISTINCT a.parent_id)::int AS districts,
      bool_and(p.kind = 'huyen') AS under_huyen
    FROM agencies a JOIN agencies p ON p.id = a.parent_id WHERE a.kind = 'xa'`);
  assert.ok(r.xa >= 100, `${r.xa} communes`);
  assert.equal(r.districts, 12);
  assert.ok(r.under_huyen);
  assert.ok(await one(`SELECT 1 FROM agencies WHERE name = 'Ủy ban nhân dân thị trấn Tràm Chim (huyện Tam Nông)'`));
});

// Levels are configuration: an administrator adds, changes, retires and
// removes them, and a ticket's deadline follows.
test('an administrator edits the levels; a level in use is kept, an unused one removed', async () => {
  const admin = await login('admin', ip);
  await db().query(`DELETE FROM ticket_levels WHERE id IN (7, 8)
    AND NOT EXISTS (SELECT 1 FROM tickets WHERE level IN (7, 8))`);
  const used = await one('SELECT 1 AS x FROM tickets WHERE level = 7');
  if (!used) {
    const bad = await postForm('/quan-tri/cap-do/moi', {
      csrf: admin.csrf, id: '7', name: 'Cấp độ 7 — thử', handler: 'center',
      deadline_days: '20', must_forward: '1', active: '1',
    }, admin);
    assert.equal(bad.status, 400, 'must-forward is handled by an agency');
    const r = await postForm('/quan-tri/cap-do/moi', {
      csrf: admin.csrf, id: '7', name: 'Cấp độ 7 — thử', description: 'Kiểm thử.',
      handler: 'agency', deadline_days: '20', must_forward: '1', active: '1',
    }, admin);
    assert.equal(r.status, 303, r.text.slice(0, 300));
  }
  const list = await getPage('/quan-tri/cap-do', admin);
  assert.match(list.text, /Cấp độ 7 — thử/);
  assert.match(list.text, /Cấp độ 3 — khẩn cấp/);

  // Every worker reloads its cache: until this one has, the level is unknown.
  let made;
  const until = Date.now() + 15000;
  for (;;) {
    made = await create({ level: '7' });
    if (made.status === 303 || Date.now() > until) break;
    await new Promise((res) => setTimeout(res, 200));
  }
  assert.equal(made.status, 303, made.text.slice(0, 300));
  const t = await one(`SELECT due_at > now() + interval '26 days' AS far FROM tickets WHERE id = $1`,
    [idOf(made)]);
  assert.ok(t.far, 'twenty working days from the level, not the default five');

  const refused = await postForm('/quan-tri/cap-do/7/xoa', { csrf: admin.csrf }, admin);
  assert.equal(refused.status, 409);
  assert.match(refused.text, /đã có phiếu mang cấp độ này/);
  const edit = await getPage('/quan-tri/cap-do/7', admin);
  assert.match(edit.text, /id="in-use"/);
  const off = await postForm('/quan-tri/cap-do/7', {
    csrf: admin.csrf, name: 'Cấp độ 7 — thử', handler: 'agency', deadline_days: '20',
    must_forward: '1',
  }, admin);
  assert.equal(off.status, 303, off.text.slice(0, 300));
  assert.equal((await one('SELECT active FROM ticket_levels WHERE id = 7')).active, false);

  const mk = await postForm('/quan-tri/cap-do/moi', {
    csrf: admin.csrf, id: '8', name: `Cấp độ 8 ${uniq()}`, handler: 'center',
    deadline_days: '3', active: '1',
  }, admin);
  assert.equal(mk.status, 303, mk.text.slice(0, 300));
  assert.match((await getPage('/quan-tri/cap-do/8', admin)).text, /Xác nhận xóa cấp độ 8/);
  const gone = await postForm('/quan-tri/cap-do/8/xoa', { csrf: admin.csrf }, admin);
  assert.equal(gone.status, 303);
  assert.equal(await one('SELECT 1 FROM ticket_levels WHERE id = 8'), undefined);
  assert.ok(await one(`SELECT 1 FROM admin_events WHERE kind = 'level_remove' AND target_id = '8'`));
});

test('the inbox filters by type, level and supervisor alert', async () => {
  const tag = uniq('loc');
  const a = await create({ title: `Lọc ${tag} a`, kind: 'kien_nghi', level: '3' });
  const b = await create({ title: `Lọc ${tag} b`, kind: 'hoi', level: '1' });
  assert.equal(a.status, 303);
  assert.equal(b.status, 303);
  const ids = async (qs) => {
    const r = await getPage(`/dtv?q=${encodeURIComponent(tag)}&${qs}`, op);
    assert.equal(r.status, 200);
    return [...r.text.matchAll(/data-id="(\d+)"/g)].map((m) => Number(m[1])).sort();
  };
  assert.deepEqual(await ids(''), [idOf(a), idOf(b)].sort());
  assert.deepEqual(await ids('kind=kien_nghi'), [idOf(a)]);
  assert.deepEqual(await ids('kind=hoi&level=1'), [idOf(b)]);
  assert.deepEqual(await ids('level=3'), [idOf(a)]);
  assert.deepEqual(await ids('alert=1'), [idOf(a)]);
  const bad = await getPage('/dtv?kind=xyz', op);
  assert.equal(bad.status, 400);
});

test('statistics count by type and by level, in the page, JSON and CSV', async () => {
  const sup = await login('lanhdao', ip);
  const day = '2020-07-15';
  // Test data only: four tickets received that day.
  await db().query(`UPDATE tickets SET created_at = now() WHERE created_at::date = $1::date`, [day]);
  const fixture = [['hoi', 1], ['phan_anh', 3], ['phan_anh', null], ['khac', 1]];
  for (const [kind, level] of fixture) {
    const r = await create({ kind, ...(level ? { level: String(level) } : {}) });
    assert.equal(r.status, 303);
    await db().query(`UPDATE tickets SET created_at = $2::timestamptz, received_at = $2::timestamptz
      WHERE id = $1`, [idOf(r), `${day}T09:00:00+07`]);
  }
  const stats = (g) => request('GET', `/giam-sat/thong-ke.json?tu=${day}&den=${day}&theo=${g}`, sup);
  let r = await stats('loai');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.rows.map((x) => [x.label, x.received]),
    [['Hỏi', 1], ['Phản ánh', 2], ['Khác', 1]]);
  r = await stats('cap-do');
  assert.deepEqual(r.json.rows.map((x) => [x.label, x.received]), [
    ['Cấp độ 1 — trả lời ngay', 2], ['Cấp độ 3 — khẩn cấp', 1], ['Chưa phân loại cấp độ', 1]]);
  const csv = await request('GET', `/giam-sat/thong-ke.csv?tu=${day}&den=${day}&theo=loai`, sup);
  assert.equal(csv.status, 200);
  assert.match(csv.text, /Loại phiếu/);
  assert.match(csv.text, /Phản ánh[",;]+2/);
  const page = await request('GET', `/giam-sat?tu=${day}&den=${day}&theo=cap-do`, sup);
  assert.match(page.text, /Cấp độ 3 — khẩn cấp/);
});
