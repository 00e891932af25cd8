// An administrator, in a real browser on a phone-sized screen, issues an
// Open311 api key, reads it once, and revokes it only after opening the
// confirmation; the integrator's requests work with it and stop after.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, staffPage } from './browser.mjs';
import { credentials, postForm } from '../lib.mjs';

const ip = '127.0.46.1';
let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); });

const file = (api_key) => postForm('/open311/v2/requests.json', {
  api_key, service_code: 'dien', description: `Đèn tín hiệu hỏng ${Date.now()} ${Math.random()}`, phone: '0912345678',
}, { ip });

test('issue a key, use it, revoke it after confirming', async () => {
  const page = await staffPage(b.browser, 'admin', credentials().admin.password);
  await page.setViewportSize({ width: 320, height: 720 });
  await page.goto('/quan-tri');
  await Promise.all([page.waitForNavigation(), page.click('nav.admin-nav >> text=Khóa API Open311')]);
  assert.equal(await page.getAttribute('nav.admin-nav a[aria-current="page"]', 'href'), '/quan-tri/open311');

  const name = `Ứng dụng trình duyệt ${Date.now()}`;
  await page.getByLabel('Tên ứng dụng, đơn vị').fill(name);
  await page.getByLabel('Người liên hệ kỹ thuật (không bắt buộc)').fill('Nguyễn Văn Kỹ, 0277 3851 234');
  await Promise.all([page.waitForNavigation(), page.click('button:has-text("Cấp khóa")')]);
  const key = (await page.textContent('#new-key')).trim();
  assert.match(key, /^o311_[A-Za-z0-9_-]{43}$/);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 320, `the key page reflows at 320 px (${wide})`);
  assert.equal((await file(key)).status, 201);

  await Promise.all([page.waitForNavigation(), page.click('text=Về danh sách khóa API')]);
  assert.ok(!(await page.content()).includes(key), 'the key is not shown again');
  const listWide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(listWide <= 320, `the list reflows at 320 px (${listWide})`);
  const row = page.locator('tr.client-row', { hasText: name });
  assert.match(await row.textContent(), /Đang hoạt động/);
  // The button is hidden until the disclosure is opened.
  const confirm = row.getByRole('button', { name: `Xác nhận thu hồi khóa của ${name}` });
  assert.equal(await confirm.isVisible(), false);
  await row.locator('summary').click();
  assert.equal(await confirm.isVisible(), true);
  await Promise.all([page.waitForNavigation(), confirm.click()]);
  assert.match(await page.textContent('#notice'), /Đã thu hồi khóa/);
  assert.match(await page.locator('tr.client-row', { hasText: name }).textContent(), /Đã thu hồi/);
  const gone = await file(key);
  assert.equal(gone.status, 403);
  assert.equal(gone.json[0].code, 403);
});
