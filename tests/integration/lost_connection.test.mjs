// The connection to PostgreSQL breaks after a write has committed and
// before Kore hears so (tests/tools/pgproxy.mjs cuts it then).  A write
// that is not safe to repeat is not sent twice: the officer is told it may
// or may not be saved, and it is stored once.  Reads and writes that are
// safe to repeat are run again and succeed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, postForm, postJSON, login, citizen, one, dbClose, uniq } from '../lib.mjs';

after(dbClose);
const proxy = process.env.TEST_PGPROXY_URL;
// Cut the connection that runs the next statement containing sql.
const cut = async (sql) => {
  const r = await fetch(`${proxy}/cut?sql=${encodeURIComponent(sql)}&n=1`, { method: 'POST' });
  assert.equal(r.status, 200);
};
const cuts = async () => Number(await (await fetch(`${proxy}/cuts`)).text());
const ip = '127.0.48.1';

test('a note whose answer is lost is stored once, and the officer is told to check', async () => {
  const s = await login('dtv.lan', ip);
  const t = await postJSON('/api/v1/tickets', citizen(), { ip: '127.0.48.2' });
  const id = (await one('SELECT id FROM tickets WHERE code = $1', [t.json.code])).id;
  const note = `Ghi chú ${uniq()}`;
  const before = await cuts();
  await cut("'note', false, $6");
  const r = await postForm(`/dtv/phieu/${id}/note`, { csrf: s.csrf, note }, s);
  assert.equal(await cuts(), before + 1, 'the proxy cut the connection after the commit');
  assert.equal(r.status, 503, r.text.slice(0, 300));
  assert.match(r.text, /có thể đã được lưu/);
  const n = await one("SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1 AND kind = 'note' AND note = $2", [id, note]);
  assert.equal(n.n, 1, 'the note is stored exactly once');
});

test('an account whose creation answer is lost exists once, without "username taken"', async () => {
  const s = await login('admin', ip);
  const username = `mat.ketnoi.${Date.now() % 1000000}`;
  await cut('INSERT INTO users');
  const r = await postForm('/quan-tri/nguoi-dung/moi', {
    csrf: s.csrf, username, full_name: 'Người Mất Kết Nối', role: 'operator', active: '1',
  }, s);
  assert.equal(r.status, 503, r.text.slice(0, 300));
  assert.doesNotMatch(r.text, /đã có|đã tồn tại|đã được dùng/);
  assert.equal((await one('SELECT count(*)::int AS n FROM users WHERE username = $1', [username])).n, 1);
});

test('a read and a deduplicated submission are run again and succeed', async () => {
  const body = citizen();
  await cut('ticket_submit(');
  const r = await postJSON('/api/v1/tickets', body, { ip: '127.0.48.3' });
  // The first try committed; the second finds it by its key.
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.duplicate, true);
  assert.equal((await one('SELECT count(*)::int AS n FROM tickets WHERE title = $1', [body.title])).n, 1);
  await cut('ticket_track(');
  const tr = await request('GET', `/api/v1/tickets/${r.json.code}?phone=${encodeURIComponent(body.phone)}`, { ip: '127.0.48.3' });
  assert.equal(tr.status, 200, tr.text);
});
