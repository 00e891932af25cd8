// End-to-end tests of janus.plugin.hotline with real peers: SIPp as the
// trunk (caller with RTP), headless Chromium running janus.js as the
// operators, and a small HTTP receiver standing in for Kore's
// /api/internal/call-events.  Runs inside the network namespace that
// run.sh creates, against the Janus that netns.sh started.
//
// Prints TAP at column 0; exits 0 iff every test passed.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
	CHROMIUM_ARGS, HERE, ROOT, children, note, ok, readWav, sipp as libSipp, tap, udpListening,
	waitFor,
} from './lib.mjs';
import { agentToken, hotlineKey, janusToken, readSecret } from '../contract.mjs';
import { SipUdp, digestAuth, header, invite, register, sendRtp } from './sipraw.mjs';

const ENV = process.env;
const VAR_DIR = ENV.VAR_DIR;
const SIP_PORT = Number(ENV.SIP_PORT);
const WS_URL = `ws://127.0.0.1:${ENV.JANUS_WS_PORT}`;
const KORE_PORT = Number(new URL(ENV.KORE_URL).port);
const WEB_PORT = Number(ENV.TEST_WEB_PORT || 18889);
const RING_TIMEOUT = Number(ENV.RING_TIMEOUT);
const SECRET = readSecret(ENV.HOTLINE_SECRET_FILE);
const EVENT_KEY = hotlineKey(SECRET, 'call-event');
const QUEUE_MAX_WAIT = Number(ENV.QUEUE_MAX_WAIT);
const TRANSFER_TIMEOUT = Number(ENV.TRANSFER_TIMEOUT || 30);
const VOICEMAIL_MAX = Number(ENV.VOICEMAIL_MAX);
// Voicemail records after its prompt (raw G.711, 8000 bytes a second).
const VM_PROMPT = fs.statSync(path.join(ROOT, 'assets/audio/voicemail.alaw')).size / 8000;

// ---- helpers ------------------------------------------------------------
// An operator's token, or a supervisor's ("supervisor." in front): a
// fresh nonce each time; sid names the Kore session it stands for.
function token(userId, expires, role = '', sid = '0'.repeat(16)) {
	return agentToken(SECRET, userId, { supervisor: role === 'supervisor', sid, expires });
}
const now = () => Math.floor(Date.now() / 1000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// SIPp against this Janus's SIP port (lib.mjs).
const sipp = (scenario, opts = {}) => libSipp(scenario, { sipPort: SIP_PORT, ...opts });

// Kore's call-events endpoint, as the contract describes it.
const kore = {
	events: new Map(), deliveries: 0, badSignatures: 0, failNext: 0, refused: 0,
	agentEvents: [],
};
function startKore() {
	const srv = http.createServer((req, res) => {
		let body = [];
		req.on('data', (c) => body.push(c));
		req.on('end', () => {
			body = Buffer.concat(body);
			if (req.method !== 'POST' || req.url !== '/api/internal/call-events') {
				res.writeHead(404).end();
				return;
			}
			kore.deliveries++;
			const want = crypto.createHmac('sha256', EVENT_KEY).update(body).digest('hex');
			const got = String(req.headers['x-hotline-signature'] || '');
			if (got.length !== want.length ||
			    !crypto.timingSafeEqual(Buffer.from(got), Buffer.from(want))) {
				kore.badSignatures++;
				res.writeHead(401).end('{"error":"bad signature"}');
				return;
			}
			// As Kore: a body that is no call.ended event is refused (400).
			let ev;
			try {
				ev = JSON.parse(body);
			} catch {
				ev = null;
			}
			// Agent state changes (agent.state), as Kore stores them
			// for the state-time reports once it knows the type.
			if (ev && ev.type === 'agent.state' && ev.event_id) {
				kore.agentEvents.push(ev);
				res.writeHead(200, { 'Content-Type': 'application/json' })
				    .end('{"stored":true}');
				return;
			}
			if (!ev || ev.type !== 'call.ended' || !ev.event_id) {
				kore.refused++;
				res.writeHead(400).end('{"error":"malformed call event"}');
				return;
			}
			if (kore.failNext > 0) {
				kore.failNext--;
				res.writeHead(503).end('{"error":"try later"}');
				return;
			}
			if (!kore.events.has(ev.event_id))
				kore.events.set(ev.event_id, { ev, times: 1 });
			else
				kore.events.get(ev.event_id).times++;
			res.writeHead(200, { 'Content-Type': 'application/json' })
			    .end('{"stored":true}');
		});
	});
	return new Promise((r) => srv.listen(KORE_PORT, '127.0.0.1', () => r(srv)));
}
const eventFor = (pred) => [...kore.events.values()].map((e) => e.ev).find(pred);

// The agent page and janus.js / adapter.js from the Debian packages.
function startWeb() {
	const files = {
		'/agent.html': [path.join(HERE, 'web/agent.html'), 'text/html'],
		'/agent.js': [path.join(HERE, 'web/agent.js'), 'text/javascript'],
		'/js/janus.js': ['/usr/share/javascript/janus-gateway/janus.js', 'text/javascript'],
		'/js/adapter.js': ['/usr/share/javascript/webrtc-adapter/adapter.js', 'text/javascript'],
	};
	const srv = http.createServer((req, res) => {
		const f = files[req.url];
		if (!f) {
			res.writeHead(404).end();
			return;
		}
		res.writeHead(200, { 'Content-Type': f[1] }).end(fs.readFileSync(f[0]));
	});
	return new Promise((r) => srv.listen(WEB_PORT, '127.0.0.1', () => r(srv)));
}

const allAgents = [];
async function newAgent(browser) {
	const ctx = await browser.newContext();
	const page = await ctx.newPage();
	page.on('pageerror', (e) => note(`page error: ${e.message}`));
	await page.goto(`http://127.0.0.1:${WEB_PORT}/agent.html`);
	await page.evaluate(([u, t]) => window.agent.connect(u, t), [WS_URL, janusToken(SECRET)]);
	await page.waitForFunction(() => window.agent.ready || window.agent.error,
	    null, { timeout: 15000 });
	const err = await page.evaluate(() => window.agent.error);
	if (err)
		throw new Error(`agent attach: ${err}`);
	const A = {
		page,
		send: (m) => page.evaluate((x) => window.agent.send(x), m),
		has: (name, pred) => page.evaluate(([n, p]) => window.agent.has(n,
		    p ? new Function('e', `return (${p})(e)`) : undefined), [name, pred]),
		count: (name) => page.evaluate((n) => window.agent.count(n), name),
		last: (name) => page.evaluate((n) => window.agent.events.filter(
		    (e) => e.event === n).pop() || null, name),
		events: () => page.evaluate(() => window.agent.events),
		stats: () => page.evaluate(() => window.agent.rtpStats()),
		set: (k, v) => page.evaluate(([kk, vv]) => { window.agent[kk] = vv; }, [k, v]),
		waitEvent: (name, ms, pred) => waitFor(() => A.has(name, pred), ms,
		    `event ${name}`),
		// The plugin's status, as a supervisor sees it (agents may not ask).
		async status() {
			const S = await supervisor();
			const before = await S.count('status');
			await S.send({ request: 'status' });
			await waitFor(async () => (await S.count('status')) > before, 5000, 'status');
			return S.last('status');
		},
		async state() {
			const st = await A.status();
			return st;
		},
	};
	allAgents.push(A);
	return A;
}

// One supervisor's handle per Janus run (restartJanus starts a new one).
let theBrowser = null, janusRun = 0, sup = null;
async function supervisor() {
	if (sup && sup.run === janusRun && !sup.A.page.isClosed())
		return sup.A;
	const A = await newAgent(theBrowser);
	await A.send({ request: 'login', token: token('sup1', now() + 300, 'supervisor') });
	await A.waitEvent('logged_in', 5000);
	sup = { A, run: janusRun };
	return A;
}

async function agentState(A, userId) {
	const st = await A.status();
	const a = st.agents.find((x) => x.user_id === userId);
	return a ? a.state : 'offline';
}

// A plain WebSocket to Janus, as anyone on the network could open one:
// create a session, then attach janus.plugin.hotline, with the token given
// (or none).  Returns Janus's answers.
function rawJanus(page, tok) {
	return page.evaluate(([url, t]) => new Promise((resolve) => {
		const ws = new WebSocket(url, 'janus-protocol');
		const out = {};
		let n = 0;
		const send = (m) => ws.send(JSON.stringify({ ...m, transaction: `r${++n}`,
		    ...(t ? { token: t } : {}) }));
		ws.onopen = () => send({ janus: 'create' });
		ws.onmessage = (ev) => {
			const m = JSON.parse(ev.data);
			if (m.janus === 'ack')
				return;
			if (m.transaction === 'r1') {
				out.create = m;
				if (m.janus !== 'success') {
					ws.close();
					resolve(out);
					return;
				}
				send({ janus: 'attach', session_id: m.data.id, plugin: 'janus.plugin.hotline' });
			} else if (m.transaction === 'r2') {
				out.attach = m;
				send({ janus: 'destroy', session_id: out.create.data.id });
				setTimeout(() => { ws.close(); resolve(out); }, 200);
			}
		};
		ws.onerror = () => resolve({ ...out, error: 'websocket error' });
		setTimeout(() => resolve({ ...out, timeout: true }), 5000);
	}), [WS_URL, tok]);
}

// What Kore writes when sessions end (hotline_sessions.c), signed.
function writeEndedSessions(entries) {
	const body = '# e2e\n' + entries.map(([sid, exp]) => `session ${sid} ${exp}\n`).join('');
	const mac = crypto.createHmac('sha256', hotlineKey(SECRET, 'sessions-ended'))
	    .update(body).digest('hex');
	const file = path.join(VAR_DIR, 'hotline-sessions-ended.txt');
	fs.writeFileSync(`${file}.tmp`, `${body}mac ${mac}\n`);
	fs.renameSync(`${file}.tmp`, file);
}

function wavRmsBetween(file, channel, from, to) {
	const b = fs.readFileSync(file);
	const rate = b.readUInt32LE(24), frames = b.readUInt32LE(40) / 4;
	const a = Math.max(0, Math.floor(from * rate)), z = Math.min(frames, Math.floor(to * rate));
	let sum = 0;
	for (let i = a; i < z; i++) {
		const v = b.readInt16LE(44 + (i * 2 + channel) * 2);
		sum += v * v;
	}
	return Math.sqrt(sum / Math.max(1, z - a));
}

// A call's RTP over ms milliseconds: counter deltas in the plugin
// (status) and packets the agent's browser received.
async function rtpFlow(A, callId, ms = 1500) {
	const find = async () => (await A.status()).calls.find((x) => x.call_id === callId);
	const c0 = await find(), b0 = await A.stats();
	await new Promise((res) => setTimeout(res, ms));
	const c1 = await find(), b1 = await A.stats();
	const d = {};
	if (c0 && c1)
		for (const k of Object.keys(c1.rtp))
			d[k] = c1.rtp[k] - c0.rtp[k];
	return { state: c1 ? c1.state : null, transfer_to: c1 && c1.transfer_to, d,
	    rx: b1.received - b0.received, tx: b1.sent - b0.sent };
}

// An agency phone (SIPp UAS on the transfer_uri port), once it listens:
// an INVITE sent before that would be refused (ICMP, 503).  Resolves with
// { done }, SIPp's run (a bare promise would be adopted, i.e. awaited).
async function agencyPhone(scenario, mport, echo = true) {
	const run = sipp(scenario, { port: 15070, mport, timeout: 60, uas: true,
	    extra: echo ? ['-rtp_echo'] : [] });
	await udpListening(15070);
	return { done: run };
}

// Sends a request that must fail; resolves with its error event.
async function expectError(A, message) {
	const n = await A.count('error');
	await A.send(message);
	await waitFor(async () => (await A.count('error')) > n, 5000,
	    `error answer to ${message.request}`);
	return A.last('error');
}

function janusAlive() {
	try {
		process.kill(Number(fs.readFileSync(path.join(VAR_DIR, 'janus.pid'), 'utf8')), 0);
		return true;
	} catch {
		return false;
	}
}

// ---- the tests ----------------------------------------------------------
async function main() {
	const koreSrv = await startKore();
	const webSrv = await startWeb();
	const browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		args: CHROMIUM_ARGS,
	});
	theBrowser = browser;
	try {
		await run(browser);
	} catch (err) {
		for (const [i, A] of allAgents.entries())
			note(`agent ${i + 1} events: ${JSON.stringify(await A.events().catch(() => []))}`);
		throw err;
	} finally {
		for (const p of children)
			p.kill('SIGKILL');
		await browser.close().catch(() => {});
		koreSrv.close();
		webSrv.close();
	}
}

