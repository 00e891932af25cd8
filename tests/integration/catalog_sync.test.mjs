// The scheduled sync of the procedures catalog from a URL
// (/quan-tri/thu-tuc/dong-bo, src/catalog_sync.c) against a local stand-in
// for the national database (tests/tools/fake-tthc.mjs): JSON lines and
// CSV go through the importer (import_runs.via = 'sync', refused rows,
// re-import by code, withdrawn marking); a 404, a source that hangs and a
// file that is garbage are reported with their reason and change nothing,
// and the pages answer while a sync waits; the credential is sent to the
// source and never shown back; only administrators.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, postForm, login, dbClose, one, db, waitFor } from '../lib.mjs';
import { startSource } from '../tools/fake-tthc.mjs';

const ip = '127.0.3.71';
const port = 22101;
let src;
let admin;
before(async () => {
  src = await startSource(port);
  admin = await login('admin', ip);
});
after(async () => {
  // Leave the sync off and without a source for the other tests.
  await db().query("UPDATE catalog_sync SET url = '', enabled = false, requested_at = NULL, password = '', username = ''");
  await src?.close();
  await dbClose();
});

const run = `${process.pid % 1000}${Date.now() % 1000}`;
const code = (n) => `S${run}.${String(n).padStart(6, '0')}`;
const jsonl = (rows) => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
const proc = (n, extra = {}) => ({ code: code(n), name: `Thủ tục đồng bộ số ${n}`, level: 'huyen', field: 'Đồng bộ', ...extra });

async function settings(fields) {
  return postForm('/quan-tri/thu-tuc/dong-bo', { csrf: admin.csrf, url: '', username: '', password: '',
    hour: '2', timeout: '5', ...fields }, admin);
}

// Asks for a sync now and waits for its outcome (the last run after `since`).
async function syncNow() {
  const before = (await one('SELECT coalesce(max(id), 0)::int AS id FROM import_runs')).id;
  const r = await postForm('/quan-tri/thu-tuc/dong-bo/ngay', { csrf: admin.csrf }, admin);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  return waitFor(async () => {
    const s = await one('SELECT * FROM catalog_sync');
    if (s.running || s.requested_at !== null || s.last_run === null || s.last_run <= before) return null;
    const i = await one('SELECT * FROM import_runs WHERE id = $1', [s.last_run]);
    return i.state === 'applying' ? null : { s, i };
  }, 'the sync to finish', 60000);
}

const ours = async () => (await db().query(`SELECT code, name, status, updated_via FROM procedures
                                            WHERE code LIKE $1 ORDER BY code`, [`S${run}.%`])).rows;

test('a sync fetches JSON lines, then CSV, through the same importer; the credential goes to the source, never back', async () => {
  src.files.set('/rieng/tthc.jsonl', jsonl([proc(1), proc(2), '{"code":"' + code(3) + '","name":"Thiếu cấp"}', proc(4)]));
  let r = await settings({ url: src.url('/rieng/tthc.jsonl'), username: 'dongbo', password: 'mật-khẩu-nguồn', enabled: '1', hour: '3' });
  assert.equal(r.status, 303, r.text.slice(0, 400));
  r = await request('GET', '/quan-tri/thu-tuc/dong-bo', admin);
  assert.equal(r.status, 200);
  assert.ok(!r.text.includes('mật-khẩu-nguồn'), 'the password is shown back');
  assert.match(r.text, /đã đặt/);

  const { s, i } = await syncNow();
  assert.equal(s.last_ok, true, s.last_error);
  assert.equal(i.via, 'sync');
  assert.equal(i.state, 'done');
  assert.equal(i.created, 3);
  assert.deepEqual(i.rejected.map((e) => e.line), [3]);
  let rows = await ours();
  assert.deepEqual(rows.map((p) => [p.code, p.status, p.updated_via]),
    [[code(1), 'active', 'sync'], [code(2), 'active', 'sync'], [code(4), 'active', 'sync']]);
  r = await request('GET', '/quan-tri/thu-tuc/dong-bo', admin);
  assert.match(r.text, /id="sync-ok"/);

  // The next day's file, as CSV: one changed, one gone (withdrawn, kept), by code.
  src.files.set('/tthc.csv', `code,name,field,level\n${code(1)},Thủ tục đồng bộ số 1 (sửa đổi),Đồng bộ,huyen\n${code(2)},Thủ tục đồng bộ số 2,Đồng bộ,huyen\n`);
  // An empty password keeps the stored one; clearing it removes it.
  r = await settings({ url: src.url('/tthc.csv'), username: 'dongbo', clear_password: '1', enabled: '1' });
  assert.equal(r.status, 303);
  assert.equal((await one('SELECT password FROM catalog_sync')).password, '');
  const second = await syncNow();
  assert.equal(second.s.last_ok, true, second.s.last_error);
  assert.equal(second.i.updated, 1);
  rows = await ours();
  assert.deepEqual(rows.map((p) => [p.code, p.status]), [[code(1), 'active'], [code(2), 'active'], [code(4), 'withdrawn']]);
  assert.equal(rows[0].name, 'Thủ tục đồng bộ số 1 (sửa đổi)');
  const v = await one(`SELECT v.changed_via FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id
                       WHERE p.code = $1 ORDER BY v.id DESC LIMIT 1`, [code(1)]);
  assert.equal(v.changed_via, 'sync');
});

