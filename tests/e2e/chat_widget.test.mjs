// The live chat widget in Chromium on a 360 px phone: the visitor writes,
// an operator's reply (message_send, as the inbox does) appears; the
// network drops while the visitor writes and the operator replies, comes
// back, and both sides have every message exactly once.  With no operator
// online the widget's offline form files a ticket and shows its code.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { launch, BASE } from './browser.mjs';
import { login, credentials, one, db, dbClose } from '../lib.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b.close(); await dbClose(); });

const phone = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, locale: 'vi-VN', baseURL: BASE };
const operator = Object.values(credentials()).find((c) => c.role === 'operator').user;

async function reply(conv, text) {
  await db().query(
    "SELECT message_send('chat', c.thread, 'message', NULL, $2, c.id, NULL, (SELECT id FROM users WHERE role = 'operator' ORDER BY id LIMIT 1)) FROM conversations c WHERE c.id = $1",
    [conv, text]);
}
const texts = (page, sel) => page.$$eval(`#chat1022 .chat-log ${sel} .chat-text`, (els) => els.map((e) => e.textContent));

test('a visitor chats, loses the network, comes back: every message once on both sides', async () => {
  await login(operator, '127.0.62.1');
  const ctx = await b.browser.newContext(phone);
  const page = await ctx.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto('/');
  await page.click('.chat-launcher');
  await page.waitForSelector('#chat1022:not([hidden])');
  // Fits a 360 px screen.
  const box = await page.locator('#chat1022').boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 360, JSON.stringify(box));
  await page.waitForFunction(() => /Đã kết nối/.test(document.querySelector('#chat1022 .chat-status').textContent));

  await page.fill('#chat-name', 'Đỗ Thị Trình Duyệt');
  await page.fill('#chat-text', 'Tin thứ nhất của người dân');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#chat1022 .chat-me[data-id]');
  const visitor = await page.evaluate(() => JSON.parse(localStorage.getItem('chat1022.visitor')));
  const thread = crypto.createHash('sha256').update(visitor).digest('hex');
  const conv = Number((await one("SELECT id FROM conversations WHERE channel = 'chat' AND thread = $1", [thread])).id);

  // The operator claims the conversation and types (the inbox's NOTIFYs).
  await db().query(`SELECT pg_notify('inbox', json_build_object('conversation', $1::bigint, 'event', 'claimed', 'name', 'Trần Thị Trực')::text)`, [conv]);
  await page.waitForSelector('#chat1022 .chat-note >> text=Cán bộ Trần Thị Trực đã tham gia cuộc trò chuyện.');
  await db().query(`SELECT pg_notify('inbox', json_build_object('conversation', $1::bigint, 'event', 'typing')::text)`, [conv]);
  await page.waitForSelector('#chat1022 .chat-typing >> text=Cán bộ đang soạn tin…');
  await reply(conv, 'Trả lời thứ nhất của cán bộ');
  await page.waitForSelector('#chat1022 .chat-op >> text=Trả lời thứ nhất của cán bộ');
  assert.equal(await page.textContent('#chat1022 .chat-typing'), '', 'the reply ends "typing"');

  // The network goes; the visitor writes, the operator answers meanwhile.
  await ctx.setOffline(true);
  await page.waitForFunction(() => /Mất kết nối/.test(document.querySelector('#chat1022 .chat-status').textContent));
  await page.fill('#chat-text', 'Tin thứ hai, viết khi mất mạng');
  await page.click('#chat1022 .chat-form button[type=submit]');
  await page.waitForSelector('#chat1022 .chat-pending');
  await reply(conv, 'Trả lời thứ hai, khi người dân mất mạng');
  await ctx.setOffline(false);
  await page.waitForSelector('#chat1022 .chat-op >> text=Trả lời thứ hai, khi người dân mất mạng', { timeout: 20000 });
  await page.waitForFunction(() => !document.querySelector('#chat1022 .chat-pending'), null, { timeout: 20000 });
  await page.waitForTimeout(500);

  assert.deepEqual(await texts(page, '.chat-me'), ['Tin thứ nhất của người dân', 'Tin thứ hai, viết khi mất mạng']);
  assert.deepEqual(await texts(page, '.chat-op'), ['Trả lời thứ nhất của cán bộ', 'Trả lời thứ hai, khi người dân mất mạng']);
  const rows = (await db().query(
    "SELECT direction, body, sender FROM messages WHERE conversation_id = $1 AND channel = 'chat' ORDER BY id", [conv])).rows;
  // Each once (the second message is stored when the network is back).
  assert.deepEqual(rows.map((r) => `${r.direction}:${r.body}`).sort(), [
    'in:Tin thứ nhất của người dân', 'out:Trả lời thứ nhất của cán bộ',
    'in:Tin thứ hai, viết khi mất mạng', 'out:Trả lời thứ hai, khi người dân mất mạng'].sort());
  assert.equal(rows[0].sender, 'Đỗ Thị Trình Duyệt');

  // A reload continues the same conversation, each message once.
  await page.reload();
  await page.click('.chat-launcher');
  await page.waitForFunction(() => document.querySelectorAll('#chat1022 .chat-log li[data-id]').length === 4);
  assert.deepEqual(await texts(page, '.chat-me'), ['Tin thứ nhất của người dân', 'Tin thứ hai, viết khi mất mạng']);
  assert.deepEqual(errors.filter((e) => /Content Security Policy|WebSocket/.test(e) && !/ERR_INTERNET_DISCONNECTED/.test(e)), []);

  // An image from the phone goes into the conversation.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  await page.setInputFiles('#chat-file', { name: 'hien-truong.png', mimeType: 'image/png', buffer: png });
  await page.waitForSelector('#chat1022 .chat-me[data-id] .chat-img >> text=Ảnh: hien-truong.png');
  const att = await one("SELECT a.original_name, a.mime FROM message_attachments a JOIN messages m ON m.id = a.message_id WHERE m.conversation_id = $1", [conv]);
  assert.deepEqual(att, { original_name: 'hien-truong.png', mime: 'image/png' });
  await ctx.close();
});

test('no operator online: the offline form files a ticket and shows its code', async () => {
  await db().query("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE role = 'operator')");
  const ctx = await b.browser.newContext(phone);
  const page = await ctx.newPage();
  await page.goto('/');
  await page.click('.chat-launcher');
  await page.waitForSelector('#chat1022 .chat-offline:not([hidden])');
  const content = `Ngoài giờ: hỏi về cấp lại căn cước ${Date.now()}`;
  await page.fill('#chat-off-name', 'Bùi Văn Tối');
  await page.fill('#chat-off-phone', '0912 111 333');
  await page.fill('#chat-off-content', content);
  await page.click('#chat1022 .chat-offline button[type=submit]');
  await page.waitForSelector('#chat1022 .chat-off-result .code');
  const code = (await page.textContent('#chat1022 .chat-off-result .code')).trim();
  const t = await one('SELECT channel, content FROM tickets WHERE code = $1', [code]);
  assert.equal(t.channel, 'chat');
  assert.equal(t.content, content);
  await ctx.close();
});
