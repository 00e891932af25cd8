// Clients that hang up mid-request.  A login hashes its password and a
// submission writes its files on a Kore task thread; a client that resets
// the connection while that thread works must not free what it works on.
// Against the ASan build this used to end in a sanitizer report and both
// workers restarted.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { request, getPage, getJSON, login, multipart, sendAndReset, citizen, dbClose } from '../lib.mjs';

after(dbClose);
const logDir = path.join(process.env.TEST_VAR_DIR, 'log');
const koreLog = path.join(logDir, 'kore.log');
const sanitizerReports = () => fs.readdirSync(logDir).filter((f) => /^(asan|ubsan)\./.test(f));
const restarts = (text) => (text.match(/restarting worker|worker \S+ exited/g) || []).length;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Each aborted request from its own address, so that no rate limit is
// what answers.
const addr = (i) => `127.0.45.${1 + (i % 250)}`;

test('logins and uploads reset by the client a few milliseconds in leave the workers whole', async () => {
  const logBefore = fs.readFileSync(koreLog, 'utf8');
  const reportsBefore = sanitizerReports();

  const cookies = new Map();
  const loginPage = await getPage('/dang-nhap', { cookies, ip: addr(0) });
  const portal = await getPage('/', { cookies, ip: addr(0) });
  assert.ok(loginPage.csrf && portal.csrf);

  const loginBody = (i) => Buffer.from(new URLSearchParams({
    csrf: loginPage.csrf, username: `khong-co-${i}`, password: 'sai-mat-khau-' + i,
  }).toString());
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2 * 1024 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
  const uploadBody = () => {
    const f = citizen();
    return multipart([['csrf', portal.csrf], ['name', f.name], ['phone', f.phone], ['field', f.field],
      ['title', f.title], ['content', f.content],
      ['files', pdf, 'a.pdf', 'application/pdf'], ['files', pdf, 'b.pdf', 'application/pdf'],
      ['files', pdf, 'c.pdf', 'application/pdf']]);
  };

  // How long each takes when the client waits for the answer: the resets
  // are spread over that time, so that many land while a task runs.
  const timed = async (fn) => { const t0 = Date.now(); await fn(); return Date.now() - t0; };
  const tLogin = await timed(() => request('POST', '/dang-nhap', {
    body: loginBody('do'), cookies, ip: addr(1),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  }));
  const probe = uploadBody();
  const tUpload = await timed(async () => {
    const r = await request('POST', '/gui-phan-anh', { ...probe, cookies, ip: addr(2) });
    assert.equal(r.status, 201, r.text.slice(0, 200));
  });
  // Spread over three times that: requests queue for the lanes' threads.
  const at = (t, k, n) => Math.max(1, Math.round(t * (0.15 + 2.85 * k / n)));
  const orphans = () => (fs.readFileSync(koreLog, 'utf8').slice(logBefore.length).match(/client gone while a job runs/g) || []).length;

  // Rounds of 20 logins and 10 uploads at once: at least three, and until
  // some resets have landed while a job ran (at most eight).
  for (let round = 0; round < 8 && (round < 3 || orphans() === 0); round++) {
    const all = [];
    for (let i = 0; i < 20; i++) {
      const n = round * 20 + i;
      all.push(sendAndReset('POST', '/dang-nhap', {
        body: loginBody(n), cookies, ip: addr(10 + n),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }, at(tLogin, i, 20)));
    }
    for (let i = 0; i < 10; i++) {
      const n = 100 + round * 10 + i;
      const { body, headers } = uploadBody();
      all.push(sendAndReset('POST', '/gui-phan-anh', { body, headers, cookies, ip: addr(n) }, at(tUpload, i, 10)));
    }
    await Promise.all(all);
  }
  // Let the task threads finish what they had.
  await sleep(1500);

  const h = await getJSON('/healthz', { ip: addr(200) });
  assert.equal(h.status, 200, h.text);
  const s = await login('dtv.lan', addr(201));
  const inbox = await request('GET', '/dtv', s);
  assert.equal(inbox.status, 200);

  const logAfter = fs.readFileSync(koreLog, 'utf8');
  assert.equal(restarts(logAfter), restarts(logBefore), 'no Kore worker exited or was restarted');
  assert.deepEqual(sanitizerReports(), reportsBefore, 'no sanitizer report');
  // The test did what it is for: some clients left while a job ran.
  assert.ok(orphans() > 0, 'some resets landed while a job was running');
});
