// The citizen API and portal against the real stack: submit, track,
// duplicates, and every kind of bad input leaving the database untouched.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { request, getJSON, postJSON, postForm, getPage, one, dbClose, citizen } from '../lib.mjs';

const ip = '127.0.1.1';
after(dbClose);

async function counts() {
  return one(`SELECT (SELECT count(*) FROM tickets)::int AS tickets,
                     (SELECT count(*) FROM ticket_events)::int AS events,
                     (SELECT count(*) FROM attachments)::int AS attachments`);
}

test('healthz reports the database', async () => {
  const r = await getJSON('/healthz', { ip });
  assert.equal(r.status, 200);
  assert.equal(r.json.db, 'ok');
  assert.ok(['ok', 'down'].includes(r.json.janus));
});

test('a JSON submission gets a code, and the citizen can track it', async () => {
  const body = citizen();
  const r = await postJSON('/api/v1/tickets', body, { ip });
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.code, /^\d{4}-[0-9A-Z]{8}$/);
  assert.match(r.json.message, /đã nhận được thông tin góp ý, phản ánh của Quý khách/);

  const t = await getJSON(`/api/v1/tickets/${r.json.code}?phone=0912345678`, { ip });
  assert.equal(t.status, 200, t.text);
  assert.equal(t.json.code, r.json.code);
  assert.equal(t.json.status, 'new');
  assert.equal(t.json.title, body.title);
  assert.equal(t.json.field, 'Xây dựng, đô thị');
  assert.equal(t.json.answer, null);
  assert.equal(t.json.timeline.length, 1);
  assert.equal(t.json.timeline[0].event, 'created');

  // The code is forgiving: lower case and the phone in another notation.
  const t2 = await getJSON(`/api/v1/tickets/${r.json.code.toLowerCase()}?phone=%2B84912345678`, { ip });
  assert.equal(t2.status, 200);

  const row = await one('SELECT phone, channel, status, due_at > created_at AS due_later FROM tickets WHERE code = $1', [r.json.code]);
  assert.deepEqual(row, { phone: '0912345678', channel: 'web', status: 'new', due_later: true });
});

test('a wrong phone looks exactly like an unknown code', async () => {
  const r = await postJSON('/api/v1/tickets', citizen(), { ip });
  const wrong = await getJSON(`/api/v1/tickets/${r.json.code}?phone=0987654321`, { ip });
  const unknown = await getJSON('/api/v1/tickets/2611-00000000?phone=0912345678', { ip });
  assert.equal(wrong.status, 404);
  assert.equal(unknown.status, 404);
  assert.equal(wrong.text, unknown.text);
  assert.ok(!wrong.text.includes('Nguyễn'));
});

test('the same submission twice (double click, retry) makes one ticket', async () => {
  const body = citizen();
  const before = await counts();
  const [a, b] = await Promise.all([
    postJSON('/api/v1/tickets', body, { ip }),
    postJSON('/api/v1/tickets', body, { ip }),
  ]);
  const c = await postJSON('/api/v1/tickets', body, { ip });
  assert.deepEqual([a.status, b.status].sort(), [200, 201]);
  assert.equal(a.json.code, b.json.code);
  assert.equal(c.json.code, a.json.code);
  assert.equal(c.json.duplicate, true);
  const afterCounts = await counts();
  assert.equal(afterCounts.tickets, before.tickets + 1);
  assert.equal(afterCounts.events, before.events + 1);
});

