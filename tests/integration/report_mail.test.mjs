// The periodic report mailed to the leaders (report_mail.c, 0070): the
// administrator enters the leaders' addresses and the schedule on
// /quan-tri/kenh (a bad address is refused, nothing stored); the last
// complete half-year's report then arrives once in each leader's mailbox
// (real postfix and dovecot, tests/tools/mailserver.sh, read over IMAP),
// its workbook attached with the period's figures (read by openpyxl);
// another worker or machine finding it due queues nothing more.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { postForm, getPage, login, citizen, postJSON, one, db, dbClose, waitFor as libWaitFor } from '../lib.mjs';
import { readXlsx } from '../xlsx.mjs';

// Ports of this file's own (22200-22299), so email.test may run beside it.
const IMAP = 22210, LMTP = 22211, SMTP = 22225;
const CENTER = 'tongdai@tongdai.test';
const TOOL = path.join(path.dirname(new URL(import.meta.url).pathname), '../tools/mailserver.sh');
const ENV = { ...process.env, MAIL_IMAP_PORT: String(IMAP), MAIL_LMTP_PORT: String(LMTP), MAIL_SMTP_PORT: String(SMTP) };
const ip = '127.0.70.1';
let dir, admin;

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'latin1', maxBuffer: 64 << 20, env: ENV }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`));
      else resolve(Buffer.from(stdout, 'latin1'));
    });
  });
}
const imap = async (user, command) => (await run('curl', ['-sS', '--user', `${user}:secret`,
  `imap://127.0.0.1:${IMAP}/INBOX`, '-X', command])).toString('latin1');
const imapFetch = async (user, uid) => (await run('curl', ['-sS', '--user', `${user}:secret`,
  `imap://127.0.0.1:${IMAP}/INBOX/;UID=${uid}`])).toString('latin1');
const inbox = async (user) => {
  const m = (await imap(user, 'UID SEARCH ALL').catch(() => '')).match(/\* SEARCH([\d ]*)/);
  return m ? m[1].trim().split(/\s+/).filter(Boolean).map(Number) : [];
};
// Delivery waits on the outbox and the mail servers of a loaded machine.
const waitFor = (what, fn) => libWaitFor(fn, what, 60000);
const reportSettings = async () => Object.fromEntries((await db().query(
  "SELECT name, value FROM channel_settings WHERE channel = 'report'")).rows.map((r) => [r.name, r.value]));

// The workbook of a raw mail: its part's name (RFC 2231) and bytes.
function attachment(raw) {
  const at = raw.search(/Content-Type: application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/i);
  assert.ok(at > 0, 'an XLSX part');
  const part = raw.slice(at);
  const head = part.slice(0, part.search(/\r\n\r\n/));
  assert.match(head, /Content-Transfer-Encoding: base64/i);
  assert.match(head, /filename\*(0\*)?=UTF-8''/);
  const name = decodeURIComponent([...head.matchAll(/filename\*(?:\d+\*)?=(?:UTF-8'')?([^;\r\n]*)/gi)]
    .map((m) => m[1]).join(''));
  const body = part.slice(head.length + 4, part.indexOf('\r\n--', head.length));
  return { name, bytes: Buffer.from(body.replace(/\s+/g, ''), 'base64') };
}

let period, leaders;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongdai-rmail-'));
  await run(TOOL, ['start', dir]);
  await db().query("DELETE FROM channel_settings WHERE channel IN ('email', 'report')");
  await db().query('DELETE FROM report_mails');
  for (const [name, value] of Object.entries({ smtp_url: `smtp://127.0.0.1:${SMTP}`,
    from_address: CENTER, from_name: 'Tổng đài 1022' }))
    await db().query("INSERT INTO channel_settings (channel, name, value) VALUES ('email', $1, $2)", [name, value]);
  period = await one("SELECT period, period_from::text AS from, period_to::text AS to, label "
    + "FROM report_mail_period('half_year', current_date)");
  // Two tickets of that half-year, one answered.
  for (const set of [`status = 'answered', answered_at = $2::date + 11, answer = 'Đã trả lời.'`, `status = 'new'`]) {
    const r = await postJSON('/api/v1/tickets', citizen({ field: 'dat-dai' }), { ip });
    assert.equal(r.status, 201, r.text);
    await db().query(`UPDATE tickets SET created_at = $2::date + 10, ${set} WHERE code = $1`, [r.json.code, period.from]);
  }
  admin = await login('admin', '127.0.70.2');
  const tag = `${process.pid}${Date.now()}`;
  leaders = [`ld1-${tag}@citizen.test`, `ld2-${tag}@citizen.test`];
});