test('a failing source (401, 404, garbage, a hang) is reported with its reason and changes nothing', async () => {
  const beforeRows = await ours();
  const failing = [
    [src.url('/rieng/tthc.jsonl'), /HTTP 401/],
    [src.url('/khong-co.jsonl'), /HTTP 404/],
    [src.url('/rac.jsonl'), /không có thủ tục hợp lệ|JSON|không/i],
  ];
  src.files.set('/rac.jsonl', Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02, 0x0a, 0x7b, 0x0a]));
  for (const [url, reason] of failing) {
    assert.equal((await settings({ url, enabled: '1' })).status, 303);
    const { s, i } = await syncNow();
    assert.equal(s.last_ok, false, url);
    assert.match(s.last_error, reason, url);
    assert.equal(i.state, 'failed');
    assert.equal(i.via, 'sync');
    const page = await request('GET', '/quan-tri/thu-tuc/dong-bo', admin);
    assert.match(page.text, /id="sync-failed"/);
    assert.ok(page.text.includes(s.last_error.replace(/&/g, '&amp;')) || page.text.includes('sync-error'), page.text.slice(0, 500));
  }
  assert.deepEqual(await ours(), beforeRows);

  // A source that never answers: the pages still answer, the sync gives up within its timeout.
  assert.equal((await settings({ url: src.url('/hang'), timeout: '3', enabled: '1' })).status, 303);
  const t0 = Date.now();
  const pending = syncNow();
  await waitFor(async () => (await one('SELECT running FROM catalog_sync')).running || null, 'the sync to start', 30000);
  const r = await request('GET', '/quan-tri/thu-tuc/dong-bo', admin);
  assert.equal(r.status, 200);
  assert.match(r.text, /Đang đồng bộ/);
  const { s } = await pending;
  assert.equal(s.last_ok, false);
  assert.match(s.last_error, /không trả lời trong 3 giây/);
  assert.ok(Date.now() - t0 < 45000);
  assert.deepEqual(await ours(), beforeRows);
});

test('the daily sync runs by itself once its hour has passed, once a day', async () => {
  src.files.set('/lich.jsonl', jsonl([proc(1), proc(2), proc(5)]));
  // Due: today's hour 0 has passed and the last sync was yesterday.
  assert.equal((await settings({ url: src.url('/lich.jsonl'), hour: '0', enabled: '1' })).status, 303);
  const before = (await one('SELECT coalesce(max(id), 0)::int AS id FROM import_runs')).id;
  await db().query("UPDATE catalog_sync SET last_at = now() - interval '1 day'");
  const s = await waitFor(async () => {
    const r = await one('SELECT * FROM catalog_sync');
    return !r.running && r.last_run > before ? r : null;
  }, 'the scheduled sync', 60000);
  assert.equal(s.last_ok, true, s.last_error);
  assert.equal((await one('SELECT via FROM import_runs WHERE id = $1', [s.last_run])).via, 'sync');
  assert.equal((await one('SELECT status FROM procedures WHERE code = $1', [code(5)])).status, 'active');
  // Done for today: not due again; off, never due.
  assert.equal((await one('SELECT catalog_sync_due(s) AS due FROM catalog_sync s')).due, false);
  await db().query("UPDATE catalog_sync SET last_at = now() - interval '1 day', enabled = false");
  assert.equal((await one('SELECT catalog_sync_due(s) AS due FROM catalog_sync s')).due, false);
});

test('bad settings get a Vietnamese error and store nothing; sync now needs a source; operators are refused', async () => {
  assert.equal((await settings({ url: src.url('/tthc.csv') })).status, 303);
  const stored = await one('SELECT url, hour, timeout_sec FROM catalog_sync');
  for (const [bad, msg] of [
    [{ url: 'ftp://example.org/tthc.csv' }, /http:\/\/ hoặc https:\/\//],
    [{ url: 'javascript:alert(1)' }, /http:\/\/ hoặc https:\/\//],
    [{ url: 'http://a b/c' }, /khoảng trắng/],
    [{ hour: '24' }, /Giờ đồng bộ/],
    [{ timeout: '1' }, /Thời gian chờ/],
    [{ url: '', enabled: '1' }, /địa chỉ nguồn/],
  ]) {
    const r = await settings({ url: src.url('/khac.csv'), hour: '5', timeout: '60', ...bad });
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.match(r.text, msg, JSON.stringify(bad));
  }
  assert.deepEqual(await one('SELECT url, hour, timeout_sec FROM catalog_sync'), stored);

  assert.equal((await settings({ url: '' })).status, 303);
  const r = await postForm('/quan-tri/thu-tuc/dong-bo/ngay', { csrf: admin.csrf }, admin);
  assert.equal(r.status, 400);
  assert.match(r.text, /Chưa đặt địa chỉ nguồn/);

  const op = await login('dtv.minh', ip);
  assert.equal((await request('GET', '/quan-tri/thu-tuc/dong-bo', op)).status, 403);
  assert.equal((await postForm('/quan-tri/thu-tuc/dong-bo/ngay', { csrf: op.csrf }, op)).status, 403);
});
