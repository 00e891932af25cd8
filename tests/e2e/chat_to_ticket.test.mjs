// The whole written channel in two browsers at once, as issue 9 tells it:
// a citizen opens the chat widget on the portal (a phone) and writes; the
// operator's inbox (another browser, logged in) shows the conversation live;
// the operator claims it and replies from the conversation's page; the
// citizen sees the operator join and the reply; the citizen's network drops
// while both write and comes back, and nothing is lost or doubled on either
// side; the operator makes the conversation a ticket with its transcript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { launch, staffPage, BASE } from './browser.mjs';
import { credentials, one, db, dbClose } from '../lib.mjs';

let b;
before(async () => { b = await launch(); });
after(async () => { await b?.close(); await dbClose(); });

const phone = { viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, locale: 'vi-VN', baseURL: BASE };
const mine = (page) => page.$$eval('#chat1022 .chat-log .chat-me .chat-text', (els) => els.map((e) => e.textContent));
const theirs = (page) => page.$$eval('#chat1022 .chat-log .chat-op .chat-text', (els) => els.map((e) => e.textContent));

async function operatorReplies(op, text) {
  await op.fill('#body', text);
  await Promise.all([op.waitForNavigation(), op.click('#reply-form button[type=submit]')]);
}

test('citizen chat → live inbox → claim and reply → network drop → ticket with the transcript', async () => {
  const tag = Date.now().toString(36);
  const first = `Xin hỏi thủ tục đăng ký khai sinh (${tag})`;

  // The operator is logged in (so the widget offers chat) with the inbox open.
  const op = await staffPage(b.browser, 'dtv.lan', credentials()['dtv.lan'].password);
  await op.goto('/dtv/hop-thu');
  await op.evaluate(() => { window.stayed = true; });
  await op.waitForTimeout(500);

  // The citizen writes from the portal.
  const ctx = await b.browser.newContext(phone);
  const cit = await ctx.newPage();
  await cit.goto('/');
  await cit.click('.chat-launcher');
  await cit.waitForFunction(() => /Đã kết nối/.test(document.querySelector('#chat1022 .chat-status').textContent));
  await cit.fill('#chat-name', 'Lê Văn Công Dân');
  await cit.fill('#chat-text', first);
  await cit.keyboard.press('Enter');
  await cit.waitForSelector('#chat1022 .chat-me[data-id]');
  const visitor = await cit.evaluate(() => JSON.parse(localStorage.getItem('chat1022.visitor')));
  const thread = crypto.createHash('sha256').update(visitor).digest('hex');
  const conv = Number((await one("SELECT id FROM conversations WHERE channel = 'chat' AND thread = $1", [thread])).id);

  // The inbox shows it without a reload.
  const row = op.locator(`tr.conv-row[data-id="${conv}"]`);
  await row.waitFor({ timeout: 10000 });
  assert.match(await row.textContent(), new RegExp(tag));
  assert.equal(await op.evaluate(() => window.stayed), true, 'the inbox was not reloaded');

  // The operator opens it, claims it; the citizen is told.
  await op.goto(`/dtv/hop-thu/${conv}`);
  await Promise.all([op.waitForNavigation(), op.click('button:has-text("Nhận xử lý")')]);
  assert.match(await op.textContent('#claim-holder'), /\(tôi\)/);
  await cit.waitForSelector('#chat1022 .chat-note >> text=/đã tham gia cuộc trò chuyện/', { timeout: 10000 });

  // A reply from the page reaches the citizen's widget.
  await operatorReplies(op, 'Chào anh, anh cần tờ khai và giấy chứng sinh.');
  await cit.waitForSelector('#chat1022 .chat-op >> text=Chào anh, anh cần tờ khai và giấy chứng sinh.', { timeout: 10000 });

  // The citizen's network drops; both write meanwhile; it comes back.
  await ctx.setOffline(true);
  await cit.waitForFunction(() => /Mất kết nối/.test(document.querySelector('#chat1022 .chat-status').textContent));
  await cit.fill('#chat-text', 'Nộp ở đâu ạ?');
  await cit.click('#chat1022 .chat-form button[type=submit]');
  await cit.waitForSelector('#chat1022 .chat-pending');
  await operatorReplies(op, 'Anh nộp tại UBND xã nơi cư trú.');
  await ctx.setOffline(false);
  await cit.waitForSelector('#chat1022 .chat-op >> text=Anh nộp tại UBND xã nơi cư trú.', { timeout: 20000 });
  await cit.waitForFunction(() => !document.querySelector('#chat1022 .chat-pending'), null, { timeout: 20000 });
  await cit.waitForTimeout(500);

  // Each message once, in the widget, in the database and on the operator's page.
  assert.deepEqual(await mine(cit), [first, 'Nộp ở đâu ạ?']);
  assert.deepEqual(await theirs(cit), ['Chào anh, anh cần tờ khai và giấy chứng sinh.', 'Anh nộp tại UBND xã nơi cư trú.']);
  const rows = (await db().query(
    "SELECT direction, body FROM messages WHERE conversation_id = $1 AND kind = 'message' ORDER BY id", [conv])).rows;
  assert.deepEqual(rows.map((r) => `${r.direction}:${r.body}`).sort(), [
    `in:${first}`, 'in:Nộp ở đâu ạ?',
    'out:Chào anh, anh cần tờ khai và giấy chứng sinh.', 'out:Anh nộp tại UBND xã nơi cư trú.'].sort());
  await op.reload();
  const transcript = await op.textContent('#transcript');
  for (const t of [first, 'Nộp ở đâu ạ?', 'Anh nộp tại UBND xã nơi cư trú.'])
    assert.equal(transcript.split(t).length - 1, 1, `once on the operator's page: ${t}`);

  // The conversation becomes a ticket with its transcript.
  await op.click('a:has-text("Tạo phiếu")');
  await op.waitForSelector('textarea#content');
  const prefilled = await op.inputValue('textarea#content');
  assert.match(prefilled, new RegExp(tag));
  assert.match(prefilled, /UBND xã nơi cư trú/);
  await op.fill('#phone', '0912 345 678');
  await op.fill('#title', `Hỏi thủ tục khai sinh ${tag}`);
  await Promise.all([op.waitForNavigation(), op.click('form button[type=submit].primary')]);
  const t = await one(
    'SELECT t.channel, t.content, t.id FROM tickets t JOIN conversations c ON c.ticket_id = t.id WHERE c.id = $1', [conv]);
  assert.equal(t.channel, 'chat');
  assert.match(t.content, new RegExp(tag));
  assert.match(t.content, /Anh nộp tại UBND xã nơi cư trú/);
  assert.match(op.url(), new RegExp(`/dtv/phieu/${t.id}$`));
  await ctx.close();
});
