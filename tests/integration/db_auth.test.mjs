// The private PostgreSQL cluster: a local process that does not have the
// generated passwords cannot log in over TCP, as the superuser (who could
// switch the append-only triggers off) or as the app role; with them
// (the passfiles in var/, mode 0600) the app and the scripts work.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { getJSON, postJSON, citizen, one, dbClose, pgConfig } from '../lib.mjs';

const ip = '127.0.45.1';
const port = String(process.env.TEST_PG_PORT || 15433);
const database = process.env.TEST_PG_DB || 'tongdai_test';
after(dbClose);

// psql with no password anywhere: no passfile, no PGPASSWORD, an empty HOME.
function psqlWithout(user, sql) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'db-auth-'));
  const env = { PATH: process.env.PATH, HOME: home, PGPASSFILE: path.join(home, 'none'), PGCONNECT_TIMEOUT: '5' };
  const r = spawnSync('psql', ['-X', '-w', '-h', '127.0.0.1', '-p', port, '-U', user, '-d', database, '-c', sql],
    { env, encoding: 'utf8' });
  fs.rmSync(home, { recursive: true, force: true });
  return r;
}

test('over TCP, the superuser and the app role need their passwords', async () => {
  for (const user of ['postgres', 'app']) {
    const r = psqlWithout(user, 'ALTER TABLE ticket_events DISABLE TRIGGER USER');
    assert.notEqual(r.status, 0, `${user} logged in without a password`);
    assert.match(r.stderr, /password/, r.stderr);
    const c = new pg.Client({ ...pgConfig({ user }), password: 'not-the-password' });
    await assert.rejects(c.connect(), /password authentication failed/);
    await c.end().catch(() => {});
  }
  // The append-only history is still guarded.
  const t = await one(`SELECT count(*)::int AS n FROM pg_trigger
                       WHERE tgrelid = 'ticket_events'::regclass AND tgenabled = 'O' AND NOT tgisinternal`);
  assert.ok(t.n >= 1);
  // The cluster trusts nobody.
  const hba = await one("SELECT count(*)::int AS n FROM pg_hba_file_rules WHERE auth_method = 'trust'");
  assert.equal(hba.n, 0);
});

test('the passwords are in var/, readable by their owner only', () => {
  const dir = process.env.TEST_VAR_DIR;
  for (const f of ['pgpass', 'pgpass-app']) {
    const st = fs.statSync(path.join(dir, f));
    assert.equal(st.mode & 0o077, 0, `${f} is mode ${(st.mode & 0o777).toString(8)}`);
  }
  const app = fs.readFileSync(path.join(dir, 'pgpass-app'), 'utf8');
  assert.doesNotMatch(app, /:postgres:/, "Kore's passfile has no superuser password");
});

test('with the passwords, the app and a direct login work', async () => {
  const h = await getJSON('/healthz', { ip });
  assert.equal(h.status, 200);
  assert.equal(h.json.db, 'ok');
  const r = await postJSON('/api/v1/tickets', citizen(), { ip });
  assert.equal(r.status, 201, r.text);
  assert.equal((await one('SELECT channel FROM tickets WHERE code = $1', [r.json.code])).channel, 'web');
  const c = new pg.Client(pgConfig({ user: 'app' }));
  await c.connect();
  assert.equal((await c.query('SELECT current_user AS u')).rows[0].u, 'app');
  await c.end();
});
