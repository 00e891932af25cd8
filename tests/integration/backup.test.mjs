// Backups restore: the database and the files come back whole, and a
// damaged backup is refused before anything is touched.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { one, dbClose, postJSON, citizen, pgConfig } from '../lib.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const run = (cmd, args) => execFileSync(path.join(root, 'scripts', cmd), args, { encoding: 'utf8', env: process.env });
const checkDb = `tongdai_restore_check_${process.pid}`;
after(async () => {
  await dbClose();
  const c = new pg.Client(pgConfig({ database: 'postgres' }));
  await c.connect(); await c.query(`DROP DATABASE IF EXISTS ${checkDb}`); await c.end();
});

test('a backup restores into a fresh database with the same data and files', async () => {
  await postJSON('/api/v1/tickets', citizen(), { ip: '127.0.42.1' });
  const upload = path.join(process.env.TEST_VAR_DIR, 'uploads', `backup-test-${process.pid}.pdf`);
  fs.mkdirSync(path.dirname(upload), { recursive: true });
  fs.writeFileSync(upload, '%PDF-1.4 test\n%%EOF\n');
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'tongdai-backup-'));

  const prefix = run('backup', [dest]).trim().split('\n').pop();
  for (const ext of ['.dump', '.files.tar.gz', '.sha256']) assert.ok(fs.existsSync(prefix + ext), ext);

  run('restore', [prefix, '--into', checkDb]);
  const live = await one(`SELECT (SELECT count(*) FROM tickets)::int AS t, (SELECT count(*) FROM ticket_events)::int AS e,
                                 (SELECT count(*) FROM users)::int AS u, (SELECT max(code) FROM tickets) AS m`);
  const c = new pg.Client(pgConfig({ database: checkDb }));
  await c.connect();
  const restored = (await c.query(`SELECT (SELECT count(*) FROM tickets)::int AS t, (SELECT count(*) FROM ticket_events)::int AS e,
                                         (SELECT count(*) FROM users)::int AS u, (SELECT max(code) FROM tickets) AS m`)).rows[0];
  // History stays append-only in the restored copy too.
  await assert.rejects(c.query('DELETE FROM ticket_events'), /append-only/);
  await c.end();
  assert.ok(restored.t >= live.t - 2 && restored.t <= live.t, 'tickets restored');
  assert.ok(restored.e > 0 && restored.u === live.u);

  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'tongdai-files-'));
  run('restore', [prefix, '--files', files]);
  assert.equal(fs.readFileSync(path.join(files, 'uploads', path.basename(upload)), 'utf8'), '%PDF-1.4 test\n%%EOF\n');

  // Restoring over the live database while Kore runs is refused.
  assert.throws(() => execFileSync(path.join(root, 'scripts', 'restore'), [prefix, '--yes'], { stdio: 'pipe', env: process.env }),
    (e) => /Kore is running/.test(e.stderr.toString()));
  assert.equal((await one('SELECT count(*)::int AS n FROM tickets')).n >= live.t, true);

  // A damaged backup is refused.
  fs.appendFileSync(prefix + '.dump', 'x');
  assert.throws(() => execFileSync(path.join(root, 'scripts', 'restore'), [prefix, '--into', `${checkDb}_x`], { stdio: 'pipe', env: process.env }),
    (e) => /damaged/.test(e.stderr.toString()));
  fs.rmSync(dest, { recursive: true, force: true });
  fs.rmSync(files, { recursive: true, force: true });
  fs.rmSync(upload);
});
