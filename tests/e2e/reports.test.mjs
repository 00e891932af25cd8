// A leader, in a real browser, opens the 6-monthly report of a half-year
// whose tickets and calls are known, reads it in the form the province
// files (unit, title, period, tables by field and channel, calls, the
// signature block), and downloads it as an Excel workbook.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { launch, staffPage } from './browser.mjs';
import { credentials, postJSON, citizen, db, dbClose, freeYear } from '../lib.mjs';

const ip = '127.0.66.20';
// A first half-year with no ticket or call of anyone else's (the
// integration tests, which ran on the same database, pick years of their
// own the same way).
let year;
let b;
before(async () => {
  b = await launch();
  year = await freeYear(6);
  // Three tickets on the portal in March (building), one by e-mail in May.
  const codes = [];
  for (const extra of [{}, {}, {}, { field: 'giao-thong' }])
    codes.push((await postJSON('/api/v1/tickets', citizen(extra), { ip })).json.code);
  await db().query(`UPDATE tickets SET created_at = $2::timestamptz, channel = $3 WHERE code = $1`,
    [codes[3], `${year}-05-10T09:00:00+07:00`, 'email']);
  for (const c of codes.slice(0, 3))
    await db().query(`UPDATE tickets SET created_at = $2::timestamptz WHERE code = $1`,
      [c, `${year}-03-05T09:00:00+07:00`]);
  // Two calls in April: one answered in 8 s, one abandoned.
  for (const [disp, wait, talk] of [['answered', 8, 100], ['abandoned', 30, 0]]) {
    const at = new Date(`${year}-04-02T08:00:00+07:00`);
    await db().query(`INSERT INTO calls (event_id, call_uuid, sip_call_id, caller, callee, disposition,
        created_at, answered_at, ended_at, wait_seconds, talk_seconds)
        VALUES ($1, $2, $3, '0901234567', '1022', $4, $5, $6, $7, $8, $9)`,
    [crypto.randomUUID(), crypto.randomUUID(), `e2e-${crypto.randomUUID()}`, disp, at,
      disp === 'answered' ? new Date(at.getTime() + wait * 1000) : null,
      new Date(at.getTime() + (wait + talk) * 1000), wait, talk]);
  }
});
after(async () => { await b?.close(); await dbClose(); });

test('a leader opens the 6-monthly report and downloads it as XLSX', async () => {
  const page = await staffPage(b.browser, 'lanhdao', credentials().lanhdao.password);
  await page.goto('/giam-sat');
  await Promise.all([page.waitForNavigation(), page.click('header nav >> text=Số liệu tổng đài')]);
  await Promise.all([page.waitForNavigation(), page.click('a[href="/giam-sat/bao-cao"]')]);
  await page.selectOption('#ky', '6-thang-dau');
  await page.fill('#nam', String(year));
  await Promise.all([page.waitForNavigation(), page.click('#report-form button[type=submit]')]);

  assert.equal(await page.textContent('#report-title'), `Kết quả tiếp nhận, xử lý thông tin 6 tháng đầu năm ${year}`);
  assert.match(await page.textContent('.report-unit'), /Tổng đài Thông tin dịch vụ công tỉnh/);
  assert.match(await page.textContent('.report-period'), new RegExp(`Từ ngày 01/01/${year} đến ngày 30/06/${year}`));
  assert.match(await page.textContent('.report-sign'), /THỦ TRƯỞNG ĐƠN VỊ/);
  const fieldRows = await page.$$eval('#report-fields tbody tr', (trs) => trs.map((tr) =>
    [tr.querySelector('th').textContent, tr.querySelector('[data-col=received]').textContent]));
  assert.deepEqual(fieldRows.at(-1), ['Tổng cộng', '4']);
  assert.ok(fieldRows.some(([, n]) => n === '3'), JSON.stringify(fieldRows));
  const channelRows = await page.$$eval('#report-channels tbody tr', (trs) => trs.map((tr) =>
    [tr.querySelector('th').textContent, tr.querySelector('[data-col=received]').textContent]));
  assert.deepEqual(channelRows, [['E-mail', '1'], ['Trang web', '3'], ['Tổng cộng', '4']]);
  const calls = await page.$$eval('#report-calls tbody tr', (trs) => trs.map((tr) =>
    [tr.querySelector('th').textContent, tr.querySelector('[data-col=received]').textContent,
      tr.querySelector('[data-col=service_level]').textContent]));
  assert.deepEqual(calls, [[`04/${year}`, '2', '50,0'], ['Tổng cộng', '2', '50,0']]);

  // On a phone the page reflows; a wide table scrolls inside the report.
  await page.setViewportSize({ width: 360, height: 740 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `the report page reflows at 360 px (${wide})`);
  await page.setViewportSize({ width: 1280, height: 800 });

  // Printed, the form and the buttons are gone; the report stays.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('#report-form'), false);
  assert.equal(await page.isVisible('#report'), true);
  await page.emulateMedia({ media: 'screen' });

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#report-xlsx')]);
  assert.equal(download.suggestedFilename(), `bao-cao-6-thang-dau-${year}.xlsx`);
  const file = await download.path();
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a zip: an XLSX workbook');
  assert.ok(bytes.length > 4000);
  await page.context().close();
});

test('an operator cannot open the report', async () => {
  const page = await staffPage(b.browser, 'dtv.lan', credentials()['dtv.lan'].password);
  const r = await page.goto('/giam-sat/bao-cao');
  assert.equal(r.status(), 403);
  await page.context().close();
});
