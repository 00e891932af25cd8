// Answer suggestions and the field/agency classifier (GET /dtv/goi-y,
// migrations/0064_suggest.sql) against the real stack, on the fixture of
// tests/fixtures/questions.mjs: the ranking of published answers for
// queries with and without diacritics and with typos, the classifier's
// held-out accuracy (printed, against always guessing the largest
// class), learning from an operator's classification, the article used
// kept in the ticket's history, and bad input refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request, postForm, login, one, db, dbClose, uniq } from '../lib.mjs';
import { questions, heldOut, publishedAnswers, RANKING, NEW_WORDING } from '../fixtures/questions.mjs';

const ip = '127.0.64.1';
after(dbClose);

let s;
const codeOf = {};	// core -> the published answer's ticket code
const run = `${process.pid}x${Date.now() % 100000}`;

const suggest = (q, session = s) =>
  request('GET', `/dtv/goi-y?q=${encodeURIComponent(q)}`, session);

before(async () => {
  s = await login('dtv.lan', ip);
  const op = await one("SELECT id FROM users WHERE username = 'dtv.lan'");

  // The published answers: tickets answered and published, as /hoi-dap
  // shows them.  Not created by staff: they do not train the classifier.
  const pub = publishedAnswers().map((a, i) => ({ ...a, code: `GY${run}P${i}` }));
  await db().query(`INSERT INTO tickets (code, channel, name, title, content, answer, status,
        published, answered_at, field_id, agency_id)
      SELECT x.code, 'web', 'Nguyễn Thị Hỏi', x.title, x.content, x.answer, 'answered', true, now(),
        f.id, a.id
      FROM jsonb_to_recordset($1::jsonb) AS x (code text, title text, content text, answer text,
        field text, agency text)
      JOIN fields f ON f.code = x.field JOIN agencies a ON a.code = x.agency`,
  [JSON.stringify(pub)]);
  for (const a of pub) codeOf[a.core] = a.code;

  // The training split: tickets operators typed with their field and
  // agency, as the console stores them; the trigger counts their words.
  const train = questions().filter((q) => !heldOut(q)).map((q) => ({ ...q, code: `GY${run}T${q.id}` }));
  await db().query(`INSERT INTO tickets (code, channel, name, title, content, status, field_id,
        agency_id, created_by)
      SELECT x.code, 'phone', 'Người dân', x.title, x.content, 'classified', f.id, a.id, $2
      FROM jsonb_to_recordset($1::jsonb) AS x (code text, title text, content text, field text,
        agency text)
      JOIN fields f ON f.code = x.field JOIN agencies a ON a.code = x.agency`,
  [JSON.stringify(train), op.id]);
});

test('the fixture: at least 500 questions across the fields, with and without diacritics', () => {
  const q = questions();
  assert.ok(q.length >= 500, `${q.length} questions`);
  assert.ok(new Set(q.map((x) => x.field)).size >= 20);
  assert.ok(q.filter((x) => !/[àáảãạăâđèéêìíòóôơùúưỳý]/i.test(x.content)).length >= 100,
    'a share is typed without diacritics');
  assert.ok(q.filter(heldOut).length >= 100, 'a held-out fifth');
});

test('published answers are found in the top 3, with or without diacritics or with a typo', async () => {
  const lines = [];
  let top1 = 0, n = 0;
  for (const [core, queries] of RANKING) {
    for (const q of queries) {
      const r = await suggest(q);
      assert.equal(r.status, 200, r.text);
      // The earlier answers' own ranking (the catalog's procedures and
      // notices come beside them, best of each source first).
      const refs = r.json.articles.filter((a) => a.kind === 'answer').map((a) => a.ref);
      const rank = refs.indexOf(codeOf[core]) + 1;
      lines.push(`  ${rank || '-'}  ${q}`);
      n++;
      if (rank === 1) top1++;
      assert.ok(rank >= 1 && rank <= 3,
        `"${q}" should find ${core} in the top 3, got ${r.json.articles.map((a) => a.title).join(' | ')}`);
    }
  }
  console.log(`suggestion ranking (rank of the right answer):\n${lines.join('\n')}\n`
    + `ranking: ${n} queries, ${top1} first, all in the top 3`);

  // What an article carries: its kind, the link, the answer with
  // personal data masked, a score; best first.
  const r = await suggest('chứng thực bản sao');
  const a = r.json.articles[0];
  assert.equal(a.kind, 'answer');
  assert.equal(a.url, `/hoi-dap/${a.ref}`);
  assert.ok(a.snippet.length > 20);
  for (const side of [(x) => x.kind === 'answer', (x) => x.kind !== 'answer']) {
    const xs = r.json.articles.filter(side);
    assert.ok(xs.every((x, i) => i === 0 || xs[i - 1].score >= x.score));
  }
});

