// The administrator's pages against the real stack: roles and CSRF on
// every page, accounts (create, edit, reset, lock), agencies, fields, the
// calendar, the own-password page, bad input, and the append-only log.
// (Open311 keys: open311.test.mjs.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { request, postForm, getPage, login, one, db, dbClose } from '../lib.mjs';

const ip = '127.0.31.1';
after(dbClose);

let adminSession;
async function admin() {
  if (!adminSession) adminSession = await login('admin', ip);
  return adminSession;
}

// Log in with a password the test knows (accounts made here).
async function loginAs(username, password, from = '127.0.31.2') {
  const cookies = new Map();
  const page = await getPage('/dang-nhap', { cookies, ip: from });
  const r = await postForm('/dang-nhap', { csrf: page.csrf, username, password }, { cookies, ip: from });
  if (r.status !== 303) return { status: r.status };
  const s = { cookies, ip: from, status: r.status };
  const home = await getPage('/doi-mat-khau', s);
  s.csrf = home.csrf;
  return s;
}

let nameSeq = 0;
function newUsername() { return `thu.${String(Date.now() % 1000000).padStart(6, '0')}.${++nameSeq}`; }

// Create an account through the form; returns { id, username, password }.
async function createUser(fields = {}) {
  const s = await admin();
  const username = fields.username || newUsername();
  const r = await postForm('/quan-tri/nguoi-dung/moi', {
    csrf: s.csrf, username, full_name: 'Người Thử Nghiệm', role: 'operator', active: '1', ...fields,
  }, s);
  assert.equal(r.status, 201, r.text.slice(0, 500));
  const pw = r.text.match(/id="new-password">([^<]+)</);
  assert.ok(pw, 'the password is shown');
  // Test data only: these tests use the account at once; the change of a
  // generated password at first login is first_login.test.mjs's.
  const row = await one(`UPDATE users SET must_change_password = false
    WHERE username = $1 RETURNING id`, [username]);
  return { id: row.id, username, password: pw[1], page: r.text };
}

const count = async (table) => (await one(`SELECT count(*)::int AS n FROM ${table}`)).n;
const snapshot = async () => (await one(`SELECT
  (SELECT md5(string_agg(row_to_json(u)::text, ',' ORDER BY id)) FROM users u) AS users,
  (SELECT md5(string_agg(row_to_json(a)::text, ',' ORDER BY id)) FROM agencies a) AS agencies,
  (SELECT md5(string_agg(row_to_json(f)::text, ',' ORDER BY id)) FROM fields f) AS fields,
  (SELECT md5(string_agg(row_to_json(c)::text, ',' ORDER BY day)) FROM calendar_days c) AS days,
  (SELECT md5(string_agg(row_to_json(k)::text, ',' ORDER BY id)) FROM open311_clients k) AS open311,
  (SELECT count(*) FROM admin_events)::int AS events`));

const GET_PAGES = ['/quan-tri', '/quan-tri/nguoi-dung', '/quan-tri/nguoi-dung/moi', '/quan-tri/nguoi-dung/1',
  '/quan-tri/co-quan', '/quan-tri/co-quan/moi', '/quan-tri/co-quan/1', '/quan-tri/linh-vuc',
  '/quan-tri/linh-vuc/moi', '/quan-tri/linh-vuc/1', '/quan-tri/lich', '/quan-tri/open311', '/quan-tri/nhat-ky'];
const POST_PAGES = ['/quan-tri/nguoi-dung/moi', '/quan-tri/nguoi-dung/2', '/quan-tri/nguoi-dung/2/mat-khau',
  '/quan-tri/nguoi-dung/2/khoa', '/quan-tri/nguoi-dung/2/mo-khoa', '/quan-tri/co-quan/moi', '/quan-tri/co-quan/1',
  '/quan-tri/linh-vuc/moi', '/quan-tri/linh-vuc/1', '/quan-tri/lich', '/quan-tri/lich/xoa',
  '/quan-tri/open311', '/quan-tri/open311/1/thu-hoi'];

