// The procedures catalog (/thu-tuc, /api/v1/procedures) and the one search
// (catalog_search()) against the real stack: with or without diacritics,
// with typos, a name match ranked above a body match, filters, withdrawn
// procedures kept but left out of search, expired notices hidden, and each
// change of a procedure keeping the text before it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, getJSON, getPage, postForm, login, db, dbClose, one } from '../lib.mjs';

const ip = '127.0.3.41';
after(dbClose);

// Codes and a word no other test writes.
const run = `${process.pid % 1000}${Date.now() % 1000}`;
const code = (n) => `T${run}.${String(n).padStart(6, '0')}`;
const mark = `zq${run}`;
const P = {
  copy: code(1), birth: code(2), build: code(3), gone: code(4), land: code(5),
};

async function addProcedure(c, fields) {
  const f = {
    name: 'Thủ tục', field: 'Khác', level: 'tinh', steps: '', dossier: '', forms: [],
    receiving_agency: '', status: 'active', ...fields,
  };
  await db().query(`INSERT INTO procedures (code, name, field, level, steps, dossier, forms,
      receiving_agency, status, withdrawn_at, postal, online_level, fees, changed_on)
      VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9,
        CASE WHEN $9 = 'withdrawn' THEN now() END, $10, $11, $12, '2024-03-15')`,
  [c, f.name, f.field, f.level, f.steps, f.dossier, JSON.stringify(f.forms),
    f.receiving_agency, f.status, f.postal ?? false, f.online_level ?? 0, f.fees ?? '']);
}

before(async () => {
  await addProcedure(P.copy, {
    name: `Chứng thực bản sao từ bản chính giấy tờ, văn bản ${mark}`, field: `Chứng thực ${mark}`,
    level: 'xa', receiving_agency: 'Ủy ban nhân dân cấp xã',
    steps: 'Bước 1: Nộp hồ sơ tại Bộ phận một cửa.\nBước 2: Nhận kết quả.',
    dossier: 'Bản chính giấy tờ; bản sao cần chứng thực.', postal: true, online_level: 4,
    fees: '2.000 đồng/trang',
    forms: [{ name: 'Mẫu tờ khai chứng thực', url: 'https://dichvucong.gov.vn/mau/ct01.docx' },
      { name: 'Liên kết xấu', url: 'javascript:alert(1)' }],
  });
  await addProcedure(P.birth, {
    name: `Đăng ký khai sinh ${mark}`, field: `Hộ tịch ${mark}`, level: 'xa',
    steps: 'Người yêu cầu nộp tờ khai; có thể yêu cầu chứng thực bản sao giấy khai sinh.',
  });
  await addProcedure(P.build, {
    name: `Cấp giấy phép xây dựng nhà ở riêng lẻ ${mark}`, field: `Xây dựng ${mark}`, level: 'huyen',
  });
  await addProcedure(P.gone, {
    name: `Chứng thực bản sao điện tử cũ ${mark}`, field: `Chứng thực ${mark}`, level: 'xa',
    status: 'withdrawn',
  });
  await addProcedure(P.land, {
    name: `Đăng ký đất đai lần đầu ${mark}`, field: `Đất đai ${mark}`, level: 'huyen',
  });
  await db().query(`INSERT INTO articles (slug, kind, title, body, publish_at, expires_at) VALUES
      ($1, 'thong-bao', $2, 'Thông báo lịch nghỉ Tết; chứng thực bản sao tạm dừng.', now() - interval '2 days', now() + interval '5 days'),
      ($3, 'thong-bao', $4, 'Đã hết hạn.', now() - interval '20 days', now() - interval '1 day'),
      ($5, 'chinh-sach', $6, 'Chưa đến ngày đăng.', now() + interval '3 days', NULL)`,
  [`tet-${run}`, `Lịch nghỉ Tết chứng thực bản sao ${mark}`,
    `cu-${run}`, `Thông báo cũ chứng thực bản sao ${mark}`,
    `sap-${run}`, `Chính sách sắp ban hành chứng thực bản sao ${mark}`]);
});