async function run(browser) {
	// HOTLINE_E2E=deskphone: only the desk-phone checks (netns.sh runs
	// them on a Janus of their own, HOTLINE_PART=deskphone alone).
	if (ENV.HOTLINE_E2E === 'deskphone') {
		await deskPhone();
		return;
	}
	// The agencies' forwarding numbers, as Kore writes them from its
	// agencies table: the only numbers a call may be transferred to.
	fs.writeFileSync(path.join(VAR_DIR, 'transfer-numbers.txt'), '# as Kore writes it\n' +
	    'agency 02773851234 3 Sở Giao thông vận tải\n' +
	    'agency 02773850001 2 Sở Tài nguyên và Môi trường\n');
	const a1 = await newAgent(browser);
	ok(true, 'janus.js attaches to janus.plugin.hotline over WebSocket');

	// Every request is answered with error_code and error.
	await a1.send({ request: 'no-such-request' });
	await a1.waitEvent('error', 5000);
	let e = await a1.last('error');
	ok(e.error_code === 483 && typeof e.error === 'string',
	    'unknown request: error_code 483 with error text', e);
	await a1.send({ token: 'x' });
	await waitFor(async () => (await a1.count('error')) >= 2, 5000, 'second error');
	e = await a1.last('error');
	ok(e.error_code === 484, 'request without "request": error_code 484', e);
	await a1.send({ request: 'status' });
	await waitFor(async () => (await a1.count('error')) >= 3, 5000, 'third error');
	e = await a1.last('error');
	ok(e.error_code === 486, 'status before login: error_code 486 (unauthorized)', e);

	// Login with tokens signed by the shared secret.
	const forged = token('op1', now() + 300).replace(/.$/, (c) => (c === '0' ? '1' : '0'));
	await a1.send({ request: 'login', token: forged });
	await waitFor(async () => (await a1.count('error')) >= 4, 5000, 'forged token error');
	e = await a1.last('error');
	ok(e.error_code === 486 && /signature/i.test(e.error), 'forged token refused', e);
	await a1.send({ request: 'login', token: token('op1', now() - 5) });
	await waitFor(async () => (await a1.count('error')) >= 5, 5000, 'expired token error');
	e = await a1.last('error');
	ok(e.error_code === 486 && /expired/i.test(e.error), 'expired token refused', e);
	await a1.send({ request: 'login', token: token('op1', now() + 300) });
	await a1.waitEvent('logged_in', 5000);
	e = await a1.last('logged_in');
	ok(e.agent.user_id === 'op1' && e.agent.state === 'available',
	    'valid token: logged in as op1, available', e);

	// Janus itself wants a token signed with the janus-token key: without
	// one (or with a bad, expired or other-plugin one) nothing is created.
	let j = await rawJanus(a1.page, null);
	ok(j.create?.janus === 'error' && j.create.error.code === 403,
	    'Janus: an anonymous "create" over a plain WebSocket is refused (403)', j);
	j = await rawJanus(a1.page, `${now() + 600},janus,janus.plugin.hotline:AAAA`);
	ok(j.create?.janus === 'error' && j.create.error.code === 403,
	    'Janus: a token with a bad signature is refused (403)', j);
	j = await rawJanus(a1.page, janusToken(SECRET, { expires: now() - 5 }));
	ok(j.create?.janus === 'error' && j.create.error.code === 403,
	    'Janus: an expired token is refused (403)', j);
	j = await rawJanus(a1.page, janusToken(SECRET, { plugins: ['janus.plugin.echotest'] }));
	ok(j.create?.janus === 'success' && j.attach?.janus === 'error' && j.attach.error.code === 405,
	    'Janus: a token for another plugin may not attach janus.plugin.hotline (405)', j);
	j = await rawJanus(a1.page, janusToken(SECRET));
	ok(j.create?.janus === 'success' && j.attach?.janus === 'success',
	    'Janus: the token Kore signs creates a session and attaches janus.plugin.hotline', j);

	// A login token works once; a Kore session that ends logs its
	// consoles out (agent and supervisor) and its tokens are refused.
	const SID9 = '9a9a9a9a9a9a9a9a', SIDS = '5a5a5a5a5a5a5a5a';
	const a9 = await newAgent(browser);
	const t9 = token('op9', now() + 300, '', SID9);
	await a9.send({ request: 'login', token: t9 });
	await a9.waitEvent('logged_in', 5000);
	await a9.send({ request: 'logout' });
	await a9.waitEvent('logged_out', 5000);
	await a9.send({ request: 'login', token: t9 });
	await a9.waitEvent('error', 5000);
	e = await a9.last('error');
	ok(e.error_code === 486 && /already used/.test(e.error),
	    'a login token is single-use: the same token again (after logout) is refused', e);
	await a9.send({ request: 'login', token: token('op9', now() + 300, '', SID9) });
	await waitFor(async () => (await a9.count('logged_in')) >= 2, 5000, 'op9 logs in again');
	const s9 = await newAgent(browser);
	await s9.send({ request: 'login', token: token('sup9', now() + 300, 'supervisor', SIDS) });
	await s9.waitEvent('logged_in', 5000);
	ok(await agentState(a1, 'op9') === 'available', 'op9 is available before its session ends');
	const tEnd = Date.now();
	writeEndedSessions([[SID9, now() + 3600], [SIDS, now() + 3600], ['0123456789abcdef', now() - 5]]);
	await a9.waitEvent('logged_out', 5000, '(e) => e.reason === "session ended"');
	await s9.waitEvent('logged_out', 5000, '(e) => e.reason === "session ended"');
	ok(await agentState(a1, 'op9') === 'offline',
	    `Kore ends the session: the agent and the supervisor are logged out (${Date.now() - tEnd} ms), op9 offline`);
	await a9.send({ request: 'login', token: token('op9', now() + 300, '', SID9) });
	await waitFor(async () => (await a9.count('error')) >= 2, 5000, 'login of an ended session');
	e = await a9.last('error');
	ok(e.error_code === 486 && /Session ended/.test(e.error),
	    'a new token of the ended session is refused', e);
	await a9.page.close();
	await s9.page.close();
	allAgents.splice(allAgents.indexOf(a9), 1);
	allAgents.splice(allAgents.indexOf(s9), 1);

	await a1.send({ request: 'status' });
	await waitFor(async () => (await a1.count('error')) >= 6, 5000, 'status as an agent');
	e = await a1.last('error');
	ok(e.error_code === 486 && /supervisor/.test(e.error),
	    'an operator may not ask for status (486: supervisors only)', e);
	const S = await supervisor();
	e = await S.last('logged_in');
	ok(e.supervisor === 'sup1' && !e.agent,
	    'a supervisor\'s token ("supervisor." + user id) logs in as a supervisor, not an agent', e);
	const st0 = await a1.status();
	ok(st0.agents.some((x) => x.user_id === 'op1' && x.state === 'available' &&
	    Number.isInteger(x.state_seconds)) && !st0.agents.some((x) => x.user_id === 'sup1'),
	    'the supervisor gets status: op1 available with time in state; the supervisor is no agent',
	    st0.agents);
	await a1.send({ request: 'logout' });
	await a1.waitEvent('logged_out', 5000);
	await a1.send({ request: 'login', token: `supervisor.${token('op1', now() + 300)}` });
	await waitFor(async () => (await a1.count('error')) >= 7, 5000, 'role added to a token');
	e = await a1.last('error');
	ok(e.error_code === 486 && /signature/i.test(e.error),
	    'an operator\'s token with "supervisor." put in front is refused (the role is signed)', e);
	await a1.send({ request: 'login', token: token('op1', now() + 300) });
	await waitFor(async () => (await a1.count('logged_in')) >= 2, 5000, 'op1 logs in again');

	await a1.send({ request: 'state', state: 'paused' });
	await waitFor(async () => (await a1.count('error')) >= 8, 5000, 'pause without reason');
	e = await a1.last('error');
	ok(e.error_code === 485, 'paused without a reason: error_code 485', e);
	await a1.send({ request: 'state', state: 'paused', reason: 'họp giao ban' });
	await waitFor(async () => (await a1.last('state'))?.agent?.state === 'paused', 5000, 'paused');
	e = await a1.last('state');
	ok(e.agent.reason === 'họp giao ban', 'paused with a Vietnamese reason', e);
	await a1.send({ request: 'state', state: 'available' });
	await waitFor(async () => (await a1.last('state'))?.agent?.state === 'available', 5000,
	    'available');
	ok(true, 'back to available');

	// SIP edge: trunk ACL and malformed input.
	let r = await sipp('expect_403.xml', { ip: '127.0.0.5', port: 16100, mport: 16110, timeout: 15 });
	ok(r.code === 0, 'INVITE from an address that is not a trunk: 403 Forbidden', r.out.slice(-400));
	const junk = dgram.createSocket('udp4');
	await new Promise((res) => junk.send(Buffer.from('\x00\xffNOT SIP AT ALL\r\n\r\n' +
	    'INVITE sip:x SIP/2.0\r\nVia: garbage\r\nContent-Length: 99999\r\n\r\n'),
	    SIP_PORT, '127.0.0.1', res));
	junk.close();
	await new Promise((res) => {
		const s = net.connect(SIP_PORT, '127.0.0.1', () => {
			s.end('OPTIONS \x01\x02 SIP/9.9\r\nContent-Length: -5\r\n\r\n');
		});
		s.on('error', res);
		s.on('close', res);
		setTimeout(() => { s.destroy(); res(); }, 2000);
	});
	r = await sipp('bad_sdp.xml', { port: 16120, mport: 16130, timeout: 15 });
	ok(r.code === 0, 'INVITE with unparseable SDP: 400', r.out.slice(-400));
	r = await sipp('no_g711.xml', { port: 16140, mport: 16150, timeout: 15 });
	ok(r.code === 0, 'INVITE offering only G.729: 488', r.out.slice(-400));
	r = await sipp('multicast_sdp.xml', { port: 16190, mport: 16195, timeout: 15 });
	ok(r.code === 0, 'INVITE asking for audio to a multicast address: 488 (no reflection)',
	    r.out.slice(-400));
	r = await sipp('no_sdp.xml', { port: 16160, mport: 16170, timeout: 15 });
	ok(r.code === 0, 'INVITE without SDP: 488', r.out.slice(-400));
	r = await sipp('options.xml', { port: 16180, timeout: 15 });
	ok(r.code === 0 && janusAlive(),
	    'after garbage over UDP and TCP and bad INVITEs, Janus runs and answers OPTIONS 200',
	    r.out.slice(-400));

	// A call: in -> op1 rings -> answers -> audio both ways -> hangup.
	await a1.set('autoAnswer', true);
	const call1 = sipp('caller_dtmf.xml', { port: 16200, mport: 16210, timeout: 90 });
	await a1.waitEvent('incoming', 15000);
	const inc = await a1.last('incoming');
	ok(inc.caller === '0901234567' && inc.codec === 'PCMA',
	    'op1 rings with the caller\'s number, PCMA offered', inc);
	await a1.waitEvent('accepted', 15000);
	const tAnswered = Date.now();
	ok(await waitFor(async () => (await agentState(a1, 'op1')) === 'in_call', 5000, 'in_call'),
	    'op1 is in_call after accepting');
	let st;
	try {
		st = await waitFor(async () => {
			const s = await a1.stats();
			return s.received > 100 && s.sent > 100 ? s : null;
		}, 20000, 'RTP both ways in the browser');
	} catch (err) {
		st = await a1.stats();
		note(String(err));
	}
	ok(st.received > 100 && st.sent > 100 && /PCMA/i.test(st.codec || ''),
	    `browser RTP: ${st.received} received, ${st.sent} sent, codec ${st.codec}`, st);
	const s1 = await a1.status();
	const c1 = s1.calls.find((c) => c.call_id === inc.call_id);
	ok(c1 && c1.state === 'bridged' && c1.rtp.from_trunk > 100 && c1.rtp.to_agent > 100 &&
	    c1.rtp.from_agent > 100 && c1.rtp.to_trunk > 100,
	    'plugin relays RTP both ways without transcoding (trunk>agent, agent>trunk counts)',
	    c1);
	// DTMF both ways, as RFC 4733 events, untouched.
	await a1.page.evaluate(() => window.agent.handle.dtmf({
		dtmf: { tones: '1022', duration: 120, gap: 60 } }));
	let cd;
	try {
		cd = await waitFor(async () => {
			const st1 = await a1.status();
			const c = st1.calls.find((x) => x.call_id === inc.call_id);
			return c && c.rtp.dtmf_from_agent > 0 && c.rtp.dtmf_from_trunk > 0 ? c : null;
		}, 15000, 'DTMF both ways');
	} catch (err) {
		note(String(err));
	}
	ok(cd, 'DTMF (RFC 4733) passes both ways: operator keys to the trunk, caller keys to the browser',
	    cd);
	await new Promise((res) => setTimeout(res, 500));
	await a1.send({ request: 'hangup' });
	await a1.waitEvent('hangup', 5000);
	const tEnded = Date.now();
	r = await call1;
	ok(r.code === 0, 'caller (SIPp) receives BYE and the call completes', r.out.slice(-400));
	ok(await waitFor(async () => ['wrap_up', 'available'].includes(
	    await agentState(a1, 'op1')), 5000, 'wrap-up'), 'op1 goes to wrap-up after the call');
	ok(await waitFor(async () => (await agentState(a1, 'op1')) === 'available',
	    10000, 'available after wrap-up'), 'op1 is available again when wrap-up ends');

	// Recording and the call event.
	let ev1;
	try {
		ev1 = await waitFor(() => eventFor((x) => x.call_id === inc.call_id), 15000,
		    'call event');
	} catch (err) {
		note(String(err));
	}
	ok(ev1 && ev1.type === 'call.ended' && ev1.disposition === 'answered' &&
	    ev1.agent_user_id === 'op1' && ev1.caller === '0901234567' &&
	    ev1.hangup_by === 'agent' && ev1.answered_at && ev1.ended_at &&
	    /^\d{4}\/\d{2}\/[0-9a-f-]{36}\.wav$/.test(ev1.recording || '') &&
	    kore.badSignatures === 0,
	    'Kore receives a signed call.ended event: answered by op1, recording path', ev1);
	const wavPath = ev1 && path.join(VAR_DIR, 'recordings', ev1.recording);
	let w = null;
	try {
		w = readWav(wavPath);
	} catch (err) {
		note(`${wavPath}: ${err}`);
	}
	const talk = (tEnded - tAnswered) / 1000;
	ok(w && w.fileOk && w.channels === 2 && w.rate === 8000 && w.bits === 16 &&
	    Math.abs(w.seconds - talk) < 1.5,
	    `stereo WAV of the call's length (${w && w.seconds.toFixed(2)} s, talk ${talk.toFixed(2)} s)`,
	    w);
	ok(w && w.rms[0] > 300 && w.rms[1] > 30,
	    `neither channel silent (caller RMS ${w && w.rms[0].toFixed(0)}, operator RMS ${w && w.rms[1].toFixed(0)})`,
	    w);

	// No answer: op1 lets it ring, the call goes to op2.
	const a2 = await newAgent(browser);
	await a1.set('autoAnswer', false);
	await a2.set('autoAnswer', true);
	await a2.send({ request: 'login', token: token('op2', now() + 300) });
	await a2.waitEvent('logged_in', 5000);
	const call2 = sipp('caller.xml', { port: 16220, mport: 16230, timeout: 90 });
	await a1.waitEvent('incoming', 15000,
	    `(e) => e.call_id !== ${JSON.stringify(inc.call_id)}`);
	const inc2 = await a1.last('incoming');
	ok(true, 'the longest-idle agent (op1) is offered the next call first');
	await a1.waitEvent('cancelled', (RING_TIMEOUT + 5) * 1000,
	    `(e) => e.call_id === ${JSON.stringify(inc2.call_id)}`);
	e = await a1.last('cancelled');
	ok(e.reason === 'no answer', 'after ring_timeout op1\'s offer is withdrawn: no answer', e);
	await a2.waitEvent('accepted', 15000);
	const inc2b = await a2.last('incoming');
	ok(inc2b.call_id === inc2.call_id, 'the same call is re-offered to op2, who answers');
	const s2 = await a1.status();
	const op1 = s2.agents.find((x) => x.user_id === 'op1');
	ok(op1.state === 'paused' && op1.reason === 'no_answer',
	    'op1 is paused with reason no_answer', op1);
	// A slow disk (every fsync 1.5 s, tests/hotline/faults.c) while the
	// call's event is spooled: the plugin's lock is not held meanwhile.
	const slow = path.join(ENV.HOTLINE_FAULTS || '/nonexistent', 'slow-fsync');
	fs.writeFileSync(slow, '');
	const tHang = Date.now();
	await a2.send({ request: 'hangup' });
	await a2.status();
	const statusTook = Date.now() - tHang;
	r = await call2;
	await sleep(1600);
	fs.rmSync(slow, { force: true });
	ok(r.code === 0, 'op2 hangs up, the caller gets BYE', r.out.slice(-400));
	ok(statusTook < 1000, 'the call\'s end is fsynced on a slow disk (1.5 s) off the lock: the ' +
	    `next request (status) is answered in ${statusTook} ms`);

	// Blind transfer to an agency (SIPp UAS echoing RTP); recording goes on.
	const agency = sipp('agency.xml', { port: 15070, mport: 16500, timeout: 60, uas: true,
	    extra: ['-rtp_echo'] });
	const call3 = sipp('caller.xml', { port: 16300, mport: 16310, timeout: 60 });
	await waitFor(async () => (await a2.count('accepted')) >= 2, 20000, 'op2 accepts call 3');
	const inc3 = await a2.last('incoming');
	await waitFor(async () => (await a2.stats()).received > 25, 10000, 'RTP before transfer');
	await a2.send({ request: 'transfer', number: 'abc' });
	await waitFor(async () => (await a2.last('error'))?.error_code === 487, 5000,
	    'bad number refused');
	ok(true, 'transfer to a number with letters is refused (487)');
	e = await expectError(a2, { request: 'transfer', number: '19005555' }).catch((err) => {
		note(String(err));
		return {};
	});
	const jlog = fs.readFileSync(path.join(VAR_DIR, 'log', 'janus.log'), 'utf8');
	ok(e.error_code === 490 && /agency/.test(e.error) &&
	    /transfer to 19005555, which is no agency's number: refused/.test(jlog) &&
	    !/INVITE sip:19005555/.test(jlog),
	    'transfer to a number that is no agency\'s (toll fraud): error 490, logged, nothing dialled',
	    e);
	await a2.send({ request: 'transfer', number: '02773851234' });
	await a2.waitEvent('transferred', 5000);
	e = await a2.last('transferred');
	ok(e.call_id === inc3.call_id && e.number === '02773851234',
	    'op2 transfers the call (blind): event transferred, op2 leaves the call', e);
	let c3;
	try {
		c3 = await waitFor(async () => {
			const st3 = await a2.status();
			const c = st3.calls.find((x) => x.call_id === inc3.call_id);
			return c && c.rtp.to_agency > 25 && c.rtp.from_agency > 25 ? c : null;
		}, 8000, 'RTP caller <-> agency');
	} catch (err) {
		note(String(err));
	}
	ok(c3 && c3.state === 'transferred' && c3.transfer_to === '02773851234',
	    'the agency (SIPp UAS) answers; RTP flows caller <-> agency through the plugin', c3);
	r = await agency;
	const r3 = await call3;
	ok(r.code === 0 && r3.code === 0, 'the agency hangs up; the caller gets BYE',
	    r.out.slice(-300) + r3.out.slice(-300));
	let ev6;
	try {
		ev6 = await waitFor(() => eventFor((x) => x.call_id === inc3.call_id), 10000,
		    'transfer event');
	} catch (err) {
		note(String(err));
	}
	ok(ev6 && ev6.disposition === 'transferred' && ev6.transferred_to === '02773851234' &&
	    ev6.transfer_agency_id === 3 && /^\d{4}-\d\d-\d\dT/.test(ev6.transferred_at || '') &&
	    ev6.agent_user_id === 'op2' && ev6.hangup_by === 'agency' && ev6.recording,
	    'Kore gets a transferred call event (agent op2, agency number, its agency, when)', ev6);
	try {
		w = readWav(path.join(VAR_DIR, 'recordings', ev6.recording));
	} catch (err) {
		w = null;
		note(String(err));
	}
	ok(w && w.seconds > 3 && w.rms[0] > 300 && w.tailRms[1] > 300,
	    `the recording goes on with the agency on the right (${w && w.seconds.toFixed(2)} s, last 2 s right RMS ${w && w.tailRms[1].toFixed(0)})`, w);

	await attendedTransfer(a2);

	// Caller hangs up while queued (nobody available): abandoned, and the
	// first delivery to Kore fails, so the event comes from the spool.
	await a2.send({ request: 'state', state: 'paused', reason: 'nghỉ giữa ca' });
	await waitFor(async () => (await agentState(a2, 'op2')) === 'paused', 5000, 'op2 paused');
	// Three spool files that can never be delivered, sorted before every
	// real one: not JSON, over 64 KiB, refused by Kore (400).
	const spoolDir = path.join(VAR_DIR, 'spool', 'call-events');
	const quarantine = path.join(VAR_DIR, 'spool', 'call-events-quarantine');
	const bad = ['00000000000000000001-not-json.json', '00000000000000000002-too-big.json',
	    '00000000000000000003-refused.json'];
	fs.writeFileSync(path.join(spoolDir, bad[0]), '{"event_id": "cut sho');
	fs.writeFileSync(path.join(spoolDir, bad[1]), `{"pad":"${'x'.repeat(70000)}"}`);
	fs.writeFileSync(path.join(spoolDir, bad[2]), '{"type":"call.started"}');
	const refusedBefore = kore.refused;
	kore.failNext = 1;
	const deliveriesBefore = kore.deliveries;
	const q1 = sipp('caller_hangup.xml', { port: 16240, mport: 16250, timeout: 30 });
	const q2 = sipp('caller_hangup.xml', { port: 16340, mport: 16350, timeout: 30 });
	let queued;
	try {
		queued = await waitFor(async () => {
			const sq = await a2.status();
			const qc = sq.calls.filter((c) => c.state === 'queued');
			return qc.length === 2 ? qc : null;
		}, 5000, 'two queued calls');
	} catch (err) {
		note(String(err));
	}
	ok(queued && queued.map((c) => c.position).sort().join() === '1,2' &&
	    (await a2.status()).queue.length === 2,
	    'two callers wait in the queue at positions 1 and 2', queued);
	r = await q1;
	const rq2 = await q2;
	ok(r.code === 0 && rq2.code === 0, 'callers hang up while queued (BYE answered 200)',
	    r.out.slice(-400));
	let ev3;
	try {
		ev3 = await waitFor(() => [...kore.events.values()].filter(
		    (x) => x.ev.disposition === 'abandoned').length === 2 &&
		    eventFor((x) => x.disposition === 'abandoned'), 20000,
		    'two abandoned events');
	} catch (err) {
		note(String(err));
	}
	ok(ev3 && ev3.agent_user_id === null && ev3.recording === null &&
	    ev3.answered_at === null && ev3.talk_seconds === 0,
	    'Kore gets an abandoned call event for each (no agent, no recording)', ev3);
	ok(ev3 && kore.deliveries - deliveriesBefore >= 3 && kore.events.get(ev3.event_id).times === 1,
	    'first delivery refused (503): the spooled event is retried and stored once',
	    { deliveries: kore.deliveries - deliveriesBefore });
	const ev2 = eventFor((x) => x.call_id === inc2.call_id);
	ok(ev2 && ev2.agent_user_id === 'op2' && ev2.disposition === 'answered',
	    'the re-offered call is reported answered by op2', ev2);
	const spool = path.join(VAR_DIR, 'spool', 'call-events');
	ok(await waitFor(() => fs.readdirSync(spool).length === 0, 10000, 'empty spool')
	    .catch((err) => note(String(err))),
	    'spool is empty once Kore acknowledged every event', fs.readdirSync(spool));
	const setAside = fs.existsSync(quarantine) ? fs.readdirSync(quarantine) : [];
	const qlog = fs.readFileSync(path.join(VAR_DIR, 'log', 'janus.log'), 'utf8');
	ok(bad.every((f) => setAside.includes(f)) && kore.refused - refusedBefore === 1 &&
	    bad.every((f) => qlog.includes(`call event ${f}`)),
	    'undeliverable spool files (not JSON, too big, refused 400) are moved to ' +
	    'call-events-quarantine with a log line; the events after them are delivered',
	    { setAside, refused: kore.refused - refusedBefore });

	await rtpFromAnyone(a2);
	await noThreadForCall();

	// Nobody available for QUEUE_MAX_WAIT seconds: voicemail.
	const tVm = Date.now();
	r = await sipp('caller.xml', { port: 16260, mport: 16270, timeout: 60 });
	const vmTook = (Date.now() - tVm) / 1000;
	ok(r.code === 0 && vmTook > QUEUE_MAX_WAIT + VM_PROMPT + VOICEMAIL_MAX - 1,
	    `queue waits ${QUEUE_MAX_WAIT} s, prompt ${VM_PROMPT.toFixed(1)} s, message ${VOICEMAIL_MAX} s, then BYE (${vmTook.toFixed(1)} s)`,
	    r.out.slice(-400));
	let ev4;
	try {
		ev4 = await waitFor(() => eventFor((x) => x.disposition === 'voicemail'), 10000,
		    'voicemail event');
	} catch (err) {
		note(String(err));
	}
	ok(ev4 && ev4.agent_user_id === null && ev4.hangup_by === 'system' &&
	    ev4.wait_seconds >= QUEUE_MAX_WAIT - 1 && typeof ev4.recording === 'string',
	    'Kore gets a voicemail event with the recording (for a ticket)', ev4);
	try {
		w = readWav(path.join(VAR_DIR, 'recordings', ev4.recording));
	} catch (err) {
		w = null;
		note(String(err));
	}
	ok(w && w.channels === 2 && Math.abs(w.seconds - VOICEMAIL_MAX) < 1 && w.rms[0] > 300,
	    `voicemail WAV has the caller's message (${w && w.seconds.toFixed(2)} s, RMS ${w && w.rms[0].toFixed(0)})`,
	    w);

	// Logout: the agent is offline.
	await a1.send({ request: 'logout' });
	await a1.waitEvent('logged_out', 5000);
	ok(await agentState(a2, 'op1') === 'offline', 'after logout op1 is offline');
	ok(janusAlive(), 'Janus is still running after all the calls');
	if (ENV.HOTLINE_SANITIZE === '1') {
		const reports = fs.readdirSync(path.join(VAR_DIR, 'log'))
		    .filter((f) => /^(asan|ubsan)/.test(f));
		ok(reports.length === 0, 'no AddressSanitizer / UBSan report from the plugin',
		    reports.map((f) => fs.readFileSync(path.join(VAR_DIR, 'log', f), 'utf8'))
		    .join('\n').slice(0, 3000));
	}

	// Out of hours (today is a holiday): straight to voicemail.
	await Promise.all(allAgents.map((A) => A.page.close()));
	allAgents.length = 0;
	const vn = (d) => new Date(d).toLocaleDateString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' });
	const holidays = `${vn(Date.now())},${vn(Date.now() + 86400000)}`;
	let restart = await restartJanus({ HOLIDAYS: holidays, HOTLINE_SANITIZE: '0',
	    HOTLINE_PLUGIN: ENV.HOTLINE_PLUGIN_REGULAR, VOICEMAIL_PER_HOUR: '1',
	    TRUNK_MAX_CALLS: '2' });
	ok(restart.code === 0, `Janus restarts (regular build) with holidays = ${holidays}, ` +
	    'voicemail_per_hour = 1, trunk_max_calls = 2', restart.out);
	// A token issued before the restart (it may have been used before
	// it) is refused; the ended sessions are read again at start.
	const a10 = await newAgent(theBrowser);
	await a10.send({ request: 'login', token: token('op10', now() + 300 - 120) });
	await a10.waitEvent('error', 5000);
	e = await a10.last('error');
	ok(e.error_code === 486 && /before the hotline started/.test(e.error),
	    'after a Janus restart a token issued before it is refused', e);
	await a10.send({ request: 'login', token: token('op9', now() + 300, '', SID9) });
	await waitFor(async () => (await a10.count('error')) >= 2, 5000, 'ended session after restart');
	e = await a10.last('error');
	ok(e.error_code === 486 && /Session ended/.test(e.error),
	    'after a Janus restart the ended sessions still are (read again from the file)', e);
	await a10.page.close();
	allAgents.splice(allAgents.indexOf(a10), 1);
	const tOoh = Date.now();
	r = await sipp('caller.xml', { port: 16280, mport: 16290, timeout: 30 });
	const oohTook = (Date.now() - tOoh) / 1000;
	let ev5;
	try {
		ev5 = await waitFor(() => eventFor((x) => x.disposition === 'voicemail' &&
		    x.event_id !== ev4?.event_id), 10000, 'out-of-hours voicemail event');
	} catch (err) {
		note(String(err));
	}
	ok(r.code === 0 && oohTook < VM_PROMPT + VOICEMAIL_MAX + 3 && ev5 && ev5.wait_seconds === 0 &&
	    typeof ev5.recording === 'string',
	    `out of hours: the call goes to voicemail at once (${oohTook.toFixed(1)} s)`, ev5);
	await tollAndFloodLimits();

	// Ring-all, and REGISTER to the trunk with digest auth.
	const registrar = sipp('registrar.xml', { port: 15080, timeout: 30, uas: true });
	restart = await restartJanus({ RING_STRATEGY: 'ring_all',
	    SIP_EXTENSIONS: '101:op101:mat-khau-101,102:op102:mat-khau-102',
	    SIP_REGISTER_NETWORKS: '127.0.0.0/29',
	    SIP_REGISTRAR: 'sip:127.0.0.1:15080', SIP_REGISTER_USER: 'hotline1022',
	    SIP_REGISTER_PASSWORD: 'mat-khau-trunk', SIP_REGISTER_DOMAIN: 'trunk.test' });
	ok(restart.code === 0, 'Janus restarts with strategy ring_all and a registrar', restart.out);
	r = await registrar;
	ok(r.code === 0, 'REGISTER to the trunk answers the digest challenge (401) and is accepted',
	    r.out.slice(-400));
	const b1 = await newAgent(browser), b2 = await newAgent(browser);
	await b1.send({ request: 'login', token: token('op3', now() + 300) });
	await b2.send({ request: 'login', token: token('op4', now() + 300) });
	await b1.waitEvent('logged_in', 5000);
	await b2.waitEvent('logged_in', 5000);
	const trunk = (await b1.status()).trunk;
	ok(trunk.state === 'registered' && trunk.status === 200,
	    'status shows the trunk registered', trunk);
	await b2.set('autoAnswer', true);
	const call7 = sipp('caller.xml', { port: 16320, mport: 16330, timeout: 60 });
	await b1.waitEvent('incoming', 15000);
	await b2.waitEvent('accepted', 15000);
	await b1.waitEvent('cancelled', 5000);
	e = await b1.last('cancelled');
	const i1 = await b1.last('incoming'), i2 = await b2.last('incoming');
	ok(i1.call_id === i2.call_id && e.reason === 'answered by another agent',
	    'both agents ring for the same call; when op4 answers, op3 stops ringing', e);
	ok(await agentState(b1, 'op3') === 'available', 'op3 is available again (not paused)');
	await b2.send({ request: 'hangup' });
	r = await call7;
	ok(r.code === 0, 'op4 hangs up, the caller gets BYE', r.out.slice(-300));

	// Supervisor listen-in: a supervisor hears op4's call, both voices; an
	// operator may not listen.
	await b1.send({ request: 'state', state: 'paused', reason: 'giám sát' });
	await waitFor(async () => (await agentState(b1, 'op3')) === 'paused', 5000, 'op3 paused');
	const call8 = sipp('caller.xml', { port: 16360, mport: 16370, timeout: 60 });
	await waitFor(async () => (await b2.count('accepted')) >= 2, 20000, 'op4 accepts call 8');
	const i8 = await b2.last('incoming');
	const b1errors = await b1.count('error');
	await b1.send({ request: 'listen', call_id: i8.call_id });
	await waitFor(async () => (await b1.count('error')) > b1errors, 5000, 'listen refused');
	e = await b1.last('error');
	ok(e.error_code === 487 && /supervisor/.test(e.error) && !(await b1.count('listen')),
	    'an operator (even paused) may not listen in', e);
	const sv = await supervisor();
	await sv.send({ request: 'listen', call_id: i8.call_id });
	let ls;
	try {
		await sv.waitEvent('listening', 10000);
		ls = await waitFor(async () => {
			const x = await sv.stats();
			return x.received > 50 && x.energy > 0 ? x : null;
		}, 15000, 'listen-in audio');
	} catch (err) {
		note(String(err));
		note(JSON.stringify(await sv.events()));
	}
	ok(ls, `the supervisor listens in: ${ls && ls.received} packets of mixed audio, not silent`, ls);
	await b2.send({ request: 'hangup' });
	r = await call8;
	let le;
	try {
		le = await waitFor(() => sv.last('listen_ended'), 5000, 'listen_ended');
	} catch (err) {
		note(String(err));
	}
	ok(r.code === 0 && le && le.reason === 'call ended',
	    'when the call ends the listener gets listen_ended', le);

	// A SIP phone registered as extension 101 (agent op101) takes a call.
	await b2.send({ request: 'state', state: 'paused', reason: 'họp' });
	await waitFor(async () => (await agentState(b2, 'op4')) === 'paused', 5000, 'op4 paused');
	r = await sipp('phone_register.xml', { port: 16400, timeout: 15 });
	let op101;
	try {
		op101 = await waitFor(async () => (await b1.status()).agents.find(
		    (x) => x.user_id === 'op101' && x.state === 'available'), 5000, 'op101');
	} catch (err) {
		note(String(err));
	}
	ok(r.code === 0 && op101 && op101.phone === '101',
	    'a SIP phone REGISTERs as extension 101 with digest auth: op101 available', op101);
	const phone = sipp('agency.xml', { port: 16400, mport: 16410, timeout: 60, uas: true,
	    extra: ['-rtp_echo'] });
	const call9 = sipp('caller.xml', { port: 16420, mport: 16430, timeout: 60 });
	r = await phone;
	const r9 = await call9;
	ok(r.code === 0 && r9.code === 0,
	    'the phone rings, answers, talks and hangs up; the caller gets BYE',
	    r.out.slice(-300) + r9.out.slice(-300));
	let ev9;
	try {
		ev9 = await waitFor(() => eventFor((x) => x.agent_user_id === 'op101'), 10000,
		    'phone call event');
	} catch (err) {
		note(String(err));
	}
	try {
		w = readWav(path.join(VAR_DIR, 'recordings', ev9.recording));
	} catch (err) {
		w = null;
		note(String(err));
	}
	ok(ev9 && ev9.disposition === 'answered' && ev9.hangup_by === 'agent' && w &&
	    w.rms[0] > 300 && w.tailRms[1] > 300,
	    `the phone call is reported and recorded, both channels (${w && w.seconds.toFixed(2)} s)`,
	    { ev9, w });

	await registerAttacks();
}