after(async () => {
  await db().query("DELETE FROM channel_settings WHERE channel IN ('email', 'report')").catch(() => {});
  await dbClose();
  if (dir) { await run(TOOL, ['stop', dir]).catch(() => {}); fs.rmSync(dir, { recursive: true, force: true }); }
});

test('a bad address or schedule is refused with a clear message and nothing is stored', async () => {
  for (const [fields, msg] of [
    [{ leaders: `${leaders[0]}, khong-phai-thu` }, /Địa chỉ thư của lãnh đạo: địa chỉ e-mail không hợp lệ: khong-phai-thu/],
    [{ leaders: Array.from({ length: 11 }, (_, i) => `l${i}@citizen.test`).join(', ') }, /nhiều nhất 10 địa chỉ/],
    [{ leaders: leaders[0], half_year: 'có' }, /Gửi báo cáo 6 tháng: ghi yes để bật/],
  ]) {
    const r = await postForm('/quan-tri/kenh', { csrf: admin.csrf, channel: 'report', half_year: 'yes', year: '', ...fields }, admin);
    assert.equal(r.status, 400, JSON.stringify(fields));
    assert.match(r.text, msg);
  }
  assert.deepEqual(await reportSettings(), {});
  // "Gửi thử ngay" with no leader entered yet: a clear error, no mail.
  let r = await postForm('/quan-tri/kenh/bao-cao-thu', { csrf: admin.csrf, ky: 'year' }, admin);
  assert.equal(r.status, 400);
  assert.match(r.text, /Chưa có địa chỉ thư của lãnh đạo/);
  r = await postForm('/quan-tri/kenh/bao-cao-thu', { csrf: admin.csrf, ky: 'tuan' }, admin);
  assert.equal(r.status, 400);
  assert.match(r.text, /Loại báo cáo không hợp lệ/);
  assert.equal((await one('SELECT count(*)::int AS n FROM report_mails')).n, 0);
  assert.equal((await one("SELECT count(*)::int AS n FROM messages WHERE payload ? 'report'")).n, 0);
});

test('the half-year report arrives once in each leader\'s mailbox with its workbook', async () => {
  const r = await postForm('/quan-tri/kenh', { csrf: admin.csrf, channel: 'report',
    leaders: leaders.join(', '), half_year: 'yes', year: '' }, admin);
  assert.equal(r.status, 303, r.text.slice(0, 400));
  assert.deepEqual(await reportSettings(), { leaders: leaders.join(', '), half_year: 'yes' });

  // The outbox threads find it due; one of them queues it.
  const row = await waitFor('the report queued', () => one('SELECT * FROM report_mails WHERE kind = $1', ['half_year']));
  assert.equal(row.period, period.period);
  assert.equal(row.recipients, 2);
  const uids = await waitFor('the report delivered', async () => {
    const u = await inbox(leaders[0]);
    return u.length ? u : null;
  });
  assert.equal(uids.length, 1);
  const raw = await imapFetch(leaders[0], uids[0]);
  assert.match(raw, /^Content-Type: multipart\/mixed/mi);
  const x = attachment(raw);
  assert.equal(x.name, `Báo cáo ${period.label}.xlsx`);
  const wb = readXlsx(x.bytes);
  assert.deepEqual(Object.keys(wb), ['Theo lĩnh vực', 'Theo kênh', 'Cuộc gọi']);
  const fields = wb['Theo lĩnh vực'].rows;
  assert.match(fields[0][0], new RegExp(`${period.label}: theo lĩnh vực`));
  const want = await one(`SELECT count(*)::int AS received,
      count(*) FILTER (WHERE answered_at IS NOT NULL AND NOT ticket_open(t))::int AS answered
    FROM tickets t WHERE created_at >= $1::date AND created_at < $2::date + 1`, [period.from, period.to]);
  assert.ok(want.received >= 2);
  const total = fields.at(-1);
  assert.equal(total[0], 'Tổng cộng');
  assert.equal(total[1], want.received);
  assert.equal(total[2], want.answered);
  assert.deepEqual(wb['Theo kênh'].rows.at(-1).slice(0, 3), ['Tổng cộng', want.received, want.answered]);
  await waitFor('the second leader\'s copy', async () => (await inbox(leaders[1])).length === 1);

  // Another worker, machine or a restart finding it due queues nothing.
  assert.equal((await one('SELECT report_mails_due() AS n')).n, 0);
  assert.equal((await one('SELECT report_mail_queue($1, true) AS n', ['half_year'])).n, 0);
  const sent = await one(`SELECT count(*)::int AS n FROM messages WHERE channel = 'email'
    AND payload ? 'report' AND recipient = ANY($1)`, [leaders]);
  assert.equal(sent.n, 2);
  // The outbox admin sees them sent.
  assert.equal((await one(`SELECT count(*)::int AS n FROM messages WHERE payload ? 'report'
    AND recipient = ANY($1) AND state = 'sent'`, [leaders])).n, 2);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal((await inbox(leaders[0])).length, 1);
});

