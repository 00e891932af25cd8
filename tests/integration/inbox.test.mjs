// The operators' inbox against the real stack: conversations that
// message_receive() files (as every channel does) in one list with its
// filters, the claim race between two operators, a reply queued once on the
// conversation's own channel, a conversation becoming a ticket (once, even
// sent twice) or joining an existing one, agencies kept out, and the staff
// form's channel choice down to the statistics.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import crypto from 'node:crypto';
import { request, postForm, login, one, db, dbClose, uniq } from '../lib.mjs';

const ip = '127.0.31.1';
after(dbClose);

const sessions = {};
async function as(user) {
  if (!sessions[user]) sessions[user] = await login(user, ip);
  return sessions[user];
}

// An inbound message, as a channel's receiver files it.
async function receive(channel, thread, { name = null, subject = null, body = 'Xin chào', phone = null, email = null } = {}) {
  return one(`SELECT conversation_id::int AS conv, message_id::int AS msg, created
              FROM message_receive($1, $2, $3, $4, $5, $6, '{}', NULL, $7, $8)`,
  [channel, uniq('ext'), thread, name, subject, body, phone, email]);
}

const act = (s, conv, action, fields = {}) =>
  postForm(`/dtv/hop-thu/${conv}/${action}`, { csrf: s.csrf, ...fields }, s);

