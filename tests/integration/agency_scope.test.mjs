// Agency officers see and touch only their own agency's tickets: in the
// list, by id, by guessing ids, in actions and in attachments.  Another
// agency's ticket answers exactly like one that does not exist.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { request, postForm, login, one, db, dbClose, uniq } from '../lib.mjs';

const ip = '127.0.13.1';
after(dbClose);

let op, stnmt, sgtvt;
const agencyId = {};

before(async () => {
  op = await login('dtv.minh', ip);
  stnmt = await login('cb.stnmt', ip);
  sgtvt = await login('cb.sgtvt', ip);
  for (const code of ['STNMT', 'SGTVT', 'UBND-CAOLANH']) {
    agencyId[code] = (await one('SELECT id FROM agencies WHERE code = $1', [code])).id;
  }
});

async function phoneTicket(extra = {}) {
  const r = await postForm('/dtv/tao-phieu', {
    csrf: op.csrf, phone: '0914 222 333', title: `Phản ánh ${uniq()}`,
    content: 'Rác thải đổ trộm ven kênh.', ...extra,
  }, op);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  return Number(r.headers.location.split('/').pop());
}

async function forwarded(agency) {
  const id = await phoneTicket();
  const r = await postForm(`/dtv/phieu/${id}/forward`, { csrf: op.csrf, agency: String(agencyId[agency]) }, op);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  return id;
}

async function snapshot(id) {
  return one(`SELECT row_to_json(t)::text AS t,
                     (SELECT count(*) FROM ticket_events WHERE ticket_id = t.id)::int AS events
              FROM tickets t WHERE id = $1`, [id]);
}

test('the agency inbox lists only that agency\'s tickets', async () => {
  const mine = await forwarded('STNMT');
  const theirs = await forwarded('SGTVT');
  const unassigned = await phoneTicket();
  const r = await request('GET', '/co-quan', stnmt);
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(`data-id="${mine}"`));
  assert.ok(!r.text.includes(`data-id="${theirs}"`));
  assert.ok(!r.text.includes(`data-id="${unassigned}"`));
  // Everything listed belongs to the agency.
  const ids = [...r.text.matchAll(/data-id="(\d+)"/g)].map((m) => Number(m[1]));
  assert.ok(ids.length > 0);
  const owners = await db().query('SELECT DISTINCT agency_id FROM tickets WHERE id = ANY($1)', [ids]);
  assert.deepEqual(owners.rows, [{ agency_id: agencyId.STNMT }]);

  const other = await request('GET', '/co-quan', sgtvt);
  assert.match(other.text, new RegExp(`data-id="${theirs}"`));
  assert.ok(!other.text.includes(`data-id="${mine}"`));

  // Overdue tickets are flagged for the agency too.
  await db().query(`UPDATE tickets SET due_at = now() - interval '1 day' WHERE id = $1`, [mine]);
  const late = await request('GET', '/co-quan', stnmt);
  assert.match(late.text, new RegExp(`is-overdue" data-id="${mine}"`));
  const page = await request('GET', `/co-quan/phieu/${mine}`, stnmt);
  assert.match(page.text, /id="due">[^<]*<span class="overdue">Quá hạn/);
});

test('every agency action needs the CSRF token', async () => {
  const id = await forwarded('STNMT');
  const before = await snapshot(id);
  for (const [action, fields] of [['answer', { answer: 'Trả lời.' }], ['need_info', { note: 'Cần ảnh.' }],
    ['return', { note: 'Không thuộc thẩm quyền.' }]]) {
    let r = await postForm(`/co-quan/phieu/${id}/${action}`, fields, stnmt);
    assert.equal(r.status, 403, action);
    r = await postForm(`/co-quan/phieu/${id}/${action}`, { ...fields, csrf: op.csrf }, stnmt);
    assert.equal(r.status, 403, `${action}: another session's token`);
  }
  assert.deepEqual(await snapshot(id), before);
});

test('another agency\'s ticket, by id or by guessing, is a 404 like a missing one', async () => {
  const mine = await forwarded('STNMT');
  const theirs = await forwarded('SGTVT');
  let r = await request('GET', `/co-quan/phieu/${mine}`, stnmt);
  assert.equal(r.status, 200);
  assert.match(r.text, /Rác thải đổ trộm/);

  const denied = await request('GET', `/co-quan/phieu/${theirs}`, stnmt);
  const missing = await request('GET', '/co-quan/phieu/999999999', stnmt);
  assert.equal(denied.status, 404);
  assert.equal(missing.status, 404);
  assert.equal(denied.text, missing.text);
  assert.ok(!denied.text.includes('Rác thải'));

  // Walk every id around ours: only the agency's own tickets open.
  const { max } = await one('SELECT max(id)::int AS max FROM tickets');
  const own = new Set((await db().query('SELECT id::int FROM tickets WHERE agency_id = $1', [agencyId.STNMT])).rows.map((x) => x.id));
  for (let id = Math.max(1, max - 60); id <= max + 3; id++) {
    r = await request('GET', `/co-quan/phieu/${id}`, stnmt);
    assert.equal(r.status, own.has(id) ? 200 : 404, `ticket ${id}`);
    if (!own.has(id)) assert.equal(r.text, missing.text);
  }
  for (const p of ['/co-quan/phieu/0', '/co-quan/phieu/01x', '/co-quan/phieu/99999999999999999999', `/co-quan/phieu/${mine}/xem`]) {
    r = await request('GET', p, stnmt);
    assert.equal(r.status, 404, p);
  }
});