test('procedures and live notices are suggested beside the answers, and their use is kept', async () => {
  const code = `GYP${run}`.replace(/x/g, '.');
  const slug = `gy-${run}`.replace(/x/g, '-');
  await db().query(`INSERT INTO procedures (code, name, field, level, receiving_agency, steps)
      VALUES ($1, 'Cấp giấy phép khai thác cát sỏi lòng sông Tiền', 'Khoáng sản', 'tinh',
        'Sở Tài nguyên và Môi trường', 'Nộp hồ sơ tại Trung tâm Phục vụ hành chính công tỉnh.')`, [code]);
  await db().query(`INSERT INTO articles (slug, kind, title, body, publish_at, expires_at)
      VALUES ($1, 'thong-bao', 'Tạm ngừng khai thác cát sỏi mùa lũ', 'Từ tháng 9 đến hết tháng 11.',
        now() - interval '1 day', now() + interval '30 days'),
      ($1 || '-cu', 'thong-bao', 'Thông báo khai thác cát sỏi năm trước', 'Đã hết hiệu lực.',
        now() - interval '400 days', now() - interval '30 days')`, [slug]);
  // A sentence, as an operator types it, without diacritics.
  const r = await suggest('cho toi hoi thu tuc xin phep khai thac cat soi tren song Tien');
  assert.equal(r.status, 200, r.text);
  const byRef = Object.fromEntries(r.json.articles.map((a) => [a.ref, a]));
  assert.equal(byRef[code]?.kind, 'procedure', JSON.stringify(r.json.articles));
  assert.equal(byRef[code].url, `/thu-tuc/${code}`);
  assert.equal(byRef[slug]?.kind, 'thong-bao');
  assert.equal(byRef[`${slug}-cu`], undefined, 'a lapsed notice is never suggested');

  const t = await postForm('/dtv/tao-phieu', {
    csrf: s.csrf, phone: '0913 000 555', title: `Khai thác cát ${uniq()}`,
    content: 'Hỏi giấy phép khai thác cát', suggestion: `procedure:${code}`,
  }, s);
  assert.equal(t.status, 303, t.text.slice(0, 300));
  const id = t.headers.location.match(/(\d+)$/)[1];
  const ev = await one(`SELECT payload FROM ticket_events WHERE ticket_id = $1 AND kind = 'suggestion'`, [id]);
  assert.deepEqual([ev.payload.source_kind, ev.payload.url], ['procedure', `/thu-tuc/${code}`]);
  // The lapsed notice's use is not recorded: nothing to point to.
  const u = await postForm('/dtv/tao-phieu', {
    csrf: s.csrf, phone: '0913 000 556', title: `Khai thác cát ${uniq()}`,
    content: 'Hỏi giấy phép khai thác cát', suggestion: `thong-bao:${slug}-cu`,
  }, s);
  assert.equal(u.status, 303);
  const uid = u.headers.location.match(/(\d+)$/)[1];
  assert.equal((await one(`SELECT count(*)::int AS n FROM ticket_events
      WHERE ticket_id = $1 AND kind = 'suggestion'`, [uid])).n, 0);
});

test('only published, answered tickets are suggested, and personal data is masked', async () => {
  const word = `zqk${run}`;
  for (const [code, status, published, answer] of [
    [`GY${run}U1`, 'answered', false, 'Trả lời riêng'],
    [`GY${run}U2`, 'forwarded', true, null],
    [`GY${run}U3`, 'answered', true, 'Gọi ông Tư Hỏi số 0909 123 456 hoặc tu.hoi@example.com'],
  ]) {
    await db().query(`INSERT INTO tickets (code, channel, name, title, content, answer, status, published)
      VALUES ($1, 'web', 'Tư Hỏi', $2, 'Nội dung', $3, $4, $5)`,
    [code, `Câu hỏi ${word} của Tư Hỏi`, answer, status, published]);
  }
  const r = await suggest(word);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.articles.map((a) => a.ref), [`GY${run}U3`]);
  const a = r.json.articles[0];
  assert.ok(!a.snippet.includes('0909 123 456') && !a.snippet.includes('tu.hoi@'), a.snippet);
  assert.ok(!a.title.includes('Tư Hỏi') && !a.snippet.includes('Tư Hỏi'), 'the citizen\'s name is blanked');
});

