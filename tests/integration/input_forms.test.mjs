// Input that is legal must be taken: decomposed Vietnamese (NFD) counts
// its characters as a person would and is the same text as NFC; every
// common form of a Vietnamese phone number is accepted.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { postJSON, getJSON, postForm, getPage, citizen, one, dbClose } from '../lib.mjs';

after(dbClose);
const ip = '127.0.46.1';

test('the same question in NFC and in NFD is one ticket, stored composed', async () => {
  const f = citizen({ name: 'Trần Thị Thủy Tiên', title: `Hỏi về chứng thực bản sao ${Date.now()}` });
  const nfd = Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.normalize('NFD')]));
  assert.notEqual(nfd.title, f.title, 'the test really sends decomposed text');
  const first = await postJSON('/api/v1/tickets', nfd, { ip });
  assert.equal(first.status, 201, first.text);
  const again = await postJSON('/api/v1/tickets', f, { ip });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.code, first.json.code);
  assert.equal(again.json.duplicate, true);
  const t = await one('SELECT name, title FROM tickets WHERE code = $1', [first.json.code]);
  assert.equal(t.name, f.name);
  assert.equal(t.title, f.title);
  assert.equal(t.name, t.name.normalize('NFC'));
});

test('a name at the limit typed decomposed is accepted (characters, not code points)', async () => {
  // 100 characters, each with two diacritics in NFD (3 code points each).
  const name = 'ệ'.repeat(100);
  const r = await postJSON('/api/v1/tickets', citizen({ name: name.normalize('NFD') }), { ip: '127.0.46.2' });
  assert.equal(r.status, 201, r.text);
  const t = await one('SELECT name FROM tickets WHERE code = $1', [r.json.code]);
  assert.equal(t.name, name);
  const over = await postJSON('/api/v1/tickets', citizen({ name: ('ệ'.repeat(101)).normalize('NFD') }), { ip: '127.0.46.2' });
  assert.equal(over.status, 400);
});

test('the portal form takes NFD too', async () => {
  const cookies = new Map();
  const page = await getPage('/', { ip: '127.0.46.3', cookies });
  const f = citizen({ title: `Cấp đổi giấy phép lái xe ${Date.now()}` });
  const r = await postForm('/gui-phan-anh', { csrf: page.csrf, ...Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.normalize('NFD')])) },
    { ip: '127.0.46.3', cookies });
  assert.equal(r.status, 201, r.text.slice(0, 300));
  const code = r.text.match(/id="ticket-code">([^<]+)</)[1];
  assert.equal((await one('SELECT title FROM tickets WHERE code = $1', [code])).title, f.title);
});

test('phone numbers in every common Vietnamese form, 0084 included', async () => {
  const forms = ['0084 912 345 679', '0084912345679', '+84 912 345 679', '84-912-345-679', '(+84) 912.345.679', '0912 345 679'];
  const codes = [];
  for (const [i, phone] of forms.entries()) {
    const r = await postJSON('/api/v1/tickets', citizen({ phone, title: `Số điện thoại dạng ${i} ${Date.now()}` }), { ip: '127.0.46.4' });
    assert.equal(r.status, 201, `${phone}: ${r.text}`);
    codes.push(r.json.code);
  }
  for (const code of codes) {
    assert.equal((await one('SELECT phone FROM tickets WHERE code = $1', [code])).phone, '0912345679');
    const tr = await getJSON(`/api/v1/tickets/${code}?phone=${encodeURIComponent('0084 912 345 679')}`, { ip: '127.0.46.4' });
    assert.equal(tr.status, 200, 'tracked with the 0084 form too');
  }
});
