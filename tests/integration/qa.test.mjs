// The published questions and answers (/hoi-dap, /api/v1/faq) against the
// real stack: only published and answered tickets, personal data masked,
// the citizen's name never shown, search with or without diacritics, LIKE
// wildcards taken literally, and bad parameters answered with 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, getJSON, postJSON, db, dbClose, citizen } from '../lib.mjs';

const ip = '127.0.3.1';
after(dbClose);

// Words no other test writes, so searches find exactly our tickets.
const mark = `qa${process.pid}x${Date.now() % 100000}`;
const mark2 = `nn${process.pid}y${Date.now() % 100000}`;
const t = {};

async function newTicket(extra) {
  const r = await postJSON('/api/v1/tickets', citizen(extra), { ip });
  assert.equal(r.status, 201, r.text);
  return r.json.code;
}

async function setState(code, { status, published, answer = null, answeredAt = null }) {
  // Received a day before the answer, so the statistics stay sensible.
  await db().query(`UPDATE tickets SET status = $2, published = $3, answer = $4,
      answered_at = coalesce($5::timestamptz, CASE WHEN $4::text IS NULL THEN NULL ELSE now() END),
      created_at = coalesce($5::timestamptz - interval '1 day', created_at)
      WHERE code = $1`, [code, status, published, answer, answeredAt]);
}

before(async () => {
  t.pub = await newTicket({
    name: 'Trần Văn Sáu', phone: '0909 111 222', email: 'sau.tran@example.com',
    title: `Giấy phép xây dựng nhà ở ${mark}`,
    content: 'Tôi là Trần Văn Sáu, số điện thoại 0909 111 222, e-mail sau.tran@example.com, '
      + 'CCCD 079123456789. Xin hỏi thủ tục xin giấy phép xây dựng trên đất đai của gia đình?',
  });
  await setState(t.pub, {
    status: 'answered', published: true, answeredAt: '2024-06-02T09:00:00+07',
    answer: `Chào ông Trần Văn Sáu. Nha o rieng le tren Dat nong nghiep ${mark2} phai chuyen muc dich truoc; `
      + 'vui lòng liên hệ bộ phận một cửa hoặc gọi lại số 0909111222 của ông để được hẹn.',
  });
  t.closed = await newTicket({ title: `Hỏi về cấp nước ${mark} đã đóng` });
  await setState(t.closed, { status: 'closed', published: true, answer: 'Đã có nước trở lại.',
    answeredAt: '2024-05-01T09:00:00+07' });
  t.unpub = await newTicket({ title: `Câu hỏi riêng tư ${mark}` });
  await setState(t.unpub, { status: 'answered', published: false, answer: 'Trả lời riêng.' });
  t.open = await newTicket({ title: `Câu hỏi chưa trả lời ${mark}` });
  await setState(t.open, { status: 'forwarded', published: true });
});

const faq = (q, extra = '') => getJSON(`/api/v1/faq?q=${encodeURIComponent(q)}${extra}`, { ip });
const codesOf = (r) => r.json.items.map((i) => i.code);

test('only published, answered or closed tickets are listed, newest answer first', async () => {
  const r = await faq(mark);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(codesOf(r), [t.pub, t.closed]);
  assert.equal(r.json.total, 2);
  assert.equal(r.json.has_next, false);

  const page = await request('GET', `/hoi-dap?q=${encodeURIComponent(mark)}`, { ip });
  assert.equal(page.status, 200);
  assert.ok(page.text.includes(`href="/hoi-dap/${t.pub}"`));
  assert.ok(page.text.includes(`href="/hoi-dap/${t.closed}"`));
  assert.ok(!page.text.includes(t.unpub) && !page.text.includes('Câu hỏi riêng tư'));
  assert.ok(!page.text.includes(t.open) && !page.text.includes('Câu hỏi chưa trả lời'));

  assert.equal((await request('GET', `/hoi-dap/${t.pub}`, { ip })).status, 200);
  assert.equal((await request('GET', `/hoi-dap/${t.pub.toLowerCase()}`, { ip })).status, 200);
  for (const code of [t.unpub, t.open]) {
    const r2 = await request('GET', `/hoi-dap/${code}`, { ip });
    assert.equal(r2.status, 404);
    assert.ok(!r2.text.includes('Trả lời riêng'));
  }
  assert.equal((await request('GET', '/hoi-dap/khong-co', { ip })).status, 404);

  // The list without a search shows them too.
  const all = await request('GET', '/hoi-dap', { ip });
  assert.equal(all.status, 200);
  assert.ok(!all.text.includes('Câu hỏi riêng tư'));
});