test('the suggestion statements can use the trigram and full-text indexes', async () => {
  // Few rows here, so the planner may rightly prefer a scan: with scans
  // off, a plan on the index shows the expressions match the indexes.
  const c = await db().connect();
  try {
    await c.query('BEGIN');
    await c.query('SET LOCAL enable_seqscan = off');
    const plan = async (sql) => (await c.query(`EXPLAIN ${sql}`)).rows.map((x) => x['QUERY PLAN']).join('\n');
    const fts = await plan(`SELECT id FROM tickets t WHERE t.published
      AND suggest_doc(t.title, t.content, t.answer) @@ suggest_query('chung thuc ban sao')`);
    assert.match(fts, /tickets_published_fts/, fts);
    const trgm = await plan(`SELECT id FROM tickets t WHERE t.published
      AND f_unaccent('chung thuk') <% f_unaccent(t.title || ' ' || t.content || ' ' || coalesce(t.answer, ''))`);
    assert.match(trgm, /tickets_published_trgm/, trgm);
    const counts = await plan("SELECT * FROM suggest_counts WHERE token = 'ban sao'");
    assert.match(counts, /suggest_counts_token/, counts);
  } finally {
    await c.query('ROLLBACK');
    c.release();
  }
});

test('the classifier: held-out accuracy of field and agency, against the largest class', async () => {
  const all = questions();
  const train = all.filter((q) => !heldOut(q));
  const test = all.filter(heldOut);
  const largest = (key) => {
    const n = {};
    for (const q of train) n[q[key]] = (n[q[key]] || 0) + 1;
    return Object.entries(n).sort((a, b) => b[1] - a[1])[0][0];
  };
  const base = { field: largest('field'), agency: largest('agency') };
  const hit = { field: [0, 0], agency: [0, 0] }, baseHit = { field: 0, agency: 0 };
  const t0 = Date.now();
  for (const q of test) {
    const r = await suggest(q.content);
    assert.equal(r.status, 200, r.text);
    for (const [key, list] of [['field', r.json.fields], ['agency', r.json.agencies]]) {
      assert.ok(list.length >= 1 && list.length <= 3, JSON.stringify(list));
      const codes = list.map((c) => c.code);
      if (codes[0] === q[key]) hit[key][0]++;
      if (codes.includes(q[key])) hit[key][1]++;
      if (base[key] === q[key]) baseHit[key]++;
    }
  }
  const ms = (Date.now() - t0) / test.length;
  // The same stack's round trip for a page with one small query, for scale.
  const t1 = Date.now();
  for (let i = 0; i < 20; i++) await request('GET', '/hoi-dap?q=ch%E1%BB%A9ng', s);
  const ref = (Date.now() - t1) / 20;
  const pct = (k) => `${((100 * k) / test.length).toFixed(1)}%`;
  console.log(`classifier on ${test.length} held-out questions (trained on ${train.length}), `
    + `${Math.round(ms)} ms a request (/hoi-dap search on this stack: ${Math.round(ref)} ms):\n`
    + `  field:  top-1 ${pct(hit.field[0])}, top-3 ${pct(hit.field[1])}; `
    + `always "${base.field}": ${pct(baseHit.field)}\n`
    + `  agency: top-1 ${pct(hit.agency[0])}, top-3 ${pct(hit.agency[1])}; `
    + `always "${base.agency}": ${pct(baseHit.agency)}`);
  assert.ok(hit.field[0] / test.length >= baseHit.field / test.length + 0.4, 'field: clearly above the baseline');
  assert.ok(hit.agency[0] / test.length >= baseHit.agency / test.length + 0.3, 'agency: clearly above the baseline');
  assert.ok(hit.field[1] >= hit.field[0] && hit.agency[1] >= hit.agency[0]);

  // Questions worded unlike any in training: the honest figure.
  const nw = { field: [0, 0], agency: [0, 0] }, nwBase = { field: 0, agency: 0 };
  for (const [field, agency, text] of NEW_WORDING) {
    const r = await suggest(text);
    assert.equal(r.status, 200, r.text);
    for (const [key, want, list] of [['field', field, r.json.fields], ['agency', agency, r.json.agencies]]) {
      const codes = list.map((c) => c.code);
      if (codes[0] === want) nw[key][0]++;
      if (codes.includes(want)) nw[key][1]++;
      if (base[key] === want) nwBase[key]++;
    }
  }
  const m = NEW_WORDING.length;
  const pm = (k) => `${((100 * k) / m).toFixed(1)}%`;
  console.log(`classifier on ${m} questions in new wording (not generated from the training cores):\n`
    + `  field:  top-1 ${pm(nw.field[0])}, top-3 ${pm(nw.field[1])}; always "${base.field}": ${pm(nwBase.field)}\n`
    + `  agency: top-1 ${pm(nw.agency[0])}, top-3 ${pm(nw.agency[1])}; always "${base.agency}": ${pm(nwBase.agency)}`);
  assert.ok(nw.field[0] / m >= nwBase.field / m + 0.25, 'new wording, field: above the baseline');
  assert.ok(nw.agency[0] / m >= nwBase.agency / m + 0.2, 'new wording, agency: above the baseline');
});