test('bad input gets a clear 4xx and nothing stored changes', async () => {
  const before = await counts();
  const bad = [
    [{ ...citizen(), name: '' }, 400, 'name'],
    [{ ...citizen(), phone: undefined }, 400, 'phone'],
    [{ ...citizen(), phone: '12345' }, 400, 'phone'],
    [{ ...citizen(), email: 'not-an-email' }, 400, 'email'],
    [{ ...citizen(), field: 'khong-co' }, 400, 'field'],
    [{ ...citizen(), title: 'x'.repeat(201) }, 400, 'title'],
    [{ ...citizen(), content: 'ư'.repeat(5001) }, 400, 'content'],
    [{ ...citizen(), content: 'bell \u0007 inside' }, 400, 'content'],
    [{ ...citizen(), title: 42 }, 400, 'body'],
  ];
  for (const [body, status, field] of bad) {
    const r = await postJSON('/api/v1/tickets', body, { ip });
    assert.equal(r.status, status, `${field}: ${r.text}`);
    assert.equal(r.json.field, field);
    assert.ok(r.json.error.length > 5, 'a message a person can read');
  }

  // Invalid UTF-8 (an overlong '/'), sent as raw bytes.
  const raw = Buffer.concat([Buffer.from('{"name":"A'), Buffer.from([0xc0, 0xaf]),
    Buffer.from('","phone":"0912345678","title":"t","content":"c"}')]);
  let r = await request('POST', '/api/v1/tickets', { ip, body: raw, headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 400, r.text);

  r = await postJSON('/api/v1/tickets', '{"name": "A", ', { ip });
  assert.equal(r.status, 400);
  assert.match(r.json.error, /JSON/);

  r = await postJSON('/api/v1/tickets', '[1,2]', { ip });
  assert.equal(r.status, 400);

  r = await request('POST', '/api/v1/tickets', { ip, body: 'name=A', headers: { 'content-type': 'text/plain' } });
  assert.equal(r.status, 415);

  r = await request('POST', '/api/v1/tickets', { ip, body: 'x'.repeat(5 * 1024 * 1024), headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 413);

  r = await request('PUT', '/api/v1/tickets', { ip, body: '{}', headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 405);

  assert.deepEqual(await counts(), before);
});

test('SQL and HTML in fields are stored as text and shown escaped', async () => {
  const evil = `Robert'); DROP TABLE tickets;-- <script>alert(1)</script>`;
  const r = await postJSON('/api/v1/tickets', citizen({ title: evil, name: evil }), { ip });
  assert.equal(r.status, 201, r.text);
  const row = await one('SELECT title, name FROM tickets WHERE code = $1', [r.json.code]);
  assert.equal(row.title, evil);
  const page = await request('GET', `/tra-cuu?ma=${r.json.code}&dt=0912345678`, { ip });
  assert.equal(page.status, 200);
  assert.ok(!page.text.includes('<script>alert(1)</script>'));
  assert.ok(page.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
});

test('the portal form works without JavaScript, and keeps input on error', async () => {
  const cookies = new Map();
  const form = await getPage('/', { ip, cookies });
  assert.equal(form.status, 200);
  assert.ok(form.csrf, 'the form carries a CSRF token');
  assert.match(form.text, /113/);
  assert.match(form.text, /Xây dựng, đô thị/);

  const noToken = await postForm('/gui-phan-anh', { ...citizen() }, { ip, cookies });
  assert.equal(noToken.status, 403);

  const fields = citizen();
  const missing = await postForm('/gui-phan-anh', { ...fields, csrf: form.csrf, phone: '' }, { ip, cookies });
  assert.equal(missing.status, 400);
  assert.match(missing.text, /số điện thoại/);
  assert.ok(missing.text.includes(fields.title), 'what was typed is still there');

  const ok = await postForm('/gui-phan-anh', { ...fields, csrf: form.csrf }, { ip, cookies });
  assert.equal(ok.status, 201, ok.text.slice(0, 500));
  const code = ok.text.match(/id="ticket-code">([^<]+)</)[1];
  assert.match(ok.text, /xin cảm ơn/);

  const track = await request('GET', `/tra-cuu?ma=${code}&dt=0912345678`, { ip });
  assert.equal(track.status, 200);
  assert.match(track.text, /Đã tiếp nhận/);
  const wrong = await request('GET', `/tra-cuu?ma=${code}&dt=0900000000`, { ip });
  assert.equal(wrong.status, 404);
  assert.ok(!wrong.text.includes(fields.title));
});

test('attachments are checked by content, not by name', async () => {
  const cookies = new Map();
  const form = await getPage('/', { ip, cookies });
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4830000000049454e44ae426082', 'hex');
  const boundary = '----t1022' + Date.now();
  const part = (name, value, filename, type) => Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`),
    Buffer.isBuffer(value) ? value : Buffer.from(value), Buffer.from('\r\n')]);
  const build = (file, filename) => {
    const f = citizen();
    return Buffer.concat([
      part('csrf', form.csrf), part('name', f.name), part('phone', f.phone), part('field', f.field),
      part('title', f.title), part('content', f.content), part('files', file, filename, 'image/png'),
      Buffer.from(`--${boundary}--\r\n`)]);
  };
  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };
  const before = await counts();
  const fake = await request('POST', '/gui-phan-anh', { ip, cookies, headers, body: build(Buffer.from('<html><script>x</script></html>'), 'anh.png') });
  assert.equal(fake.status, 400);
  assert.match(fake.text, /không phải ảnh/);
  assert.deepEqual(await counts(), before);

  const good = await request('POST', '/gui-phan-anh', { ip, cookies, headers, body: build(png, 'ảnh chụp.png') });
  assert.equal(good.status, 201, good.text.slice(0, 300));
  const code = good.text.match(/id="ticket-code">([^<]+)</)[1];
  const a = await one('SELECT a.stored_name, a.original_name, a.mime, a.size FROM attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.code = $1', [code]);
  assert.equal(a.original_name, 'ảnh chụp.png');
  assert.equal(a.mime, 'image/png');
  assert.equal(a.size, png.length);
  assert.match(a.stored_name, /^[0-9a-f]{32}\.png$/);
  const served = await request('GET', `/uploads/${a.stored_name}`, { ip });
  assert.notEqual(served.status, 200, 'uploads are not under the web root');
  assert.deepEqual(fs.readFileSync(path.join(uploads, a.stored_name)), png);
});

const uploads = path.join(process.env.TEST_VAR_DIR, 'uploads');
const storedFiles = () => fs.readdirSync(uploads).sort();

test('attachments are on disk before the ticket exists: a double submit or a full disk leaves nothing half-stored', async () => {
  const ip2 = '127.0.1.77';
  const cookies = new Map();
  const form = await getPage('/', { ip: ip2, cookies });
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  // Kept exactly as sent: backslash, braces, commas, angle brackets.
  const fileName = 'Đơn {bản sao}, C:\\hồ sơ\\<1>.pdf';
  const boundary = '----t1022b' + Date.now();
  const part = (name, value, filename, type) => Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`),
    Buffer.isBuffer(value) ? value : Buffer.from(value), Buffer.from('\r\n')]);
  const build = (f) => Buffer.concat([
    part('csrf', form.csrf), part('name', f.name), part('phone', f.phone), part('field', f.field),
    part('title', f.title), part('content', f.content), part('files', pdf, fileName, 'application/pdf'),
    Buffer.from(`--${boundary}--\r\n`)]);
  const headers = { 'content-type': `multipart/form-data; boundary=${boundary}` };

  // The same form sent twice: one ticket, one stored file.
  const body = build(citizen());
  let files = storedFiles();
  const first = await request('POST', '/gui-phan-anh', { ip: ip2, cookies, headers, body });
  assert.equal(first.status, 201, first.text.slice(0, 300));
  assert.equal(storedFiles().length, files.length + 1);
  const firstCode = first.text.match(/id="ticket-code">([^<]+)</)[1];
  const att = await one('SELECT a.original_name FROM attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.code = $1', [firstCode]);
  assert.equal(att.original_name, fileName);
  files = storedFiles();
  const again = await request('POST', '/gui-phan-anh', { ip: ip2, cookies, headers, body });
  assert.equal(again.status, 200, again.text.slice(0, 300));
  assert.deepEqual(storedFiles(), files, 'the repeated submission leaves no file behind');

  // The uploads folder unusable (a full or broken disk): a clear 500 and
  // no ticket without its attachment.
  const before = await counts();
  fs.renameSync(uploads, `${uploads}.aside`);
  fs.writeFileSync(uploads, 'not a folder');
  let broken;
  try {
    broken = await request('POST', '/gui-phan-anh', { ip: ip2, cookies, headers, body: build(citizen()) });
  } finally {
    fs.unlinkSync(uploads);
    fs.renameSync(`${uploads}.aside`, uploads);
  }
  assert.equal(broken.status, 500);
  assert.match(broken.text, /Không lưu được tệp đính kèm/);
  assert.deepEqual(await counts(), before);
  assert.deepEqual(storedFiles(), files);
});

test('too many submissions from one address are refused with 429', async () => {
  const limit = Number(process.env.APP_RATE_SUBMIT || 20);
  const other = '127.0.1.99';
  let refused = 0;
  for (let i = 0; i < limit + 2; i++) {
    const r = await postJSON('/api/v1/tickets', citizen(), { ip: other });
    if (r.status === 429) { refused++; assert.match(r.json.error, /quá nhiều/); }
  }
  assert.equal(refused, 2);
  // Another address is not affected.
  const r = await postJSON('/api/v1/tickets', citizen(), { ip: '127.0.1.98' });
  assert.equal(r.status, 201);
});
