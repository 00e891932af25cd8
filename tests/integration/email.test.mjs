// E-mail in over IMAP and out over SMTP (src/mail*.c), against real mail
// servers: a private dovecot (IMAP, LMTP) and postfix (SMTP) started on
// loopback by tests/tools/mailserver.sh.  Citizens' mails are handed to
// postfix with curl, as any mail client would; what the center sends is
// read back from the citizens' mailboxes over IMAP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { one, db, dbClose, uniq, postJSON, citizen } from '../lib.mjs';

const IMAP = 21210, SMTP = 21225;
const CENTER = 'tongdai@tongdai.test';
const TOOL = path.join(path.dirname(new URL(import.meta.url).pathname), '../tools/mailserver.sh');
const ACK = 'Tổng đài Thông tin dịch vụ công tỉnh Đồng Tháp đã nhận được thông tin góp ý, phản ánh của Quý khách, xin cảm ơn.';
let dir;

function run(cmd, args, input) {
  return new Promise((resolve, reject) => {
    const p = execFile(cmd, args, { encoding: 'latin1', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(Buffer.from(stdout, 'latin1'));
    });
    if (input !== undefined) p.stdin.end(input);
  });
}
const mailserver = (cmd) => run(TOOL, [cmd, dir]);

// A mail handed to postfix, as a citizen's mail program would.
const smtpSend = (from, to, raw) => run('curl', ['-sS', `smtp://127.0.0.1:${SMTP}`,
  '--mail-from', from, '--mail-rcpt', to, '-T', '-'], Buffer.isBuffer(raw) ? raw : Buffer.from(raw));
const imap = async (user, command) => (await run('curl', ['-sS', '--user', `${user}:secret`,
  `imap://127.0.0.1:${IMAP}/INBOX`, '-X', command])).toString('latin1');
const imapFetch = async (user, uid) => (await run('curl', ['-sS', '--user', `${user}:secret`,
  `imap://127.0.0.1:${IMAP}/INBOX/;UID=${uid}`])).toString('latin1');
const searchUids = (out) => {
  const m = out.match(/\* SEARCH([\d ]*)/);
  return m ? m[1].trim().split(/\s+/).filter(Boolean).map(Number) : [];
};
// The copies of one mail in the center's mailbox: [{uid, flags}], read
// without changing them (SEARCH and FETCH FLAGS set no flag).
async function centerBox(id) {
  const uids = searchUids(await imap(CENTER, `UID SEARCH HEADER Message-ID "<${id}>"`).catch(() => ''));
  const out = [];
  for (const uid of uids) {
    const f = (await imap(CENTER, `UID FETCH ${uid} (FLAGS)`)).match(/FLAGS \(([^)]*)\)/);
    out.push({ uid, flags: f ? f[1] : '' });
  }
  return out;
}
const inbox = async (user) => searchUids(await imap(user, 'UID SEARCH ALL').catch(() => ''));
const seen = async (id, n = 1) => (await centerBox(id)).filter((x) => /\\Seen/.test(x.flags)).length === n;

async function waitFor(what, fn, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
const stored = (id) => waitFor(`message ${id}`, () => one(
  "SELECT * FROM messages WHERE channel = 'email' AND direction = 'in' AND external_id = $1", [id]));

function mail({ from, name = 'Nguyễn Văn An', subject = 'Phản ánh', id, body = 'Đèn đường hỏng.', headers = '' }) {
  const enc = (s) => `=?utf-8?B?${Buffer.from(s).toString('base64')}?=`;
  return `From: ${enc(name)} <${from}>\r\nTo: ${CENTER}\r\nSubject: ${enc(subject)}\r\n` +
    `Message-ID: <${id}>\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\n${headers}` +
    'Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n' + body + '\r\n';
}
const citizenAddr = (tag) => `${tag.toLowerCase()}@citizen.test`;
const acksTo = async (addr) => Number((await one(
  "SELECT count(*) FROM messages WHERE channel = 'email' AND direction = 'out' AND kind = 'ack' AND recipient = $1",
  [addr])).count);

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongdai-mail-'));
  await mailserver('start');
  // Set while the app runs: the fetcher takes settings as they change.
  await db().query("DELETE FROM channel_settings WHERE channel = 'email'");
  const settings = {
    imap_url: `imap://127.0.0.1:${IMAP}/INBOX`, imap_user: CENTER, imap_password: 'secret',
    smtp_url: `smtp://127.0.0.1:${SMTP}`, from_address: CENTER, from_name: 'Tổng đài 1022',
    poll_seconds: '1',
  };
  for (const [name, value] of Object.entries(settings))
    await db().query("INSERT INTO channel_settings (channel, name, value, secret) VALUES ('email', $1, $2, $3)",
      [name, value, name.endsWith('password')]);
});

