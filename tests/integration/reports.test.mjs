// The periodic report (/giam-sat/bao-cao) on a half-year of its own whose
// answer is known: received, answered, on time against the first deadline,
// forwarded, open past the deadline (the forwarded one and the new one);
// the same figures in the workbook, read
// back by openpyxl; bad periods get a clear error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, postJSON, login, citizen, db, dbClose } from '../lib.mjs';
import { download, readXlsx } from '../xlsx.mjs';

const ip = '127.0.66.30';
let sup;
after(dbClose);

// A ticket filed on 2018-08-01 (the last half of 2018 is this file's),
// first due on the 6th, then as the test says.
async function ticket(set, field = 'dat-dai') {
  const r = await postJSON('/api/v1/tickets', citizen({ field }), { ip });
  assert.equal(r.status, 201, r.text);
  const { id } = (await db().query('SELECT id FROM tickets WHERE code = $1', [r.json.code])).rows[0];
  await db().query(`UPDATE ticket_deadlines SET due_at = '2018-08-06T17:00:00+07:00' WHERE ticket_id = $1`, [id]);
  await db().query(`UPDATE tickets SET created_at = '2018-08-01T09:00:00+07:00',
      due_at = '2018-08-06T17:00:00+07:00', ${set} WHERE id = $1`, [id]);
}

before(async () => {
  sup = await login('lanhdao', '127.0.66.31');
  await ticket(`status = 'answered', answered_at = '2018-08-03T10:00:00+07:00', answer = 'Đã trả lời.'`);
  await ticket(`status = 'answered', answered_at = '2018-08-20T10:00:00+07:00', answer = 'Trả lời muộn.'`);
  await ticket(`status = 'forwarded', agency_id = (SELECT id FROM agencies WHERE code = 'STNMT')`);
  await ticket(`status = 'new'`, 'giao-thong');
});

test('the 6-monthly report counts what happened in its half-year', async () => {
  const r = await request('GET', '/giam-sat/bao-cao?ky=6-thang-cuoi&nam=2018', sup);
  assert.equal(r.status, 200);
  assert.match(r.text, /Kết quả tiếp nhận, xử lý thông tin 6 tháng cuối năm 2018/);
  assert.match(r.text, /Từ ngày 01\/07\/2018 đến ngày 31\/12\/2018/);
  const table = r.text.slice(r.text.indexOf('id="report-fields"'), r.text.indexOf('id="report-channels"'));
  const total = table.slice(table.indexOf('<tr class="total">'));
  const cell = (col) => (total.match(new RegExp(`data-col="${col}">([^<]*)<`)) || [])[1];
  assert.deepEqual(['received', 'answered', 'on_time', 'on_time_pct', 'forwarded', 'overdue'].map(cell),
    ['4', '2', '1', '50,0', '1', '2']);
  assert.match(table, /<th scope="row">Đất đai<\/th><td class="num" data-col="received">3<\/td>/);
  // No calls that half-year: a total of zeros, no error.
  assert.match(r.text, /id="report-calls"[\s\S]*Tổng cộng<\/th><td class="num" data-col="received">0</);
});

test('the report as a workbook: three sheets with the same figures', async () => {
  const x = await download('/giam-sat/bao-cao.xlsx?ky=6-thang-cuoi&nam=2018', sup);
  assert.equal(x.status, 200);
  assert.match(x.headers['content-disposition'], /filename="bao-cao-6-thang-cuoi-2018\.xlsx"/);
  const wb = readXlsx(x.body);
  assert.deepEqual(Object.keys(wb), ['Theo lĩnh vực', 'Theo kênh', 'Cuộc gọi']);
  const fields = wb['Theo lĩnh vực'].rows;
  assert.match(fields[0][0], /6 tháng cuối năm 2018: theo lĩnh vực \(01\/07\/2018 – 31\/12\/2018\)/);
  assert.deepEqual(fields[2], ['Lĩnh vực', 'Tiếp nhận', 'Đã trả lời', 'Trả lời đúng hạn',
    'Tỷ lệ đúng hạn (%)', 'Chuyển cơ quan xử lý', 'Quá hạn chưa trả lời']);
  assert.deepEqual(fields.at(-1), ['Tổng cộng', 4, 2, 1, 50, 1, 2]);
  assert.deepEqual(wb['Theo kênh'].rows.at(-1), ['Tổng cộng', 4, 2, 1, 50, 1, 2]);
  assert.deepEqual(wb['Cuộc gọi'].rows.at(-1).slice(0, 2), ['Tổng cộng', 0]);
});

test('a bad period or year is refused with a clear message', async () => {
  for (const qs of ['ky=quy-1&nam=2018', 'ky=ca-nam&nam=18', 'ky=ca-nam&nam=1999', 'ky=ca-nam&nam=20a8']) {
    const r = await request('GET', `/giam-sat/bao-cao?${qs}`, sup);
    assert.equal(r.status, 400, qs);
    assert.match(r.text, /id="report-error"/);
    assert.equal((await request('GET', `/giam-sat/bao-cao.xlsx?${qs}`, sup)).status, 400);
  }
});
