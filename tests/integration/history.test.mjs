// The history of a ticket is append-only, enforced by the database for the
// application's role and for the superuser alike, and the ticket page shows
// who did what, when.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { request, postForm, login, one, db, dbClose, uniq, pgConfig } from '../lib.mjs';

const ip = '127.0.14.1';
let app;
after(async () => { if (app) await app.end(); await dbClose(); });

// The role Kore connects as.
async function appDb() {
  if (!app) {
    app = new pg.Client(pgConfig({ user: 'app' }));
    await app.connect();
  }
  return app;
}

async function ticketWithHistory() {
  const s = await login('dtv.lan', ip);
  const r = await postForm('/dtv/tao-phieu', {
    csrf: s.csrf, phone: '0915 333 444', title: `Lịch sử ${uniq()}`, content: 'Hỏi giờ làm việc.',
  }, s);
  assert.equal(r.status, 303);
  const id = Number(r.headers.location.split('/').pop());
  await postForm(`/dtv/phieu/${id}/note`, { csrf: s.csrf, note: 'Ghi chú đầu tiên' }, s);
  await postForm(`/dtv/phieu/${id}/answer`, { csrf: s.csrf, answer: 'Từ 7h đến 17h các ngày làm việc.' }, s);
  return { id, s };
}

async function history(id) {
  return (await db().query('SELECT * FROM ticket_events WHERE ticket_id = $1 ORDER BY id', [id])).rows;
}

test('the application role cannot change or remove history', async () => {
  const { id } = await ticketWithHistory();
  const before = await history(id);
  // created, note, answer, and the answer's notice that could not go.
  assert.equal(before.length, 4);
  const c = await appDb();
  for (const sql of [
    `UPDATE ticket_events SET note = 'sửa' WHERE ticket_id = ${id}`,
    `UPDATE ticket_events SET actor_label = 'ai đó' WHERE ticket_id = ${id}`,
    `DELETE FROM ticket_events WHERE ticket_id = ${id}`,
    'TRUNCATE ticket_events',
  ]) {
    await assert.rejects(c.query(sql), (e) => {
      assert.match(e.message, /permission denied|append-only/);
      return true;
    }, sql);
  }
  // Appending is what the application does, and still works.
  await c.query(`INSERT INTO ticket_events (ticket_id, actor_label, kind, note) VALUES ($1, 'test', 'note', 'thêm')`, [id]);
  const afterRows = await history(id);
  assert.deepEqual(afterRows.slice(0, 4), before);
  assert.equal(afterRows.length, 5);
});

test('not even the superuser can change or remove history', async () => {
  const { id } = await ticketWithHistory();
  const before = await history(id);
  const su = await db().connect();
  try {
    for (const sql of [
      `UPDATE ticket_events SET note = 'sửa' WHERE ticket_id = ${id}`,
      `DELETE FROM ticket_events WHERE ticket_id = ${id}`,
      'TRUNCATE ticket_events',
    ]) {
      await assert.rejects(su.query(sql), /append-only/, sql);
    }
  } finally {
    su.release();
  }
  assert.deepEqual(await history(id), before);
});

test('the ticket page shows who did what, when, in order', async () => {
  const { id, s } = await ticketWithHistory();
  const minh = await login('dtv.minh', ip);
  let r = await postForm(`/dtv/phieu/${id}/close`, { csrf: minh.csrf }, minh);
  assert.equal(r.status, 303);
  r = await request('GET', `/dtv/phieu/${id}`, s);
  assert.equal(r.status, 200);
  const items = [...r.text.matchAll(/<li class="event ev-(\w+)"[\s\S]*?<time>([^<]+)<\/time> <strong>([^<]+)<\/strong>[\s\S]*?<div class="muted">([^<]+)<\/div>/g)]
    .map((m) => ({ kind: m[1], at: m[2], what: m[3], who: m[4].trim() }));
  // The citizen gave neither e-mail nor a conversation and SMS is not set
  // up: the answer's notice could not go, which the history says.
  assert.deepEqual(items.map((e) => e.kind), ['created', 'note', 'answer', 'notice', 'close']);
  assert.deepEqual(items.map((e) => e.what), ['Tiếp nhận', 'Ghi chú nội bộ', 'Trả lời', 'Thông báo', 'Đóng phiếu']);
  assert.equal(items[1].who, 'Nguyễn Thị Lan (dtv.lan)');
  assert.equal(items[4].who, 'Trần Văn Minh (dtv.minh)');
  for (const e of items) assert.match(e.at, /^\d\d\/\d\d\/\d{4} \d\d:\d\d:\d\d$/);
  assert.match(r.text, /Ghi chú đầu tiên/);
  assert.match(r.text, /Từ 7h đến 17h/);

  // Each action adds exactly one event; nothing earlier changes.
  const before = await history(id);
  r = await postForm(`/dtv/phieu/${id}/reopen`, { csrf: s.csrf }, s);
  assert.equal(r.status, 303);
  const now = await history(id);
  assert.equal(now.length, before.length + 1);
  assert.deepEqual(now.slice(0, before.length), before);
  const ev = await one('SELECT kind FROM ticket_events WHERE ticket_id = $1 ORDER BY id DESC LIMIT 1', [id]);
  assert.equal(ev.kind, 'reopen');
});