test('an agency cannot act on another agency\'s ticket: 404 and nothing changes', async () => {
  const theirs = await forwarded('SGTVT');
  const unassigned = await phoneTicket();
  for (const id of [theirs, unassigned]) {
    const before = await snapshot(id);
    for (const [action, fields] of [['answer', { answer: 'Chúng tôi trả lời thay.' }],
      ['need_info', { note: 'Cần thêm ảnh.' }], ['return', { note: 'Không thuộc thẩm quyền.' }]]) {
      const r = await postForm(`/co-quan/phieu/${id}/${action}`, { csrf: stnmt.csrf, ...fields }, stnmt);
      assert.equal(r.status, 404, `${action} on ${id}`);
    }
    assert.deepEqual(await snapshot(id), before);
  }
  // Nor through the operator's URLs.
  const before = await snapshot(theirs);
  let r = await postForm(`/dtv/phieu/${theirs}/answer`, { csrf: stnmt.csrf, answer: 'x' }, stnmt);
  assert.equal(r.status, 403);
  r = await postForm(`/dtv/phieu/${theirs}/note`, { csrf: stnmt.csrf, note: 'x' }, stnmt);
  assert.equal(r.status, 403);
  assert.deepEqual(await snapshot(theirs), before);
});

test('agency answer: stored as an event, the operator reviews it and answers', async () => {
  const id = await forwarded('STNMT');
  const officer = await one(`SELECT id, full_name FROM users WHERE username = 'cb.stnmt'`);
  const text = 'Sở đã kiểm tra, yêu cầu UBND phường xử lý trong 3 ngày.';
  let r = await postForm(`/co-quan/phieu/${id}/answer`, { answer: text }, stnmt);
  assert.equal(r.status, 403, 'CSRF token required');
  r = await postForm(`/co-quan/phieu/${id}/answer`, { csrf: stnmt.csrf, answer: '' }, stnmt);
  assert.equal(r.status, 400);
  r = await postForm(`/co-quan/phieu/${id}/answer`, { csrf: stnmt.csrf, answer: 'ư'.repeat(10001) }, stnmt);
  assert.equal(r.status, 400);
  assert.match(r.text, /tối đa 10000/);
  r = await postForm(`/co-quan/phieu/${id}/answer`, { csrf: stnmt.csrf, answer: text }, stnmt);
  assert.equal(r.status, 303, r.text.slice(0, 300));

  const t = await one('SELECT status, answer, agency_id FROM tickets WHERE id = $1', [id]);
  assert.deepEqual(t, { status: 'agency_answered', answer: null, agency_id: agencyId.STNMT });
  const ev = await one(`SELECT kind, note, public, actor_id, actor_label, payload FROM ticket_events
                        WHERE ticket_id = $1 ORDER BY id DESC LIMIT 1`, [id]);
  assert.deepEqual(ev, { kind: 'agency_answer', note: text, public: false, actor_id: officer.id,
    actor_label: officer.full_name, payload: { agency_id: agencyId.STNMT } });

  // Answering twice is not possible any more.
  r = await postForm(`/co-quan/phieu/${id}/answer`, { csrf: stnmt.csrf, answer: text }, stnmt);
  assert.equal(r.status, 409);

  // The operator's answer box starts from the agency's answer.
  const page = await request('GET', `/dtv/phieu/${id}`, op);
  assert.match(page.text, new RegExp(`<textarea id="answer" name="answer"[^>]*>${text}</textarea>`));
  r = await postForm(`/dtv/phieu/${id}/answer`, { csrf: op.csrf, answer: text }, op);
  assert.equal(r.status, 303);
  assert.equal((await one('SELECT status FROM tickets WHERE id = $1', [id])).status, 'answered');

  // The citizen never sees the agency's exchange, only the progress.
  const code = (await one('SELECT code FROM tickets WHERE id = $1', [id])).code;
  const track = await request('GET', `/api/v1/tickets/${code}?phone=0914222333`, { ip });
  assert.deepEqual(track.json.timeline.map((e) => e.event), ['created', 'forward', 'answer']);
  assert.match(track.json.timeline[1].text, /Đã chuyển đến Sở Tài nguyên và Môi trường/);
});