test('search works with or without diacritics, in any case', async () => {
  for (const q of [`giấy phép xây dựng nhà ở ${mark}`, `giay phep xay dung nha o ${mark}`,
    `GIẤY PHÉP XÂY DỰNG NHÀ Ở ${mark.toUpperCase()}`, `  giay   phep xay dung nha o ${mark} `]) {
    const r = await faq(q);
    assert.equal(r.status, 200, q);
    assert.deepEqual(codesOf(r), [t.pub], q);
  }
  // "đất" finds "Dat" and "dat" finds "đất"; the answer is searched too.
  assert.deepEqual(codesOf(await faq(`đất nông nghiệp ${mark2}`)), [t.pub]);
  assert.deepEqual(codesOf(await faq(`dat nong nghiep ${mark2}`)), [t.pub]);
  assert.ok(codesOf(await faq('tren đất đai cua gia dinh')).includes(t.pub));
  // The HTML page searches the same way.
  const page = await request('GET', `/hoi-dap?q=${encodeURIComponent(`xay dung nha o ${mark}`)}`, { ip });
  assert.ok(page.text.includes(`href="/hoi-dap/${t.pub}"`));
  assert.match(page.text, /1 kết quả/);
});

test('LIKE wildcards in the search are taken literally', async () => {
  assert.deepEqual(codesOf(await faq(`giay_phep xay dung nha o ${mark}`)), []);
  assert.deepEqual(codesOf(await faq(`giay%phep xay dung nha o ${mark}`)), []);
  assert.deepEqual(codesOf(await faq(`${mark}\\`)), []);
  const pct = await faq('%');
  assert.equal(pct.status, 200);
  assert.ok(!codesOf(pct).includes(t.pub));
});

test('phones, e-mails and ID numbers are masked and the name never shown', async () => {
  const pages = [
    (await request('GET', `/hoi-dap?q=${encodeURIComponent(mark)}`, { ip })).text,
    (await request('GET', `/hoi-dap/${t.pub}`, { ip })).text,
    (await faq(mark)).text,
    (await request('GET', '/hoi-dap', { ip })).text,
  ];
  for (const text of pages) {
    for (const secret of ['0909 111 222', '0909111222', '111 222', 'sau.tran@example.com',
      'sau.tran', '079123456789', 'Trần Văn Sáu', 'Nguyễn Thị Bé']) {
      assert.ok(!text.includes(secret), `${secret} leaked`);
    }
  }
  const item = (await faq(mark)).json.items.find((i) => i.code === t.pub);
  assert.deepEqual(Object.keys(item).sort(),
    ['agency', 'answer', 'answered_at', 'code', 'field', 'question', 'title']);
  assert.match(item.question, /\*\*\*\* \*\*\* 222/);
  assert.match(item.question, /s\*\*\*@example\.com/);
  assert.match(item.question, /CCCD \*{12}/);
  assert.match(item.question, /Tôi là \*\*\*, số điện thoại/);
  assert.match(item.answer, /Chào ông \*\*\*\./);
  assert.match(item.answer, /\*{7}222/);
  assert.equal(item.answered_at, '2024-06-02T09:00:00+07:00');
  const detail = (await request('GET', `/hoi-dap/${t.pub}`, { ip })).text;
  assert.match(detail, /02\/06\/2024/);
});

test('bad parameters get a clear 400, never a 500', async () => {
  const bad = [
    ['q=' + 'a'.repeat(101), /quá dài/],
    ['q=' + encodeURIComponent('ạ'.repeat(101)), /quá dài/],
    ['q=abc%01def', /không hợp lệ/],
    ['q=abc%00def', /quá dài|không hợp lệ/],
    ['q=%C3%28', /không hợp lệ/],
    ['page=0', /Số trang/],
    ['page=abc', /Số trang/],
    ['page=-1', /Số trang/],
    ['page=1001', /Số trang/],
    ['page=99999999999999999999', /Số trang/],
  ];
  for (const [qs, msg] of bad) {
    const page = await request('GET', `/hoi-dap?${qs}`, { ip });
    assert.equal(page.status, 400, qs);
    assert.match(page.text, msg, qs);
    const api = await getJSON(`/api/v1/faq?${qs}`, { ip });
    assert.equal(api.status, 400, qs);
    assert.match(api.json.error, msg, qs);
  }
  // Exactly 100 characters (with diacritics) is fine; an empty query lists all.
  assert.equal((await faq('ạ'.repeat(100))).status, 200);
  assert.equal((await getJSON('/api/v1/faq?q=', { ip })).status, 200);
  assert.equal((await getJSON('/api/v1/faq?page=1000', { ip })).status, 200);
  assert.equal((await request('POST', '/api/v1/faq', { ip, body: '' })).status, 405);
});

