// Importing the national procedures database (/quan-tri/thu-tuc/nhap)
// against the real stack: a generated file of 10,000 procedures with bad
// rows (each reported with its line and reason, none of it stored), a
// re-import that changes nothing, a changed procedure that keeps its
// previous text, a vanished one marked withdrawn and kept, CSV as well as
// JSON lines, and only administrators.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, login, getPage, db, dbClose, one, multipart } from '../lib.mjs';

const ip = '127.0.3.42';
after(dbClose);

const run = `${process.pid % 1000}${Date.now() % 1000}`;
const code = (n) => `I${run}.${String(n).padStart(6, '0')}`;
const N = 10000;
const levels = ['tinh', 'huyen', 'xa'];
let admin;

// A procedure as the national database would give it.
function proc(n, extra = {}) {
  return {
    code: code(n), name: `Thủ tục nhập thử số ${n} về chứng thực và hộ tịch`,
    field: `Lĩnh vực ${n % 40}`, level: levels[n % 3],
    receiving_agency: 'Bộ phận Một cửa UBND cấp xã', deciding_agency: 'Chủ tịch UBND cấp xã',
    steps: `Bước 1: Nộp hồ sơ.\nBước 2: Nhận kết quả (${n}).`, dossier: 'Tờ khai; giấy tờ tùy thân.',
    forms: n % 10 === 0 ? [{ name: 'Tờ khai', url: `https://dichvucong.gov.vn/mau/${n}.docx` }] : [],
    processing_time: '03 ngày làm việc', fees: 'Miễn phí', legal_basis: 'Nghị định 23/2015/NĐ-CP',
    applicants: 'Công dân Việt Nam', online_level: n % 5, submission: 'Trực tiếp hoặc trực tuyến',
    result_delivery: 'Trực tiếp hoặc qua bưu chính', postal: n % 2 === 0, changed_on: '2024-05-01',
    ...extra,
  };
}

// The bad rows, at known lines, each with the reason the page must show.
const bad = new Map([
  [5, ['{"code":"không hợp lệ","name":"X y","level":"xa"}', 'Mã thủ tục “code” không hợp lệ.']],
  [777, ['this is not json', 'Không phải JSON hợp lệ.']],
  [2500, [JSON.stringify(proc(2500, { level: 'quan' })), '“level” phải là tinh, huyen hoặc xa.']],
  [6000, [JSON.stringify(proc(6000, { name: 'x'.repeat(501) })), '“name” quá dài (tối đa 500 ký tự).']],
  [9999, [JSON.stringify(proc(1)), `Mã thủ tục ${code(1)} đã có ở dòng 1.`]],
]);

function jsonl(nums, change = {}) {
  return nums.map((n) => (bad.has(n) ? bad.get(n)[0] : JSON.stringify(proc(n, change[n] || {})))).join('\n') + '\n';
}
const all = Array.from({ length: N }, (_, i) => i + 1);

async function upload(text, filename, session = admin) {
  const page = await getPage('/quan-tri/thu-tuc/nhap', session);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  const m = multipart([['csrf', page.csrf], ['tep', Buffer.from(text), filename, 'application/octet-stream']]);
  return request('POST', '/quan-tri/thu-tuc/nhap', { ...session, body: m.body, headers: m.headers });
}

async function runOf(r) {
  assert.equal(r.status, 303, r.text.slice(0, 400));
  const id = Number(r.headers.location.match(/\/nhap\/(\d+)$/)[1]);
  return one('SELECT * FROM import_runs WHERE id = $1', [id]).then((row) => ({ ...row, url: r.headers.location }));
}

const count = async (sql, p = []) => (await one(sql, p)).n;
const ours = `code LIKE 'I${run}.%'`;

before(async () => { admin = await login('admin', ip); });

test('10,000 procedures with bad rows: the good ones stored, each bad one reported by line and reason', async () => {
  const r = await upload(jsonl(all), 'tthc.jsonl');
  const run1 = await runOf(r);
  assert.equal(run1.state, 'done');
  assert.equal(run1.total, N - bad.size);
  assert.equal(run1.applied, N - bad.size);
  assert.equal(run1.created, N - bad.size);
  const rejected = run1.rejected.map((e) => [e.line, e.reason]);
  assert.deepEqual(rejected, [...bad].map(([line, [, reason]]) => [line, reason]));

  assert.equal(await count(`SELECT count(*)::int AS n FROM procedures WHERE ${ours}`), N - bad.size);
  // Nothing of a bad row was stored (line 2500's code, line 6000's).
  assert.equal(await count('SELECT count(*)::int AS n FROM procedures WHERE code = ANY($1)', [[code(2500), code(6000)]]), 0);
  const p = await one('SELECT * FROM procedures WHERE code = $1', [code(10)]);
  assert.equal(p.level, levels[10 % 3]);
  assert.equal(p.postal, true);
  assert.deepEqual(p.forms, [{ name: 'Tờ khai', url: 'https://dichvucong.gov.vn/mau/10.docx' }]);
  assert.equal(p.status, 'active');

  // The page shows the figures and the refused rows.
  const page = await request('GET', run1.url, admin);
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('<td>777</td><td></td><td>Không phải JSON hợp lệ.</td>'), page.text.slice(0, 2000));
  assert.ok(page.text.includes(`<td>2500</td><td>${code(2500)}</td>`));
  const prog = await request('GET', '/quan-tri/thu-tuc/nhap/tien-do', admin);
  assert.equal(prog.status, 200);
  assert.equal(JSON.parse(prog.text).state, 'done');

  // Searchable at once.
  const s = await request('GET', `/api/v1/procedures?q=${encodeURIComponent(`thu tuc nhap thu so 4321`)}`, { ip });
  assert.equal(JSON.parse(s.text).items[0].code, code(4321));
});