after(async () => {
  await db().query("DELETE FROM channel_settings WHERE channel = 'email'").catch(() => {});
  await dbClose();
  if (dir) { await mailserver('stop').catch(() => {}); fs.rmSync(dir, { recursive: true, force: true }); }
});

test("a citizen's mail makes one conversation and an acknowledgement arrives in the citizen's mailbox", async () => {
  const tag = uniq('an'), from = citizenAddr(tag), id = `${tag}@citizen.test`;
  await smtpSend(from, CENTER, mail({ from, id, subject: 'Đèn đường hỏng ở phường 1' }));
  const m = await stored(id);
  assert.equal(m.sender, 'Nguyễn Văn An');
  assert.equal(m.subject, 'Đèn đường hỏng ở phường 1');
  assert.equal(m.body, 'Đèn đường hỏng.');
  const convs = await db().query("SELECT id FROM conversations WHERE channel = 'email' AND thread = $1", [from]);
  assert.equal(convs.rows.length, 1);
  assert.equal(convs.rows[0].id, m.conversation_id);

  const ack = await waitFor('the acknowledgement sent', () => one(
    "SELECT * FROM messages WHERE kind = 'ack' AND recipient = $1 AND state = 'sent'", [from]));
  assert.equal(ack.conversation_id, m.conversation_id);
  assert.equal(ack.body, ACK);
  const uids = await waitFor('the acknowledgement delivered', async () => { const u = await inbox(from); return u.length ? u : null; });
  assert.equal(uids.length, 1);
  const raw = await imapFetch(from, uids[0]);
  assert.match(raw, new RegExp(`^In-Reply-To: <${id}>\\r?$`, 'mi'));
  assert.match(raw, /^Auto-Submitted: auto-replied\r?$/mi);
  assert.match(raw, new RegExp(`^Message-Id: <${ack.external_id}>\\r?$`, 'mi'));
  assert.match(raw, /^Subject: Re: =\?utf-8\?[bq]\?/mi);
  assert.match(raw, /Content-Transfer-Encoding: quoted-printable/i);

  // The center's copy is marked read once stored.
  await waitFor('\\Seen', () => seen(id));
});

test('the same Message-ID delivered twice is stored once', async () => {
  const tag = uniq('dup'), from = citizenAddr(tag), id = `${tag}@citizen.test`;
  const raw = mail({ from, id });
  await smtpSend(from, CENTER, raw);
  await smtpSend(from, CENTER, raw);
  await waitFor('both copies read', () => seen(id, 2));
  const n = await one("SELECT count(*) FROM messages WHERE channel = 'email' AND direction = 'in' AND external_id = $1", [id]);
  assert.equal(Number(n.count), 1);
  assert.equal(await acksTo(from), 1);
});

test('an auto-reply, a list mail and a bounce are stored and get no acknowledgement', async () => {
  const cases = [
    ['ooo', 'Auto-Submitted: auto-replied\r\n'],
    ['list', 'List-Id: Tin tức <news.citizen.test>\r\nPrecedence: list\r\n'],
    ['bulk', 'Precedence: bulk\r\n'],
  ];
  const sent = [];
  for (const [kind, headers] of cases) {
    const tag = uniq(kind), from = citizenAddr(tag), id = `${tag}@citizen.test`;
    await smtpSend(from, CENTER, mail({ from, id, headers, subject: 'Tôi đang đi vắng' }));
    sent.push({ from, id, kind });
  }
  // A bounce: null return path (the envelope sender <>).
  const btag = uniq('bounce'), bid = `${btag}@citizen.test`;
  await smtpSend('', CENTER, mail({ from: 'MAILER-DAEMON@citizen.test', id: bid, subject: 'Undelivered Mail' }));
  for (const { from, id } of sent) {
    const m = await stored(id);
    assert.notEqual(m.payload.origin, 'person');
    assert.equal(await acksTo(from), 0);
  }
  const b = await stored(bid);
  assert.equal(b.payload.origin, 'bounce');
  assert.equal(await acksTo('mailer-daemon@citizen.test'), 0);
});