test('it learns as operators classify through the console', async () => {
  // Words no fixture question uses, about water hyacinth choking a canal.
  const text = `lục bình ${run} trôi dày đặc làm nghẹt kênh xáng`;
  const field = await one("SELECT id FROM fields WHERE code = 'moi-truong'");
  const top = async () => (await suggest(text)).json.fields[0];
  const before = await top();
  assert.notEqual(before && before.code, 'moi-truong', 'not learnt yet');

  for (let i = 0; i < 3; i++) {
    const r = await postForm('/dtv/tao-phieu', {
      csrf: s.csrf, phone: '0913 000 222', title: `Phản ánh ${uniq()}`, content: text,
    }, s);
    assert.equal(r.status, 303, r.text.slice(0, 300));
    const id = r.headers.location.match(/(\d+)$/)[1];
    const c = await postForm(`/dtv/phieu/${id}/classify`,
      { csrf: s.csrf, field: String(field.id), level: '1' }, s);
    assert.equal(c.status, 303, c.text.slice(0, 300));
  }
  const after = await top();
  assert.equal(after.code, 'moi-truong', JSON.stringify(after));
  assert.ok(after.score > 0.5);

  // A change of mind moves the counts: re-classified elsewhere, the
  // model forgets what it learnt from those tickets.
  const n = await one(`SELECT coalesce(sum(n), 0)::int AS n FROM suggest_counts c JOIN fields f
      ON c.kind = 'f' AND f.id = c.class_id AND f.code = 'moi-truong' WHERE token = $1`, [`${run}`]);
  assert.equal(n.n, 3);
  await db().query(`UPDATE tickets SET field_id = (SELECT id FROM fields WHERE code = 'nuoc')
      WHERE content = $1`, [text]);
  const m = await one(`SELECT coalesce(sum(n), 0)::int AS n FROM suggest_counts c JOIN fields f
      ON c.kind = 'f' AND f.id = c.class_id AND f.code = 'moi-truong' WHERE token = $1`, [`${run}`]);
  assert.equal(m.n, 0);
  assert.equal((await top()).code, 'nuoc');
});

