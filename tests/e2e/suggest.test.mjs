// An operator, in a real browser on a phone-sized screen, types a call's
// question into the phone-ticket form: suggestions follow the typing
// (debounced, so a burst of keys is one or two requests), the list is
// reached and used with the keyboard, the suggested field is set with one
// click, and the saved ticket's history names the article read out.  On
// the ticket's page a click inserts the answer with its source into the
// answer box, and the answer's history names it too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, staffPage } from './browser.mjs';
import { credentials, one, db, dbClose } from '../lib.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); await dbClose(); });

const mark = `xq${process.pid}k${Date.now() % 100000}`;
const code = `GYE${process.pid}${Date.now() % 100000}`;

test('suggestions follow the typing; keyboard and one click use them; the history keeps the article', async () => {
  await db().query(`INSERT INTO tickets (code, channel, name, title, content, answer, status, published, answered_at)
      VALUES ($1, 'web', 'Người hỏi', $2, 'Tôi muốn chứng thực bản sao giấy tờ', $3, 'answered', true, now())`,
  [code, `Chứng thực bản sao ${mark} cần gì`,
    `Mang bản chính ${mark} đến ủy ban nhân dân xã; lệ phí 2.000 đồng một trang.`]);
  // Earlier classified tickets with the word: the model should say tư pháp.
  const tp = await one("SELECT id FROM fields WHERE code = 'tu-phap'");
  const op = await one("SELECT id FROM users WHERE username = 'dtv.lan'");
  for (let i = 0; i < 3; i++) {
    await db().query(`INSERT INTO tickets (code, channel, name, title, content, field_id, created_by, status)
        VALUES ($1, 'phone', 'Người dân', 'Chứng thực', $2, $3, $4, 'classified')`,
    [`${code}T${i}`, `chứng thực ${mark} bản sao`, tp.id, op.id]);
  }

  const page = await staffPage(b.browser, 'dtv.lan', credentials()['dtv.lan'].password);
  await page.setViewportSize({ width: 360, height: 740 });
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/dtv/goi-y')) asked.push(r.url()); });
  await page.goto('/dtv/tao-phieu');
  await page.fill('#phone', '0913 222 333');
  await page.fill('#title', 'Hỏi chứng thực');
  await page.locator('#content').pressSequentially(`chung thuc ban sao ${mark}`, { delay: 15 });

  const list = page.getByRole('listbox', { name: 'Gợi ý trả lời' });
  const option = list.getByRole('option', { name: new RegExp(mark) });
  await option.waitFor({ timeout: 15000 });
  assert.ok(asked.length <= 4, `debounced: ${asked.length} requests for ${mark.length + 19} keys`);
  assert.match(await page.locator('.suggest [role=status]').textContent(), /câu trả lời gợi ý/);

  // Keyboard: into the list, down to ours, Enter.
  await list.focus();
  const n = await list.getByRole('option').count();
  for (let i = 0; i < n; i++) {
    if ((await list.getAttribute('aria-activedescendant')) === await option.getAttribute('id')) break;
    await page.keyboard.press('ArrowDown');
  }
  assert.equal(await option.getAttribute('aria-selected'), 'true');
  await page.keyboard.press('Enter');
  assert.equal(await page.inputValue('#suggestion'), `answer:${code}`);
  assert.match(await page.locator('.suggest-readout').textContent(), new RegExp(`Mang bản chính ${mark}`));

  // The suggested field, one click.
  const chip = page.locator('.suggest-class button', { hasText: 'Tư pháp' });
  await chip.waitFor();
  await chip.click();
  assert.equal(await page.inputValue('#field'), String(tp.id));

  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `the form reflows at 360 px (${wide})`);

  await Promise.all([page.waitForURL(/\/dtv\/phieu\/\d+$/), page.click('button[type=submit].primary')]);
  const id = page.url().match(/(\d+)$/)[1];
  const t = await one('SELECT field_id FROM tickets WHERE id = $1', [id]);
  assert.equal(t.field_id, tp.id);
  assert.match(await page.locator('#lich-su').textContent(), /Dùng câu trả lời gợi ý/);

  // The ticket's page: classify, then insert the answer with a click.
  await page.selectOption('#level', '1');
  await Promise.all([page.waitForURL(/#lich-su$/), page.click('form[action$="/classify"] button[type=submit]')]);
  const pageOption = page.locator('.suggest [role=option]', { hasText: mark });
  await pageOption.waitFor({ timeout: 15000 });
  await pageOption.locator('strong').click();
  const answer = await page.inputValue('#answer');
  assert.match(answer, new RegExp(`Mang bản chính ${mark}`));
  assert.match(answer, new RegExp(`Nguồn: Chứng thực bản sao ${mark} cần gì – http.*/hoi-dap/${code}`));
  await Promise.all([page.waitForURL(/#lich-su$/), page.click('form[action$="/answer"] button[type=submit]')]);
  const evs = (await db().query(`SELECT kind, payload->>'ref' AS ref FROM ticket_events
      WHERE ticket_id = $1 AND kind = 'suggestion' ORDER BY id`, [id])).rows;
  assert.deepEqual(evs.map((e) => e.ref), [code, code]);
});
