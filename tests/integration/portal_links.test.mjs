// Linked with the province: every page's footer links to the provincial
// portal and the public-service portal; an administrator sets both on
// /quan-tri/kenh (channel "portal") and every worker shows the new ones.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { request, postForm, login, one, db, dbClose, waitFor } from '../lib.mjs';

const ip = '127.0.24.40';
let admin;
before(async () => {
  await db().query("DELETE FROM channel_settings WHERE channel = 'portal'");
  admin = await login('admin', ip);
});
after(async () => {
  // Blank values remove them, and the workers reload the defaults.
  await postForm('/quan-tri/kenh', { csrf: admin.csrf, channel: 'portal', province_url: '', public_service_url: '' }, admin);
  await dbClose();
});

const footer = async (path = '/') => {
  const r = await request('GET', path, { ip });
  assert.equal(r.status, 200);
  return r.text.slice(r.text.indexOf('<footer'));
};

test('the footer links to the province\'s portals, as an administrator sets them', async () => {
  const f = await footer();
  assert.match(f, /<a href="https:\/\/dongthap\.gov\.vn" rel="noopener">Cổng thông tin điện tử tỉnh<\/a>/);
  assert.match(f, /<a href="https:\/\/dichvucong\.dongthap\.gov\.vn" rel="noopener">Cổng dịch vụ công<\/a>/);

  const page = await request('GET', '/quan-tri/kenh', admin);
  assert.ok(page.text.includes('name="province_url"'));
  assert.ok(page.text.includes('name="public_service_url"'));

  const r = await postForm('/quan-tri/kenh', { csrf: admin.csrf, channel: 'portal',
    province_url: 'https://tinh.example.vn/cong', public_service_url: 'https://dvc.example.vn/' }, admin);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  // Each worker reloads on its own: ask until every answer has them.
  await waitFor(async () => {
    for (let i = 0; i < 4; i++) {
      const g = await footer(i % 2 ? '/hoi-dap' : '/');
      if (!g.includes('href="https://tinh.example.vn/cong"') || !g.includes('href="https://dvc.example.vn/"')) return false;
    }
    return true;
  }, 'the new links in the footer');
  const ev = await one("SELECT kind, target_id FROM admin_events ORDER BY id DESC LIMIT 1");
  assert.deepEqual(ev, { kind: 'channel_update', target_id: 'portal' });
});

test('a link that is not a web address is refused and nothing changes', async () => {
  const before = (await db().query("SELECT name, value FROM channel_settings WHERE channel = 'portal' ORDER BY name")).rows;
  for (const province_url of ['javascript:alert(1)', 'https://x.example/"><script>', 'dongthap.gov.vn']) {
    const r = await postForm('/quan-tri/kenh', { csrf: admin.csrf, channel: 'portal', province_url }, admin);
    assert.equal(r.status, 400, province_url);
    assert.match(r.text, /Cổng thông tin điện tử tỉnh: /);
  }
  assert.deepEqual((await db().query("SELECT name, value FROM channel_settings WHERE channel = 'portal' ORDER BY name")).rows, before);
  assert.ok(!(await footer()).includes('javascript:'));
});