test('need_info and return need a reason; a returned ticket leaves the agency', async () => {
  const id = await forwarded('STNMT');
  const before = await snapshot(id);
  for (const action of ['need_info', 'return']) {
    for (const note of [undefined, '', '   ', 'x'.repeat(2001)]) {
      const fields = { csrf: stnmt.csrf };
      if (note !== undefined) fields.note = note;
      const r = await postForm(`/co-quan/phieu/${id}/${action}`, fields, stnmt);
      assert.equal(r.status, 400, `${action} ${String(note).slice(0, 10)}`);
      assert.match(r.text, /role="alert"/);
      if (action === 'return') assert.match(r.text, /<details class="confirm" open>/, 'the confirm step stays open');
    }
    const raw = await request('POST', `/co-quan/phieu/${id}/${action}`, {
      ...stnmt, body: `csrf=${stnmt.csrf}&note=%FF%FE`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(raw.status, 400);
  }
  assert.deepEqual(await snapshot(id), before);

  let r = await postForm(`/co-quan/phieu/${id}/need_info`, { csrf: stnmt.csrf, note: 'Cần vị trí cụ thể (số nhà, tuyến đường).' }, stnmt);
  assert.equal(r.status, 303);
  let t = await one('SELECT status FROM tickets WHERE id = $1', [id]);
  assert.equal(t.status, 'needs_info');
  // Still the agency's, still readable; the operator adds the detail and forwards again.
  r = await request('GET', `/co-quan/phieu/${id}`, stnmt);
  assert.equal(r.status, 200);
  assert.match(r.text, /Cần vị trí cụ thể/);
  r = await postForm(`/dtv/phieu/${id}/forward`, { csrf: op.csrf, agency: String(agencyId.STNMT), note: 'Số 12 đường Lê Lợi.' }, op);
  assert.equal(r.status, 303);

  r = await postForm(`/co-quan/phieu/${id}/return`, { csrf: stnmt.csrf, note: 'Thuộc thẩm quyền UBND thành phố.' }, stnmt);
  assert.equal(r.status, 303);
  assert.equal(r.headers.location, '/co-quan?da-tra-lai=1');
  t = await one('SELECT status, agency_id FROM tickets WHERE id = $1', [id]);
  assert.deepEqual(t, { status: 'returned', agency_id: null });
  const ev = await one(`SELECT kind, note, public, payload FROM ticket_events WHERE ticket_id = $1 ORDER BY id DESC LIMIT 1`, [id]);
  assert.deepEqual(ev, { kind: 'return', note: 'Thuộc thẩm quyền UBND thành phố.', public: false, payload: { agency_id: agencyId.STNMT } });
  r = await request('GET', `/co-quan/phieu/${id}`, stnmt);
  assert.equal(r.status, 404);

  // The operator sees why, and sends it to the right agency.
  r = await request('GET', `/dtv/phieu/${id}`, op);
  assert.match(r.text, /Thuộc thẩm quyền UBND thành phố/);
  assert.match(r.text, /Cơ quan trả lại/);
  r = await postForm(`/dtv/phieu/${id}/forward`, { csrf: op.csrf, agency: String(agencyId['UBND-CAOLANH']) }, op);
  assert.equal(r.status, 303);
  const caolanh = await login('cb.caolanh', ip);
  r = await request('GET', `/co-quan/phieu/${id}`, caolanh);
  assert.equal(r.status, 200);
});

test('agencies do not read the operators\' internal notes', async () => {
  const id = await forwarded('STNMT');
  await postForm(`/dtv/phieu/${id}/note`, { csrf: op.csrf, note: 'Ghi chú nội bộ bí mật 4711' }, op);
  const r = await request('GET', `/co-quan/phieu/${id}`, stnmt);
  assert.equal(r.status, 200);
  assert.ok(!r.text.includes('bí mật 4711'));
  assert.match(r.text, /Đã chuyển đến/);
});

test('attachments: staff any, an agency only while the ticket is theirs', async () => {
  const mine = await forwarded('STNMT');
  const theirs = await forwarded('SGTVT');
  const dir = path.join(process.env.TEST_VAR_DIR, 'uploads');
  fs.mkdirSync(dir, { recursive: true });
  const files = {};
  for (const id of [mine, theirs]) {
    const stored = `${crypto.randomBytes(16).toString('hex')}.pdf`;
    fs.writeFileSync(path.join(dir, stored), `%PDF-1.4 ticket ${id}\n`);
    files[id] = (await one(`INSERT INTO attachments (ticket_id, stored_name, original_name, mime, size)
      VALUES ($1, $2, $3, 'application/pdf', 20) RETURNING id`, [id, stored, 'Ảnh "hiện trường".pdf'])).id;
  }
  let r = await request('GET', `/tep/${files[mine]}`, stnmt);
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/pdf');
  assert.match(r.headers['content-disposition'], /^attachment; filename="[^"]*\.pdf"; filename\*=UTF-8''%E1%BA%A2nh%20%22hi%E1%BB%87n%20tr%C6%B0%E1%BB%9Dng%22\.pdf$/);
  assert.equal(r.text, `%PDF-1.4 ticket ${mine}\n`);

  const denied = await request('GET', `/tep/${files[theirs]}`, stnmt);
  const missing = await request('GET', '/tep/999999999', stnmt);
  assert.equal(denied.status, 404);
  assert.equal(denied.text, missing.text);

  r = await request('GET', `/tep/${files[theirs]}`, op);
  assert.equal(r.status, 200);
  r = await request('GET', `/tep/${files[mine]}`, { ip });
  assert.equal(r.status, 303, 'not logged in');

  // The page links the file for the agency that holds the ticket.
  r = await request('GET', `/co-quan/phieu/${mine}`, stnmt);
  assert.ok(r.text.includes(`href="/tep/${files[mine]}"`));
});

test('the agency inbox pages through a long list, 50 at a time, nothing twice', async () => {
  const caolanh = await login('cb.caolanh', ip);
  const mark = uniq('trang');
  await db().query(`INSERT INTO tickets (code, channel, name, phone, title, content, status, agency_id, due_at)
    SELECT 'P' || $1 || '-' || g, 'web', 'Người thử', '0912000111', $1 || ' số ' || g, 'nội dung',
           'forwarded', $2::integer, now() + interval '30 days' + g * interval '1 minute'
    FROM generate_series(1, 60) g`, [mark, agencyId['UBND-CAOLANH']]);
  const want = (await db().query(`SELECT id::int FROM tickets WHERE agency_id = $1
    AND status IN ('forwarded', 'needs_info', 'agency_answered')`, [agencyId['UBND-CAOLANH']])).rows.map((x) => x.id);
  assert.ok(want.length > 50);
  const seen = [];
  let url = '/co-quan';
  for (let i = 0; url && i < 10; i++) {
    const r = await request('GET', url, caolanh);
    assert.equal(r.status, 200);
    const table = r.text.split('id="recent"')[0];
    const ids = [...table.matchAll(/data-id="(\d+)"/g)].map((m) => Number(m[1]));
    assert.ok(ids.length <= 50 && ids.length > 0, `page ${i + 1}: ${ids.length} rows`);
    assert.match(r.text, new RegExp(`Trang ${i + 1} / ${Math.ceil(want.length / 50)}`));
    seen.push(...ids);
    const next = /<a href="([^"]+)" rel="next">/.exec(r.text);
    url = next ? next[1].replace(/&amp;/g, '&') : null;
  }
  assert.equal(new Set(seen).size, seen.length, 'no ticket on two pages');
  assert.deepEqual([...seen].sort((a, b) => a - b), [...want].sort((a, b) => a - b));
  const bad = await request('GET', '/co-quan?page=abc', caolanh);
  assert.equal(bad.status, 400);
  assert.match(bad.text, /Số trang không hợp lệ/);
  // Leave the agency's list as it was for the other tests.
  await db().query(`UPDATE tickets SET status = 'closed' WHERE code LIKE 'P' || $1 || '-%'`, [mark]);
});