// A feature code dialled from desk phone 101 (from u): INVITE, the 401
// challenge, the INVITE again with the REGISTER digest (method INVITE).
// Resolves with the final answer to the authenticated INVITE.
async function featureCode(u, code, password = 'mat-khau-101') {
	const rnd = () => crypto.randomBytes(6).toString('hex');
	const uri = `sip:${code}@127.0.0.1:${SIP_PORT}`;
	const callId = `${rnd()}@127.0.0.1`;
	const from = `<sip:101@127.0.0.1>;tag=${rnd()}`;
	const sdp = ['v=0', 'o=p 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
	    'm=audio 16448 RTP/AVP 8', 'a=rtpmap:8 PCMA/8000', ''].join('\r\n');
	const inv = (cseq, extra) => u.request('INVITE', { uri, callId, cseq, from, to: `<${uri}>`,
	    extra: [`Contact: <sip:101@127.0.0.1:${u.port}>`, ...extra], body: sdp,
	    contentType: 'application/sdp' });
	const answer = (cseq) => u.next((m) => m.status >= 200 && header(m, 'call-id') === callId &&
	    header(m, 'cseq') === `${cseq} INVITE`, 5000);
	await inv(1, []);
	const chal = await answer(1);
	if (chal.status !== 401)
		return chal;
	await inv(2, [`Authorization: ${digestAuth({ challenge: header(chal, 'www-authenticate'),
		user: '101', password, method: 'INVITE', uri })}`]);
	const fin = await answer(2);
	await u.request('ACK', { uri, callId, cseq: 2, from, to: header(fin, 'to') });
	return fin;
}