const find = (q, extra = '') => getJSON(`/api/v1/procedures?q=${encodeURIComponent(q)}${extra}`, { ip });
const ours = (r) => r.json.items.map((i) => i.code).filter((c) => c.startsWith(`T${run}.`));

test('search finds a procedure with or without diacritics, and with a typo', async () => {
  for (const q of ['chứng thực bản sao', 'chung thuc ban sao', 'CHUNG THUC BAN SAO', 'chung thuk ban sao', 'chung thuk']) {
    const r = await find(q);
    assert.equal(r.status, 200, r.text);
    assert.equal(ours(r)[0], P.copy, `${q}: ${JSON.stringify(ours(r))}`);
    assert.ok(!ours(r).includes(P.gone), `${q}: a withdrawn procedure is not offered`);
    assert.ok(!ours(r).includes(P.build), `${q}: ${JSON.stringify(ours(r))}`);
  }
  const typo = await find('giay fep xay dung');
  assert.equal(ours(typo)[0], P.build);
  assert.equal(typo.json.items.find((i) => i.code === P.build).url, `/thu-tuc/${P.build}`);
});

test('a match in the name ranks before a match in the body', async () => {
  const r = await find(`chung thuc ban sao`, `&linh-vuc=`);
  const list = ours(r);
  assert.ok(list.indexOf(P.copy) >= 0 && list.indexOf(P.birth) > list.indexOf(P.copy),
    JSON.stringify(list));
  const scores = Object.fromEntries(r.json.items.map((i) => [i.code, i.score]));
  assert.ok(scores[P.copy] > scores[P.birth]);
});

