// A supervisor, in a real browser, gives a call the caller hung up on to
// an operator; the operator, on a phone-sized screen, finds it under
// "Gọi lại" with the count owed, records "Đã liên lạc được", and the call
// leaves the list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { launch, staffPage } from './browser.mjs';
import { credentials, one, dbClose } from '../lib.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); await dbClose(); });

// A day of its own, far ahead, with one abandoned call.
const day = new Date(Date.UTC(2045, 0, 1) + (Date.now() % 3650) * 86400000)
  .toISOString().slice(0, 10);
const caller = `0907${String(Date.now()).slice(-6)}`;

test('a supervisor assigns an abandoned call; the operator calls back and records it', async () => {
  const uuid = crypto.randomUUID();
  const call = await one(`INSERT INTO calls (event_id, call_uuid, sip_call_id, caller, callee,
      disposition, created_at, ended_at, wait_seconds, talk_seconds)
    VALUES ($1, $2, $3, $4, '1022', 'abandoned', $5::timestamptz,
      $5::timestamptz + interval '45 seconds', 45, 0) RETURNING id`,
  [crypto.randomUUID(), uuid, `${uuid}@e2e`, caller, `${day}T03:15:00Z`]);
  const minh = await one(`SELECT id FROM users WHERE username = 'dtv.minh'`);
  const owedBefore = (await one(`SELECT count(*)::int AS n FROM callbacks
      WHERE operator_id = $1 AND state = 'owed'`, [minh.id])).n;

  const sup = await staffPage(b.browser, 'lanhdao', credentials().lanhdao.password);
  await sup.setViewportSize({ width: 360, height: 740 });
  await sup.goto('/giam-sat');
  await Promise.all([sup.waitForNavigation(), sup.click('header nav >> text=Cuộc gọi')]);
  await sup.fill('#tu', day);
  await sup.fill('#den', day);
  await sup.selectOption('#ket-thuc', 'abandoned');
  await Promise.all([sup.waitForNavigation(), sup.click('#filters button[type=submit]')]);
  const row = sup.locator(`tr[data-id="${call.id}"]`);
  assert.match(await row.textContent(), /Bỏ máy khi chờ/);
  assert.match(await row.textContent(), new RegExp(caller));
  await row.getByLabel('Giao gọi lại cho').selectOption({ label: 'Trần Văn Minh' });
  await Promise.all([sup.waitForNavigation(), row.getByRole('button', { name: 'Giao' }).click()]);
  assert.match(await sup.textContent('#notice'), /Đã giao cuộc gọi/);
  assert.match(await sup.locator(`tr[data-id="${call.id}"]`).textContent(), /Chờ Trần Văn Minh gọi lại/);
  assert.match(await sup.locator('#owed').textContent(), /Trần Văn Minh/);
  const supWide = await sup.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(supWide <= 360, `the calls page reflows at 360 px (${supWide})`);

  const op = await staffPage(b.browser, 'dtv.minh', credentials()['dtv.minh'].password);
  await op.setViewportSize({ width: 360, height: 740 });
  await op.goto('/dtv');
  const nav = op.locator('#nav-callbacks');
  assert.equal((await nav.textContent()).trim(), `Gọi lại (${owedBefore + 1})`);
  await Promise.all([op.waitForNavigation(), nav.click()]);
  const card = op.locator('section.callback', { hasText: caller });
  assert.match(await card.textContent(), /Bỏ máy khi chờ/);
  assert.equal(await card.locator(`a[href="tel:${caller}"]`).count(), 1);
  const wide = await op.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `the list reflows at 360 px (${wide})`);
  await card.getByRole('radio', { name: 'Đã liên lạc được' }).check();
  await card.getByLabel(/^Ghi chú/).fill('Người dân đã được hướng dẫn nộp hồ sơ trực tuyến.');
  await Promise.all([op.waitForNavigation(), card.getByRole('button', { name: 'Ghi kết quả' }).click()]);
  assert.match(await op.textContent('#notice'), /Đã ghi kết quả gọi lại/);
  assert.equal(await op.locator('section.callback', { hasText: caller }).count(), 0);
  const after = (await op.locator('#nav-callbacks').textContent()).trim();
  assert.equal(after, owedBefore === 0 ? 'Gọi lại' : `Gọi lại (${owedBefore})`);

  const row2 = await one(`SELECT state, outcome FROM callbacks WHERE call_id = $1`, [call.id]);
  assert.deepEqual(row2, { state: 'done', outcome: 'reached' });
  await sup.reload();
  assert.match(await sup.locator(`tr[data-id="${call.id}"]`).textContent(), /Đã liên lạc được \(Trần Văn Minh\)/);
});