// Desk phones as first-class agents (issue 11): extension 101 lets a call
// ring past ring_timeout and is paused (no_answer); its feature codes
// (*22 pause, *21 available, digest-checked, never a call) change its
// state; back to available, the call it missed is offered to it again
// (nobody else is on duty) and it answers.
// op101 as the supervisor sees it once pred(op101) holds (null if it
// does not within ms, noted).
async function op101When(pred, ms, what) {
	const S = await supervisor();
	try {
		return await waitFor(async () => {
			const x = (await S.status()).agents.find((y) => y.user_id === 'op101');
			return x && pred(x) ? x : null;
		}, ms, what);
	} catch (err) {
		note(String(err));
		return null;
	}
}

// Desk phone 101 (a SIPp UAS on 16400) rings and never answers a call
// (caller.xml, left running): resolves once op101 is paused, with the
// phone's and the caller's runs.
async function phoneMissesACall() {
	const miss = sipp('agency_no_answer.xml', { port: 16400, mport: 16410, timeout: 60,
	    uas: true });
	await udpListening(16400);
	const call = sipp('caller.xml', { port: 16420, mport: 16430, timeout: 90 });
	const paused = await op101When((x) => x.state === 'paused', (RING_TIMEOUT + 10) * 1000,
	    'op101 paused');
	return { paused, miss: await miss, call };
}