test('an agency reads only what was written for it, not for an agency the ticket went to before', async () => {
  const mark = uniq('rieng');
  const id = await phoneTicket();
  let r = await postForm(`/dtv/phieu/${id}/forward`, { csrf: op.csrf, agency: String(agencyId.SGTVT),
    note: `Ghi chú riêng cho Sở GTVT ${mark}` }, op);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  r = await postForm(`/co-quan/phieu/${id}/return`, { csrf: sgtvt.csrf, note: `Lý do trả lại của Sở GTVT ${mark}` }, sgtvt);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  r = await postForm(`/dtv/phieu/${id}/forward`, { csrf: op.csrf, agency: String(agencyId.STNMT),
    note: `Ghi chú cho Sở TNMT ${mark}` }, op);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const page = await request('GET', `/co-quan/phieu/${id}`, stnmt);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(`Ghi chú cho Sở TNMT ${mark}`));
  assert.ok(!page.text.includes(`Ghi chú riêng cho Sở GTVT ${mark}`), 'the other agency\'s forward note');
  assert.ok(!page.text.includes(`Lý do trả lại của Sở GTVT ${mark}`), 'the other agency\'s return reason');
  // The operator still sees the whole history.
  const staff = await request('GET', `/dtv/phieu/${id}`, op);
  assert.ok(staff.text.includes(`Ghi chú riêng cho Sở GTVT ${mark}`));
  assert.ok(staff.text.includes(`Lý do trả lại của Sở GTVT ${mark}`));
});