test('a fourth new conversation within the hour gets no fourth acknowledgement', async () => {
  const tag = uniq('loop'), from = citizenAddr(tag);
  for (let i = 1; i <= 4; i++) {
    const id = `${tag}-${i}@citizen.test`;
    await smtpSend(from, CENTER, mail({ from, id, subject: `Lần ${i}` }));
    await stored(id);
    // Closed by an operator: the next mail opens a new conversation.
    await db().query("UPDATE conversations SET state = 'closed', closed_at = now() WHERE channel = 'email' AND thread = $1", [from]);
  }
  const convs = await one("SELECT count(*) FROM conversations WHERE channel = 'email' AND thread = $1", [from]);
  assert.equal(Number(convs.count), 4);
  assert.equal(await acksTo(from), 3);
});

test('windows-1258 text and quoted-printable headers are read right', async () => {
  const tag = uniq('cp'), from = citizenAddr(tag), id = `${tag}@citizen.test`;
  const head = `From: =?windows-1258?Q?=D0a=CC?= <${from}>\r\nTo: ${CENTER}\r\n` +
    'Subject: =?windows-1258?Q?T=F4=D2ng_=F0a=CCi?=\r\n' +
    `Message-ID: <${id}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=windows-1258\r\n` +
    'Content-Transfer-Encoding: 8bit\r\n\r\n';
  const body = Buffer.from([0xd0, 0xfd, 0xf5, 0xcc, 0x6e, 0x67, 0x20, 0x6e, 0x67, 0xe2, 0xf2, 0x70, 0x20,
    0x6e, 0xfd, 0xf5, 0xec, 0x63, 0x0d, 0x0a]);
  await smtpSend(from, CENTER, Buffer.concat([Buffer.from(head), body]));
  const m = await stored(id);
  assert.equal(m.subject, 'Tổng đài');
  assert.equal(m.sender, 'Đà');
  assert.equal(m.body, 'Đường ngập nước');
  assert.equal(m.body, m.body.normalize('NFC'));
});

test("an operator's answer arrives threaded, and the citizen's reply comes back to the conversation", async () => {
  const tag = uniq('op'), from = citizenAddr(tag), id = `${tag}@citizen.test`;
  await smtpSend(from, CENTER, mail({ from, id, subject: 'Hỏi thủ tục' }));
  const m = await stored(id);
  await waitFor('the acknowledgement delivered', async () => (await inbox(from)).length === 1);
  const { id: out } = await one("SELECT message_send('email', $1, 'message', 'Re: Hỏi thủ tục', $2, $3) AS id",
    [from, 'Hồ sơ gồm đơn và bản sao CCCD.', m.conversation_id]);
  const sent = await waitFor('the answer sent', () => one("SELECT * FROM messages WHERE id = $1 AND state = 'sent'", [out]));
  const uids = await waitFor('the answer delivered', async () => { const u = await inbox(from); return u.length === 2 ? u : null; });
  const raw = await imapFetch(from, Math.max(...uids));
  assert.match(raw, new RegExp(`^In-Reply-To: <${id}>\\r?$`, 'mi'));
  assert.doesNotMatch(raw, /^Auto-Submitted:/mi);
  assert.match(raw, /H=E1=BB=93 s=C6=A1/);

  // The citizen answers the answer, from another address: it still threads.
  const rid = `${tag}-re@citizen.test`, other = citizenAddr(`${tag}-2`);
  await smtpSend(other, CENTER, mail({ from: other, id: rid, subject: 'Re: Hỏi thủ tục',
    headers: `In-Reply-To: <${sent.external_id}>\r\nReferences: <${id}> <${sent.external_id}>\r\n` }));
  const r = await stored(rid);
  assert.equal(r.conversation_id, m.conversation_id);
});