async function deskPhone() {
	const S = await supervisor();
	const op101 = async () => (await S.status()).agents.find((x) => x.user_id === 'op101');
	let r = await sipp('phone_register.xml', { port: 16400, timeout: 15 });
	let a = await op101When((x) => x.state === 'available', 5000, 'op101 available');
	ok(r.code === 0 && a && a.phone === '101', 'desk phone 101 registers: op101 available', a);

	const missed = await phoneMissesACall();
	const call = missed.call;
	a = missed.paused;
	r = missed.miss;
	let st = await S.status();
	const callId = st.queue[0];
	ok(r.code === 0 && a && a.reason === 'no_answer' && st.queue.length === 1,
	    'the phone lets the call ring past ring_timeout: CANCELled, op101 paused (no_answer), ' +
	    'the call waits in the queue', { a, queue: st.queue, out: r.out.slice(-300) });

	// The phone that will answer, listening before op101 is back.
	const answer = sipp('agency.xml', { port: 16400, mport: 16410, timeout: 60, uas: true,
	    extra: ['-rtp_echo'] });
	await udpListening(16400);
	const u = await SipUdp.open('127.0.0.1', 16440, { host: '127.0.0.1', port: SIP_PORT });
	try {
		let fin = await featureCode(u, '*22');
		a = await op101();
		st = await S.status();
		ok(fin.status === 603 && a.state === 'paused' && /điện thoại/.test(a.reason) &&
		    st.calls.length === 1 && st.queue.length === 1,
		    '*22 from the phone (digest): answered at once (603 "Đã tạm nghỉ"), op101 paused ' +
		    'with the phone\'s reason, no call made or queued',
		    { status: fin.status, first: fin.first, a, calls: st.calls.length });
		fin = await featureCode(u, '*21', 'sai-mat-khau');
		a = await op101();
		ok(fin.status === 401 && a.state === 'paused',
		    '*21 with a wrong password: challenged again (401), op101 still paused',
		    { status: fin.status, a });
		fin = await featureCode(u, '*99');
		ok(fin.status === 404, 'an unknown feature code: 404', fin.first);
		fin = await featureCode(u, '*21');
		ok(fin.status === 603 && /sẵn sàng/.test(fin.first),
		    '*21 from the phone: answered at once (603 "Đã sẵn sàng nhận cuộc gọi")', fin.first);
	} finally {
		u.close();
	}
	// The phone's leg has counters of its own (issue 11), not the agency's.
	let leg;
	try {
		leg = await waitFor(async () => {
			const c = (await S.status()).calls.find((x) => x.call_id === callId);
			return c && c.rtp.phone && c.rtp.phone.from_phone > 25 &&
			    c.rtp.phone.to_phone > 25 ? c.rtp : null;
		}, 15000, 'RTP caller <-> desk phone');
	} catch (err) {
		note(String(err));
	}
	ok(leg && leg.from_agency === 0 && leg.to_agency === 0 &&
	    Number.isInteger(leg.phone.lost) && Number.isInteger(leg.phone.late),
	    'the status reports the desk phone leg\'s audio under rtp.phone (to_phone, from_phone, ' +
	    'lost, late), not under the agency counters', leg);
	// Each of those changes went to Kore as an agent.state event, signed
	// and spooled like call.ended.
	let states;
	try {
		states = await waitFor(() => {
			const mine = kore.agentEvents.filter((x) => x.agent_user_id === 'op101');
			return mine.some((x, i) => x.state === 'in_call' && i > 5) ? mine : null;
		}, 10000, 'agent.state events');
	} catch (err) {
		note(String(err));
	}
	const seq = (states || []).map((x) => `${x.state}${x.reason ? `(${x.reason})` : ''}`);
	const shapeOk = (states || []).every((x) =>
	    /^[0-9a-f-]{36}$/.test(x.event_id) && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(x.at) &&
	    ['web', 'phone'].includes(x.device) && (x.reason === null || typeof x.reason === 'string') &&
	    Object.keys(x).sort().join() === 'agent_user_id,at,device,event_id,reason,state,type');
	// In order: the spool is sent oldest first.
	ok(shapeOk && seq.slice(0, 8).join(' ') ===
	    'available ringing available paused(no_answer) paused(tạm nghỉ (từ điện thoại bàn)) ' +
	    'available ringing in_call' && states[5].device === 'phone',
	    'every state change of op101 is posted to Kore as agent.state (signed, spooled): ' +
	    seq.join(' → '), states);
	r = await answer;
	const rc = await call;
	let ev;
	try {
		ev = await waitFor(() => eventFor((x) => x.call_id === callId), 15000, 'call event');
	} catch (err) {
		note(String(err));
	}
	ok(r.code === 0 && rc.code === 0 && ev && ev.agent_user_id === 'op101' &&
	    ev.disposition === 'answered',
	    'back to available, op101 is offered the call it missed again, answers and talks',
	    { ev, phone: r.out.slice(-300), caller: rc.out.slice(-300) });

	// no_answer_return: paused for a missed call, back by itself; and
	// dead callers (rtp_timeout 3 s; nobody on duty yet, so voicemail at
	// once with no_agent_grace 0).
	const restart = await restartJanus({ QUEUE_MAX_WAIT: '60', NO_ANSWER_RETURN: '3',
	    SIP_EXTENSIONS: '101:op101:mat-khau-101', RTP_TIMEOUT: '3', NO_AGENT_GRACE: '0' });
	ok(restart.code === 0, 'Janus restarts with no_answer_return 3 s and rtp_timeout 3 s',
	    restart.out);
	await deadCallers(3);
	r = await sipp('phone_register.xml', { port: 16400, timeout: 15 });
	const { paused, call: call2 } = await phoneMissesACall();
	const answer2 = sipp('agency.xml', { port: 16400, mport: 16410, timeout: 60, uas: true,
	    extra: ['-rtp_echo'] });
	await udpListening(16400);
	const t0 = Date.now();
	const back = await op101When((x) => x.state !== 'paused', 10000, 'op101 back');
	const took = (Date.now() - t0) / 1000;
	r = await answer2;
	const rc2 = await call2;
	ok(paused && paused.reason === 'no_answer' && back && took > 1 && r.code === 0 &&
	    rc2.code === 0,
	    `no_answer_return: paused (no_answer), available again by itself (${took.toFixed(1)} s ` +
	    'later, no code dialled) and offered the missed call again, which it answers',
	    { paused, back, phone: r.out.slice(-300) });
	await consoleRemote();
}

