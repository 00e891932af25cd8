// An administrator, in a real browser, sets the hotline's own hours on
// /quan-tri/gio-tong-dai (Sunday closed, Monday 07:30–17:00), adds a closed
// shift and removes it only after opening the confirmation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, staffPage } from './browser.mjs';
import { credentials, db, dbClose } from '../lib.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => {
  await b?.close();
  await db().query('DELETE FROM hotline_hours');
  await db().query("DELETE FROM hotline_shifts WHERE day >= '2098-01-01'");
  await dbClose();
});

test('weekly hours and a shift, removed after confirming', async () => {
  const page = await staffPage(b.browser, 'admin', credentials().admin.password);
  await page.goto('/quan-tri');
  await Promise.all([page.waitForNavigation(), page.click('nav.admin-nav >> text=Giờ tổng đài')]);
  assert.equal(await page.getAttribute('nav.admin-nav a[aria-current="page"]', 'href'), '/quan-tri/gio-tong-dai');

  await page.selectOption('#mode_7', 'closed');
  await page.selectOption('#mode_1', 'open');
  await page.fill('#opens_1', '07:30');
  await page.fill('#closes_1', '17:00');
  await Promise.all([page.waitForNavigation(), page.click('#week-form button.primary')]);
  assert.match(await page.textContent('#notice'), /Đã lưu giờ tổng đài theo thứ/);
  assert.equal(await page.inputValue('#mode_7'), 'closed');
  assert.equal(await page.inputValue('#mode_1'), 'open');
  assert.equal(await page.inputValue('#closes_1'), '17:00');
  assert.equal(await page.inputValue('#mode_3'), 'default');

  const day = `2098-0${1 + (process.pid % 9)}-1${process.pid % 10}`;
  await page.fill('#day', day);
  await page.selectOption('#kind', 'closed');
  await page.fill('#note', 'Bảo trì tổng đài (thử)');
  await Promise.all([page.waitForNavigation(), page.click('#shift-form button.primary')]);
  assert.match(await page.textContent('#notice'), /Đã thêm ca riêng/);
  const row = page.locator(`#shifts tr[data-day="${day}"]`);
  assert.match(await row.textContent(), /Nghỉ cả ngày/);
  const confirm = row.locator('button.danger');
  assert.equal(await confirm.isVisible(), false, 'removal is behind a confirmation');
  await row.locator('summary').click();
  await Promise.all([page.waitForNavigation(), confirm.click()]);
  assert.match(await page.textContent('#notice'), /Đã xóa ca riêng/);
  assert.equal(await page.locator(`#shifts tr[data-day="${day}"]`).count(), 0);
});
