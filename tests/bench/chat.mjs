// Live chat under load (make bench runs it last, on the bench stack; see
// README.md): N visitors (default 1000) connected at once on /chat/ws and M
// operators (default 100), each a database connection replying with
// message_send() as the inbox does.  Measures delivery latency both ways:
//   visitor → inbox     a visitor's msg frame sent → NOTIFY inbox with its
//                       message id heard on a LISTEN connection
//   operator → visitor  message_send() issued → the msg frame on the
//                       visitor's socket
// and Kore's memory per connection: the RSS of the workers before and after
// the sockets connect.  Prints a Markdown table.
//   BENCH_CHAT_VISITORS, BENCH_CHAT_OPERATORS, BENCH_CHAT_SECONDS (20),
//   BENCH_CHAT_MSGS (messages per visitor during the run, 3)
// Needs TEST_BASE_URL, TEST_PG_PORT, TEST_PG_DB, PGPASSFILE and KORE_PID_FILE.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import WebSocket from 'ws';
import { BASE, pgConfig } from '../lib.mjs';

const N = Number(process.env.BENCH_CHAT_VISITORS || 1000);
const M = Number(process.env.BENCH_CHAT_OPERATORS || 100);
const SECONDS = Number(process.env.BENCH_CHAT_SECONDS || 20);
const MSGS = Number(process.env.BENCH_CHAT_MSGS || 3);
const PER_ADDRESS = 40;		// below the server's sockets per address
const WS_URL = `${BASE.replace(/^http/, 'ws')}/chat/ws`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

function workersRss() {
  const parent = fs.readFileSync(process.env.KORE_PID_FILE, 'utf8').trim();
  const out = execFileSync('ps', ['--ppid', parent, '-o', 'rss=,args='], { encoding: 'utf8' });
  let kb = 0;
  for (const line of out.split('\n')) {
    const m = line.trim().match(/^(\d+)\s.*\[wrk \d+\]/);
    if (m) kb += Number(m[1]);
  }
  return kb;
}

function pct(a, p) {
  if (a.length === 0) return NaN;
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const sentAt = new Map();	// visitor message id → send time (from the ack)
const heardAt = new Map();	// message id → NOTIFY heard
const replyAt = new Map();	// reply text → message_send issued
const up = [], down = [];
let errors = 0;

function openVisitor(i) {
  return new Promise((resolve, reject) => {
    const third = 100 + Math.floor(i / PER_ADDRESS / 250);
    const fourth = 1 + (Math.floor(i / PER_ADDRESS) % 250);
    const ws = new WebSocket(WS_URL, { localAddress: `127.0.${third}.${fourth}` });
    const v = { ws, i, pending: new Map(), conv: 0 };
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString());
      if (f.t === 'ready') resolve(v);
      else if (f.t === 'ack') {
        const t = v.pending.get(f.cid);
        v.pending.delete(f.cid);
        if (t !== undefined) sentAt.set(f.id, t);
        if (v.firstAck) { v.firstAck(f.id); v.firstAck = null; }
      } else if (f.t === 'msg' && f.from === 'operator' && replyAt.has(f.text)) {
        down.push(now() - replyAt.get(f.text));
        replyAt.delete(f.text);
      } else if (f.t === 'error') errors++;
    });
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ t: 'hello', visitor: crypto.randomBytes(32).toString('base64url') })));
  });
}
function say(v, text) {
  const cid = crypto.randomUUID();
  v.pending.set(cid, now());
  v.ws.send(JSON.stringify({ t: 'msg', cid, text }));
}

const listen = new pg.Client(pgConfig());
await listen.connect();
await listen.query('LISTEN inbox');
listen.on('notification', (n) => {
  try { const p = JSON.parse(n.payload); if (p.message && !heardAt.has(p.message)) heardAt.set(p.message, now()); } catch { /* not ours */ }
});
const ops = [];
for (let k = 0; k < M; k++) { const c = new pg.Client(pgConfig()); await c.connect(); ops.push(c); }

const rss0 = workersRss();
const visitors = [];
for (let i = 0; i < N; i += 50) {
  visitors.push(...await Promise.all(Array.from({ length: Math.min(50, N - i) }, (_, j) => openVisitor(i + j))));
}
// Each opens its conversation with a first message.
await Promise.all(visitors.map((v) => new Promise((resolve) => {
  v.firstAck = (id) => { v.firstId = id; resolve(); };
  say(v, `Xin chào ${v.i}`);
})));
await sleep(1000);
const rss1 = workersRss();
const firstIds = [...sentAt.keys()];
const convs = new Map((await ops[0].query('SELECT id, conversation_id FROM messages WHERE id = ANY($1::bigint[])', [firstIds])).rows
  .map((r) => [Number(r.id), Number(r.conversation_id)]));
const threads = new Map((await ops[0].query("SELECT id, thread FROM conversations WHERE id = ANY($1::bigint[])", [[...convs.values()]])).rows
  .map((r) => [Number(r.id), r.thread]));
sentAt.clear(); heardAt.clear();
for (const v of visitors) v.conv = convs.get(v.firstId);

// The run: visitors write, operators answer their share of conversations.
const end = Date.now() + SECONDS * 1000;
let seq = 0;
const visitorLoad = visitors.map(async (v) => {
  for (let k = 0; k < MSGS; k++) {
    await sleep(Math.random() * (SECONDS * 1000) / MSGS);
    if (Date.now() > end) break;
    if (v.ws.readyState === WebSocket.OPEN) say(v, `Tin ${k} của khách ${v.i}`);
  }
});
const operatorLoad = ops.map(async (c, k) => {
  const mine = visitors.filter((_, i) => i % M === k);
  while (Date.now() < end && mine.length) {
    for (const v of mine) {
      if (Date.now() > end) break;
      const text = `Trả lời ${++seq}`;
      replyAt.set(text, now());
      // As the inbox sends a reply (src/inbox.c): an asynchronous commit,
      // then a synchronous one that makes it durable.
      await c.query("SELECT message_send('chat', $1, 'message', NULL, $2, $3::bigint), "
        + "set_config('synchronous_commit', 'off', true)", [threads.get(v.conv), text, v.conv]);
      await c.query('SELECT pg_current_xact_id()');
      await sleep(Math.random() * 1000 * (N / M) / 2);
    }
  }
});
await Promise.all([...visitorLoad, ...operatorLoad]);
await sleep(2000);
for (const [id, t] of sentAt) if (heardAt.has(id)) up.push(heardAt.get(id) - t);

const f = (x) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const perConn = (rss1 - rss0) / N;
console.log(`\n## Live chat: ${N} visitors, ${M} operators, ${SECONDS} s\n`);
console.log('| direction | messages | p50 ms | p99 ms | lost |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(`| visitor → inbox (NOTIFY) | ${up.length} | ${f(pct(up, 50))} | ${f(pct(up, 99))} | ${sentAt.size - up.length} |`);
console.log(`| operator → visitor socket | ${down.length} | ${f(pct(down, 50))} | ${f(pct(down, 99))} | ${replyAt.size} |`);
console.log(`\nKore workers' RSS: ${rss0} KiB before, ${rss1} KiB with ${N} sockets: ${f(perConn)} KiB per connection. Error frames: ${errors}.`);
const p99 = Math.max(pct(up, 99), pct(down, 99));
console.log(`Target p99 < 50 ms: ${p99 < 50 ? 'met' : 'missed'} (${f(p99)} ms).`);

for (const v of visitors) v.ws.terminate();
for (const c of ops) await c.end();
await listen.end();
process.exit(replyAt.size > 0 || sentAt.size - up.length > 0 ? 1 : 0);