// The console as the desk phone's remote control (issue 11): op101's
// console chooses "answer on the desk phone" (request device); a call
// rings the phone, not the browser, and the console is told of the
// phone's call (for its ticket); its Pause button pauses the agent the
// ACD offers the phone's calls to.
// The console A asks for device d: true once a state event says so.
async function chooseDevice(A, d) {
	await A.send({ request: 'device', device: d });
	try {
		return await waitFor(() => A.has('state', `(e) => e.agent && e.agent.device === '${d}'`),
		    5000, `device ${d}`);
	} catch (err) {
		note(String(err));
		return false;
	}
}

async function consoleRemote() {
	const A = await newAgent(theBrowser);
	await A.send({ request: 'login', token: token('op101', now() + 300) });
	await A.waitEvent('logged_in', 5000);
	ok(await chooseDevice(A, 'phone'), 'op101\'s console chooses the desk phone (request device: phone): agent.device is phone',
	    await A.last('state'));
	const answer = sipp('agency.xml', { port: 16400, mport: 16410, timeout: 60, uas: true,
	    extra: ['-rtp_echo'] });
	await udpListening(16400);
	const call = sipp('caller.xml', { port: 16420, mport: 16430, timeout: 90 });
	let inCall = null;
	try {
		inCall = await waitFor(async () => (await A.events()).find((e) => e.event === 'state' &&
		    e.agent && e.agent.state === 'in_call' && e.agent.call_id) || null, 20000,
		    'the console hears of the phone\'s call');
	} catch (err) {
		note(String(err));
	}
	const r = await answer;
	const rc = await call;
	const incoming = await A.count('incoming');
	ok(inCall && inCall.agent.caller === '0901234567' && inCall.agent.device === 'phone' &&
	    incoming === 0 && r.code === 0 && rc.code === 0,
	    'with its console open on the desk phone, a call rings the phone (which answers), not ' +
	    'the browser; the console is told the phone\'s call (in_call, call_id, caller) for its ticket',
	    { inCall, incoming, phone: r.out.slice(-300) });
	try {
		await waitFor(async () => ['available', 'wrap_up'].includes(await agentState(A, 'op101')),
		    10000, 'op101 after the call');
	} catch (err) {
		note(String(err));
	}
	await A.send({ request: 'state', state: 'paused', reason: 'họp giao ban' });
	const p = await op101When((x) => x.state === 'paused' && x.reason === 'họp giao ban', 5000,
	    'op101 paused from the console');
	ok(p && p.device === 'phone' && p.phone === '101',
	    'the console\'s Pause pauses the agent its desk phone takes calls as (the live page shows ' +
	    'it: paused, device phone, phone 101)', p);
	ok(await chooseDevice(A, 'browser'), 'and back to the browser (device: browser)', await A.last('state'));
	await A.send({ request: 'logout' });
}

// RTP (PCMA, 20 ms apart) from sock to the plugin's port until the
// returned function is called; fill 0xd5 is A-law silence.
function pacedRtp(sock, port, fill = 0xd5) {
	let seq = 0;
	const timer = setInterval(() => {
		sendRtp(sock, '127.0.0.1', port, 1, { seq: seq++, fill, ssrc: 0x5151 })
		    .catch(() => {});
	}, 20);
	return () => clearInterval(timer);
}

// Dead callers (issue 11): a caller whose RTP stops without a BYE is hung
// up after rtp_timeout and reported missed; a voicemail with nobody
// speaking in it is reported missed (no ticket), one with speech stays a
// voicemail.
async function deadCallers(rtpTimeout) {
	const to = { host: '127.0.0.1', port: SIP_PORT };
	const u = await SipUdp.open('127.0.0.1', 16460, to);
	const v = await SipUdp.open('127.0.0.1', 16470, to);
	const media = [dgram.createSocket('udp4'), dgram.createSocket('udp4')];
	await new Promise((r) => media[0].bind(16462, '127.0.0.1', r));
	await new Promise((r) => media[1].bind(16472, '127.0.0.1', r));
	const stops = [];
	try {
		// A voicemail with speech beside them (caller.xml loops speech).
		const voiced = sipp('caller.xml', { port: 16480, mport: 16490, timeout: 60 });
		// The trunk supports session timers (RFC 4028): agreed in our 200.
		const dead = await invite(u, { caller: '0907000061', rtpPort: 16462,
		    extra: ['Supported: timer', 'Session-Expires: 120'] });
		await dead.ack();
		const se = header(dead.answer, 'session-expires');
		ok(dead.answer.status === 200 && /^120;\s*refresher=uac$/i.test(se) &&
		    /timer/.test(header(dead.answer, 'require')),
		    'a trunk offering session timers (Supported: timer, Session-Expires 120) gets ' +
		    `them in our 200 (Session-Expires: ${se}, Require: timer; the trunk refreshes)`,
		    dead.answer.headers);
		const stopDead = pacedRtp(media[0], dead.port);
		stops.push(stopDead);
		const silent = await invite(v, { caller: '0907000062', rtpPort: 16472 });
		await silent.ack();
		stops.push(pacedRtp(media[1], silent.port));
		await sleep(1000);
		stopDead();
		const t0 = Date.now();
		let bye = null;
		try {
			bye = await dead.byeFromPeer((rtpTimeout + 8) * 1000);
		} catch (err) {
			note(String(err));
		}
		const took = (Date.now() - t0) / 1000;
		let ev;
		try {
			ev = await waitFor(() => eventFor((x) => x.sip_call_id === dead.callId), 10000,
			    'dead caller event');
		} catch (err) {
			note(String(err));
		}
		ok(bye && took >= rtpTimeout - 1 && took < rtpTimeout + 6 && ev &&
		    ev.disposition === 'missed' && ev.hangup_by === 'system',
		    `a caller whose RTP stops without a BYE gets our BYE ${took.toFixed(1)} s later ` +
		    '(rtp_timeout) and is reported missed, hung up by the system', ev);
		let sev, vev;
		try {
			sev = await waitFor(() => eventFor((x) => x.sip_call_id === silent.callId),
			    (VM_PROMPT + VOICEMAIL_MAX + 15) * 1000, 'silent voicemail event');
		} catch (err) {
			note(String(err));
		}
		const rv = await voiced;
		try {
			vev = await waitFor(() => eventFor((x) => x.caller === '0901234567' &&
			    x.voicemail_at !== null), 10000, 'voiced voicemail event');
		} catch (err) {
			note(String(err));
		}
		ok(sev && sev.disposition === 'missed' && sev.voicemail_at !== null &&
		    rv.code === 0 && vev && vev.disposition === 'voicemail',
		    'a voicemail of silence is reported missed (a call back, no ticket); one with ' +
		    'speech stays a voicemail', { sev, vev });
	} finally {
		stops.forEach((f) => f());
		u.close();
		v.close();
		media.forEach((m) => m.close());
	}
}

// Desk-phone REGISTER against someone who overheard one, guesses
// passwords, or sits outside the phones' networks (register_networks
// 127.0.0.0/29; lockout after 5 failures).
async function registerAttacks() {
	const to = { host: '127.0.0.1', port: SIP_PORT };
	const uri = `sip:127.0.0.1:${SIP_PORT}`;
	const socks = [];
	const open = async (ip, port = 0) => {
		const u = await SipUdp.open(ip, port, to);
		socks.push(u);
		return u;
	};
	try {
		const p = await open('127.0.0.1', 16800);
		let r = await register(p, { ext: '101' });
		const chal = header(r, 'www-authenticate');
		const auth = digestAuth({ challenge: chal, user: '101', password: 'mat-khau-101', uri });
		const ok1 = await register(p, { ext: '101', auth, cseq: 2 });
		const replay = await register(p, { ext: '101', auth, contactPort: 16899, cseq: 3 });
		ok(r.status === 401 && /qop="auth"/.test(chal) && ok1.status === 200 &&
		    replay.status === 401,
		    'REGISTER: challenge with qop=auth, accepted once; the same Authorization replayed ' +
		    'with a new Contact is refused (401)',
		    { chal, first: ok1.status, replay: replay.status });
		const chal2 = header(replay, 'www-authenticate');
		const nc2 = await register(p, { ext: '101', cseq: 4, auth: digestAuth({
			challenge: chal2, user: '101', password: 'mat-khau-101', uri, nc: 1 }) });
		const nc3 = await register(p, { ext: '101', cseq: 5, auth: digestAuth({
			challenge: chal2, user: '101', password: 'mat-khau-101', uri, nc: 2 }) });
		const elsewhere = await register(p, { ext: '101', cseq: 6, auth: digestAuth({
			challenge: chal2, user: '101', password: 'mat-khau-101',
			uri: 'sip:127.0.0.1:5060', nc: 3 }) });
		ok(nc2.status === 200 && nc3.status === 200 && elsewhere.status === 401,
		    'a counted nonce: nc 1 then 2 accepted; a digest for another request-URI refused',
		    { nc2: nc2.status, nc3: nc3.status, elsewhere: elsewhere.status });

		// Password guessing for 102 from 127.0.0.6: five failures lock
		// the extension (from anywhere) and that address (for anyone).
		const g = await open('127.0.0.6');
		r = await register(g, { ext: '102' });
		const gchal = header(r, 'www-authenticate');
		const tries = [];
		for (let i = 0; i < 5; i++)
			tries.push((await register(g, { ext: '102', cseq: 2 + i, auth: digestAuth({
				challenge: gchal, user: '102', password: `doan-mo-${i}`, uri }) })).status);
		const h = await open('127.0.0.7');
		r = await register(h, { ext: '102' });
		const right102 = await register(h, { ext: '102', cseq: 2, auth: digestAuth({
			challenge: header(r, 'www-authenticate'), user: '102', password: 'mat-khau-102',
			uri }) });
		const right101 = await register(g, { ext: '101', cseq: 9, auth: digestAuth({
			challenge: gchal, user: '101', password: 'mat-khau-101', uri }) });
		const log = fs.readFileSync(path.join(VAR_DIR, 'log', 'janus.log'), 'utf8');
		ok(tries.every((x) => x === 401) && right102.status === 403 && right101.status === 403 &&
		    /extension 102 locked out/.test(log) && /address 127\.0\.0\.6 locked out/.test(log),
		    'five wrong passwords: extension 102 refused from another address too (403), ' +
		    'the guessing address refused for 101 as well (403), both logged',
		    { tries, right102: right102.status, right101: right101.status });

		const far = await open('127.0.0.9');
		r = await register(far, { ext: '101' });
		ok(r.status === 403 && !header(r, 'www-authenticate'),
		    'REGISTER from outside register_networks: 403 without a challenge', r.first);
	} finally {
		socks.forEach((u) => u.close());
	}
}