test('field and level filters, and bad parameters answered 400', async () => {
  let r = await find('', `&cap=huyen&linh-vuc=${encodeURIComponent(`Xây dựng ${mark}`)}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(ours(r), [P.build]);
  r = await find(mark, '&cap=xa');
  assert.deepEqual(ours(r).sort(), [P.birth, P.copy].sort());
  assert.equal((await find('', '&cap=quan')).status, 400);
  assert.equal((await find('', '&page=0')).status, 400);
  assert.equal((await find('', '&page=abc')).status, 400);
  assert.equal((await find('x'.repeat(101))).status, 400);
  const bad = await request('GET', '/thu-tuc?cap=quan', { ip });
  assert.equal(bad.status, 400);
  assert.ok(bad.text.includes('Cấp thực hiện không hợp lệ.'));
});

test('the portal list searches, filters and links each procedure', async () => {
  const r = await request('GET', `/thu-tuc?q=${encodeURIComponent('chung thuc ban sao')}`, { ip });
  assert.equal(r.status, 200);
  assert.ok(r.text.includes(`href="/thu-tuc/${P.copy}"`));
  assert.ok(!r.text.includes(`href="/thu-tuc/${P.gone}"`));
  assert.ok(r.text.includes(`<option value="Hộ tịch ${mark}"`), 'the fields are offered as a filter');
  const all = await request('GET', '/thu-tuc', { ip });
  assert.equal(all.status, 200);
  assert.ok(all.text.includes(`href="/thu-tuc/${P.land}"`));
});

test('a procedure page shows every part, only safe form links, and 404 for others', async () => {
  const r = await request('GET', `/thu-tuc/${P.copy}`, { ip });
  assert.equal(r.status, 200);
  for (const s of ['Chứng thực bản sao từ bản chính', 'Ủy ban nhân dân cấp xã', 'Bước 1: Nộp hồ sơ',
    'Bản chính giấy tờ', '2.000 đồng/trang', 'Toàn trình', 'bưu chính', '15/03/2024',
    'href="https://dichvucong.gov.vn/mau/ct01.docx"']) {
    assert.ok(r.text.includes(s), s);
  }
  assert.ok(!r.text.includes('javascript:'));
  assert.ok(!r.text.includes('id="procedure-withdrawn"'));

  const j = await getJSON(`/api/v1/procedures/${P.copy}`, { ip });
  assert.equal(j.status, 200);
  assert.equal(j.json.code, P.copy);
  assert.equal(j.json.level, 'xa');
  assert.equal(j.json.postal, true);
  assert.equal(j.json.online_level, 4);
  assert.equal(j.json.changed_on, '2024-03-15');
  assert.deepEqual(j.json.forms, [{ name: 'Mẫu tờ khai chứng thực', url: 'https://dichvucong.gov.vn/mau/ct01.docx' }]);

  // Withdrawn: kept, marked.
  const g = await request('GET', `/thu-tuc/${P.gone}`, { ip });
  assert.equal(g.status, 200);
  assert.ok(g.text.includes('id="procedure-withdrawn"'));
  assert.equal((await getJSON(`/api/v1/procedures/${P.gone}`, { ip })).json.status, 'withdrawn');

  assert.equal((await request('GET', `/thu-tuc/T${run}.999999`, { ip })).status, 404);
  assert.equal((await getJSON(`/api/v1/procedures/T${run}.999999`, { ip })).status, 404);
  assert.equal((await request('GET', '/thu-tuc/..%2F', { ip })).status, 404);
});

test('catalog_search() unions procedures and live articles, name before body', async () => {
  const rows = (await db().query('SELECT * FROM catalog_search($1, 50)', [`chung thuc ban sao ${mark}`])).rows;
  const refs = rows.map((r) => `${r.kind}:${r.ref}`);
  assert.ok(refs.includes(`procedure:${P.copy}`), JSON.stringify(refs));
  assert.ok(refs.includes(`thong-bao:tet-${run}`), 'a live notice is found');
  assert.ok(!refs.includes(`thong-bao:cu-${run}`), 'an expired notice is not');
  assert.ok(!refs.includes(`chinh-sach:sap-${run}`), 'a notice before its publishing date is not');
  assert.ok(!refs.includes(`procedure:${P.gone}`));
  const copy = rows.find((r) => r.ref === P.copy);
  assert.equal(copy.url, `/thu-tuc/${P.copy}`);
  assert.ok(copy.snippet.length > 0 && copy.snippet.length <= 240);
  for (let i = 1; i < rows.length; i++) assert.ok(rows[i - 1].score >= rows[i].score);
  assert.equal((await db().query('SELECT * FROM catalog_search($1, 1)', ['chung thuc'])).rows.length, 1);
  assert.equal((await db().query("SELECT * FROM catalog_search('', 10)")).rows.length, 0);
});

test('each change of a procedure keeps the previous text', async () => {
  const before = await one('SELECT count(*)::int AS n FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id WHERE p.code = $1', [P.land]);
  await db().query("UPDATE procedures SET fees = 'Miễn phí', updated_via = 'admin' WHERE code = $1", [P.land]);
  await db().query("UPDATE procedures SET fees = 'Miễn phí', updated_via = 'admin' WHERE code = $1", [P.land]);
  const v = await db().query(`SELECT v.previous->>'fees' AS fees, v.changed_via FROM procedure_versions v
      JOIN procedures p ON p.id = v.procedure_id WHERE p.code = $1 ORDER BY v.id`, [P.land]);
  assert.equal(v.rows.length, before.n + 1, 'an update that changes nothing keeps no version');
  assert.equal(v.rows.at(-1).fees, '');
});

test('/thong-tin shows live articles only, searchable without diacritics, by kind', async () => {
  const list = await request('GET', `/thong-tin?q=${encodeURIComponent(`lich nghi tet ${mark}`)}`, { ip });
  assert.equal(list.status, 200);
  assert.ok(list.text.includes(`href="/thong-tin/tet-${run}"`));
  assert.ok(list.text.includes('hiệu lực đến'));
  const all = await request('GET', `/thong-tin?q=${encodeURIComponent(mark)}`, { ip });
  assert.ok(all.text.includes(`href="/thong-tin/tet-${run}"`));
  assert.ok(!all.text.includes(`/thong-tin/cu-${run}`), 'an expired notice is not listed');
  assert.ok(!all.text.includes(`/thong-tin/sap-${run}`), 'a notice before its date is not listed');
  const kind = await request('GET', `/thong-tin?loai=chinh-sach&q=${encodeURIComponent(mark)}`, { ip });
  assert.ok(!kind.text.includes(`/thong-tin/tet-${run}`));
  assert.equal((await request('GET', '/thong-tin?loai=khac', { ip })).status, 400);

  const one = await request('GET', `/thong-tin/tet-${run}`, { ip });
  assert.equal(one.status, 200);
  assert.ok(one.text.includes('Thông báo lịch nghỉ Tết'));
  assert.equal((await request('GET', `/thong-tin/cu-${run}`, { ip })).status, 404);
  assert.equal((await request('GET', `/thong-tin/sap-${run}`, { ip })).status, 404);
});

test('an administrator edits a procedure; the previous text is kept with who changed it', async () => {
  const admin = await login('admin', ip);
  const list = await request('GET', `/quan-tri/thu-tuc?q=${encodeURIComponent(mark)}`, admin);
  assert.equal(list.status, 200);
  assert.ok(list.text.includes(`href="/quan-tri/thu-tuc/${P.gone}"`), 'withdrawn ones are listed for admins');
  const page = await getPage(`/quan-tri/thu-tuc/${P.build}`, admin);
  assert.equal(page.status, 200);
  const form = {
    csrf: page.csrf, name: `Cấp giấy phép xây dựng nhà ở riêng lẻ ${mark}`, field: `Xây dựng ${mark}`,
    level: 'huyen', fees: '75.000 đồng/giấy phép', processing_time: '15 ngày',
    forms: 'Đơn đề nghị | https://dichvucong.gov.vn/mau/xd01.docx', online_level: '3', postal: '1',
    changed_on: '2025-01-02',
  };
  // A bad value: refused with its reason, nothing changed.
  let r = await postForm(`/quan-tri/thu-tuc/${P.build}`, { ...form, level: 'quan' }, admin);
  assert.equal(r.status, 400);
  assert.ok(r.text.includes('“level” phải là tinh, huyen hoặc xa.'));
  r = await postForm(`/quan-tri/thu-tuc/${P.build}`, { ...form, forms: 'x | javascript:alert(1)' }, admin);
  assert.equal(r.status, 400);
  assert.equal((await one('SELECT fees FROM procedures WHERE code = $1', [P.build])).fees, '');

  r = await postForm(`/quan-tri/thu-tuc/${P.build}`, form, admin);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const p = await one('SELECT fees, online_level, postal, forms, updated_via FROM procedures WHERE code = $1', [P.build]);
  assert.equal(p.fees, '75.000 đồng/giấy phép');
  assert.equal(p.online_level, 3);
  assert.equal(p.postal, true);
  assert.deepEqual(p.forms, [{ name: 'Đơn đề nghị', url: 'https://dichvucong.gov.vn/mau/xd01.docx' }]);
  const v = await one(`SELECT v.previous->>'fees' AS fees, u.username FROM procedure_versions v
      JOIN procedures p ON p.id = v.procedure_id JOIN users u ON u.id = v.changed_by
      WHERE p.code = $1 ORDER BY v.id DESC LIMIT 1`, [P.build]);
  assert.deepEqual(v, { fees: '', username: 'admin' });

  const hist = await request('GET', `/quan-tri/thu-tuc/${P.build}/lich-su`, admin);
  assert.equal(hist.status, 200);
  assert.ok(hist.text.includes('bản trước khi sửa'));
  const shown = await request('GET', `/thu-tuc/${P.build}`, { ip });
  assert.ok(shown.text.includes('75.000 đồng/giấy phép'));

  const op = await login('dtv.minh', ip);
  assert.equal((await request('GET', `/quan-tri/thu-tuc/${P.build}`, op)).status, 403);
});
