// The catalog's history can't be erased: procedure_versions and
// article_versions refuse UPDATE, DELETE and TRUNCATE from the app role
// and from the superuser alike, and procedures and articles themselves
// can't be deleted by the app role (withdrawn instead).  Changing an
// article keeps the text before it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { db, dbClose, one } from '../lib.mjs';

after(dbClose);

const run = `${process.pid % 1000}${Date.now() % 1000}`;

async function refused(sql, asApp) {
  const c = await db().connect();
  try {
    await c.query('BEGIN');
    if (asApp)
      await c.query('SET LOCAL ROLE app');
    await assert.rejects(c.query(sql), /permission denied|append-only/, `${asApp ? 'app' : 'superuser'}: ${sql}`);
    await c.query('ROLLBACK');
  } finally {
    c.release();
  }
}

test('procedure_versions: the app role and the superuser cannot change or remove a version', async () => {
  const code = `H${run}.000001`;
  const p = await one(`INSERT INTO procedures (code, name, level, fees) VALUES ($1, 'Thủ tục lịch sử', 'tinh', '1.000 đồng')
                       RETURNING id`, [code]);
  await db().query("UPDATE procedures SET fees = '2.000 đồng' WHERE id = $1", [p.id]);
  const v = await one('SELECT id, previous->>\'fees\' AS fees FROM procedure_versions WHERE procedure_id = $1', [p.id]);
  assert.equal(v.fees, '1.000 đồng');
  for (const asApp of [true, false]) {
    await refused(`UPDATE procedure_versions SET previous = '{}' WHERE id = ${v.id}`, asApp);
    await refused(`DELETE FROM procedure_versions WHERE id = ${v.id}`, asApp);
    await refused('TRUNCATE procedure_versions', asApp);
  }
  await refused(`DELETE FROM procedures WHERE id = ${p.id}`, true);
  const still = await one('SELECT previous->>\'fees\' AS fees FROM procedure_versions WHERE id = $1', [v.id]);
  assert.equal(still.fees, '1.000 đồng');
});

test('articles: a change keeps the text before it, append-only; an article is not deleted by the app', async () => {
  const a = await one(`INSERT INTO articles (slug, kind, title, body) VALUES ($1, 'thong-bao', 'Thông báo cũ', 'Nội dung cũ')
                       RETURNING id`, [`ls-${run}`]);
  const c = await db().connect();
  try {
    await c.query('BEGIN');
    await c.query('SET LOCAL ROLE app');
    await c.query("UPDATE articles SET body = 'Nội dung mới' WHERE id = $1", [a.id]);
    // An identical write keeps no version.
    await c.query("UPDATE articles SET body = 'Nội dung mới' WHERE id = $1", [a.id]);
    await c.query('COMMIT');
  } finally {
    c.release();
  }
  const rows = (await db().query('SELECT id, previous->>\'body\' AS body FROM article_versions WHERE article_id = $1', [a.id])).rows;
  assert.equal(rows.length, 1);
  assert.equal(rows[0].body, 'Nội dung cũ');
  for (const asApp of [true, false]) {
    await refused(`UPDATE article_versions SET previous = '{}' WHERE id = ${rows[0].id}`, asApp);
    await refused(`DELETE FROM article_versions WHERE id = ${rows[0].id}`, asApp);
    await refused('TRUNCATE article_versions', asApp);
  }
  await refused(`DELETE FROM articles WHERE id = ${a.id}`, true);
  assert.equal((await one('SELECT count(*)::int AS n FROM article_versions WHERE article_id = $1', [a.id])).n, 1);
});