// Attended transfer: the operator (op2, auto-answering) talks to the
// agency (SIPp UAS on the transfer_uri port) while the caller is on hold,
// then completes, cancels, or is sent back by the agency.
// Asks for an attended transfer and waits for the agency to answer.
async function consultAgency(A, number) {
	const nev = await A.count('transfer_answered');
	await A.send({ request: 'transfer', number, mode: 'attended' });
	try {
		await waitFor(async () => (await A.count('transfer_answered')) > nev, 10000,
		    'transfer_answered');
	} catch (err) {
		note(String(err));
	}
}

async function attendedTransfer(a2) {
	const NUM = '02773850001';
	let e, r, flow, w;

	// Call A: errors, a busy agency, a cancelled ring, a cancelled
	// consultation, then a completed transfer.
	let acc = await a2.count('accepted');
	const callA = sipp('caller.xml', { port: 16600, mport: 16610, timeout: 120 });
	await waitFor(async () => (await a2.count('accepted')) > acc, 20000, 'op2 accepts call A');
	const tA = Date.now();
	const incA = await a2.last('incoming');
	const idA = incA.call_id;
	await waitFor(async () => (await a2.stats()).received > 25, 10000, 'RTP before the transfer');

	e = await expectError(a2, { request: 'transfer_complete' });
	const e2 = await expectError(a2, { request: 'transfer_cancel' });
	const e3 = await expectError(a2, { request: 'transfer', number: NUM, mode: 'consult' });
	ok(e.error_code === 487 && e2.error_code === 487 && e3.error_code === 485,
	    'transfer_complete / transfer_cancel without a transfer: 487; unknown mode: 485',
	    [e, e2, e3]);

	// The agency is busy (486): the operator is back with the caller.
	let ag = await agencyPhone('agency_busy.xml', 16520, false);
	let nev = await a2.count('transferring');
	await a2.send({ request: 'transfer', number: NUM, mode: 'attended' });
	await waitFor(async () => (await a2.count('transferring')) > nev, 5000, 'transferring');
	const tr = await a2.last('transferring');
	try {
		await a2.waitEvent('transfer_failed', 10000);
	} catch (err) {
		note(String(err));
	}
	e = await a2.last('transfer_failed');
	r = await ag.done;
	flow = await rtpFlow(a2, idA);
	ok(tr.mode === 'attended' && tr.number === NUM && e && e.call_id === idA &&
	    e.reason === 'busy' && e.status === 486 && r.code === 0,
	    'attended transfer to a busy agency (486): transfer_failed, reason busy',
	    { tr, e, sipp: r.out.slice(-300) });
	ok(flow.state === 'bridged' && !flow.transfer_to && flow.d.to_trunk > 25 &&
	    flow.rx > 25,
	    'after the refusal the operator and the caller hear each other again', flow);

	// Ringing: complete is refused, a second transfer too; cancel sends CANCEL.
	ag = await agencyPhone('agency_no_answer.xml', 16530, false);
	await a2.send({ request: 'transfer', number: NUM, mode: 'attended' });
	let ringing;
	try {
		ringing = await waitFor(async () => {
			const c = (await a2.status()).calls.find((x) => x.call_id === idA);
			return c && c.state === 'consult_ringing' ? c : null;
		}, 5000, 'consult_ringing');
	} catch (err) {
		note(String(err));
	}
	flow = await rtpFlow(a2, idA, 1000);
	e = await expectError(a2, { request: 'transfer_complete' });
	const e4 = await expectError(a2, { request: 'transfer', number: NUM, mode: 'attended' });
	ok(ringing && ringing.transfer_to === NUM && flow.d.from_trunk > 25 &&
	    flow.d.to_trunk === 0 && flow.d.to_agent === 0 &&
	    e.error_code === 487 && /not answered/.test(e.error) &&
	    e4.error_code === 487 && /already in progress/.test(e4.error),
	    'while the agency rings the caller is on hold (hears neither side); ' +
	    'complete and a second transfer are refused (487)', { ringing, flow, e, e4 });
	nev = await a2.count('transfer_cancelled');
	await a2.send({ request: 'transfer_cancel' });
	await waitFor(async () => (await a2.count('transfer_cancelled')) > nev, 5000,
	    'transfer_cancelled');
	r = await ag.done;
	flow = await rtpFlow(a2, idA);
	ok(r.code === 0 && flow.state === 'bridged' && flow.d.to_trunk > 25 && flow.rx > 25,
	    'transfer_cancel while ringing: the agency gets CANCEL, the operator is back with the caller',
	    { flow, sipp: r.out.slice(-300) });

	// Nobody answers within transfer_timeout: CANCEL, back to the caller.
	ag = await agencyPhone('agency_no_answer.xml', 16535, false);
	nev = await a2.count('transfer_failed');
	await a2.send({ request: 'transfer', number: NUM, mode: 'attended' });
	try {
		await waitFor(async () => (await a2.count('transfer_failed')) > nev,
		    (TRANSFER_TIMEOUT + 5) * 1000, 'transfer_failed after transfer_timeout');
	} catch (err) {
		note(String(err));
	}
	e = await a2.last('transfer_failed');
	r = await ag.done;
	flow = await rtpFlow(a2, idA, 1000);
	ok(e && e.reason === 'no answer' && e.status === 408 && r.code === 0 &&
	    flow.state === 'bridged' && flow.d.to_trunk > 25 && flow.rx > 25,
	    `the agency rings past transfer_timeout (${TRANSFER_TIMEOUT} s): CANCEL, ` +
	    'transfer_failed "no answer", the operator is back with the caller',
	    { e, flow, sipp: r.out.slice(-300) });

	// Consultation, then cancel: the agency gets BYE.
	ag = await agencyPhone('agency_wait_bye.xml', 16540);
	await consultAgency(a2, NUM);
	flow = await rtpFlow(a2, idA, 2000);
	ok(flow.state === 'consulting' && flow.d.from_agent > 25 && flow.d.to_agency > 25 &&
	    flow.d.from_agency > 25 && flow.rx > 25 && flow.d.to_trunk === 0,
	    'the agency answers: operator <-> agency audio (plugin and browser counters), ' +
	    'the caller on hold hears neither', flow);
	nev = await a2.count('transfer_cancelled');
	await a2.send({ request: 'transfer_cancel' });
	await waitFor(async () => (await a2.count('transfer_cancelled')) > nev, 5000,
	    'transfer_cancelled');
	e = await a2.last('transfer_cancelled');
	r = await ag.done;
	flow = await rtpFlow(a2, idA);
	ok(e.call_id === idA && e.number === NUM && r.code === 0 && flow.state === 'bridged' &&
	    flow.d.to_trunk > 25 && flow.rx > 25 && flow.d.to_agency === 0,
	    'transfer_cancel during the consultation: the agency gets BYE, operator and caller talk again',
	    { e, flow, sipp: r.out.slice(-300) });

	// Consultation, then complete: caller <-> agency, recorded to the end.
	ag = await agencyPhone('agency_attended.xml', 16550);
	await consultAgency(a2, NUM);
	const tConsult = Date.now();
	flow = await rtpFlow(a2, idA, 1500);
	const tComplete = Date.now();
	nev = await a2.count('transferred');
	await a2.send({ request: 'transfer_complete' });
	try {
		await waitFor(async () => (await a2.count('transferred')) > nev, 5000, 'transferred');
	} catch (err) {
		note(String(err));
	}
	e = await a2.last('transferred');
	ok(flow.state === 'consulting' && flow.d.to_agency > 25 && flow.rx > 25 &&
	    e && e.call_id === idA && e.number === NUM &&
	    ['wrap_up', 'available'].includes(await agentState(a2, 'op2')),
	    'transfer_complete: event transferred, the operator leaves the call (wrap-up)',
	    { flow, e });
	flow = await rtpFlow(a2, idA, 1500);
	ok(flow.state === 'transferred' && flow.transfer_to === NUM && flow.d.from_trunk > 25 &&
	    flow.d.to_agency > 25 && flow.d.from_agency > 25 && flow.d.to_trunk > 25,
	    'after transfer_complete caller <-> agency audio flows through the plugin', flow);
	r = await ag.done;
	const rA = await callA;
	const tEnd = Date.now();
	ok(r.code === 0 && rA.code === 0, 'the agency hangs up; the caller gets BYE',
	    r.out.slice(-300) + rA.out.slice(-300));
	let ev;
	try {
		ev = await waitFor(() => eventFor((x) => x.call_id === idA), 10000, 'call A event');
	} catch (err) {
		note(String(err));
	}
	ok(ev && ev.disposition === 'transferred' && ev.transferred_to === NUM &&
	    ev.agent_user_id === 'op2' && ev.hangup_by === 'agency' && ev.recording,
	    'Kore gets the attended transfer: disposition transferred, transferred_to, hangup_by agency',
	    ev);
	try {
		const file = path.join(VAR_DIR, 'recordings', ev.recording);
		w = readWav(file);
		w.consultRight = wavRmsBetween(file, 1, (tConsult - tA) / 1000,
		    (tComplete - tA) / 1000);
	} catch (err) {
		w = null;
		note(String(err));
	}
	const talkA = (tEnd - tA) / 1000;
	ok(w && w.fileOk && w.channels === 2 && Math.abs(w.seconds - talkA) < 1.5 &&
	    w.rms[0] > 300 && w.rms[1] > 30 && w.tailRms[1] > 300 && w.consultRight > 30,
	    `the WAV holds the whole call (${w && w.seconds.toFixed(2)} s of ${talkA.toFixed(2)} s), ` +
	    `caller RMS ${w && w.rms[0].toFixed(0)}, right RMS during the consultation ` +
	    `${w && w.consultRight.toFixed(0)}, agency at the end ${w && w.tailRms[1].toFixed(0)}`, w);

	// Call B: the agency hangs up during the consultation, then the
	// caller hangs up during a second one.
	acc = await a2.count('accepted');
	const callB = sipp('caller_leaves.xml', { port: 16620, mport: 16630, timeout: 60 });
	await waitFor(async () => (await a2.count('accepted')) > acc, 20000, 'op2 accepts call B');
	const tB = Date.now();
	const idB = (await a2.last('incoming')).call_id;
	ag = await agencyPhone('agency.xml', 16560);
	nev = await a2.count('transfer_failed');
	await a2.send({ request: 'transfer', number: NUM, mode: 'attended' });
	try {
		await waitFor(async () => (await a2.count('transfer_failed')) > nev, 15000,
		    'transfer_failed');
	} catch (err) {
		note(String(err));
	}
	e = await a2.last('transfer_failed');
	r = await ag.done;
	flow = await rtpFlow(a2, idB, 1000);
	ok(e && e.call_id === idB && e.reason === 'agency hung up' && r.code === 0 &&
	    flow.state === 'bridged' && flow.d.to_trunk > 25 && flow.rx > 25,
	    'the agency hangs up during the consultation: transfer_failed, operator back with the caller',
	    { e, flow });
	ag = await agencyPhone('agency_wait_bye.xml', 16570);
	nev = await a2.count('transfer_answered');
	await a2.send({ request: 'transfer', number: NUM, mode: 'attended' });
	let hup;
	try {
		await waitFor(async () => (await a2.count('transfer_answered')) > nev, 10000,
		    'transfer_answered');
		hup = await waitFor(async () => {
			const h = await a2.last('hangup');
			return h && h.call_id === idB ? h : null;
		}, 25000, 'hangup of call B');
	} catch (err) {
		note(String(err));
	}
	r = await ag.done;
	const rB = await callB;
	const tBEnd = Date.now();
	ok(hup && hup.by === 'caller' && r.code === 0 && rB.code === 0,
	    'the caller hangs up during the consultation: the operator gets hangup (by caller), ' +
	    'the agency gets BYE', { hup, sipp: r.out.slice(-300) + rB.out.slice(-300) });
	try {
		ev = await waitFor(() => eventFor((x) => x.call_id === idB), 10000, 'call B event');
		w = readWav(path.join(VAR_DIR, 'recordings', ev.recording));
	} catch (err) {
		w = null;
		note(String(err));
	}
	const talkB = (tBEnd - tB) / 1000;
	ok(ev && ev.disposition === 'answered' && ev.hangup_by === 'caller' &&
	    ev.transferred_to === null && w && Math.abs(w.seconds - talkB) < 1.5 &&
	    w.rms[0] > 300 && w.rms[1] > 30,
	    `call B is reported answered (not transferred), hangup_by caller, recorded (${w && w.seconds.toFixed(2)} s)`,
	    { ev, w });

	// Call C: the operator's browser drops its PeerConnection during the
	// consultation: the caller is handed to the agency, not dropped.
	acc = await a2.count('accepted');
	const callC = sipp('caller.xml', { port: 16640, mport: 16650, timeout: 60 });
	await waitFor(async () => (await a2.count('accepted')) > acc, 20000, 'op2 accepts call C');
	const idC = (await a2.last('incoming')).call_id;
	ag = await agencyPhone('agency_attended.xml', 16580);
	nev = await a2.count('transfer_answered');
	await a2.send({ request: 'transfer', number: NUM, mode: 'attended' });
	let gone;
	try {
		await waitFor(async () => (await a2.count('transfer_answered')) > nev, 10000,
		    'transfer_answered');
		const nt = await a2.count('transferred');
		await a2.page.evaluate(() => window.agent.handle.hangup(true));
		gone = await waitFor(async () => (await a2.count('transferred')) > nt &&
		    a2.last('transferred'), 5000, 'transferred after the browser left');
	} catch (err) {
		note(String(err));
	}
	flow = await rtpFlow(a2, idC, 1500);
	ok(gone && gone.call_id === idC && flow.state === 'transferred' &&
	    flow.d.to_agency > 25 && flow.d.from_agency > 25 && flow.d.to_trunk > 25,
	    'the browser drops during the consultation: the caller is put through to the agency',
	    { gone, flow });
	r = await ag.done;
	const rC = await callC;
	try {
		ev = await waitFor(() => eventFor((x) => x.call_id === idC), 10000, 'call C event');
	} catch (err) {
		note(String(err));
	}
	ok(r.code === 0 && rC.code === 0 && ev && ev.disposition === 'transferred' &&
	    ev.transferred_to === NUM && ev.hangup_by === 'agency',
	    'call C ends with the agency and is reported transferred', ev);
}