test('every admin page: anonymous → login, other roles → 403, admin → 200', async () => {
  for (const path of GET_PAGES) {
    const r = await request('GET', path, { ip });
    assert.equal(r.status, 303, path);
    assert.match(r.headers.location, /^\/dang-nhap\?next=/, path);
  }
  for (const path of POST_PAGES) {
    const r = await request('POST', path, { ip, body: 'csrf=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.ok([401, 403].includes(r.status), `${path}: ${r.status}`);
  }
  const before = await snapshot();
  for (const who of ['dtv.lan', 'lanhdao', 'cb.stnmt']) {
    const s = await login(who, ip);
    for (const path of GET_PAGES) {
      const r = await request('GET', path, s);
      assert.equal(r.status, 403, `${who} ${path}`);
    }
    for (const path of POST_PAGES) {
      const r = await postForm(path, { csrf: s.csrf, username: newUsername(), full_name: 'X Y', role: 'admin',
        day: '2099-03-03', kind: 'holiday', name: 'Thử', code: 'HACK', deadline_days: '5' }, s);
      assert.equal(r.status, 403, `${who} POST ${path}`);
    }
    const nav = await request('GET', '/doi-mat-khau', s);
    assert.equal(nav.status, 200, 'anyone changes their own password');
    assert.ok(!nav.text.includes('href="/quan-tri"'), 'no admin link for non-admins');
  }
  assert.deepEqual(await snapshot(), before);

  const s = await admin();
  for (const path of GET_PAGES) {
    const r = await request('GET', path, s);
    assert.equal(r.status, path === '/quan-tri' ? 303 : 200, path);
  }
  const r = await request('GET', '/quan-tri/nguoi-dung', s);
  assert.ok(r.text.includes('href="/quan-tri"'), 'the nav links admins to the admin pages');
  assert.match(r.text, /cb\.stnmt/);
  assert.equal((await request('GET', '/doi-mat-khau', { ip })).status, 303);
});

test('every POST needs the CSRF token; nothing changes without it', async () => {
  const s = await admin();
  const before = await snapshot();
  for (const path of POST_PAGES) {
    const fields = { username: newUsername(), full_name: 'Không Token', role: 'operator', active: '1',
      day: '2099-03-04', kind: 'holiday', name: 'Thử', code: 'NOCSRF', deadline_days: '5' };
    let r = await postForm(path, fields, s);
    assert.equal(r.status, 403, `${path} without token`);
    r = await postForm(path, { ...fields, csrf: 'x'.repeat(43) }, s);
    assert.equal(r.status, 403, `${path} with a wrong token`);
  }
  assert.deepEqual(await snapshot(), before);
});

test('create an account: the password is shown once, works, and is stored only hashed', async () => {
  const u = await createUser({ full_name: 'Đặng Thị Thử' });
  const row = await one('SELECT role, full_name, agency_id, active, password_hash FROM users WHERE id = $1', [u.id]);
  assert.equal(row.role, 'operator');
  assert.equal(row.full_name, 'Đặng Thị Thử');
  assert.match(row.password_hash, /^\$argon2id\$/);
  assert.ok(!row.password_hash.includes(u.password));
  assert.equal(u.password.length, 16);
  assert.match(u.page, /chỉ hiển thị một lần/);

  const s = await loginAs(u.username, u.password);
  assert.equal(s.status, 303, 'the shown password logs in');
  assert.equal((await request('GET', '/dtv', s)).status, 200);

  const ev = await one(`SELECT e.kind, e.actor_id = a.id AS by_admin, e.target_id, e.payload::text AS payload
                        FROM admin_events e, users a WHERE a.username = 'admin'
                        AND e.target_kind = 'user' AND e.target_id = $1 ORDER BY e.id DESC LIMIT 1`, [String(u.id)]);
  assert.equal(ev.kind, 'user_create');
  assert.ok(ev.by_admin);
  assert.ok(!ev.payload.includes(u.password) && !ev.payload.includes('argon2'), 'no secret in the log');

  // An agency officer needs an agency; nobody else has one.
  const ag = await one(`SELECT id FROM agencies WHERE code = 'SYT'`);
  const officer = await createUser({ role: 'agency', agency: String(ag.id) });
  assert.equal((await one('SELECT agency_id FROM users WHERE id = $1', [officer.id])).agency_id, ag.id);
  const so = await loginAs(officer.username, officer.password, '127.0.31.3');
  assert.equal(so.status, 303);
  assert.equal((await request('GET', '/co-quan', so)).status, 200);

  // The list shows them, filtered.
  const a = await admin();
  let r = await request('GET', `/quan-tri/nguoi-dung?role=agency&agency=${ag.id}`, a);
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(officer.username));
  assert.ok(!r.text.includes(u.username));
  r = await request('GET', '/quan-tri/nguoi-dung?active=0', a);
  assert.ok(!r.text.includes(u.username));
  for (const q of ['role=root', 'agency=abc', 'active=2', 'page=0', "role=admin'--"]) {
    r = await request('GET', `/quan-tri/nguoi-dung?${q}`, a);
    assert.equal(r.status, 400, q);
  }
});

test('the account list: 50 a page, the filters carried to the next page', async () => {
  const s = await admin();
  const code = `PAGER-${Date.now() % 100000000}`;
  const ag = await one(`INSERT INTO agencies (code, name, kind) VALUES ($1, 'Cơ quan phân trang', 'khac') RETURNING id`, [code]);
  await db().query(`INSERT INTO users (username, full_name, role, agency_id, password_hash, active)
    SELECT 'pager.' || $2 || '.' || lpad(g::text, 2, '0'), 'Cán bộ ' || g, 'agency', $1, 'x', g % 11 <> 0
    FROM generate_series(1, 55) g`, [ag.id, code.toLowerCase().slice(6)]);
  const rows = (text) => (text.match(/class="user-row/g) || []).length;
  let r = await request('GET', `/quan-tri/nguoi-dung?agency=${ag.id}`, s);
  assert.equal(r.status, 200);
  assert.equal(rows(r.text), 50);
  assert.match(r.text, /55 tài khoản · trang 1\/2/);
  const next = r.text.match(/href="([^"]+)" rel="next"/);
  assert.ok(next);
  r = await request('GET', next[1].replace(/&amp;/g, '&'), s);
  assert.equal(rows(r.text), 5);
  r = await request('GET', `/quan-tri/nguoi-dung?agency=${ag.id}&active=0`, s);
  assert.equal(rows(r.text), 5);
  assert.match(r.text, /Đã khóa/);
});

test('create account: bad input is refused with a clear message, kept in the form, nothing stored', async () => {
  const s = await admin();
  const ag = await one(`SELECT id FROM agencies WHERE code = 'STNMT'`);
  const taken = newUsername();
  await createUser({ username: taken });
  const before = await snapshot();
  const cases = [
    [{ username: 'AB' }, /Tên đăng nhập gồm 3 đến 40/],
    [{ username: 'Hoa.Nguyen' }, /Tên đăng nhập gồm 3 đến 40/],
    [{ username: "x'; DROP TABLE users;--" }, /Tên đăng nhập gồm 3 đến 40/],
    [{ username: 'a'.repeat(41) }, /Tên đăng nhập gồm 3 đến 40/],
    [{ username: '' }, /Vui lòng nhập tên đăng nhập/],
    [{ full_name: '' }, /Vui lòng nhập Họ và tên/],
    [{ full_name: 'x'.repeat(121) }, /quá dài/],
    [{ full_name: 'A' }, /ít nhất 2 ký tự/],
    [{ full_name: 'Tab\there' }, /ký tự điều khiển/],
    [{ role: 'root' }, /vai trò hợp lệ/],
    [{ role: '' }, /vai trò hợp lệ/],
    [{ role: 'agency' }, /phải thuộc một cơ quan đang hoạt động/],
    [{ role: 'agency', agency: '99999' }, /phải thuộc một cơ quan đang hoạt động/],
    [{ role: 'agency', agency: '1 OR 1=1' }, /phải thuộc một cơ quan đang hoạt động/],
    [{ role: 'operator', agency: String(ag.id) }, /để trống ô Cơ quan/],
  ];
  for (const [over, msg] of cases) {
    const fields = { csrf: s.csrf, username: newUsername(), full_name: 'Nguyễn Văn Giữ', role: 'operator', active: '1', ...over };
    const r = await postForm('/quan-tri/nguoi-dung/moi', fields, s);
    assert.equal(r.status, 400, JSON.stringify(over));
    assert.match(r.text, msg, JSON.stringify(over));
    if (fields.full_name === 'Nguyễn Văn Giữ') assert.ok(r.text.includes('Nguyễn Văn Giữ'), 'what was typed is kept');
  }
  // Invalid UTF-8, raw.
  let r = await request('POST', '/quan-tri/nguoi-dung/moi', { ...s,
    body: `csrf=${s.csrf}&username=${newUsername()}&full_name=%C0%AFab&role=operator`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 400);
  // Oversized body.
  r = await postForm('/quan-tri/nguoi-dung/moi', { csrf: s.csrf, username: newUsername(), full_name: 'x'.repeat(70000), role: 'operator' }, s);
  assert.equal(r.status, 413);
  // A taken username: 409 and a clear message.
  r = await postForm('/quan-tri/nguoi-dung/moi', { csrf: s.csrf, username: taken, full_name: 'Trùng Tên', role: 'operator' }, s);
  assert.equal(r.status, 409);
  assert.match(r.text, /đã có/);
  assert.deepEqual(await snapshot(), before);

  // HTML in a name is stored as typed and shown escaped.
  const u = await createUser({ full_name: '<script>alert(1)</script> Tên' });
  r = await request('GET', `/quan-tri/nguoi-dung/${u.id}`, s);
  assert.ok(!r.text.includes('<script>alert(1)'));
  assert.ok(r.text.includes('&lt;script&gt;alert(1)&lt;/script&gt; Tên'));
});

test('edit an account: name, role, agency, active; old and new values logged', async () => {
  const s = await admin();
  const u = await createUser();
  const ag = await one(`SELECT id FROM agencies WHERE code = 'SGTVT'`);
  let r = await postForm(`/quan-tri/nguoi-dung/${u.id}`, { csrf: s.csrf, full_name: 'Tên Mới', role: 'agency', agency: String(ag.id), active: '1' }, s);
  assert.equal(r.status, 303, r.text.slice(0, 400));
  assert.equal(r.headers.location, `/quan-tri/nguoi-dung/${u.id}?ok=luu`);
  const row = await one('SELECT full_name, role, agency_id, active FROM users WHERE id = $1', [u.id]);
  assert.deepEqual(row, { full_name: 'Tên Mới', role: 'agency', agency_id: ag.id, active: true });
  const ev = await one(`SELECT payload FROM admin_events WHERE kind = 'user_update' AND target_id = $1`, [String(u.id)]);
  assert.equal(ev.payload.from.role, 'operator');
  assert.equal(ev.payload.to.role, 'agency');

  const before = await snapshot();
  for (const [over, status] of [[{ role: 'superuser' }, 400], [{ role: 'agency', agency: '' }, 400],
    [{ full_name: '' }, 400], [{ role: 'agency', agency: '-1' }, 400]]) {
    r = await postForm(`/quan-tri/nguoi-dung/${u.id}`, { csrf: s.csrf, full_name: 'Tên Sai', role: 'operator', active: '1', ...over }, s);
    assert.equal(r.status, status, JSON.stringify(over));
    assert.ok(r.text.includes('Tên Sai') || over.full_name === '', 'typed values kept');
  }
  r = await request('GET', '/quan-tri/nguoi-dung/999999', s);
  assert.equal(r.status, 404);
  r = await postForm('/quan-tri/nguoi-dung/999999', { csrf: s.csrf, full_name: 'Không Có', role: 'operator' }, s);
  assert.equal(r.status, 404);
  r = await request('GET', '/quan-tri/nguoi-dung/0123', s);
  assert.equal(r.status, 404);
  assert.deepEqual(await snapshot(), before);
});

test('reset password: old sessions end, the old password fails, the new one works', async () => {
  const s = await admin();
  const u = await createUser();
  const old = await loginAs(u.username, u.password, '127.0.31.4');
  assert.equal((await request('GET', '/dtv', old)).status, 200);

  const page = await request('GET', `/quan-tri/nguoi-dung/${u.id}`, s);
  assert.match(page.text, /<details class="confirm">/, 'confirmation without script');
  const r = await postForm(`/quan-tri/nguoi-dung/${u.id}/mat-khau`, { csrf: s.csrf }, s);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  const pw = r.text.match(/id="new-password">([^<]+)</)[1];
  assert.notEqual(pw, u.password);
  assert.equal(r.headers['cache-control'], 'no-store');

  const gone = await request('GET', '/dtv', old);
  assert.equal(gone.status, 303, 'the old session is gone');
  assert.match(gone.headers.location, /^\/dang-nhap/);
  assert.equal((await one('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1', [u.id])).n, 0);
  assert.equal((await loginAs(u.username, u.password, '127.0.31.4')).status, 401);
  const fresh = await loginAs(u.username, pw, '127.0.31.4');
  assert.equal(fresh.status, 303);
  assert.ok(await one(`SELECT 1 AS x FROM admin_events WHERE kind = 'user_password_reset' AND target_id = $1`, [String(u.id)]));
  assert.equal((await postForm('/quan-tri/nguoi-dung/999999/mat-khau', { csrf: s.csrf }, s)).status, 404);
});

test('lock an account: it cannot log in, its sessions end; unlock gives it back', async () => {
  const s = await admin();
  const u = await createUser();
  const sess = await loginAs(u.username, u.password, '127.0.31.5');
  let r = await postForm(`/quan-tri/nguoi-dung/${u.id}/khoa`, { csrf: s.csrf }, s);
  assert.equal(r.status, 303);
  assert.equal((await one('SELECT active FROM users WHERE id = $1', [u.id])).active, false);
  assert.equal((await request('GET', '/dtv', sess)).status, 303, 'logged out at once');
  assert.equal((await loginAs(u.username, u.password, '127.0.31.5')).status, 401, 'cannot log in');
  r = await request('GET', `/quan-tri/nguoi-dung/${u.id}?ok=khoa`, s);
  assert.match(r.text, /Đã khóa tài khoản/);
  assert.match(r.text, /Mở khóa tài khoản/);

  r = await postForm(`/quan-tri/nguoi-dung/${u.id}/mo-khoa`, { csrf: s.csrf }, s);
  assert.equal(r.status, 303);
  assert.equal((await loginAs(u.username, u.password, '127.0.31.5')).status, 303);
  const kinds = (await db().query(`SELECT kind FROM admin_events WHERE target_kind = 'user' AND target_id = $1 ORDER BY id`,
    [String(u.id)])).rows.map((x) => x.kind);
  assert.deepEqual(kinds, ['user_create', 'user_deactivate', 'user_activate']);
});

test('an admin cannot lock or demote themself', async () => {
  const s = await admin();
  const me = await one(`SELECT id FROM users WHERE username = 'admin'`);
  const before = await snapshot();
  let r = await postForm(`/quan-tri/nguoi-dung/${me.id}/khoa`, { csrf: s.csrf }, s);
  assert.equal(r.status, 409);
  assert.match(r.text, /không thể tự khóa hoặc hạ quyền/);
  r = await postForm(`/quan-tri/nguoi-dung/${me.id}`, { csrf: s.csrf, full_name: 'Quản trị', role: 'operator', active: '1' }, s);
  assert.equal(r.status, 409);
  assert.match(r.text, /không thể tự khóa hoặc hạ quyền/);
  r = await postForm(`/quan-tri/nguoi-dung/${me.id}`, { csrf: s.csrf, full_name: 'Quản trị', role: 'admin' }, s);
  assert.equal(r.status, 409, 'unticking "active" on oneself');
  assert.deepEqual(await snapshot(), before);
  r = await request('GET', `/quan-tri/nguoi-dung/${me.id}`, s);
  assert.ok(!r.text.includes(`/quan-tri/nguoi-dung/${me.id}/khoa`), 'no lock form on one\'s own page');
  assert.equal((await request('GET', '/quan-tri/nguoi-dung', s)).status, 200, 'still an admin');
});

test('agencies: create, edit, phone validation, duplicate code, deactivate', async () => {
  const s = await admin();
  const code = `T-${Date.now() % 100000000}`;
  const before = await snapshot();
  for (const phone of ['abc', '0277-ABC', '1'.repeat(33), '++84123', '84+123', '1', '<b>']) {
    const r = await postForm('/quan-tri/co-quan/moi', { csrf: s.csrf, code, name: 'Cơ quan thử', kind: 'so', phone, active: '1' }, s);
    assert.equal(r.status, 400, phone);
    assert.match(r.text, /chỉ gồm chữ số/, phone);
    assert.ok(r.text.includes('Cơ quan thử'), 'typed values kept');
  }
  for (const [over, msg] of [[{ code: 'a' }, /Mã cơ quan/], [{ code: 'AB CD' }, /Mã cơ quan/], [{ kind: 'tinh' }, /loại cơ quan/],
    [{ name: '' }, /Vui lòng nhập Tên cơ quan/], [{ email: 'not-an-email' }, /email không hợp lệ/],
    [{ name: 'x'.repeat(201) }, /quá dài/]]) {
    const r = await postForm('/quan-tri/co-quan/moi', { csrf: s.csrf, code, name: 'Cơ quan thử', kind: 'so', ...over }, s);
    assert.equal(r.status, 400, JSON.stringify(over));
    assert.match(r.text, msg, JSON.stringify(over));
  }
  assert.deepEqual(await snapshot(), before);

  let r = await postForm('/quan-tri/co-quan/moi', { csrf: s.csrf, code: code.toLowerCase(), name: 'Ban Thử nghiệm',
    kind: 'ban', phone: '+84 277 3851.234', email: 'thu@dongthap.gov.vn', active: '1' }, s);
  assert.equal(r.status, 303, r.text.slice(0, 400));
  const id = Number(r.headers.location.match(/\/quan-tri\/co-quan\/(\d+)\?ok=tao/)[1]);
  let a = await one('SELECT code, name, kind, phone, email, active FROM agencies WHERE id = $1', [id]);
  assert.deepEqual(a, { code, name: 'Ban Thử nghiệm', kind: 'ban', phone: '+842773851234', email: 'thu@dongthap.gov.vn', active: true });

  r = await postForm('/quan-tri/co-quan/moi', { csrf: s.csrf, code, name: 'Trùng mã', kind: 'so' }, s);
  assert.equal(r.status, 409);
  assert.match(r.text, /đã có/);

  // An officer of the new agency, at once (the database decides, not a cache).
  const officer = await createUser({ role: 'agency', agency: String(id) });

  r = await postForm(`/quan-tri/co-quan/${id}`, { csrf: s.csrf, name: 'Ban Thử nghiệm (đổi tên)', kind: 'khac', phone: '', email: '' }, s);
  assert.equal(r.status, 303);
  a = await one('SELECT name, kind, phone, email, active FROM agencies WHERE id = $1', [id]);
  assert.deepEqual(a, { name: 'Ban Thử nghiệm (đổi tên)', kind: 'khac', phone: null, email: null, active: false });
  const ev = await one(`SELECT payload FROM admin_events WHERE kind = 'agency_update' AND target_id = $1`, [String(id)]);
  assert.equal(ev.payload.from.active, true);
  assert.equal(ev.payload.to.active, false);

  // An inactive agency is not offered for new officers.
  r = await postForm('/quan-tri/nguoi-dung/moi', { csrf: s.csrf, username: newUsername(), full_name: 'Cán Bộ', role: 'agency', agency: String(id) }, s);
  assert.equal(r.status, 400);
  // Its officer keeps it while the account is edited.
  r = await request('GET', `/quan-tri/nguoi-dung/${officer.id}`, s);
  assert.match(r.text, /Ban Thử nghiệm \(đổi tên\) \(ngừng hoạt động\)/);
  r = await postForm(`/quan-tri/nguoi-dung/${officer.id}`, { csrf: s.csrf, full_name: 'Cán Bộ Cũ', role: 'agency', agency: String(id), active: '1' }, s);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  r = await request('GET', '/quan-tri/co-quan', s);
  assert.ok(r.text.includes('Ban Thử nghiệm (đổi tên)'));
  assert.equal((await request('GET', '/quan-tri/co-quan/999999', s)).status, 404);
});

test('fields: deadline 1–60 days, default agency checked, create and edit', async () => {
  const s = await admin();
  const code = `thu-${Date.now() % 100000000}`;
  const before = await snapshot();
  for (const days of ['0', '61', '-1', 'abc', '', '5.5', '1e1']) {
    const r = await postForm('/quan-tri/linh-vuc/moi', { csrf: s.csrf, code, name: 'Lĩnh vực thử', deadline_days: days, active: '1' }, s);
    assert.equal(r.status, 400, days);
    assert.match(r.text, /từ 1 đến 60/, days);
    assert.ok(r.text.includes('Lĩnh vực thử'));
  }
  for (const [over, msg] of [[{ code: 'Hoa' }, /Mã lĩnh vực/], [{ agency: '99999' }, /cơ quan xử lý hợp lệ/],
    [{ agency: 'x' }, /cơ quan xử lý hợp lệ/], [{ sort: '-5' }, /Thứ tự/], [{ name: 'Ab\u0007' }, /điều khiển/]]) {
    const r = await postForm('/quan-tri/linh-vuc/moi', { csrf: s.csrf, code, name: 'Lĩnh vực thử', deadline_days: '5', ...over }, s);
    assert.equal(r.status, 400, JSON.stringify(over));
    assert.match(r.text, msg, JSON.stringify(over));
  }
  assert.deepEqual(await snapshot(), before);

  const ag = await one(`SELECT id FROM agencies WHERE code = 'SXD'`);
  let r = await postForm('/quan-tri/linh-vuc/moi', { csrf: s.csrf, code, name: 'Lĩnh vực thử', agency: String(ag.id),
    deadline_days: '60', sort: '5', active: '1' }, s);
  assert.equal(r.status, 303, r.text.slice(0, 400));
  const id = Number(r.headers.location.match(/\/quan-tri\/linh-vuc\/(\d+)/)[1]);
  assert.deepEqual(await one('SELECT default_agency_id, deadline_days, sort, active FROM fields WHERE id = $1', [id]),
    { default_agency_id: ag.id, deadline_days: 60, sort: 5, active: true });
  r = await postForm('/quan-tri/linh-vuc/moi', { csrf: s.csrf, code, name: 'Trùng', deadline_days: '3' }, s);
  assert.equal(r.status, 409);

  r = await postForm(`/quan-tri/linh-vuc/${id}`, { csrf: s.csrf, name: 'Lĩnh vực thử (sửa)', agency: '', deadline_days: '1', sort: '7', active: '1' }, s);
  assert.equal(r.status, 303);
  assert.deepEqual(await one('SELECT name, default_agency_id, deadline_days, sort FROM fields WHERE id = $1', [id]),
    { name: 'Lĩnh vực thử (sửa)', default_agency_id: null, deadline_days: 1, sort: 7 });
  r = await postForm(`/quan-tri/linh-vuc/${id}`, { csrf: s.csrf, name: 'Lĩnh vực thử (sửa)', deadline_days: '61', active: '1' }, s);
  assert.equal(r.status, 400);
  assert.equal((await one('SELECT deadline_days FROM fields WHERE id = $1', [id])).deadline_days, 1);
  r = await request('GET', '/quan-tri/linh-vuc', s);
  assert.ok(r.text.includes('Lĩnh vực thử (sửa)'));
});

// A day of 2099 of the given ISO weekday (1 Monday … 7 Sunday), unused so far.
function day2099(isoDow, skip = 0) {
  const d = new Date(Date.UTC(2099, 0, 1));
  let found = 0;
  for (;;) {
    const dow = d.getUTCDay() || 7;
    if (dow === isoDow && found++ === skip) return d.toISOString().slice(0, 10);
    d.setUTCDate(d.getUTCDate() + 1);
  }
}

test('calendar: add a holiday, refuse a duplicate, remove future days only', async () => {
  const s = await admin();
  const mon = day2099(1, (process.pid % 40));
  let r = await postForm('/quan-tri/lich', { csrf: s.csrf, day: mon, kind: 'holiday', name: 'Ngày lễ thử' }, s);
  assert.equal(r.status, 303, r.text.slice(0, 400));
  assert.equal(r.headers.location, '/quan-tri/lich?nam=2099&ok=them');
  assert.deepEqual(await one('SELECT kind, name FROM calendar_days WHERE day = $1', [mon]), { kind: 'holiday', name: 'Ngày lễ thử' });
  r = await request('GET', '/quan-tri/lich?nam=2099', s);
  assert.ok(r.text.includes('Ngày lễ thử'));

  const before = await snapshot();
  r = await postForm('/quan-tri/lich', { csrf: s.csrf, day: mon, kind: 'holiday', name: 'Lần hai' }, s);
  assert.equal(r.status, 409);
  assert.match(r.text, /đã có trong lịch/);
  assert.ok(r.text.includes('Lần hai'), 'typed values kept');
  for (const [over, msg] of [[{ day: '2099-02-30' }, /Ngày không hợp lệ/], [{ day: '30/04/2099' }, /Ngày không hợp lệ/],
    [{ day: '1999-12-31' }, /Ngày không hợp lệ/], [{ day: "2099-01-01' OR 1=1" }, /Ngày không hợp lệ/],
    [{ kind: 'party' }, /loại ngày/], [{ name: '' }, /Vui lòng nhập Tên ngày/],
    [{ kind: 'workday', day: day2099(3) }, /thứ Bảy hoặc Chủ nhật/]]) {
    r = await postForm('/quan-tri/lich', { csrf: s.csrf, day: day2099(2, 3), kind: 'holiday', name: 'Thử', ...over }, s);
    assert.equal(r.status, 400, JSON.stringify(over));
    assert.match(r.text, msg, JSON.stringify(over));
  }
  // A past day stays: deadlines already given depend on it.
  r = await postForm('/quan-tri/lich/xoa', { csrf: s.csrf, day: '2026-01-01' }, s);
  assert.equal(r.status, 409);
  assert.match(r.text, /Không thể xóa ngày đã qua/);
  r = await postForm('/quan-tri/lich/xoa', { csrf: s.csrf, day: '2099-13-01' }, s);
  assert.equal(r.status, 400);
  r = await postForm('/quan-tri/lich/xoa', { csrf: s.csrf, day: day2099(2, 5) }, s);
  assert.equal(r.status, 404);
  assert.deepEqual(await snapshot(), before);

  const sat = day2099(6, (process.pid % 40));
  r = await postForm('/quan-tri/lich', { csrf: s.csrf, day: sat, kind: 'workday', name: 'Làm bù thử' }, s);
  assert.equal(r.status, 303);
  r = await postForm('/quan-tri/lich/xoa', { csrf: s.csrf, day: mon }, s);
  assert.equal(r.status, 303);
  assert.equal(await one('SELECT 1 AS x FROM calendar_days WHERE day = $1', [mon]), undefined);
  r = await postForm('/quan-tri/lich/xoa', { csrf: s.csrf, day: sat }, s);
  assert.equal(r.status, 303);
  const kinds = (await db().query(`SELECT kind FROM admin_events WHERE target_kind = 'calendar' AND target_id IN ($1, $2) ORDER BY id`,
    [mon, sat])).rows.map((x) => x.kind);
  assert.deepEqual(kinds, ['calendar_add', 'calendar_add', 'calendar_remove', 'calendar_remove']);
  r = await request('GET', '/quan-tri/lich?nam=1800', s);
  assert.equal(r.status, 400);
});

// One keep-alive connection: every request on it is served by the same
// Kore worker, the one whose reference-data cache an admin change reloads
// at once (the others reload within a minute).
function sameWorker() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const base = process.env.TEST_BASE_URL || 'http://127.0.0.1:18888';
  const send = (method, path, s, form) => new Promise((resolve, reject) => {
    const body = form ? new URLSearchParams(form).toString() : undefined;
    const headers = { cookie: [...s.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (body) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const req = http.request(new URL(path, base), { method, headers, agent, localAddress: ip }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
  return { send, close: () => agent.destroy() };
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('a holiday added moves the deadline of a ticket forwarded after it; removed, it moves back', async () => {
  const s = await admin();
  const o = await login('dtv.minh', ip);
  const ag = await one(`SELECT id FROM agencies WHERE code = 'STNMT'`);
  // A free weekday 5 to 8 weeks ahead: inside a 60-working-day deadline,
  // far beyond the deadlines the other test files compute.
  const day = (await one(`SELECT to_char(d, 'YYYY-MM-DD') AS d
    FROM generate_series(current_date + 35, current_date + 56, interval '1 day') d
    WHERE extract(isodow FROM d) < 6 AND NOT EXISTS (SELECT 1 FROM calendar_days c WHERE c.day = d::date)
    ORDER BY d LIMIT 1`)).d;
  const c = sameWorker();
  let n = 0;
  const forward = async () => {
    let r = await c.send('POST', '/dtv/tao-phieu', o, { csrf: o.csrf, phone: '0913000333',
      title: `Kiểm tra hạn ${Date.now()}-${++n}`, content: 'Kiểm tra hạn xử lý khi thêm ngày nghỉ.' });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    const id = r.headers.location.split('/').pop();
    r = await c.send('POST', `/dtv/phieu/${id}/forward`, o, { csrf: o.csrf, agency: String(ag.id), days: '60' });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    return (await one('SELECT due_at FROM tickets WHERE id = $1', [id])).due_at.getTime();
  };
  try {
    const before = await forward();
    let r = await c.send('POST', '/quan-tri/lich', s, { csrf: s.csrf, day, kind: 'holiday', name: 'Nghỉ đột xuất (thử)' });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    let moved = before;
    for (let i = 0; i < 20 && moved === before; i++) {
      await sleep(100);	// the reload is a query of its own
      moved = await forward();
    }
    assert.ok(moved >= before + 24 * 3600 * 1000, `due ${new Date(before).toISOString()} → ${new Date(moved).toISOString()}`);
    r = await c.send('POST', '/quan-tri/lich/xoa', s, { csrf: s.csrf, day });
    assert.equal(r.status, 303);
    let back = moved;
    for (let i = 0; i < 20 && back !== before; i++) {
      await sleep(100);
      back = await forward();
    }
    assert.equal(back, before);
  } finally {
    c.close();
  }
});

test('own password: current one checked, rules enforced, other sessions end', async () => {
  const u = await createUser();
  const a = await loginAs(u.username, u.password, '127.0.31.6');
  const b = await loginAs(u.username, u.password, '127.0.31.7');
  const form = await getPage('/doi-mat-khau', a);
  assert.equal(form.status, 200);
  assert.match(form.text, /Mật khẩu hiện tại/);
  const good = 'Mật khẩu mới 2026!';
  const before = await one('SELECT password_hash FROM users WHERE id = $1', [u.id]);
  for (const [over, msg] of [[{ current: 'sai mật khẩu' }, /hiện tại không đúng/], [{ current: '' }, /nhập mật khẩu hiện tại/],
    [{ new: 'ngắn', confirm: 'ngắn' }, /ít nhất 10 ký tự/], [{ new: u.username, confirm: u.username }, /trùng tên đăng nhập/],
    [{ confirm: 'khác hẳn 123456' }, /không giống nhau/], [{ new: u.password, confirm: u.password }, /khác mật khẩu hiện tại/]]) {
    const r = await postForm('/doi-mat-khau', { csrf: a.csrf, current: u.password, new: good, confirm: good, ...over }, a);
    assert.equal(r.status, 400, JSON.stringify(over));
    assert.match(r.text, msg, JSON.stringify(over));
    assert.ok(!r.text.includes(good), 'passwords are not written back');
  }
  let r = await postForm('/doi-mat-khau', { current: u.password, new: good, confirm: good }, a);
  assert.equal(r.status, 403, 'CSRF');
  assert.equal((await one('SELECT password_hash FROM users WHERE id = $1', [u.id])).password_hash, before.password_hash);

  r = await postForm('/doi-mat-khau', { csrf: a.csrf, current: u.password, new: good, confirm: good }, a);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(r.headers.location, '/doi-mat-khau?ok=1');
  assert.equal((await request('GET', '/dtv', a)).status, 200, 'this session stays');
  assert.equal((await request('GET', '/dtv', b)).status, 303, 'the other session ended');
  assert.equal((await loginAs(u.username, u.password, '127.0.31.8')).status, 401);
  assert.equal((await loginAs(u.username, good, '127.0.31.8')).status, 303);
  assert.ok(await one(`SELECT 1 AS x FROM admin_events WHERE kind = 'password_change' AND target_id = $1 AND actor_id = $2`,
    [String(u.id), u.id]));
});

test('admin_events: shown on the log page, append-only even for the app role', async () => {
  const s = await admin();
  const u = await createUser({ full_name: 'Người Trong Nhật Ký' });
  const r = await request('GET', '/quan-tri/nhat-ky', s);
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(u.username));
  assert.match(r.text, /Tạo tài khoản/);
  assert.equal((await request('GET', '/quan-tri/nhat-ky?page=0', s)).status, 400);

  const n = await count('admin_events');
  const c = await db().connect();
  try {
    for (const sql of ["UPDATE admin_events SET kind = 'x'", 'DELETE FROM admin_events', 'TRUNCATE admin_events']) {
      await c.query('BEGIN');
      await c.query('SET LOCAL ROLE app');
      await assert.rejects(c.query(sql), /permission denied|append-only/, sql);
      await c.query('ROLLBACK');
      // Not even the superuser, past the grants: the trigger refuses.
      await c.query('BEGIN');
      await assert.rejects(c.query(sql), /append-only/, `superuser: ${sql}`);
      await c.query('ROLLBACK');
    }
    await c.query('BEGIN');
    await c.query('SET LOCAL ROLE app');
    await c.query(`INSERT INTO admin_events (actor_label, kind, target_kind, target_id) VALUES ('test', 'test', 'user', '0')`);
    await c.query('ROLLBACK');
  } finally {
    c.release();
  }
  assert.equal(await count('admin_events'), n);
});

test('a field renamed by an administrator is reloaded by every Kore worker at once', async () => {
  const s = await admin();
  const code = `doi-ten-${Date.now() % 100000000}`;
  let r = await postForm('/quan-tri/linh-vuc/moi', { csrf: s.csrf, code, name: 'Tên cũ của lĩnh vực', deadline_days: '5', active: '1' }, s);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const id = Number(r.headers.location.match(/\/quan-tri\/linh-vuc\/(\d+)/)[1]);
  await sleep(1000);
  // Each worker logs its reload ("[wrk N]: refdata: …"); the one-minute
  // timer is not what we wait for here.
  const log = path.join(process.env.TEST_VAR_DIR, 'log', 'kore.log');
  const from = fs.statSync(log).size;
  const name = `Tên mới ${Date.now()}`;
  r = await postForm(`/quan-tri/linh-vuc/${id}`, { csrf: s.csrf, name, deadline_days: '5', active: '1' }, s);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const reloaded = new Set();
  for (const t0 = Date.now(); Date.now() - t0 < 3000 && reloaded.size < 2; await sleep(100)) {
    const fd = fs.openSync(log, 'r');
    const buf = Buffer.alloc(fs.fstatSync(fd).size - from);
    fs.readSync(fd, buf, 0, buf.length, from);
    fs.closeSync(fd);
    for (const m of buf.toString().matchAll(/\[wrk (\d+)\]: refdata: /g)) reloaded.add(m[1]);
  }
  assert.deepEqual([...reloaded].sort(), ['1', '2'], 'both workers reload within 3 s');
  const h = JSON.parse((await request('GET', '/healthz')).text);
  assert.ok(h.worker >= 1 && h.refdata_age_seconds >= 0 && h.refdata_age_seconds < 5, JSON.stringify(h));
  await postForm(`/quan-tri/linh-vuc/${id}`, { csrf: s.csrf, name, deadline_days: '5' }, s);
});
