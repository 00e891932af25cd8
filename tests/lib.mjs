// Helpers shared by the integration and browser tests: HTTP from a chosen
// loopback source address (each test file has its own, so rate limits of
// one file do not spill into another), the database, and logins.
import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
import pg from 'pg';
import pgpass from 'pgpass';

export const BASE = process.env.TEST_BASE_URL || 'http://127.0.0.1:18888';

export function request(method, path, { body, headers = {}, ip = '127.0.0.1', cookies } = {}) {
  const url = new URL(path, BASE);
  const h = { ...headers };
  if (cookies && cookies.size) h.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  if (body !== undefined && h['content-length'] === undefined) h['content-length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: h, localAddress: ip }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        if (cookies) {
          for (const sc of res.headers['set-cookie'] || []) {
            const [pair] = sc.split(';');
            const i = pair.indexOf('=');
            const name = pair.slice(0, i), value = pair.slice(i + 1);
            if (/Max-Age=0/.test(sc)) cookies.delete(name); else cookies.set(name, value);
          }
        }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export const getJSON = (path, opts) => request('GET', path, opts);
export const postJSON = (path, obj, opts = {}) => request('POST', path, {
  ...opts, body: typeof obj === 'string' ? obj : JSON.stringify(obj),
  headers: { 'content-type': 'application/json', ...(opts.headers || {}) },
});
export function postForm(path, fields, opts = {}) {
  return request('POST', path, {
    ...opts, body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(opts.headers || {}) },
  });
}

// A GET that collects the CSRF token of a page's form.
export async function getPage(path, session) {
  const r = await request('GET', path, session);
  const m = r.text.match(/name="csrf" value="([^"]+)"/);
  return { ...r, csrf: m ? m[1] : undefined };
}

// Connection settings for the private cluster as user (the superuser by
// default).  The password comes from the libpq passfile scripts/db wrote
// (tests/run sets PGPASSFILE to it), read with the module node-postgres
// itself uses, as libpq would read it.
export function pgConfig({ user = 'postgres', database = process.env.TEST_PG_DB || 'tongdai_test' } = {}) {
  const c = { host: '127.0.0.1', port: Number(process.env.TEST_PG_PORT || 15433), database, user };
  return { ...c, password: () => new Promise((resolve) => pgpass(c, resolve)) };
}

let pool;
export function db() {
  if (!pool) pool = new pg.Pool({ ...pgConfig(), max: 2 });
  return pool;
}
export async function dbClose() { if (pool) { await pool.end(); pool = undefined; } }
export async function one(sql, params = []) { return (await db().query(sql, params)).rows[0]; }

export function credentials() {
  const file = process.env.TEST_CREDENTIALS;
  const out = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [user, role, password] = line.trim().split(/\s+/);
    out[user] = { user, role, password };
  }
  return out;
}

// Log in through the real login form; returns { cookies, ip, csrf }.
export async function login(username, ip = '127.0.0.1') {
  const cookies = new Map();
  const page = await getPage('/dang-nhap', { cookies, ip });
  const pw = credentials()[username].password;
  const r = await postForm('/dang-nhap', { csrf: page.csrf, username, password: pw }, { cookies, ip });
  if (r.status !== 303) throw new Error(`login ${username}: ${r.status} ${r.text.slice(0, 200)}`);
  const s = { cookies, ip };
  const home = await getPage(r.headers.location, s);
  s.csrf = home.csrf;
  return s;
}

// A year (2001-2024) whose first `months` months hold no ticket, history
// event or call of anyone's: tests that count what the statistics show
// put their own data there (the suite shares one database).
export async function freeYear(months = 12) {
  for (let i = 0; i < 200; i++) {
    const year = 2001 + Math.floor(Math.random() * 24);
    const n = await one(`SELECT
        (SELECT count(*) FROM tickets WHERE created_at >= make_date($1, 1, 1)
           AND created_at < make_date($1, 1, 1) + make_interval(months => $2))
      + (SELECT count(*) FROM ticket_events WHERE at >= make_date($1, 1, 1)
           AND at < make_date($1, 1, 1) + make_interval(months => $2))
      + (SELECT count(*) FROM calls WHERE created_at >= make_date($1, 1, 1)
           AND created_at < make_date($1, 1, 1) + make_interval(months => $2)) AS n`, [year, months]);
    if (Number(n.n) === 0) return year;
  }
  throw new Error(`no year with ${months} free months`);
}

let seq = 0;
export function uniq(prefix = 't') { return `${prefix}-${process.pid}-${Date.now()}-${++seq}`; }

export function citizen(extra = {}) {
  return {
    name: 'Nguyễn Thị Bé', phone: '0912 345 678',
    title: `Hỏi về thủ tục ${uniq()}`,
    content: 'Xin hỏi hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ gồm những gì ạ?',
    field: 'xay-dung', ...extra,
  };
}

// A multipart/form-data body: parts are [name, value] or [name, Buffer,
// filename, type].  Returns { body, headers }.
export function multipart(parts) {
  const boundary = `----t1022${process.pid}${Date.now()}${++seq}`;
  const chunks = [];
  for (const [name, value, filename, type] of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"` +
      `${filename ? `; filename="${filename}"` : ''}\r\n${type ? `Content-Type: ${type}\r\n` : ''}\r\n`));
    chunks.push(Buffer.isBuffer(value) ? value : Buffer.from(String(value)), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

// Send a raw HTTP request and reset the connection (TCP RST) after ms
// milliseconds, whatever the server is doing by then.
export function sendAndReset(method, path, { body = Buffer.alloc(0), headers = {}, cookies, ip = '127.0.0.1' }, ms) {
  const url = new URL(path, BASE);
  const h = { host: url.host, 'content-length': body.length, ...headers };
  if (cookies && cookies.size) h.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const head = `${method} ${url.pathname}${url.search} HTTP/1.1\r\n` +
    Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
  return new Promise((resolve) => {
    const sock = net.connect({ host: url.hostname, port: Number(url.port), localAddress: ip });
    sock.on('error', () => {});
    sock.on('connect', () => {
      sock.write(Buffer.concat([Buffer.from(head), body]));
      setTimeout(() => { sock.resetAndDestroy(); resolve(); }, ms);
    });
    sock.on('close', resolve);
  });
}

// For what happens off the request (outbox threads, NOTIFY): fn's value
// once it is truthy, polled every 100 ms; a failure named `what` after ms.
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export async function waitFor(fn, what, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

// A channel's setting as the admin pages store it (value null: removed).
export function channelSetting(channel, name, value, secret = true) {
  if (value === null) return db().query('DELETE FROM channel_settings WHERE channel = $1 AND name = $2', [channel, name]);
  return db().query(`INSERT INTO channel_settings (channel, name, value, secret) VALUES ($1, $2, $3, $4)
    ON CONFLICT (channel, name) DO UPDATE SET value = EXCLUDED.value, secret = EXCLUDED.secret`, [channel, name, value, secret]);
}