// RTP is taken only from the address the trunk's SDP named, and nothing
// is sent before the trunk's ACK (nobody is available: the call queues).
async function rtpFromAnyone(A) {
	const trunk = await SipUdp.open('127.0.0.1', 16700, { host: '127.0.0.1', port: SIP_PORT });
	const media = dgram.createSocket('udp4');
	await new Promise((r) => media.bind(16702, '127.0.0.1', r));
	let heard = 0;
	media.on('message', () => { heard++; });
	const forgers = [dgram.createSocket('udp4'), dgram.createSocket('udp4')];
	await new Promise((r) => forgers[0].bind(0, '127.0.0.3', r));
	await new Promise((r) => forgers[1].bind(16704, '127.0.0.1', r));
	const callOf = async (id) => (await A.status()).calls.find((c) => c.call_id === id);
	try {
		const call = await invite(trunk, { rtpPort: 16702 });
		await sleep(1200);
		const heardBeforeAck = heard;
		// The call's id: the only call whose caller is ours.
		const c0 = (await A.status()).calls.find((c) => c.caller === '0907000001');
		for (const f of forgers)
			await sendRtp(f, '127.0.0.1', call.port, 50, { fill: 0x2a });
		await sleep(300);
		const c1 = c0 && await callOf(c0.call_id);
		ok(call.answer.status === 200 && call.port > 0 && heardBeforeAck === 0,
		    'a trunk call is answered 200, but no media (greeting, hold audio) is sent before ' +
		    'the ACK', { status: call.answer.status, heardBeforeAck });
		ok(c1 && c1.rtp.from_trunk === 0 && c1.rtp.rejected === 100 && c1.acked === false,
		    'RTP from another address, or another port of the trunk\'s address, is dropped ' +
		    'and counted (status rtp.rejected), never recorded or relayed', c1);
		await call.ack();
		await sleep(1000);
		const heardAfterAck = heard;
		await sendRtp(media, '127.0.0.1', call.port, 25);
		for (const f of forgers)
			await sendRtp(f, '127.0.0.1', call.port, 50, { fill: 0x2a, seq: 50 });
		await sleep(300);
		const c2 = c0 && await callOf(c0.call_id);
		ok(heardAfterAck > 25 && c2 && c2.acked === true && c2.rtp.from_trunk === 25,
		    'after the ACK the caller hears the queue, and only the SDP\'s address:port is ' +
		    `heard (${c2 && c2.rtp.from_trunk} of 25 + 100 forged packets taken)`,
		    { heardAfterAck, c2 });
		await call.bye();
	} finally {
		trunk.close();
		media.close();
		forgers.forEach((f) => f.close());
	}
}

// A machine out of threads (tests/hotline/faults.c): the call that
// cannot have its media thread is refused, Janus goes on.
async function noThreadForCall() {
	const trunk = await SipUdp.open('127.0.0.1', 16710, { host: '127.0.0.1', port: SIP_PORT });
	const fault = path.join(ENV.HOTLINE_FAULTS || '/nonexistent', 'no-threads');
	let call = null;
	try {
		fs.writeFileSync(fault, '');
		call = await invite(trunk, { caller: '0907000002', rtpPort: 16712 });
	} catch (err) {
		note(String(err));
	} finally {
		fs.rmSync(fault, { force: true });
		trunk.close();
	}
	await sleep(500);
	ok(call && call.answer.status === 503 && janusAlive(),
	    'no thread can be made for a call\'s media: its INVITE gets 503, Janus keeps running',
	    call && call.answer.first);
}

// Out of hours, voicemail_per_hour = 1, trunk_max_calls = 2.
async function tollAndFloodLimits() {
	const u = await SipUdp.open('127.0.0.1', 16730, { host: '127.0.0.1', port: SIP_PORT });
	const t0 = Date.now();
	let bye = null;
	try {
		const c = await invite(u, { caller: '0901234567', rtpPort: 16732 });
		await c.ack();
		bye = await c.byeFromPeer(5000);
	} catch (err) {
		note(String(err));
	} finally {
		u.close();
	}
	const took = (Date.now() - t0) / 1000;
	let ev;
	try {
		ev = await waitFor(() => eventFor((x) => x.caller === '0901234567' &&
		    x.disposition === 'abandoned' && x.hangup_by === 'system'), 10000,
		    'the refused voicemail\'s event');
	} catch (err) {
		note(String(err));
	}
	ok(bye && took < 3 && ev && ev.recording === null && ev.voicemail_at === null,
	    `a second voicemail from the same number within the hour: hung up at once ` +
	    `(${took.toFixed(1)} s), reported abandoned by the system, nothing recorded`, ev);

	const t = await SipUdp.open('127.0.0.1', 16720, { host: '127.0.0.1', port: SIP_PORT });
	try {
		const c1 = await invite(t, { caller: '0907000021', rtpPort: 16722 });
		await c1.ack();
		const c2 = await invite(t, { caller: '0907000022', rtpPort: 16724 });
		await c2.ack();
		const c3 = await invite(t, { caller: '0907000023', rtpPort: 16726 });
		ok(c1.answer.status === 200 && c2.answer.status === 200 &&
		    c3.answer.status === 503 && /^\d+/.test(header(c3.answer, 'retry-after')),
		    'the trunk\'s third simultaneous call (trunk_max_calls = 2): 503 with Retry-After',
		    [c1.answer.status, c2.answer.status, c3.answer.first]);
		await c1.bye();
		await c2.bye();
	} finally {
		t.close();
	}
}

function restartJanus(extraEnv) {
	janusRun++;
	return new Promise((resolve) => {
		const p = spawn('sh', ['-c', 'scripts/janus-down && scripts/janus-up'],
		    { cwd: ROOT, env: { ...ENV, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		p.stdout.on('data', (d) => { out += d; });
		p.stderr.on('data', (d) => { out += d; });
		p.on('close', (code) => resolve({ code, out }));
	});
}

main().then(() => {
	console.log(`# hotline: ${tap.no - tap.failed} passed, ${tap.failed} failed`);
	process.exit(tap.failed === 0 ? 0 : 1);
}, (err) => {
	ok(false, `test run aborted: ${err && err.message}`, err && err.stack);
	console.log(`# hotline: ${tap.no - tap.failed} passed, ${tap.failed} failed`);
	process.exit(1);
});