test('pages of twenty keep the search words', async () => {
  const word = `pg${process.pid}z${Date.now() % 100000}`;
  // Through the API from three more addresses of ours (submissions are
  // rate limited per address), then answered and published, newest first.
  for (let i = 0; i < 21; i++) {
    const r = await postJSON('/api/v1/tickets', citizen({ title: `Trang ${word} số ${i}` }),
      { ip: `127.0.3.${2 + (i % 3)}` });
    assert.equal(r.status, 201, r.text);
    await setState(r.json.code, { status: 'answered', published: true, answer: 'Trả lời thử.',
      answeredAt: new Date(Date.UTC(2025, 0, 1, 0, 0) - i * 60000).toISOString() });
  }
  const p1 = await faq(word);
  assert.equal(p1.json.items.length, 20);
  assert.equal(p1.json.total, 21);
  assert.equal(p1.json.has_next, true);
  assert.equal(p1.json.items[0].title, `Trang ${word} số 0`);
  const p2 = await faq(word, '&page=2');
  assert.equal(p2.json.items.length, 1);
  assert.equal(p2.json.items[0].title, `Trang ${word} số 20`);
  assert.equal(p2.json.has_next, false);
  const p9 = await faq(word, '&page=9');
  assert.equal(p9.status, 200);
  assert.deepEqual(p9.json.items, []);
  assert.equal(p9.json.total, null);
  const html = await request('GET', `/hoi-dap?q=${encodeURIComponent(word + ' số')}`, { ip });
  assert.ok(html.text.includes(`href="/hoi-dap?q=${word}+s%E1%BB%91&amp;page=2"`), 'next link keeps q');
});

// Each agency's website shows its own answers: the API filters by field
// and agency and may be read from another origin's scripts.
test('the FAQ API filters by field and agency and allows cross-origin reads', async () => {
  await db().query(`UPDATE tickets SET agency_id = (SELECT id FROM agencies WHERE code = 'STNMT')
    WHERE code = $1`, [t.pub]);
  await db().query(`UPDATE tickets SET field_id = (SELECT id FROM fields WHERE code = 'nuoc'), agency_id = NULL
    WHERE code = $1`, [t.closed]);
  const byField = await faq(mark, '&field=nuoc');
  assert.equal(byField.status, 200, byField.text);
  assert.deepEqual(codesOf(byField), [t.closed]);
  assert.equal(byField.json.field, 'nuoc');
  assert.equal(byField.headers['access-control-allow-origin'], '*');
  const byAgency = await faq(mark, '&agency=STNMT');
  assert.deepEqual(codesOf(byAgency), [t.pub]);
  assert.equal(byAgency.json.items[0].agency, 'Sở Tài nguyên và Môi trường');
  assert.deepEqual(codesOf(await faq(mark, '&field=xay-dung&agency=STNMT')), [t.pub]);
  assert.deepEqual(codesOf(await faq(mark, '&field=nuoc&agency=STNMT')), []);
  const noWords = await getJSON('/api/v1/faq?agency=STNMT', { ip });
  assert.ok(codesOf(noWords).includes(t.pub));
  assert.ok(!codesOf(noWords).includes(t.closed));
  for (const q of ['field=khong-co', 'agency=KHONGCO', `agency=${'A'.repeat(60)}`]) {
    const r = await getJSON(`/api/v1/faq?${q}`, { ip });
    assert.equal(r.status, 400, q);
    assert.ok(r.json.error.length > 3);
    assert.equal(r.headers['access-control-allow-origin'], '*', 'errors are readable too');
  }
  // The portal's pages are not for other origins.
  const page = await request('GET', '/hoi-dap', { ip });
  assert.equal(page.headers['access-control-allow-origin'], undefined);
});
