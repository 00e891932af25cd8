// Limits come before the expensive work: a login is refused before any
// password is hashed, per account and per address, each on its own; a
// submission over its address's limit is refused before its files are
// written; the rows the limits leave behind are pruned.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { BASE, request, getPage, postForm, credentials, multipart, citizen, one, db, dbClose } from '../lib.mjs';

after(dbClose);
const perAccount = Number(process.env.APP_RATE_LOGIN || 8);
const perAddress = Number(process.env.APP_RATE_LOGIN_IP || 30);
const perAddressSubmit = Number(process.env.APP_RATE_SUBMIT || 20);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function tryLogin(username, password, ip) {
  const cookies = new Map();
  const page = await getPage('/dang-nhap', { cookies, ip });
  return postForm('/dang-nhap', { csrf: page.csrf, username, password }, { cookies, ip });
}

test('many names sprayed from one address: refused past the address limit', async () => {
  const ip = '127.0.47.1';
  const statuses = [];
  for (let i = 0; i < perAddress + 2; i++) statuses.push((await tryLogin(`phun-${i}-${Date.now()}`, 'sai', ip)).status);
  assert.deepEqual(statuses.slice(0, perAddress), Array(perAddress).fill(401));
  assert.deepEqual(statuses.slice(perAddress), [429, 429]);
  // The address is held back, even with the right password...
  const c = credentials()['dtv.lan'];
  const r = await tryLogin(c.user, c.password, ip);
  assert.equal(r.status, 429);
  assert.match(r.text, /quá nhiều lần/);
  assert.ok(r.headers['retry-after']);
  // ...not the account.
  assert.equal((await tryLogin(c.user, c.password, '127.0.47.2')).status, 303);
});

test('one account tried from many addresses: refused past the account limit', async () => {
  const name = `mot-tai-khoan-${Date.now()}`;
  const statuses = [];
  for (let i = 0; i < perAccount + 1; i++) statuses.push((await tryLogin(name, 'sai', `127.0.47.${10 + i}`)).status);
  assert.deepEqual(statuses.slice(0, perAccount), Array(perAccount).fill(401));
  assert.equal(statuses[perAccount], 429);
});

test('successful logins take their hits back: an operator may log in again and again', async () => {
  const c = credentials()['dtv.minh'];
  for (let i = 0; i < perAccount + 3; i++) {
    assert.equal((await tryLogin(c.user, c.password, '127.0.47.60')).status, 303, `login ${i + 1}`);
  }
});

test('an address over its submission limit is refused before its files are written', async () => {
  const ip = '127.0.47.80';
  for (let i = 0; i < perAddressSubmit; i++) {
    const r = await request('POST', '/api/v1/tickets', {
      ip, body: JSON.stringify(citizen()), headers: { 'content-type': 'application/json' },
    });
    assert.equal(r.status, 201, r.text);
  }
  const cookies = new Map();
  const page = await getPage('/', { ip, cookies });
  const f = citizen();
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1024 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
  const { body, headers } = multipart([['csrf', page.csrf], ['name', f.name], ['phone', f.phone],
    ['title', f.title], ['content', f.content], ['files', pdf, 'don.pdf', 'application/pdf']]);
  const uploads = path.join(process.env.TEST_VAR_DIR, 'uploads');
  const seen = [];
  const watcher = fs.watch(uploads, (ev, name) => seen.push(`${ev} ${name}`));
  const r = await request('POST', '/gui-phan-anh', { ip, cookies, headers, body });
  await sleep(200);
  watcher.close();
  assert.equal(r.status, 429, r.text.slice(0, 200));
  assert.deepEqual(seen, [], 'nothing was written to the uploads folder');
});

test('ended rate-limit windows and expired sessions are pruned', async () => {
  const key = `prune-test-${Date.now()}`;
  await db().query("INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, now() - interval '2 days', 3), ($2, rate_limit_window(600), 1)",
    [key, `${key}-current`]);
  const u = await one("SELECT id FROM users WHERE username = 'cb.sgtvt'");
  await db().query("INSERT INTO sessions (token_hash, user_id, csrf, expires_at) VALUES (decode(md5($1), 'hex'), $2, 'x', now() - interval '1 hour')",
    [key, u.id]);
  let left;
  for (let i = 0; i < 40; i++) {
    await sleep(250);
    left = await one("SELECT (SELECT count(*)::int FROM rate_limits WHERE key = $1) AS old, (SELECT count(*)::int FROM rate_limits WHERE key = $2) AS cur, (SELECT count(*)::int FROM sessions WHERE token_hash = decode(md5($1), 'hex')) AS sess",
      [key, `${key}-current`]);
    if (left.old === 0 && left.sess === 0) break;
  }
  assert.deepEqual(left, { old: 0, cur: 1, sess: 0 });
});

// Kore refuses a method the route does not take (the restrict lines made
// from src/routes.def) from the request line, before it reads the body:
// the 405 comes back while the announced 8 MB have not been sent at all.
test('a POST to a GET-only route is refused before its body is read', async () => {
  const { hostname, port } = new URL(BASE);
  for (const path of ['/hoi-dap', '/api/v1/faq', '/giam-sat/phieu/1/lich-su.csv']) {
    const answer = await new Promise((resolve, reject) => {
      let got = '';
      const s = net.connect({ host: hostname, port: Number(port), localAddress: '127.0.47.9' }, () => s.write([
        `POST ${path} HTTP/1.1`, `Host: ${hostname}`, 'Content-Type: application/x-www-form-urlencoded',
        'Content-Length: 8000000', '', ''].join('\r\n')));
      const timer = setTimeout(() => { s.destroy(); resolve(got); }, 3000);
      s.on('data', (d) => {
        got += d.toString('latin1');
        if (got.includes('\r\n\r\n')) { clearTimeout(timer); s.destroy(); resolve(got); }
      });
      s.on('error', (e) => { clearTimeout(timer); reject(e); });
    });
    assert.match(answer, /^HTTP\/1\.1 405/, `${path}: ${JSON.stringify(answer.slice(0, 80))}`);
  }
});