test('a mail naming a ticket code in its subject is filed with that ticket', async () => {
  const r = await postJSON('/api/v1/tickets', citizen(), { ip: '127.0.53.1' });
  assert.equal(r.status, 201, r.text);
  const t = await one('SELECT id, code FROM tickets WHERE code = $1', [r.json.code]);
  const tag = uniq('code'), from = citizenAddr(tag), id = `${tag}@citizen.test`;
  await smtpSend(from, CENTER, mail({ from, id, subject: `Bổ sung hồ sơ ${t.code.toLowerCase()}` }));
  const m = await stored(id);
  assert.equal(String(m.ticket_id), String(t.id));
  const c = await one('SELECT ticket_id FROM conversations WHERE id = $1', [m.conversation_id]);
  assert.equal(String(c.ticket_id), String(t.id));
});

test("a mail's image is kept as the portal keeps uploads, and a program is refused with the reason", async () => {
  const tag = uniq('att'), from = citizenAddr(tag), id = `${tag}@citizen.test`;
  const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC';
  const raw = `From: <${from}>\r\nTo: ${CENTER}\r\nSubject: =?UTF-8?B?${Buffer.from('Ảnh hiện trường').toString('base64')}?=\r\n` +
    `Message-ID: <${id}>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n` +
    '--b1\r\nContent-Type: multipart/alternative; boundary="b2"\r\n\r\n' +
    '--b2\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<div>Xem <b>ảnh</b><script>x()</script></div>\r\n--b2--\r\n' +
    '--b1\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename="hien-truong.png"\r\n' +
    `Content-Transfer-Encoding: base64\r\n\r\n${png}\r\n` +
    '--b1\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="setup.exe"\r\n' +
    'Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n--b1--\r\n';
  await smtpSend(from, CENTER, raw);
  const m = await stored(id);
  assert.equal(m.body, 'Xem ảnh');
  assert.equal(m.payload.html, true);
  assert.deepEqual(m.payload.attachments_refused.map((x) => x.name), ['setup.exe']);
  const files = (await db().query('SELECT * FROM message_attachments WHERE message_id = $1', [m.id])).rows;
  assert.equal(files.length, 1);
  assert.equal(files[0].mime, 'image/png');
  assert.equal(files[0].original_name, 'hien-truong.png');
  const bytes = fs.readFileSync(path.join(process.env.TEST_VAR_DIR, 'uploads', files[0].stored_name));
  assert.deepEqual(bytes, Buffer.from(png, 'base64'));
  assert.equal(files[0].size, bytes.length);
});

test('a mail that cannot be read is kept, raw, with the reason, and read only once', async () => {
  const tag = uniq('junk');
  await smtpSend(citizenAddr(tag), CENTER, `Subject: ${tag}\r\nX-Junk: yes\r\n\r\n\x01\x02 not a mail\r\n`);
  const m = await waitFor('the unreadable mail', () => one(
    "SELECT * FROM messages WHERE channel = 'email' AND direction = 'in' AND payload->>'unreadable' = 'true' " +
    "AND created_at > now() - interval '1 minute' ORDER BY id DESC LIMIT 1"));
  assert.match(m.body, /không có địa chỉ người gửi/);
  const a = await one('SELECT * FROM message_attachments WHERE message_id = $1', [m.id]);
  assert.equal(a.mime, 'message/rfc822');
  const file = fs.readFileSync(path.join(process.env.TEST_VAR_DIR, 'uploads', a.stored_name), 'latin1');
  assert.match(file, new RegExp(tag));
  assert.equal(await acksTo('unreadable@mail.invalid'), 0);
});

