// An administrator, in a real browser on a phone-sized screen, sets up the
// SMS gateway on /quan-tri/kenh: the password typed is never shown again,
// only that it is set and how it ends; saving again with the box empty
// keeps it; clearing it takes the confirmation box.  A supervisor reads
// the outbound messages on the same small screen and sends a failed one again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, staffPage } from './browser.mjs';
import { credentials, db, dbClose, one } from '../lib.mjs';

const PASSWORD = `cong-sms-${Date.now()}-XY`;
let b;
before(async () => {
  b = await launch();
  await db().query("DELETE FROM channel_settings WHERE channel = 'sms'");
});
after(async () => {
  await b?.close();
  await db().query("DELETE FROM channel_settings WHERE channel = 'sms'");
  await dbClose();
});

test('set the SMS gateway, keep its password, clear it after confirming', async () => {
  const page = await staffPage(b.browser, 'admin', credentials().admin.password);
  await page.setViewportSize({ width: 320, height: 720 });
  await page.goto('/quan-tri');
  await Promise.all([page.waitForNavigation(), page.click('nav.admin-nav >> text=Kênh')]);
  assert.equal(await page.getAttribute('nav.admin-nav a[aria-current="page"]', 'href'), '/quan-tri/kenh');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 320, `the page reflows at 320 px (${wide})`);

  const sms = page.locator('#kenh-sms');
  await sms.getByLabel('Địa chỉ cổng SMS').fill('https://sms.example.vn/api/send');
  await sms.getByLabel('Tài khoản').fill('tongdai');
  await sms.getByLabel('Mật khẩu').fill(PASSWORD);
  await sms.getByLabel('Tên thương hiệu (brandname)').fill('TD1022');
  await Promise.all([page.waitForNavigation(), sms.getByRole('button', { name: /Lưu cấu hình/ }).click()]);
  assert.match(await page.textContent('#notice'), /Đã lưu cấu hình kênh/);
  assert.ok(!(await page.content()).includes(PASSWORD), 'the password is not in the page');
  assert.equal(await page.locator('#kenh-sms input[name="password"]').inputValue(), '');
  assert.match(await page.textContent('#kenh-sms [data-state="password"]'), /Đã đặt, kết thúc bằng …XY/);
  assert.equal(await page.locator('#kenh-sms input[name="url"]').inputValue(), 'https://sms.example.vn/api/send');

  // Saved again with the password box empty: kept.
  await page.locator('#kenh-sms input[name="sender"]').fill('TONGDAI');
  await Promise.all([page.waitForNavigation(), page.locator('#kenh-sms').getByRole('button', { name: /Lưu cấu hình/ }).click()]);
  const kept = await one("SELECT value FROM channel_settings WHERE channel = 'sms' AND name = 'password'");
  assert.equal(kept.value, PASSWORD);

  // Clearing: hidden until opened, refused by the browser until confirmed.
  const clear = page.locator('#kenh-sms details.confirm', { hasText: 'Mật khẩu' });
  const button = clear.getByRole('button', { name: 'Xác nhận xóa Mật khẩu' });
  assert.equal(await button.isVisible(), false);
  await clear.locator('summary').click();
  await button.click();
  assert.equal(new URL(page.url()).pathname, '/quan-tri/kenh', 'the browser did not send it');
  assert.ok(await one("SELECT 1 AS x FROM channel_settings WHERE channel = 'sms' AND name = 'password'"), 'not cleared unconfirmed');
  await clear.getByRole('checkbox').check();
  await Promise.all([page.waitForNavigation(), button.click()]);
  assert.match(await page.textContent('#notice'), /Đã xóa khóa bí mật/);
  assert.match(await page.textContent('#kenh-sms [data-state="password"]'), /Chưa đặt/);
  assert.equal(await one("SELECT 1 AS x FROM channel_settings WHERE channel = 'sms' AND name = 'password'"), undefined);
});

test('a supervisor sees a failed message with its error and sends it again', async () => {
  const m = await one(`SELECT message_send('sms', '0912345678', 'notice', NULL, $1) AS id`, [`Thử ${Date.now()}`]);
  await db().query(`UPDATE messages SET state = 'failed', attempts = 8, next_attempt_at = NULL,
    last_error = 'Cổng SMS từ chối tin (HTTP 400): Số thuê bao không tồn tại' WHERE id = $1`, [m.id]);
  const page = await staffPage(b.browser, 'lanhdao', credentials().lanhdao.password);
  await page.setViewportSize({ width: 320, height: 720 });
  await page.goto('/giam-sat');
  await Promise.all([page.waitForNavigation(), page.click('header >> text=Tin gửi đi')]);
  await page.selectOption('#trang-thai', 'failed');
  await Promise.all([page.waitForNavigation(), page.click('#filters button')]);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 320, `the list reflows at 320 px (${wide})`);
  const row = page.locator(`tr[data-id="${m.id}"]`);
  assert.match(await row.locator('.last-error').textContent(), /Số thuê bao không tồn tại/);
  assert.match(await row.locator('.state').textContent(), /Lỗi/);
  await Promise.all([page.waitForNavigation(), row.getByRole('button', { name: 'Gửi lại' }).click()]);
  assert.match(await page.textContent('#notice'), /trở lại hàng chờ gửi/);
  const after = await one('SELECT state, attempts FROM messages WHERE id = $1', [m.id]);
  assert.ok(['pending', 'sending', 'failed'].includes(after.state));
  assert.ok(after.attempts <= 1, 'attempts counted afresh');
});
