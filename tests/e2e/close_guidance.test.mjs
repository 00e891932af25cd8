// Closing without an answer, seen by the citizen (issue 11): the citizen
// asks on the portal, saying the type; the operator finds it is not the
// center's to answer and closes it with a reason and a guidance; the
// citizen's tracking page shows that guidance, not a bare "Đã hoàn thành".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, staffPage, BASE } from './browser.mjs';
import { credentials, one, dbClose } from '../lib.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); await dbClose(); });

test('a ticket closed with guidance: the citizen reads what to do instead', async () => {
  const creds = credentials();
  const title = `Tố cáo cán bộ xã ${Date.now()}`;

  const citizen = await b.browser.newContext({ baseURL: BASE, viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  const cp = await citizen.newPage();
  await cp.goto('/');
  await cp.fill('#name', 'Trần Văn Sáu');
  await cp.fill('#phone', '0939 654 321');
  await cp.selectOption('#kind', 'phan_anh');
  await cp.fill('#title', title);
  await cp.fill('#content', 'Tôi muốn tố cáo một cán bộ xã gây phiền hà khi làm hồ sơ.');
  await Promise.all([cp.waitForNavigation(), cp.click('button.primary')]);
  const code = (await cp.textContent('#ticket-code')).trim();
  assert.equal((await one('SELECT kind FROM tickets WHERE code = $1', [code])).kind, 'phan_anh');

  const op = await staffPage(b.browser, 'dtv.lan', creds['dtv.lan'].password);
  await op.goto('/dtv?kind=phan_anh');
  await Promise.all([op.waitForNavigation(), op.click(`a:has-text("${code}")`)]);
  await op.click('summary:has-text("Đóng phiếu")');
  const form = op.locator('form[action$="/close"]');
  await form.locator('select[name=reason]').selectOption('tham_quyen');
  const guidance = 'Việc tố cáo cán bộ xin gửi đơn đến Thanh tra huyện theo thủ tục giải quyết tố cáo.';
  await form.locator('textarea[name=guidance]').fill(guidance);
  await Promise.all([op.waitForNavigation(), form.locator('button[type=submit]').click()]);
  assert.match(await op.textContent('#status'), /Đã đóng/);
  assert.match(await op.textContent('#close-reason'), /Không thuộc thẩm quyền/);

  await cp.goto('/tra-cuu');
  await cp.fill('#ma', code);
  await cp.fill('#dt', '0939654321');
  await Promise.all([cp.waitForNavigation(), cp.click('button.primary')]);
  assert.match(await cp.textContent('#status'), /Tổng đài đã hướng dẫn/);
  assert.doesNotMatch(await cp.textContent('#status'), /Đã hoàn thành/);
  assert.equal((await cp.textContent('#guidance')).trim(), guidance);
  assert.match(await cp.textContent('.timeline'), /Tổng đài 1022 hướng dẫn/);
  await citizen.close();
});
