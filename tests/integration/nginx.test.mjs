// The nginx configuration of docs/operations.md, run for real in front of
// the test Kore: the citizen's address reaches the rate limits, big
// attachments pass, and an empty Cookie header (which Kore 4.1's header
// parser refuses with 400, before any of our code runs) is dropped by
// nginx so that the page answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { one, dbClose, citizen } from '../lib.mjs';

const KORE = new URL(process.env.TEST_BASE_URL || 'http://127.0.0.1:18888');
const PORT = 18891;
let dir, nginx;

// The server block from the docs, made to listen on a test port without TLS.
function docsServerBlock() {
  const md = fs.readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
  const m = md.match(/```nginx\n([\s\S]*?)```/);
  assert.ok(m, 'docs/operations.md has an nginx block');
  return m[1]
    .replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${PORT};`)
    .replace(/proxy_pass http:\/\/127\.0\.0\.1:8888;/, `proxy_pass http://127.0.0.1:${KORE.port};\n        proxy_bind 127.0.43.1;`)
    .replace(/^\s*ssl_.*$/gm, '');
}

// A raw request, so that the empty header goes out exactly as written.
function raw(port, lines, body = '', localAddress = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, localAddress }, () => s.write(lines.join('\r\n') + '\r\n\r\n' + body));
    let out = '';
    s.on('data', (d) => { out += d; });
    s.on('end', () => resolve(Number(out.split(' ')[1])));
    s.on('error', reject);
  });
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nginx-1022-'));
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `
worker_processes 1;
error_log ${dir}/error.log;
pid ${dir}/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  ${docsServerBlock()}
}
`);
  nginx = spawn('/usr/sbin/nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: 'inherit' });
  for (let i = 0; i < 50; i++) {
    try { if (await raw(PORT, ['GET /healthz HTTP/1.1', 'Host: x', 'Connection: close']) === 200) return; } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nginx did not start: ${fs.readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
});
after(async () => {
  if (nginx) { nginx.kill('SIGQUIT'); await new Promise((r) => nginx.on('exit', r)); }
  fs.rmSync(dir, { recursive: true, force: true });
  await dbClose();
});

test('an empty Cookie header: Kore alone refuses it, behind nginx the page answers', async () => {
  const req = (port) => raw(port, ['GET / HTTP/1.1', 'Host: 1022.test', 'Cookie:', 'Connection: close']);
  assert.equal(await req(Number(KORE.port)), 400, 'Kore 4.1 refuses any empty header value');
  assert.equal(await req(PORT), 200);
});

test('through nginx the citizen address is the one the rate limit counts', async () => {
  const body = JSON.stringify(citizen());
  const status = await raw(PORT, ['POST /api/v1/tickets HTTP/1.1', 'Host: 1022.test', 'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'], body, '127.0.50.9');
  assert.equal(status, 201);
  const n = await one("SELECT count(*)::int AS n FROM rate_limits WHERE key = 'submit:127.0.50.9'");
  assert.equal(n.n, 1, 'counted under the address nginx saw, not the proxy\'s');
});