test('agencies and visitors never see the inbox', async () => {
  let r = await request('GET', '/dtv/hop-thu', { ip });
  assert.equal(r.status, 303);
  assert.match(r.headers.location, /^\/dang-nhap/);
  const ag = await as('cb.stnmt');
  const { conv } = await receive('zalo', uniq('zalo-user'), { name: 'Người Zalo' });
  for (const path of ['/dtv/hop-thu', `/dtv/hop-thu/${conv}`, `/dtv/hop-thu/${conv}/ticket`, '/dtv/hop-thu/ws']) {
    r = await request('GET', path, ag);
    assert.equal(r.status, 403, path);
  }
  r = await act(ag, conv, 'claim');
  assert.equal(r.status, 403);
  // The socket opens only for a page of ours (Origin is PUBLIC_URL).
  const s = await as('dtv.lan');
  r = await request('GET', '/dtv/hop-thu/ws', { ...s, headers: {
    origin: 'http://evil.example', upgrade: 'websocket', connection: 'Upgrade',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' } });
  assert.equal(r.status, 403);
  assert.equal((await one('SELECT claimed_by FROM conversations WHERE id = $1', [conv])).claimed_by, null);
});

test('every channel in one list, newest first, with unread count, waiting time and filters', async () => {
  const s = await as('dtv.lan');
  const zname = `Trần Zalo ${uniq()}`;
  const ename = `Lê Mail ${uniq()}`;
  const z = await receive('zalo', uniq('zalo-user'), { name: zname, body: 'Cho hỏi giờ làm việc' });
  await receive('zalo', (await one('SELECT thread FROM conversations WHERE id = $1', [z.conv])).thread,
    { name: zname, body: 'Tin thứ hai về giờ làm việc' });
  const e = await receive('email', `${uniq('dan')}@example.vn`, { name: ename, subject: 'Hỏi về hộ chiếu', body: 'Làm hộ chiếu ở đâu?' });

  let r = await request('GET', '/dtv/hop-thu', s);
  assert.equal(r.status, 200);
  assert.ok(r.text.indexOf(ename) >= 0 && r.text.indexOf(zname) >= 0);
  assert.ok(r.text.indexOf(ename) < r.text.indexOf(zname), 'the newest activity first');
  const zrow = r.text.slice(r.text.indexOf(`data-id="${z.conv}"`));
  assert.match(zrow.slice(0, 1200), /Zalo/);
  assert.match(zrow.slice(0, 1200), /Tin thứ hai về giờ làm việc/);
  assert.match(zrow.slice(0, 1200), /<strong>2<\/strong>/, 'two unread');
  assert.match(zrow.slice(0, 1200), /dưới 1 phút|phút/);
  assert.match(zrow.slice(0, 1200), /Chưa ai nhận/);
  assert.match(r.text, /href="\/dtv\/hop-thu"/, 'the staff navigation links the inbox');

  r = await request('GET', '/dtv/hop-thu?channel=zalo', s);
  assert.ok(r.text.includes(zname) && !r.text.includes(ename));
  r = await request('GET', '/dtv/hop-thu?channel=email', s);
  assert.ok(!r.text.includes(zname) && r.text.includes(ename));

  assert.equal((await act(s, z.conv, 'claim')).status, 303);
  r = await request('GET', '/dtv/hop-thu?who=mine', s);
  assert.ok(r.text.includes(zname) && !r.text.includes(ename));
  r = await request('GET', '/dtv/hop-thu?who=free', s);
  assert.ok(!r.text.includes(zname) && r.text.includes(ename));

  // Opened: read.  Closed (after confirming): in the closed list only.
  r = await request('GET', `/dtv/hop-thu/${z.conv}`, s);
  assert.equal(r.status, 200);
  assert.match(r.text, /Cho hỏi giờ làm việc[\s\S]*Tin thứ hai về giờ làm việc/);
  assert.equal((await one('SELECT unread FROM conversations WHERE id = $1', [z.conv])).unread, 0);
  r = await act(s, z.conv, 'close');
  assert.equal(r.status, 400, 'closing asks for a confirmation first');
  assert.equal((await one('SELECT state FROM conversations WHERE id = $1', [z.conv])).state, 'open');
  assert.equal((await act(s, z.conv, 'close', { confirm: '1' })).status, 303);
  r = await request('GET', '/dtv/hop-thu', s);
  assert.ok(!r.text.includes(zname));
  r = await request('GET', '/dtv/hop-thu?state=closed', s);
  assert.ok(r.text.includes(zname));
  assert.equal((await act(s, z.conv, 'reopen')).status, 303);
  assert.equal((await one('SELECT state FROM conversations WHERE id = $1', [z.conv])).state, 'open');

  r = await request('GET', '/dtv/hop-thu?channel=sms', s);
  assert.equal(r.status, 400);
  r = await request('GET', '/dtv/hop-thu?who=%27', s);
  assert.equal(r.status, 400);
});

test('the transcript links a message\'s files, for staff only', async () => {
  const s = await as('dtv.lan');
  const { conv, msg } = await receive('email', `${uniq('tep')}@example.vn`, { subject: 'Hồ sơ', body: 'Gửi kèm đơn' });
  const stored = `${crypto.randomBytes(16).toString('hex')}.pdf`;
  fs.mkdirSync(`${process.env.TEST_VAR_DIR}/uploads`, { recursive: true });
  fs.writeFileSync(`${process.env.TEST_VAR_DIR}/uploads/${stored}`, '%PDF-1.4 đơn');
  const { id } = await one(`INSERT INTO message_attachments (message_id, stored_name, original_name, mime, size)
      VALUES ($1, $2, 'Đơn đề nghị.pdf', 'application/pdf', 16) RETURNING id::int`, [msg, stored]);
  let r = await request('GET', `/dtv/hop-thu/${conv}`, s);
  assert.match(r.text, new RegExp(`<a href="/dtv/hop-thu/tep/${id}">Đơn đề nghị.pdf</a>`));
  r = await request('GET', `/dtv/hop-thu/tep/${id}`, s);
  assert.equal(r.status, 200);
  assert.equal(r.headers['content-type'], 'application/pdf');
  assert.match(r.headers['content-disposition'], /^attachment/);
  r = await request('GET', `/dtv/hop-thu/tep/${id}`, await as('cb.stnmt'));
  assert.equal(r.status, 403);
});

test('the same person on several channels is one contact: the page shows the others', async () => {
  const s = await as('dtv.lan');
  const phone = `09${String(Date.now()).slice(-8)}`;
  const z = await receive('zalo', uniq('zalo-user'), { name: 'Bà Năm', body: 'Hỏi qua Zalo', phone });
  const e = await receive('email', `${uniq('ba.nam')}@example.vn`, { name: 'Bà Năm', subject: 'Hỏi lại qua e-mail', body: 'Hỏi qua e-mail', phone });
  const contacts = await one('SELECT (SELECT contact_id FROM conversations WHERE id = $1) AS a, (SELECT contact_id FROM conversations WHERE id = $2) AS b', [z.conv, e.conv]);
  assert.ok(contacts.a);
  assert.equal(contacts.a, contacts.b, 'linked by the phone');
  const t = await postForm('/dtv/tao-phieu', { csrf: s.csrf, phone, title: `Gọi ${uniq()}`, content: 'Bà Năm gọi điện' }, s);
  const { code } = await one('SELECT code FROM tickets WHERE id = $1', [Number(t.headers.location.split('/').pop())]);
  const r = await request('GET', `/dtv/hop-thu/${z.conv}`, s);
  const related = r.text.slice(r.text.indexOf('id="related"'), r.text.indexOf('Nội dung trao đổi'));
  assert.match(related, new RegExp(`href="/dtv/hop-thu/${e.conv}"[^<]*</a> · E-mail`));
  assert.match(related, new RegExp(`Phiếu ${code}</a> · Điện thoại 1022`));
});

test('two operators claim at once: one wins, the other is told who', async () => {
  const [a, b] = [await as('dtv.lan'), await as('dtv.minh')];
  const { conv } = await receive('facebook', uniq('psid'), { name: 'Người Facebook' });
  const [ra, rb] = await Promise.all([act(a, conv, 'claim'), act(b, conv, 'claim')]);
  const statuses = [ra.status, rb.status].sort();
  assert.deepEqual(statuses, [303, 409]);
  const loser = ra.status === 409 ? ra : rb;
  const row = await one('SELECT u.username, u.full_name FROM conversations c JOIN users u ON u.id = c.claimed_by WHERE c.id = $1', [conv]);
  assert.equal(row.username, ra.status === 303 ? 'dtv.lan' : 'dtv.minh');
  assert.match(loser.text, new RegExp(`Đã được ${row.full_name} nhận`));
  // Only the holder gives it back.
  const other = ra.status === 409 ? a : b;
  const holder = ra.status === 409 ? b : a;
  assert.equal((await act(other, conv, 'release')).status, 409);
  assert.equal((await act(holder, conv, 'release')).status, 303);
  assert.equal((await one('SELECT claimed_by FROM conversations WHERE id = $1', [conv])).claimed_by, null);
});

test('a reply is queued once, on the conversation\'s channel, to its thread, under its subject', async () => {
  const s = await as('dtv.lan');
  const addr = `${uniq('nguoidan')}@example.vn`;
  const { conv } = await receive('email', addr, { name: 'Phạm Văn Thư', subject: 'Giấy phép lái xe', body: 'Đổi bằng lái ở đâu?' });
  let r = await act(s, conv, 'reply', { body: '' });
  assert.equal(r.status, 400);
  assert.equal((await one(`SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND direction = 'out'`, [conv])).n, 0);

  r = await act(s, conv, 'reply', { body: 'Anh đến Sở GTVT, số 1 đường Lý Thường Kiệt.' });
  assert.equal(r.status, 303);
  const out = (await db().query(`SELECT m.channel, m.recipient, m.subject, m.body, m.kind, m.state, u.username
      FROM messages m JOIN users u ON u.id = m.author_id WHERE m.conversation_id = $1 AND m.direction = 'out'`, [conv])).rows;
  assert.equal(out.length, 1);
  assert.deepEqual(out[0], {
    channel: 'email', recipient: addr, subject: 'Re: Giấy phép lái xe',
    body: 'Anh đến Sở GTVT, số 1 đường Lý Thường Kiệt.', kind: 'message',
    state: out[0].state, username: 'dtv.lan',
  });
  assert.ok(['pending', 'sending', 'sent', 'failed'].includes(out[0].state));
  const c = await one('SELECT waiting_since, unread FROM conversations WHERE id = $1', [conv]);
  assert.equal(c.waiting_since, null, 'answered: nobody waits');
  r = await request('GET', `/dtv/hop-thu/${conv}`, s);
  assert.match(r.text, /Anh đến Sở GTVT/);
  assert.match(r.text, /Chờ gửi|Đã gửi|Lỗi/);
});

test('a conversation becomes one ticket with its channel and transcript, even sent twice', async () => {
  const s = await as('dtv.lan');
  const thread = uniq('zalo-user');
  const { conv } = await receive('zalo', thread, { name: 'Võ Thị Zalo', body: 'Đường ấp 3 bị ngập nặng', phone: '0912000333' });
  let r = await request('GET', `/dtv/hop-thu/${conv}/ticket`, s);
  assert.equal(r.status, 200);
  assert.match(r.text, /value="Võ Thị Zalo"/);
  assert.match(r.text, /value="0912000333"/);
  const content = r.text.match(/<textarea id="content"[^>]*>([^<]*)<\/textarea>/)[1];
  assert.match(content, /Võ Thị Zalo: Đường ấp 3 bị ngập nặng/);

  const form = { csrf: s.csrf, name: 'Võ Thị Zalo', phone: '0912000333', title: 'Ngập đường ấp 3', content: 'Võ Thị Zalo: Đường ấp 3 bị ngập nặng' };
  const [r1, r2] = await Promise.all([act(s, conv, 'ticket', form), act(s, conv, 'ticket', form)]);
  assert.equal(r1.status, 303, r1.text.slice(0, 300));
  assert.equal(r2.status, 303, r2.text.slice(0, 300));
  assert.equal(r1.headers.location, r2.headers.location);
  const id = Number(r1.headers.location.match(/^\/dtv\/phieu\/(\d+)$/)[1]);
  const t = await one('SELECT channel, phone, title, content FROM tickets WHERE id = $1', [id]);
  assert.deepEqual(t, { channel: 'zalo', phone: '0912000333', title: 'Ngập đường ấp 3', content: 'Võ Thị Zalo: Đường ấp 3 bị ngập nặng' });
  assert.equal((await one(`SELECT count(*)::int AS n FROM tickets WHERE title = 'Ngập đường ấp 3' AND created_at > now() - interval '1 hour'`)).n, 1);
  assert.equal((await one('SELECT ticket_id::int AS t FROM conversations WHERE id = $1', [conv])).t, id);
  assert.equal((await one('SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1 AND ticket_id IS DISTINCT FROM $2', [conv, id])).n, 0);
  const ev = await one(`SELECT note, payload FROM ticket_events WHERE ticket_id = $1 AND payload ? 'conversation_id'`, [id]);
  assert.equal(Number(ev.payload.conversation_id), conv);

  // The ticket's page shows the conversation and answers the citizen on
  // its channel, the message carrying the ticket.
  r = await request('GET', `/dtv/phieu/${id}`, s);
  assert.equal(r.status, 200);
  assert.match(r.text, /Trao đổi qua Zalo với Võ Thị Zalo/);
  assert.match(r.text, /Đường ấp 3 bị ngập nặng/);
  r = await postForm(`/dtv/hop-thu/${conv}/reply`, { csrf: s.csrf, from_ticket: '1', body: 'Đã chuyển cho UBND xã.' }, s);
  assert.equal(r.status, 303);
  assert.equal(r.headers.location, `/dtv/phieu/${id}`);
  const sent = await one(`SELECT channel, recipient, ticket_id::int AS t FROM messages WHERE conversation_id = $1 AND direction = 'out'`, [conv]);
  assert.deepEqual(sent, { channel: 'zalo', recipient: thread, t: id });
  r = await request('GET', `/dtv/phieu/${id}`, s);
  const mine = r.text.slice(r.text.indexOf(`id="conversation-${conv}"`));
  assert.match(mine, /Đã chuyển cho UBND xã\.[\s\S]*<\/li>/);
  assert.match(mine, /Chờ gửi|Đã gửi|Lỗi/);
  assert.doesNotMatch(mine.slice(0, mine.indexOf('</ol>')), /href="\/dtv\/hop-thu\/tep\//, 'no file taken from the ticket around');

  // A third time, later: still that ticket.
  r = await act(s, conv, 'ticket', { ...form, title: 'Lần nữa' });
  assert.equal(r.headers.location, `/dtv/phieu/${id}`);
  // A title is required, as on every ticket form.
  const other = await receive('chat', uniq('visitor'), { body: 'Xin chào' });
  r = await act(s, other.conv, 'ticket', { csrf: s.csrf, title: '', content: 'x' });
  assert.equal(r.status, 400);
  assert.equal((await one('SELECT ticket_id FROM conversations WHERE id = $1', [other.conv])).ticket_id, null);
});

test('a conversation joins an existing ticket by its code', async () => {
  const s = await as('dtv.lan');
  const r0 = await postForm('/dtv/tao-phieu', { csrf: s.csrf, phone: '0913 444 555', title: `Gọi ${uniq()}`, content: 'Hỏi về đất đai' }, s);
  assert.equal(r0.status, 303);
  const id = Number(r0.headers.location.split('/').pop());
  const { code } = await one('SELECT code FROM tickets WHERE id = $1', [id]);
  const { conv } = await receive('email', `${uniq('a')}@example.vn`, { subject: 'Bổ sung hồ sơ', body: 'Gửi thêm giấy tờ' });
  let r = await act(s, conv, 'attach', { code: 'KHONG-CO' });
  assert.equal(r.status, 404);
  assert.match(r.text, /Không tìm thấy phiếu/);
  r = await act(s, conv, 'attach', { code: code.toLowerCase() });
  assert.equal(r.status, 303);
  assert.equal(r.headers.location, `/dtv/phieu/${id}`);
  assert.equal((await one('SELECT ticket_id::int AS t FROM conversations WHERE id = $1', [conv])).t, id);
  assert.equal((await one('SELECT ticket_id::int AS t FROM messages WHERE conversation_id = $1', [conv])).t, id);
});

test('the staff form\'s channel choice lands in the ticket and in the statistics by channel', async () => {
  const s = await as('dtv.lan');
  const page = await request('GET', '/dtv/tao-phieu', s);
  for (const text of ['Điện thoại 1022', 'E-mail', 'Zalo', 'Facebook', 'Trực tiếp tại trụ sở', 'Thư, văn bản', 'Kênh khác'])
    assert.ok(page.text.includes(`>${text}</option>`), text);
  const { today } = await one(`SELECT to_char(now(), 'YYYY-MM-DD') AS today`);
  const sup = await as('lanhdao');
  const count = async () => {
    const r = await request('GET', `/giam-sat/thong-ke.json?tu=${today}&den=${today}&theo=kenh`, sup);
    assert.equal(r.status, 200, r.text);
    const row = r.json.rows.find((x) => x.key === 'letter');
    return row ? row.received : 0;
  };
  const before = await count();

  // A phone ticket still needs the phone; an e-mail one its address.
  let r = await postForm('/dtv/tao-phieu', { csrf: s.csrf, title: 'Không số', content: 'x' }, s);
  assert.equal(r.status, 400);
  r = await postForm('/dtv/tao-phieu', { csrf: s.csrf, channel: 'email', title: 'Không e-mail', content: 'x' }, s);
  assert.equal(r.status, 400);
  assert.match(r.text, /e-mail/);
  r = await postForm('/dtv/tao-phieu', { csrf: s.csrf, channel: 'zalo', title: 'Không cách liên hệ', content: 'x' }, s);
  assert.equal(r.status, 400);
  r = await postForm('/dtv/tao-phieu', { csrf: s.csrf, channel: 'web', phone: '0913000111', title: 'x', content: 'y' }, s);
  assert.equal(r.status, 400, 'the portal is not the staff form\'s');

  const title = `Thư ${uniq()}`;
  r = await postForm('/dtv/tao-phieu', { csrf: s.csrf, channel: 'letter', name: 'Ông Bưu', title, content: 'Thư tay gửi Tổng đài.' }, s);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const t = await one('SELECT channel, phone, email FROM tickets WHERE title = $1', [title]);
  assert.deepEqual(t, { channel: 'letter', phone: null, email: null });
  r = await postForm('/dtv/tao-phieu', { csrf: s.csrf, channel: 'email', email: 'ba.hai@example.vn', title: `Mail ${uniq()}`, content: 'Nội dung' }, s);
  assert.equal(r.status, 303);
  assert.equal((await one('SELECT channel, email FROM tickets WHERE id = $1', [Number(r.headers.location.split('/').pop())])).channel, 'email');

  assert.equal(await count(), before + 1);
  const html = await request('GET', `/giam-sat?tu=${today}&den=${today}&theo=kenh`, sup);
  assert.match(html.text, /Thư, văn bản/);
});

test('a Zalo image and a place show on the transcript as links to the provider and to a map', async () => {
  const s = await as('dtv.minh');
  const url = 'https://photo-zalo.example/abc/anh-ngap.jpg';
  const { conv } = await one(`SELECT conversation_id::int AS conv FROM message_receive('zalo', $1, $2, NULL, NULL, '',
      $3::jsonb)`, [uniq('ext'), uniq('zalo-user'),
    JSON.stringify({ attachments: [{ type: 'image', url }, { type: 'file', url: 'javascript:alert(1)' }],
      location: { lat: 10.4557, long: 105.6339 } })]);
  const r = await request('GET', `/dtv/hop-thu/${conv}`, s);
  assert.equal(r.status, 200);
  assert.match(r.text, new RegExp(`<a href="${url.replace(/\./g, '\\.')}" rel="noopener noreferrer" target="_blank">Ảnh</a>`));
  assert.doesNotMatch(r.text, /javascript:alert/, 'only http(s) links');
  assert.match(r.text, /openstreetmap\.org\/\?mlat=10\.4557&amp;mlon=105\.6339/);
  assert.match(r.text, /Vị trí 10\.4557, 105\.6339/);
});