test('"Gửi thử ngay" sends the last complete year now, and the schedule is left as it was', async () => {
  const page = await getPage('/quan-tri/kenh', admin);
  assert.match(page.text, /<form method="post" action="\/quan-tri\/kenh\/bao-cao-thu"[^>]*id="report-test"/);
  assert.match(page.text, /Gửi thử ngay/);
  // Without the CSRF token nothing goes.
  let r = await postForm('/quan-tri/kenh/bao-cao-thu', { ky: 'year' }, admin);
  assert.equal(r.status, 403);
  r = await postForm('/quan-tri/kenh/bao-cao-thu', { csrf: admin.csrf, ky: 'year' }, admin);
  assert.equal(r.status, 303);
  assert.match(r.headers.location, /\/quan-tri\/kenh\?ok=bao-cao/);
  const year = await one("SELECT label FROM report_mail_period('year', current_date)");
  await waitFor('the test report delivered', async () => (await inbox(leaders[0])).length === 2);
  const uids = await inbox(leaders[0]);
  const x = attachment(await imapFetch(leaders[0], uids.at(-1)));
  assert.equal(x.name, `Báo cáo ${year.label}.xlsx`);
  assert.deepEqual(Object.keys(readXlsx(x.bytes)), ['Theo lĩnh vực', 'Theo kênh', 'Cuộc gọi']);
  // A test is not the scheduled mail: the year's stays to be sent when due.
  assert.equal((await one("SELECT count(*)::int AS n FROM report_mails WHERE kind = 'year'")).n, 0);
});

test('the monthly report: last month, queued once when switched on', async () => {
  const month = await one("SELECT period, label FROM report_mail_period('month', current_date)");
  assert.match(month.label, /^tháng \d\d\/\d{4}$/);
  const second = (await inbox(leaders[1])).length;
  const r = await postForm('/quan-tri/kenh', { csrf: admin.csrf, channel: 'report',
    leaders: leaders[0], month: 'yes', half_year: 'yes', year: '' }, admin);
  assert.equal(r.status, 303, r.text.slice(0, 400));
  const row = await waitFor('the monthly report queued', () => one("SELECT * FROM report_mails WHERE kind = 'month'"));
  assert.equal(row.period, month.period);
  assert.equal(row.recipients, 1);
  await waitFor('the monthly report delivered', async () => (await inbox(leaders[0])).length === 3);
  const x = attachment(await imapFetch(leaders[0], (await inbox(leaders[0])).at(-1)));
  assert.equal(x.name, `Báo cáo ${month.label.replace('/', '-')}.xlsx`);
  assert.equal(readXlsx(x.bytes)['Cuộc gọi'].rows.at(-1)[0], 'Tổng cộng');
  assert.equal((await one('SELECT report_mails_due() AS n')).n, 0);
  // The half-year report, on too, does not go again; nor to the leader removed.
  assert.equal((await inbox(leaders[1])).length, second);
});
