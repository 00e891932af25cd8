// The dossier lookup in a real browser (docs/dossiers.md): a citizen on a
// phone types the code from the receipt and presses Enter; an operator opens
// a ticket linked to a dossier and sees its status beside it (fetched by
// assets/js/dossier.js under the pages' Content-Security-Policy).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, staffPage, BASE } from './browser.mjs';
import { credentials, db, dbClose, login, postForm } from '../lib.mjs';

const day = String(100 + (process.pid % 28)).slice(1);
const CODE = `000.00.22.H21-2611${day}-0${String(process.pid % 1000).padStart(3, '0')}`;
let b;

before(async () => {
  b = await launch();
  await db().query("UPDATE dossier_settings SET adapter = 'local'");
  await db().query(`INSERT INTO dossiers (code, status, procedure, agency, received_on, due_on, missing)
    VALUES ($1, 'supplement', 'Đăng ký thành lập hộ kinh doanh', 'UBND thành phố Sa Đéc',
      current_date - 3, current_date + 5, 'Bản sao căn cước công dân của chủ hộ')
    ON CONFLICT (code) DO UPDATE SET status = EXCLUDED.status`, [CODE]);
});

after(async () => {
  await b?.close();
  await dbClose();
});

test('a citizen on a phone looks a dossier up with the keyboard', async () => {
  const context = await b.browser.newContext({ baseURL: BASE, locale: 'vi-VN',
    viewport: { width: 375, height: 740 }, isMobile: true });
  const page = await context.newPage();
  await page.goto('/');
  await Promise.all([page.waitForNavigation(), page.click('header nav >> text=Tra cứu hồ sơ')]);
  assert.equal(new URL(page.url()).pathname, '/tra-cuu-ho-so');
  await page.focus('#ma');
  await page.keyboard.type(CODE.toLowerCase());
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await page.textContent('#dossier-status'), 'Cần bổ sung hồ sơ');
  assert.match(await page.textContent('#dossier-missing'), /Bản sao căn cước/);
  // Fits the phone's width: nothing to scroll sideways.
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(wide <= 0, `the page is ${wide}px wider than the phone`);

  await page.fill('#ma', 'không phải mã');
  await Promise.all([page.waitForNavigation(), page.click('button.primary')]);
  assert.match(await page.textContent('#problem'), /Mã hồ sơ không hợp lệ/);
  await context.close();
});

test('an operator sees the linked dossier beside the ticket', async () => {
  const op = await login('dtv.lan', '127.0.63.9');
  const created = await postForm('/dtv/tao-phieu', {
    csrf: op.csrf, phone: '0914 222 444', title: 'Hỏi hồ sơ đăng ký kinh doanh',
    content: 'Người dân hỏi hồ sơ hộ kinh doanh còn thiếu gì.',
  }, op);
  assert.equal(created.status, 303);
  const ticket = created.headers.location.split('/').pop();

  const page = await staffPage(b.browser, 'dtv.lan', credentials()['dtv.lan'].password);
  await page.goto(`/dtv/phieu/${ticket}`);
  await page.fill('#dossier-code', CODE);
  await Promise.all([page.waitForNavigation(), page.click('#dossier-box button')]);
  assert.equal(await page.textContent('#dossier-status'), 'Cần bổ sung hồ sơ');
  await Promise.all([page.waitForNavigation(), page.click('text=Gắn hồ sơ này vào phiếu')]);
  assert.equal(new URL(page.url()).pathname, `/dtv/phieu/${ticket}`);
  const item = page.locator('#dossier-linked li');
  await item.waitFor({ timeout: 15000 });
  assert.match(await item.textContent(), new RegExp(`${CODE.replace(/\./g, '\\.')} — Hồ sơ .*Cần bổ sung hồ sơ\\. Hẹn trả`));

  // Unlinking is behind a confirmation.
  const confirm = item.locator('button.danger');
  assert.equal(await confirm.isVisible(), false);
  await item.locator('summary').click();
  const listed = page.waitForResponse((r) => r.url().endsWith(`/dtv/api/phieu/${ticket}/ho-so`));
  await Promise.all([page.waitForNavigation(), confirm.click()]);
  assert.equal(new URL(page.url()).pathname, `/dtv/phieu/${ticket}`);
  assert.deepEqual(await (await listed).json(), { codes: [] });
  assert.equal(await page.locator('#dossier-linked li').count(), 0);
  assert.equal((await db().query('SELECT 1 FROM ticket_dossiers WHERE ticket_id = $1', [ticket])).rowCount, 0);
});