test('re-importing the same file changes nothing', async () => {
  const versions = () => count(`SELECT count(*)::int AS n FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id WHERE p.${ours}`);
  const v0 = await versions();
  const again = await runOf(await upload(jsonl(all), 'tthc.jsonl'));
  assert.equal(again.created, 0);
  assert.equal(again.updated, 0);
  assert.equal(again.unchanged, N - bad.size);
  assert.equal(again.withdrawn, 0);
  assert.equal(await versions(), v0, 'an identical row keeps no version');
  assert.equal(await count(`SELECT count(*)::int AS n FROM procedures WHERE ${ours}`), N - bad.size);
});

test('a changed procedure keeps its previous text; one gone from the source is withdrawn, kept, and back when it returns', async () => {
  const versions = () => count(`SELECT count(*)::int AS n FROM procedure_versions v JOIN procedures p ON p.id = v.procedure_id WHERE p.${ours}`);
  const v0 = await versions();
  const without = all.filter((n) => n !== 300 && n !== 301);
  const r = await runOf(await upload(jsonl(without, { 42: { fees: '50.000 đồng' } }), 'tthc.jsonl'));
  assert.equal(r.withdrawn, 2);
  assert.equal(r.updated, 1);
  // The changed one and the two withdrawn keep their previous text.
  assert.equal(await versions(), v0 + 3);
  const v = await one(`SELECT v.previous->>'fees' AS fees, v.changed_via FROM procedure_versions v
      JOIN procedures p ON p.id = v.procedure_id WHERE p.code = $1`, [code(42)]);
  assert.equal(v.fees, 'Miễn phí');
  assert.equal(v.changed_via, 'import');
  assert.equal((await one('SELECT fees FROM procedures WHERE code = $1', [code(42)])).fees, '50.000 đồng');
  const gone = await one('SELECT status, withdrawn_at FROM procedures WHERE code = $1', [code(300)]);
  assert.equal(gone.status, 'withdrawn');
  assert.ok(gone.withdrawn_at);
  // A refused row (line 2500) is still in the source: not withdrawn. It was never stored either.
  const page = await request('GET', `/thu-tuc/${code(300)}`, { ip });
  assert.equal(page.status, 200);
  assert.ok(page.text.includes('id="procedure-withdrawn"'));
  const s = await request('GET', `/api/v1/procedures?q=${encodeURIComponent('thu tuc nhap thu so 300 ')}`, { ip });
  assert.ok(!JSON.parse(s.text).items.some((i) => i.code === code(300)));

  const back = await runOf(await upload(jsonl(all), 'tthc.jsonl'));
  assert.equal(back.withdrawn, 0);
  assert.equal((await one('SELECT status FROM procedures WHERE code = $1', [code(300)])).status, 'active');
});

test('CSV: the same columns, quoted cells over several lines, errors by line', async () => {
  const csv = '\uFEFFcode,name,level,steps,forms,postal,online_level\r\n'
    + `${code(20001)},"Cấp bản sao trích lục hộ tịch, bản sao",xa,"Bước 1\r\nBước 2",`
    + '"Tờ khai | https://dichvucong.gov.vn/a.docx",có,3\r\n'
    + `${code(20002)},Tên,quan,,,,\r\n`
    + `${code(20003)},Tên đủ dài,tinh,,,,9\r\n`;
  const r = await runOf(await upload(csv, 'tthc.csv'));
  assert.deepEqual(r.rejected.map((e) => e.line), [4, 5]);
  // The file is the whole source now: the JSON lines' procedures vanished from it.
  assert.equal(r.withdrawn, N - bad.size);
  assert.equal(await count(`SELECT count(*)::int AS n FROM procedures WHERE ${ours} AND status = 'active'`), 1);
  const p = await one('SELECT name, steps, postal, online_level FROM procedures WHERE code = $1', [code(20001)]);
  assert.equal(p.name, 'Cấp bản sao trích lục hộ tịch, bản sao');
  assert.equal(p.steps, 'Bước 1\nBước 2');
  assert.equal(p.postal, true);
  assert.equal(p.online_level, 3);
});

test('a file that cannot be read is refused whole; only administrators may import', async () => {
  const before = await count('SELECT count(*)::int AS n FROM import_runs');
  let r = await upload('code,level\r\n1.1,xa\r\n', 'x.csv');
  assert.equal(r.status, 400);
  assert.ok(r.text.includes('Dòng tiêu đề thiếu cột “name”.'));
  r = await upload('not json at all\n', 'x.jsonl');
  assert.equal(r.status, 400);
  assert.ok(r.text.includes('Tệp không có thủ tục hợp lệ nào'));
  assert.equal(await count('SELECT count(*)::int AS n FROM import_runs'), before);

  const op = await login('dtv.minh', ip);
  const page = await request('GET', '/quan-tri/thu-tuc/nhap', op);
  assert.equal(page.status, 403);
  assert.equal((await request('GET', '/quan-tri/thu-tuc/nhap', { ip })).status, 303);
});
