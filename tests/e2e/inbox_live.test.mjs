// The operators' inbox live in Chromium: a conversation that a channel
// files (message_receive() on the real database) appears in an open inbox
// without a reload, a second message bumps its unread count, and typing a
// reply tells the chat visitor's side (NOTIFY inbox, event "typing").
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { launch, staffPage } from './browser.mjs';
import { credentials, one, dbClose, pgConfig, uniq } from '../lib.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); await dbClose(); });

const receive = (thread, body) => one(
  `SELECT conversation_id::int AS conv FROM message_receive('zalo', $1, $2, $3, NULL, $4)`,
  [uniq('ext'), thread, 'Người dân Zalo trực tiếp', body]);

test('a new conversation appears live, and its unread count grows, with no reload', async () => {
  const page = await staffPage(b.browser, 'dtv.lan', credentials()['dtv.lan'].password);
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto('/dtv/hop-thu');
  await page.evaluate(() => { window.stayed = true; });
  // The socket is open once the server has it; give it a moment.
  await page.waitForTimeout(500);

  const thread = uniq('zalo-live');
  const { conv } = await receive(thread, 'Tin nhắn đầu tiên qua Zalo');
  const row = page.locator(`tr.conv-row[data-id="${conv}"]`);
  await row.waitFor({ timeout: 10000 });
  assert.match(await row.textContent(), /Tin nhắn đầu tiên qua Zalo/);
  assert.match(await row.locator('td.unread').textContent(), /1/);
  assert.match(await page.textContent('#inbox-status'), /Có tin nhắn mới/);
  assert.equal(await page.getAttribute('#inbox-status', 'aria-live'), 'polite');

  await receive(thread, 'Tin nhắn thứ hai');
  await page.waitForFunction((id) => {
    const td = document.querySelector(`tr.conv-row[data-id="${id}"] td.unread`);
    return td && /2/.test(td.textContent);
  }, conv, { timeout: 10000 });
  assert.equal(await page.evaluate(() => window.stayed), true, 'the page was not reloaded');
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `the inbox reflows on a phone (${wide})`);
});

test('typing a reply tells the visitor\'s side, at most every 3 seconds', async () => {
  const listener = new pg.Client(pgConfig());
  await listener.connect();
  const typing = [];
  listener.on('notification', (n) => {
    const m = JSON.parse(n.payload);
    if (m.event === 'typing') typing.push(m.conversation);
  });
  await listener.query('LISTEN inbox');
  try {
    const { conv } = await receive(uniq('zalo-typing'), 'Cho hỏi thủ tục');
    const page = await staffPage(b.browser, 'dtv.minh', credentials()['dtv.minh'].password);
    await page.goto(`/dtv/hop-thu/${conv}`);
    await page.waitForTimeout(500);
    await page.getByLabel(/Nội dung trả lời/).pressSequentially('Dạ, anh chị', { delay: 30 });
    const until = Date.now() + 5000;
    while (!typing.includes(conv) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(typing.filter((c) => c === conv), [conv], 'one notice for a burst of keys');
  } finally {
    await listener.end();
  }
});

test('the socket refuses what no inbox page sends: too big, too fast', async () => {
  const page = await staffPage(b.browser, 'dtv.lan', credentials()['dtv.lan'].password);
  await page.goto('/dtv/hop-thu');
  const closed = (messages) => page.evaluate((list) => new Promise((resolve) => {
    const ws = new WebSocket(`ws://${location.host}/dtv/hop-thu/ws`);
    const t = setTimeout(() => { ws.close(); resolve(false); }, 4000);
    ws.onopen = () => { for (const m of list) ws.send(m); };
    ws.onclose = () => { clearTimeout(t); resolve(true); };
  }), messages);
  assert.equal(await closed(['x'.repeat(200)]), true, 'a 200-byte message closes it');
  assert.equal(await closed(Array(30).fill('{"ping":1}')), true, '30 messages at once close it');
  assert.equal(await closed(['{"ping":1}', '{"typing":"x"}', 'not json']), false, 'small odd messages are ignored');
});
