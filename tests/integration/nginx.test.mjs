// The nginx configuration of docs/operations.md, run for real in front of
// the test Kore: the citizen's address reaches the rate limits, a body
// larger than its route takes is refused before it is sent, big
// attachments pass on the portal form, and an empty Cookie header (which Kore 4.1's header
// parser refuses with 400, before any of our code runs) is dropped by
// nginx so that the page answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { one, dbClose, citizen, multipart } from '../lib.mjs';

const KORE = new URL(process.env.TEST_BASE_URL || 'http://127.0.0.1:18888');
const PORT = Number(KORE.port) + 3;	// 18891 beside the default test stack
let dir, nginx;

// The server block from the docs, made to listen on a test port without TLS.
function docsServerBlock() {
  const md = fs.readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
  const m = md.match(/```nginx\n([\s\S]*?)```/);
  assert.ok(m, 'docs/operations.md has an nginx block');
  return m[1]
    .replace(/listen 443 ssl http2;/, `listen 127.0.0.1:${PORT};`)
    .replace(/proxy_pass http:\/\/127\.0\.0\.1:8888;/g, `proxy_pass http://127.0.0.1:${KORE.port};\n        proxy_bind 127.0.43.1;`)
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

test('a body larger than its route takes is refused from Content-Length, before it is read', async () => {
  // Headers only: nginx must answer without waiting for the 1 MB body.
  const started = Date.now();
  const status = await new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port: PORT }, () => s.write(['POST /api/v1/tickets HTTP/1.1',
      'Host: 1022.test', 'Content-Type: application/json', `Content-Length: ${1024 * 1024}`, '', ''].join('\r\n')));
    let out = '';
    s.on('data', (d) => { out += d; if (/\r\n\r\n/.test(out)) { resolve(Number(out.split(' ')[1])); s.destroy(); } });
    s.on('error', reject);
  });
  assert.equal(status, 413);
  assert.ok(Date.now() - started < 5000);
});

test('the portal form still takes its three 5 MB attachments through nginx', async () => {
  const page = await new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port: PORT, localAddress: '127.0.50.10' }, () =>
      s.write('GET / HTTP/1.1\r\nHost: 1022.test\r\nConnection: close\r\n\r\n'));
    let out = '';
    s.on('data', (d) => { out += d; });
    s.on('end', () => resolve(out));
    s.on('error', reject);
  });
  const csrf = page.match(/name="csrf" value="([^"]+)"/)[1];
  const cookie = page.match(/set-cookie: (c1022=[^;]+)/i)[1];
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(5 * 1024 * 1024 - 20, 0x20), Buffer.from('\n%%EOF\n')]);
  const f = citizen();
  const { body, headers } = multipart([['csrf', csrf], ['name', f.name], ['phone', f.phone], ['title', f.title],
    ['content', f.content], ['files', pdf, 'a.pdf', 'application/pdf'], ['files', pdf, 'b.pdf', 'application/pdf'],
    ['files', pdf, 'c.pdf', 'application/pdf']]);
  const status = await new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port: PORT, localAddress: '127.0.50.10' }, () => {
      s.write(`POST /gui-phan-anh HTTP/1.1\r\nHost: 1022.test\r\nCookie: ${cookie}\r\n` +
        `Content-Type: ${headers['content-type']}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
      s.write(body);
    });
    let out = '';
    s.on('data', (d) => { out += d; });
    s.on('end', () => resolve(Number(out.split(' ')[1])));
    s.on('error', reject);
  });
  assert.equal(status, 201);
});

test("the chat's websocket and its images pass through nginx, with the citizen's address", async () => {
  const { default: WebSocket } = await import('ws');
  const ws = new WebSocket(`ws://127.0.0.1:${PORT}/chat/ws`, { localAddress: '127.0.50.11' });
  const ready = await new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ t: 'hello', visitor: 'n'.repeat(43) })));
    ws.on('message', (d) => { const f = JSON.parse(d.toString()); if (f.t === 'ready') resolve(f); });
  });
  assert.equal(ready.t, 'ready');
  ws.close();
  const png = Buffer.concat([Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
    Buffer.alloc(2 * 1024 * 1024, 0)]);
  const { body, headers } = multipart([['visitor', 'n'.repeat(43)], ['cid', 'nginx-1'], ['file', png, 'a.png', 'image/png']]);
  const status = await new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port: PORT, localAddress: '127.0.50.11' }, () => {
      s.write(`POST /chat/anh HTTP/1.1\r\nHost: 1022.test\r\nContent-Type: ${headers['content-type']}\r\n` +
        `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
      s.write(body);
    });
    let out = '';
    s.on('data', (d) => { out += d; });
    s.on('end', () => resolve(Number(out.split(' ')[1])));
    s.on('error', reject);
  });
  assert.equal(status, 201, 'a 2 MB image passes nginx');
  const n = await one("SELECT count(*)::int AS n FROM rate_limits WHERE key = 'chat-image:127.0.50.11'");
  assert.equal(n.n, 1);
});
