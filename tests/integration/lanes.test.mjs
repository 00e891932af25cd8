// Blocking work runs on threads of its own kind (src/lane.c): logins hash
// passwords on the hash lane, uploads are written on the disk lane, so a
// burst of large uploads does not hold logins back.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { request, getPage, postForm, credentials, multipart, citizen, dbClose } from '../lib.mjs';

after(dbClose);

function workerPids() {
  const parent = Number(fs.readFileSync(path.join(process.env.TEST_VAR_DIR, 'kore.pid'), 'utf8'));
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return Number(fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === parent; } catch { return false; }
  });
}
const threadNames = (pid) => fs.readdirSync(`/proc/${pid}/task`).map((t) => {
  try { return fs.readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim(); } catch { return ''; }
});

test('a login answers while large uploads are being written', async () => {
  const ip = (i) => `127.0.49.${1 + i}`;
  const cookies = new Map();
  const portal = await getPage('/', { cookies, ip: ip(0) });
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(5 * 1024 * 1024 - 20, 0x20), Buffer.from('\n%%EOF\n')]);
  const upload = (i) => {
    const f = citizen();
    const { body, headers } = multipart([['csrf', portal.csrf], ['name', f.name], ['phone', f.phone],
      ['title', f.title], ['content', f.content],
      ['files', pdf, 'a.pdf', 'application/pdf'], ['files', pdf, 'b.pdf', 'application/pdf'],
      ['files', pdf, 'c.pdf', 'application/pdf']]);
    return request('POST', '/gui-phan-anh', { body, headers, cookies, ip: ip(i) });
  };
  const c = credentials()['dtv.lan'];
  const page = await getPage('/dang-nhap', { cookies, ip: ip(20) });
  let loginAt, lastUploadAt = 0;
  const started = Date.now();
  // Twelve, not eight: on a slow day the disk lane finished eight within
  // 20 ms of the login (which took 200 ms alone), and the order was a toss.
  const uploads = Array.from({ length: 12 }, (_, i) => upload(1 + i).then((r) => {
    assert.equal(r.status, 201, r.text.slice(0, 200));
    lastUploadAt = Math.max(lastUploadAt, Date.now() - started);
  }));
  await new Promise((r) => setTimeout(r, 400));
  const login = postForm('/dang-nhap', { csrf: page.csrf, username: c.user, password: c.password }, { cookies, ip: ip(20) })
    .then((r) => { assert.equal(r.status, 303); loginAt = Date.now() - started; });
  await Promise.all([...uploads, login]);
  assert.ok(loginAt < lastUploadAt, `the login (${loginAt} ms) answered before the uploads were all written (${lastUploadAt} ms)`);

  // Each worker that did the work has its lanes' threads.
  const names = workerPids().flatMap(threadNames);
  assert.ok(names.includes('lane-hash'), names.join(','));
  assert.ok(names.includes('lane-disk'), names.join(','));
});
