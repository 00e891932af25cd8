// The catalog in Chromium: an administrator imports a file through the
// page (the progress shows, then the run's figures), a citizen on a phone
// searches without diacritics and opens the procedure, and its printed
// form leaves the menus out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, staffPage, BASE } from './browser.mjs';
import { credentials, dbClose, one } from '../lib.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); await dbClose(); });

const run = `${process.pid % 1000}${Date.now() % 1000}`;
const code = (n) => `E${run}.${String(n).padStart(6, '0')}`;

test('an administrator imports a file and sees the progress, then the refused rows', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-e2e-'));
  const file = path.join(dir, 'tthc.jsonl');
  const lines = [];
  for (let n = 1; n <= 3000; n++) {
    lines.push(n === 17 ? '{"code":"' + code(n) + '","name":"Thiếu cấp"}' : JSON.stringify({
      code: code(n), name: `Thủ tục trình duyệt số ${n} đăng ký kinh doanh`, level: 'huyen',
      field: 'Kinh doanh', fees: 'Miễn phí',
    }));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const page = await staffPage(b.browser, 'admin', credentials().admin.password);
  try {
    await page.goto('/quan-tri/thu-tuc/nhap');
    await page.setInputFiles('#tep', file);
    // The script shows the progress from the submit until the run's page.
    const shown = page.waitForSelector('#import-progress:not([hidden]) #import-status', { timeout: 90000 });
    await Promise.all([
      page.waitForURL(/\/quan-tri\/thu-tuc\/nhap\/\d+$/, { timeout: 90000 }),
      page.click('#import-form button[type=submit]'),
    ]);
    assert.ok(await shown);
    assert.equal(await page.textContent('#import-created'), '2999');
    assert.equal(await page.textContent('#import-rejected'), '1');
    const row = await page.textContent('#rejected-rows tbody tr');
    assert.ok(row.includes('17') && row.includes('Thiếu “level”.'), row);
    const stored = await one('SELECT count(*)::int AS n FROM procedures WHERE code LIKE $1', [`E${run}.%`]);
    assert.equal(stored.n, 2999);
  } finally {
    await page.context().close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('on a phone: search without diacritics, open the procedure, print it', async () => {
  const context = await b.browser.newContext({ baseURL: BASE, locale: 'vi-VN', viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  try {
    await page.goto('/thu-tuc');
    await page.fill('#q', 'thu tuc trinh duyet so 1234 dang ky kinh doanh');
    await Promise.all([page.waitForNavigation(), page.click('form[role=search] button[type=submit]')]);
    await Promise.all([page.waitForNavigation(), page.click(`a[href="/thu-tuc/${code(1234)}"]`)]);
    assert.equal(await page.textContent('h1'), 'Thủ tục trình duyệt số 1234 đăng ký kinh doanh');
    // Nothing wider than the phone's screen.
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 360, `page is ${wide}px wide`);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.isVisible('header.top nav'), false);
    assert.equal(await page.isVisible('.procedure h1'), true);
  } finally {
    await context.close();
  }
});
