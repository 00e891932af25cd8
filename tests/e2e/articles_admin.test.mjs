// Articles in Chromium: an administrator writes a notice that expires,
// the portal shows it while it is live; moving its dates into the past
// (through the same form) takes it off the portal, and the admin list
// says it expired.  Also usable on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, staffPage, BASE } from './browser.mjs';
import { credentials, dbClose, one } from '../lib.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); await dbClose(); });

const run = `${process.pid % 1000}${Date.now() % 1000}`;

async function local(offset) {
  return (await one(`SELECT to_char(now() + $1::interval, 'YYYY-MM-DD"T"HH24:MI') AS t`, [offset])).t;
}

test('an administrator creates a notice that expires; the portal shows it until the expiry', async () => {
  const slug = `mat-nuoc-${run}`;
  const title = `Thông báo tạm ngừng cấp nước ${run}`;
  const page = await staffPage(b.browser, 'admin', credentials().admin.password);
  try {
    await page.goto('/quan-tri/thong-tin');
    await Promise.all([page.waitForNavigation(), page.click('a[href="/quan-tri/thong-tin/moi"]')]);
    await page.fill('#slug', slug);
    await page.selectOption('#kind', 'thong-bao');
    await page.fill('#title', title);
    await page.fill('#field', 'Cấp nước');
    await page.fill('#body', 'Khu phố 3 tạm ngừng cấp nước để sửa đường ống.');
    await page.fill('#publish_at', await local('-1 hour'));
    await page.fill('#expires_at', await local('2 days'));
    await Promise.all([page.waitForURL(new RegExp(`/quan-tri/thong-tin/${slug}\\?da-luu=1$`)),
      page.click('#article-form button[type=submit]')]);
    assert.equal(await page.textContent('#notice'), 'Đã lưu.');
    assert.match(await page.textContent('#state'), /Đang hiển thị/);

    // The portal shows it, searchable without diacritics.
    const citizen = await b.browser.newContext({ baseURL: BASE, locale: 'vi-VN', viewport: { width: 360, height: 740 } });
    const pub = await citizen.newPage();
    try {
      await pub.goto(`/thong-tin?q=${encodeURIComponent(`tam ngung cap nuoc ${run}`)}`);
      assert.ok(await pub.isVisible(`a[href="/thong-tin/${slug}"]`));
      await Promise.all([pub.waitForNavigation(), pub.click(`a[href="/thong-tin/${slug}"]`)]);
      assert.equal(await pub.textContent('h1'), title);
      const wide = await pub.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= 360, `page is ${wide}px wide`);

      // Its dates in the past: expired, gone from the portal, kept for the admins.
      await page.fill('#publish_at', await local('-3 days'));
      await page.fill('#expires_at', await local('-1 day'));
      await Promise.all([page.waitForURL(/da-luu=1$/), page.click('#article-form button[type=submit]')]);
      assert.match(await page.textContent('#state'), /Đã hết hạn/);
      const r = await pub.goto(`/thong-tin/${slug}`);
      assert.equal(r.status(), 404);
      await pub.goto(`/thong-tin?q=${encodeURIComponent(`tam ngung cap nuoc ${run}`)}`);
      assert.equal(await pub.isVisible(`a[href="/thong-tin/${slug}"]`), false);
    } finally {
      await citizen.close();
    }
    await page.goto(`/quan-tri/thong-tin?loai=thong-bao&q=${run}`);
    assert.match(await page.textContent(`tr[data-slug="${slug}"]`), /Đã hết hạn/);
    await page.goto(`/quan-tri/thong-tin/${slug}/lich-su`);
    assert.equal(await page.locator('#history li').count(), 1);
  } finally {
    await page.context().close();
  }
});
