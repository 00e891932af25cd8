// Behind nginx/HAProxy: X-Forwarded-For is believed from a trusted proxy
// only (APP_TRUSTED_PROXIES=127.0.43.1 in tests/run), and only its last hop.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { postJSON, one, dbClose, citizen } from '../lib.mjs';

after(dbClose);
const keys = async (ip) => (await one('SELECT count(*)::int AS n FROM rate_limits WHERE key = $1', [`submit:${ip}`])).n;

test('a trusted proxy passes on the citizen address; anyone else cannot', async () => {
  const r1 = await postJSON('/api/v1/tickets', citizen(), { ip: '127.0.43.1', headers: { 'x-forwarded-for': '198.51.100.7, 203.0.113.9' } });
  assert.equal(r1.status, 201);
  assert.equal(await keys('203.0.113.9'), 1, 'the last hop, added by our proxy');
  assert.equal(await keys('198.51.100.7'), 0, 'earlier hops are the client\'s word');

  const r2 = await postJSON('/api/v1/tickets', citizen(), { ip: '127.0.43.2', headers: { 'x-forwarded-for': '192.0.2.44' } });
  assert.equal(r2.status, 201);
  assert.equal(await keys('192.0.2.44'), 0, 'not from a trusted proxy: ignored');
  assert.equal(await keys('127.0.43.2'), 1);

  const r3 = await postJSON('/api/v1/tickets', citizen(), { ip: '127.0.43.1', headers: { 'x-forwarded-for': 'not-an-address' } });
  assert.equal(r3.status, 201);
  assert.equal(await keys('127.0.43.1'), 1, 'garbage falls back to the proxy address');
});