test('a mail is marked read only once it is stored', async () => {
  const tag = uniq('late'), from = citizenAddr(tag), id = `${tag}@citizen.test`;
  // The database refuses this one mail for now.
  await db().query(`CREATE OR REPLACE FUNCTION test_mail_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.external_id = '${id}' THEN RAISE EXCEPTION 'not now'; END IF; RETURN NEW; END $$`);
  await db().query('CREATE TRIGGER test_mail_refuse BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION test_mail_refuse()');
  try {
    await smtpSend(from, CENTER, mail({ from, id }));
    await waitFor('the mail delivered', async () => (await centerBox(id)).length === 1);
    await new Promise((r) => setTimeout(r, 3500));	// several rounds
    // Between two rounds: a round marks the mail it fetches (FETCH sets
    // \Seen, the keyword says it is ours) and unmarks it when it failed.
    const box = await waitFor('the mail between two rounds', async () => {
      const [b] = await centerBox(id);
      return b && !/Tongdai1022Fetching/.test(b.flags) ? b : null;
    });
    assert.doesNotMatch(box.flags, /\\Seen/);
    assert.equal(await one("SELECT 1 FROM messages WHERE external_id = $1", [id]), undefined);
  } finally {
    await db().query('DROP TRIGGER IF EXISTS test_mail_refuse ON messages');
    await db().query('DROP FUNCTION IF EXISTS test_mail_refuse()');
  }
  await stored(id);
  await waitFor('\\Seen', () => seen(id));
});

test('settings are taken as they change, and a mail a fetcher left half-way is fetched again', async () => {
  const url = await one("SELECT value FROM channel_settings WHERE channel = 'email' AND name = 'imap_url'");
  await db().query("DELETE FROM channel_settings WHERE channel = 'email' AND name = 'imap_url'");
  const tag = uniq('half'), from = citizenAddr(tag), id = `${tag}@citizen.test`;
  try {
    await new Promise((r) => setTimeout(r, 2500));	// the round under way ends
    await smtpSend(from, CENTER, mail({ from, id }));
    const [box] = await waitFor('the mail delivered', async () => { const b = await centerBox(id); return b.length ? b : null; });
    // As a fetcher that died after FETCH (which sets \Seen) leaves it.
    await imap(CENTER, `UID STORE ${box.uid} +FLAGS (\\Seen Tongdai1022Fetching)`);
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(await one('SELECT 1 FROM messages WHERE external_id = $1', [id]), undefined);
  } finally {
    await db().query("INSERT INTO channel_settings (channel, name, value) VALUES ('email', 'imap_url', $1)", [url.value]);
  }
  await stored(id);
  await waitFor('marked done', async () => {
    const [b] = await centerBox(id);
    return /\\Seen/.test(b.flags) && !/Tongdai1022Fetching/.test(b.flags);
  });
});

test('with the SMTP server down the error shows and the message is retried, then goes', async () => {
  const tag = uniq('down'), to = citizenAddr(tag);
  await mailserver('smtp-stop');
  let out;
  try {
    ({ id: out } = await one("SELECT message_send('email', $1, 'notice', 'Thông báo', 'Hồ sơ đã được chuyển.') AS id", [to]));
    const m = await waitFor('the error shown', () => one(
      "SELECT * FROM messages WHERE id = $1 AND state = 'pending' AND last_error IS NOT NULL", [out]));
    assert.match(m.last_error, /Chưa gửi được thư/);
    assert.ok(m.attempts >= 1);
    assert.ok(new Date(m.next_attempt_at) > new Date());
  } finally {
    await mailserver('smtp-start');
  }
  // The backoff's wait, shortened: the next attempt is due now.
  await db().query('UPDATE messages SET next_attempt_at = now() WHERE id = $1', [out]);
  const m = await waitFor('sent', () => one("SELECT * FROM messages WHERE id = $1 AND state = 'sent'", [out]));
  assert.ok(m.attempts >= 2);
  assert.equal(m.last_error, null);
  await waitFor('delivered', async () => (await inbox(to)).length === 1);
});

test('an address the SMTP server refuses (5xx) fails for good, with the reason shown', async () => {
  // Our postfix relays for nobody: a foreign domain is refused at RCPT.
  const { id } = await one("SELECT message_send('email', 'someone@elsewhere.example', 'notice', 'Thông báo', 'Nội dung.') AS id");
  const m = await waitFor('failed', () => one("SELECT * FROM messages WHERE id = $1 AND state = 'failed'", [id]));
  assert.match(m.last_error, /^Máy chủ thư từ chối thư \(mã 5\d\d\)/);
  assert.equal(m.attempts, 1);
});
