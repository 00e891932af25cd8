// A user given a generated password (created or reset by an administrator,
// the demo users of make run) changes it before any other page: every
// staff page redirects to /doi-mat-khau (a POST is refused) until the new
// password, checked by the usual rules, is saved.  Public pages stay open.
// (tests/run loads the demo users without the flag: DEMO_PASSWORD_CHANGE=0.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, postForm, getPage, login, one, dbClose, uniq } from '../lib.mjs';

const ip = '127.0.65.9';
after(dbClose);

async function loginWith(username, password) {
  const cookies = new Map();
  const page = await getPage('/dang-nhap', { cookies, ip });
  const r = await postForm('/dang-nhap', { csrf: page.csrf, username, password }, { cookies, ip });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  return { cookies, ip, home: r.headers.location };
}

test('a user created with a generated password must change it first', async () => {
  const admin = await login('admin', ip);
  const username = `moi.${uniq('u').replace(/[^a-z0-9]/g, '').slice(-20)}`;
  const c = await postForm('/quan-tri/nguoi-dung/moi', {
    csrf: admin.csrf, username, full_name: 'Người Mới Vào', role: 'operator', active: '1',
  }, admin);
  assert.equal(c.status, 201, c.text.slice(0, 300));
  const password = c.text.match(/id="new-password">([^<]+)</)[1];
  assert.equal((await one('SELECT must_change_password AS m FROM users WHERE username = $1',
    [username])).m, true);

  const s = await loginWith(username, password);
  for (const path of [s.home, '/dtv', '/dtv/tao-phieu']) {
    const r = await request('GET', path, s);
    assert.equal(r.status, 303, path);
    assert.equal(r.headers.location, '/doi-mat-khau?lan-dau=1', path);
  }
  const form = await getPage('/doi-mat-khau?lan-dau=1', s);
  assert.equal(form.status, 200);
  assert.match(form.text, /id="first-login"/);
  s.csrf = form.csrf;
  const post = await postForm('/dtv/tao-phieu', {
    csrf: s.csrf, phone: '0912 111 222', title: 'Thử', content: 'Thử.',
  }, s);
  assert.equal(post.status, 403);
  // Public pages do not ask.
  assert.equal((await request('GET', '/', s)).status, 200);

  // The usual rules: too short is refused, and the flag stays.
  const short = await postForm('/doi-mat-khau', {
    csrf: s.csrf, current: password, new: 'ngan', confirm: 'ngan',
  }, s);
  assert.equal(short.status, 400);
  assert.equal((await request('GET', '/dtv', s)).status, 303);

  const fresh = `Mat-khau-rieng-${Date.now()}`;
  const ok = await postForm('/doi-mat-khau', {
    csrf: s.csrf, current: password, new: fresh, confirm: fresh,
  }, s);
  assert.equal(ok.status, 303, ok.text.slice(0, 300));
  assert.equal((await request('GET', '/dtv', s)).status, 200);
  assert.equal((await one('SELECT must_change_password AS m FROM users WHERE username = $1',
    [username])).m, false);

  // A reset by the administrator asks again.
  const id = (await one('SELECT id FROM users WHERE username = $1', [username])).id;
  const reset = await postForm(`/quan-tri/nguoi-dung/${id}/mat-khau`, { csrf: admin.csrf }, admin);
  assert.ok(reset.status === 200 || reset.status === 201, String(reset.status));
  assert.equal((await one('SELECT must_change_password AS m FROM users WHERE id = $1', [id])).m, true);
});
