// Administrators write the policies, notices and FAQ articles
// (/quan-tri/thong-tin): create, edit with every earlier version kept,
// scheduled and expired ones shown as such, withdraw after a
// confirmation; bad input gets a Vietnamese error and stores nothing;
// operators get 403.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, postForm, login, dbClose, one } from '../lib.mjs';

const ip = '127.0.3.61';
after(dbClose);

const run = `${process.pid % 1000}${Date.now() % 1000}`;
const mark = `zqa${run}`;

// A local time for a datetime-local field, from the database's clock and zone.
async function local(offset) {
  return (await one(`SELECT to_char(now() + $1::interval, 'YYYY-MM-DD"T"HH24:MI') AS t`, [offset])).t;
}

const count = async (slug) => (await one('SELECT count(*)::int AS n FROM articles WHERE slug = $1', [slug])).n;

test('an administrator creates, lists, edits and withdraws an article; its history keeps every earlier text', async () => {
  const s = await login('admin', ip);
  const slug = `tb-${run}`;
  const form = (extra) => ({
    csrf: s.csrf, slug, kind: 'thong-bao', title: `Thông báo lịch tiếp dân ${mark}`,
    body: 'Từ ngày 01/01, tiếp dân vào sáng thứ Năm.', field: 'Tiếp dân',
    publish_at: '', expires_at: '', ...extra,
  });
  let r = await request('GET', '/quan-tri/thong-tin/moi', s);
  assert.equal(r.status, 200);
  r = await postForm('/quan-tri/thong-tin/moi', form(), s);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(r.headers.location, `/quan-tri/thong-tin/${slug}?da-luu=1`);
  const a = await one('SELECT * FROM articles WHERE slug = $1', [slug]);
  assert.equal(a.kind, 'thong-bao');
  assert.equal(a.expires_at, null);
  assert.ok(a.publish_at <= new Date());
  // Live on the portal at once.
  assert.equal((await request('GET', `/thong-tin/${slug}`, { ip })).status, 200);

  // The same address twice: refused, the first kept.
  r = await postForm('/quan-tri/thong-tin/moi', form({ title: 'Một tin khác' }), s);
  assert.equal(r.status, 409);
  assert.match(r.text, /đã được dùng/);
  assert.equal((await one('SELECT title FROM articles WHERE slug = $1', [slug])).title, a.title);

  // The list: filter by kind, search without diacritics, the state shown.
  r = await request('GET', `/quan-tri/thong-tin?loai=thong-bao&q=${encodeURIComponent(`lich tiep dan ${mark}`)}`, s);
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(`data-slug="${slug}"`));
  assert.match(r.text, /Đang hiển thị/);
  r = await request('GET', `/quan-tri/thong-tin?loai=hoi-dap&q=${mark}`, s);
  assert.ok(!r.text.includes(`data-slug="${slug}"`));
  assert.equal((await request('GET', '/quan-tri/thong-tin?loai=khac', s)).status, 400);
  assert.equal((await request('GET', '/quan-tri/thong-tin?page=0', s)).status, 400);

  // Edit: the earlier text is kept, with who changed it.
  r = await postForm(`/quan-tri/thong-tin/${slug}`, form({ slug: undefined, body: 'Tiếp dân sáng thứ Năm và chiều thứ Sáu.',
    publish_at: await local('-1 hour'), expires_at: await local('10 days') }), s);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const v = await one(`SELECT v.previous->>'body' AS body, u.username FROM article_versions v
                       JOIN articles a ON a.id = v.article_id JOIN users u ON u.id = v.changed_by
                       WHERE a.slug = $1 ORDER BY v.id DESC LIMIT 1`, [slug]);
  assert.equal(v.body, 'Từ ngày 01/01, tiếp dân vào sáng thứ Năm.');
  assert.equal(v.username, 'admin');
  r = await request('GET', `/quan-tri/thong-tin/${slug}/lich-su`, s);
  assert.equal(r.status, 200);
  assert.ok(r.text.includes('Từ ngày 01/01, tiếp dân vào sáng thứ Năm.'));

  // Withdraw: only with the confirmation; then expired, kept, gone from the portal.
  r = await postForm(`/quan-tri/thong-tin/${slug}/thu-hoi`, { csrf: s.csrf }, s);
  assert.equal(r.status, 400);
  assert.equal((await request('GET', `/thong-tin/${slug}`, { ip })).status, 200);
  r = await postForm(`/quan-tri/thong-tin/${slug}/thu-hoi`, { csrf: s.csrf, confirm: '1' }, s);
  assert.equal(r.status, 303);
  assert.equal((await request('GET', `/thong-tin/${slug}`, { ip })).status, 404);
  assert.equal(await count(slug), 1);
  r = await request('GET', `/quan-tri/thong-tin?q=${mark}`, s);
  assert.match(r.text, /Đã hết hạn/);
  assert.equal((await one('SELECT count(*)::int AS n FROM article_versions v JOIN articles a ON a.id = v.article_id WHERE a.slug = $1', [slug])).n, 2);
});

