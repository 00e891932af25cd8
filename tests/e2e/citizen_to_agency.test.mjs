// The whole web path in a real browser: a citizen asks on the portal, an
// operator forwards to the agency, the agency answers, the operator answers
// the citizen and publishes, and the citizen reads the answer by code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, staffPage, BASE } from './browser.mjs';
import { credentials } from '../lib.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); });

test('citizen → operator → agency → operator → citizen', async () => {
  const creds = credentials();
  const stamp = Date.now();
  const title = `Xin cấp đổi giấy chứng nhận quyền sử dụng đất ${stamp}`;

  // 1. The citizen, on a phone-sized screen.
  const citizen = await b.browser.newContext({ baseURL: BASE, viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  const cp = await citizen.newPage();
  await cp.goto('/');
  await cp.fill('#name', 'Lê Thị Mai');
  await cp.fill('#phone', '0939 123 456');
  await cp.selectOption('#field', 'dat-dai');
  await cp.fill('#title', title);
  await cp.fill('#content', 'Tôi muốn cấp đổi sổ đỏ bị rách, cần hồ sơ gì và nộp ở đâu?');
  await Promise.all([cp.waitForNavigation(), cp.click('button.primary')]);
  const code = (await cp.textContent('#ticket-code')).trim();
  assert.match(code, /^\d{4}-[0-9A-Z]{8}$/);
  assert.match(await cp.textContent('main'), /xin cảm ơn/);

  // 2. The operator finds it in the inbox and forwards it to the agency.
  const op = await staffPage(b.browser, 'dtv.lan', creds['dtv.lan'].password);
  await op.goto('/dtv');
  await Promise.all([op.waitForNavigation(), op.click(`a:has-text("${code}")`)]);
  const ticketUrl = op.url();
  const forward = op.locator('form[action$="/forward"]');
  await forward.locator('select[name=agency]').selectOption({ label: 'Sở Tài nguyên và Môi trường' });
  await Promise.all([op.waitForNavigation(), forward.locator('button[type=submit]').last().click()]);
  assert.match(await op.textContent('main'), /Sở Tài nguyên và Môi trường/);

  // 3. The agency officer sees it among the agency's tickets and answers.
  const ag = await staffPage(b.browser, 'cb.stnmt', creds['cb.stnmt'].password);
  await ag.goto('/co-quan');
  await Promise.all([ag.waitForNavigation(), ag.click(`a:has-text("${code}")`)]);
  const agencyAnswer = 'Hồ sơ gồm đơn đề nghị và bản gốc giấy chứng nhận; nộp tại Bộ phận một cửa.';
  const aform = ag.locator('form[action$="/answer"]');
  await aform.locator('textarea[name=answer]').fill(agencyAnswer);
  await Promise.all([ag.waitForNavigation(), aform.locator('button[type=submit]').last().click()]);

  // 4. The operator answers the citizen (prefilled from the agency) and publishes.
  await op.goto(ticketUrl);
  const answer = op.locator('form[action$="/answer"]');
  const prefilled = await answer.locator('textarea[name=answer]').inputValue();
  assert.match(prefilled, /Bộ phận một cửa/);
  await Promise.all([op.waitForNavigation(), answer.locator('button[type=submit]').last().click()]);
  const publish = op.locator('form[action$="/publish"]');
  await Promise.all([op.waitForNavigation(), publish.locator('button[type=submit]').last().click()]);

  // 5. The citizen reads the answer with the code and phone.
  await cp.goto('/tra-cuu');
  await cp.fill('#ma', code.toLowerCase());
  await cp.fill('#dt', '0939123456');
  await Promise.all([cp.waitForNavigation(), cp.click('button.primary')]);
  assert.match(await cp.textContent('#status'), /Đã trả lời/);
  assert.match(await cp.textContent('#answer'), /Bộ phận một cửa/);

  // 6. The published answer is in the public Q&A, found without diacritics.
  await cp.goto(`/hoi-dap?q=${encodeURIComponent('cap doi giay chung nhan')}`);
  const qa = await cp.textContent('main');
  assert.ok(qa.includes(String(stamp)), 'the published question is listed');
  assert.ok(!qa.includes('0939'), 'no phone number in public');
  assert.ok(!qa.includes('Lê Thị Mai'), 'no name in public');

  await citizen.close();
});