test('the phone ticket keeps which suggested answer the operator used', async () => {
  const code = codeOf['tu-phap/1'];
  const r = await postForm('/dtv/tao-phieu', {
    csrf: s.csrf, phone: '0913 000 333', title: `Chứng thực ${uniq()}`,
    content: 'Hỏi chứng thực bản sao', suggestion: `answer:${code}`,
  }, s);
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const id = r.headers.location.match(/(\d+)$/)[1];
  const ev = await one(`SELECT e.kind, e.note, e.payload, e.public, u.username
      FROM ticket_events e JOIN users u ON u.id = e.actor_id
      WHERE e.ticket_id = $1 AND e.kind = 'suggestion'`, [id]);
  assert.ok(ev, 'a suggestion event');
  assert.equal(ev.payload.ref, code);
  assert.equal(ev.payload.source_kind, 'answer');
  assert.equal(ev.payload.url, `/hoi-dap/${code}`);
  assert.match(ev.note, /Chứng thực bản sao/);
  assert.equal(ev.username, 'dtv.lan');
  assert.equal(ev.public, false);

  // The ticket page shows it in the history.
  const page = await request('GET', `/dtv/phieu/${id}`, s);
  assert.ok(page.text.includes('Dùng câu trả lời gợi ý'), 'in the history');

  // The answer on the ticket's page: the event comes with the answer.
  const f = await one("SELECT id FROM fields WHERE code = 'tu-phap'");
  assert.equal((await postForm(`/dtv/phieu/${id}/classify`,
    { csrf: s.csrf, field: String(f.id), level: '1' }, s)).status, 303);
  // A bad value: refused, the answer not stored, no event.
  const n0 = await one('SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1', [id]);
  const badAns = await postForm(`/dtv/phieu/${id}/answer`,
    { csrf: s.csrf, answer: 'Trả lời khác', suggestion: 'answer:a b' }, s);
  assert.equal(badAns.status, 400);
  assert.match(badAns.text, /Câu trả lời gợi ý đã chọn không hợp lệ/);
  assert.equal((await one('SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1', [id])).n, n0.n);
  assert.equal((await one('SELECT answer FROM tickets WHERE id = $1', [id])).answer, null);
  const other = codeOf['tu-phap/2'];
  const ans = await postForm(`/dtv/phieu/${id}/answer`,
    { csrf: s.csrf, answer: 'Mang bản chính đến ủy ban xã.', suggestion: `answer:${other}` }, s);
  assert.equal(ans.status, 303, ans.text.slice(0, 300));
  const evs = (await db().query(`SELECT kind, payload->>'ref' AS ref FROM ticket_events
      WHERE ticket_id = $1 AND kind IN ('answer', 'suggestion') ORDER BY id`, [id])).rows;
  assert.deepEqual(evs, [{ kind: 'suggestion', ref: code }, { kind: 'answer', ref: null },
    { kind: 'suggestion', ref: other }]);

  // A bad value is refused with a message, and nothing is stored.
  const before = await one('SELECT count(*)::int AS n FROM tickets');
  for (const bad of ['answer', 'thu:GY1', `answer:${'x'.repeat(80)}`, "answer:a'b", 'answer:']) {
    const b = await postForm('/dtv/tao-phieu', {
      csrf: s.csrf, phone: '0913 000 444', title: `Sai ${uniq()}`, content: 'Nội dung', suggestion: bad,
    }, s);
    assert.equal(b.status, 400, bad);
    assert.match(b.text, /Câu trả lời gợi ý đã chọn không hợp lệ/);
  }
  assert.equal((await one('SELECT count(*)::int AS n FROM tickets')).n, before.n);

  // An unknown or unpublished article writes no event; the ticket is kept.
  const u = await postForm('/dtv/tao-phieu', {
    csrf: s.csrf, phone: '0913 000 555', title: `Khác ${uniq()}`, content: 'Nội dung',
    suggestion: `answer:GY${run}U1`,
  }, s);
  assert.equal(u.status, 303);
  const uid = u.headers.location.match(/(\d+)$/)[1];
  assert.equal((await one("SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1 AND kind = 'suggestion'",
    [uid])).n, 0);
});

test('the endpoint: staff only, bad input refused, short text answered empty', async () => {
  const anon = await request('GET', '/dtv/goi-y?q=chung%20thuc', { ip });
  assert.ok([401, 403, 303].includes(anon.status), String(anon.status));
  assert.ok(!anon.text.includes('articles'));

  const agency = await login('cb.stnmt', ip);
  assert.equal((await suggest('chứng thực', agency)).status, 403, 'agency officers do not get it');

  const short = await suggest('a');
  assert.equal(short.status, 200);
  assert.deepEqual(short.json, { articles: [], fields: [], agencies: [] });

  // Longer than the 600 characters the page may send.
  const long = await suggest('chung thuc '.repeat(60) + 'x');
  assert.equal(long.status, 400);
  assert.ok(long.json.error);

  const ctl = await request('GET', '/dtv/goi-y?q=a%01b', s);
  assert.equal(ctl.status, 400);
  const badUtf8 = await request('GET', '/dtv/goi-y?q=%C3%28abc', s);
  assert.equal(badUtf8.status, 400);
});

test('the softphone draft carries the suggestions and their hidden field', async () => {
  const r = await request('GET', '/dtv/tong-dai', s);
  assert.equal(r.status, 200);
  assert.match(r.text, /<input type="hidden" id="sp-d-suggestion" name="suggestion"/);
  assert.match(r.text, /data-suggest data-from="#sp-d-title,#sp-d-content" data-used="#sp-d-suggestion"/);
  assert.match(r.text, /src="\/assets\/js\/suggest\.js"/);
  const js = await request('GET', '/assets/js/suggest.js', s);
  assert.equal(js.status, 200);
});