test('a scheduled article is listed as such and hidden until its time', async () => {
  const s = await login('admin', ip);
  const slug = `hd-${run}`;
  const r = await postForm('/quan-tri/thong-tin/moi', {
    csrf: s.csrf, slug, kind: 'hoi-dap', title: `Hỏi đáp hẹn đăng ${mark}`, body: 'Trả lời.',
    field: '', publish_at: await local('2 days'), expires_at: await local('5 days'),
  }, s);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal((await request('GET', `/thong-tin/${slug}`, { ip })).status, 404);
  const l = await request('GET', `/quan-tri/thong-tin?q=${encodeURIComponent(`hen dang ${mark}`)}`, s);
  assert.match(l.text, /Hẹn đăng/);
});

test('bad input gets a Vietnamese error and stores nothing; operators are refused', async () => {
  const s = await login('admin', ip);
  const good = async () => ({
    csrf: s.csrf, slug: `x-${run}`, kind: 'chinh-sach', title: 'Chính sách hỗ trợ', body: 'Nội dung.',
    field: '', publish_at: await local('0 seconds'), expires_at: await local('1 day'),
  });
  const cases = [
    [{ slug: 'Có Dấu' }, /Địa chỉ/],
    [{ slug: 'moi' }, /Địa chỉ/],
    [{ kind: 'khac' }, /loại tin/],
    [{ title: '' }, /Tiêu đề/],
    [{ body: '' }, /Nội dung/],
    [{ title: 'x'.repeat(301) }, /Tiêu đề/],
    [{ publish_at: '2026-13-40T25:00' }, /Thời điểm đăng/],
    [{ expires_at: await local('-1 day') }, /hết hạn phải sau/],
    [{ publish_at: '', expires_at: await local('1 day') }, /thời điểm đăng/],
  ];
  for (const [bad, msg] of cases) {
    const r = await postForm('/quan-tri/thong-tin/moi', { ...(await good()), ...bad }, s);
    assert.equal(r.status, 400, JSON.stringify(bad));
    assert.match(r.text, msg, JSON.stringify(bad));
  }
  assert.equal(await count(`x-${run}`), 0);

  // An edit with a bad expiry changes nothing.
  const slug = `cs-${run}`;
  assert.equal((await postForm('/quan-tri/thong-tin/moi', { ...(await good()), slug }, s)).status, 303);
  const before = await one('SELECT * FROM articles WHERE slug = $1', [slug]);
  const r = await postForm(`/quan-tri/thong-tin/${slug}`, { ...(await good()), title: 'Đổi tiêu đề',
    expires_at: await local('-2 days') }, s);
  assert.equal(r.status, 400);
  assert.deepEqual(await one('SELECT * FROM articles WHERE slug = $1', [slug]), before);

  const op = await login('dtv.minh', ip);
  assert.equal((await request('GET', '/quan-tri/thong-tin', op)).status, 403);
  assert.equal((await request('GET', `/quan-tri/thong-tin/${slug}`, op)).status, 403);
  assert.equal((await postForm(`/quan-tri/thong-tin/${slug}/thu-hoi`, { csrf: op.csrf, confirm: '1' }, op)).status, 403);
  assert.equal((await request('GET', '/quan-tri/thong-tin/khong-co-tin-nay', s)).status, 404);
});
