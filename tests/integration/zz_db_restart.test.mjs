// PostgreSQL restarts while citizens are submitting: every answer is a
// success or a clear 503, every acknowledged ticket is stored exactly once,
// and Kore carries on without a restart of its own.  (Named zz_ so that it
// runs last: it restarts the test cluster.)
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { postJSON, getJSON, one, dbClose, citizen } from '../lib.mjs';

after(dbClose);
const pgdata = path.join(process.env.TEST_VAR_DIR, 'pgdata');
const pgctl = '/usr/lib/postgresql/15/bin/pg_ctl';

function restartPostgres() {
  execFileSync('runuser', ['-u', 'postgres', '--', pgctl, '-D', pgdata, '-m', 'fast', '-w', '-t', '60', 'restart',
    '-l', path.join(process.env.TEST_VAR_DIR, 'log', 'postgresql.log')], { stdio: 'ignore' });
}

test('a restart of PostgreSQL under load loses no acknowledged submission', async () => {
  await dbClose();
  const sent = [];
  const answers = [];
  let ipn = 0;
  const wave = (n) => Promise.all(Array.from({ length: n }, () => {
    const body = citizen({ title: `Sự cố mất nước ${Date.now()} ${Math.random()}` });
    sent.push(body);
    // Spread over addresses so the rate limit is not what answers.
    const ip = `127.0.40.${1 + (ipn++ % 200)}`;
    return postJSON('/api/v1/tickets', body, { ip }).then((r) => answers.push({ body, r }), (e) => answers.push({ body, e }));
  }));

  const load = (async () => { for (let i = 0; i < 6; i++) { await wave(10); } })();
  await new Promise((r) => setTimeout(r, 50));
  restartPostgres();
  await load;

  for (const a of answers) {
    assert.equal(a.e, undefined, `no connection dropped: ${a.e}`);
    assert.ok([200, 201, 503].includes(a.r.status), `status ${a.r.status}: ${a.r.text}`);
    if (a.r.status === 503) assert.ok(a.r.headers['retry-after'], '503 says when to retry');
  }
  const acknowledged = answers.filter((a) => a.r.status === 201 || a.r.status === 200);
  assert.ok(acknowledged.length > 0);
  for (const a of acknowledged) {
    const row = await one('SELECT count(*)::int AS n FROM tickets WHERE code = $1 AND title = $2', [a.r.json.code, a.body.title]);
    assert.equal(row.n, 1, `ticket ${a.r.json.code} stored once`);
  }
  // A retried 503 lands once, not twice.
  for (const a of answers.filter((x) => x.r.status === 503)) {
    const again = await postJSON('/api/v1/tickets', a.body, { ip: '127.0.41.1' });
    assert.ok([200, 201].includes(again.status));
    const row = await one('SELECT count(*)::int AS n FROM tickets WHERE title = $1', [a.body.title]);
    assert.equal(row.n, 1);
  }
});

test('right after a restart the first requests succeed', async () => {
  await dbClose();
  restartPostgres();
  const h = await getJSON('/healthz', { ip: '127.0.41.2' });
  assert.equal(h.status, 200);
  const r = await postJSON('/api/v1/tickets', citizen(), { ip: '127.0.41.3' });
  assert.equal(r.status, 201, r.text);
});
