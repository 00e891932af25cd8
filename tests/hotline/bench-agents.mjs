// The operators of the hotline bench: N WebRTC peers (werift, pure
// TypeScript: no browser, no native build) speaking Janus's JSON protocol
// over one WebSocket, one Janus session each.  Each peer sends its own
// paced, marked A-law stream and measures the one it receives
// (bench-rtp.mjs).  Two modes, the same media work for Janus:
//
//   hotline  attach janus.plugin.hotline, log in with a signed token (one
//            user per peer), answer each `incoming` offer, `accept`;
//            prints READY once all are available (SIPp then calls 1022).
//   stock    attach janus.plugin.sip, register as guests, each peer calls
//            BENCH_UAS (a SIPp UAS) and starts the plugin's recording
//            (own and peer audio) on `accepted`.
//
// Once every call is up (or the ramp timed out), it waits BENCH_SETTLE_S,
// measures CPU (Janus, itself, the processes in $WORK/pids, the machine)
// over BENCH_TALK_S seconds of talk, stops the media, hangs every call up
// and writes $WORK/agents.json.
//
// Environment: BENCH_MODE, BENCH_N, JANUS_WS_PORT, JANUS_PID, WORK,
// HOTLINE_SECRET_FILE (hotline), BENCH_UAS (stock), BENCH_TALK_S (20),
// BENCH_SETTLE_S (2), BENCH_CALL_RATE (calls a second, stock; 20).

import fs from 'node:fs';
import path from 'node:path';
import { RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from 'werift';
import { Pacer, StreamStats, makePayload, now, readPayload, window } from './bench-rtp.mjs';
import { agentToken, janusToken, readSecret } from '../contract.mjs';

const ENV = process.env;
const MODE = ENV.BENCH_MODE;
const N = Number(ENV.BENCH_N);
const WORK = ENV.WORK;
const TALK_S = Number(ENV.BENCH_TALK_S || 20);
const SETTLE_S = Number(ENV.BENCH_SETTLE_S || 2);
const CALL_RATE = Number(ENV.BENCH_CALL_RATE || 20);
const RAMP_TIMEOUT_MS = 30000 + 400 * N;
const PLUGIN = MODE === 'stock' ? 'janus.plugin.sip' : 'janus.plugin.hotline';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (s) => console.error(`bench-agents: ${s}`);

// ---- Janus JSON protocol over one WebSocket ------------------------------
const pending = new Map();	/* transaction -> resolve */
const handles = new Map();	/* handle id -> agent */
let txn = 0;
const ws = new WebSocket(`ws://127.0.0.1:${ENV.JANUS_WS_PORT}`, 'janus-protocol');
await new Promise((resolve, reject) => {
	ws.onopen = resolve;
	ws.onerror = () => reject(new Error('cannot open the Janus WebSocket'));
});
ws.onmessage = (ev) => {
	const m = JSON.parse(ev.data);
	if (m.janus === 'ack')
		return;
	if (m.transaction && pending.has(m.transaction) &&
	    (m.janus === 'success' || m.janus === 'error')) {
		pending.get(m.transaction)(m);
		pending.delete(m.transaction);
		return;
	}
	const a = handles.get(m.sender);
	if (a)
		a.onJanus(m);
};
ws.onclose = () => { if (!closing) log('Janus closed the WebSocket'); };
let closing = false;

// Janus wants its signed token on every request (token_auth).
const SECRET = readSecret(ENV.HOTLINE_SECRET_FILE);
const JANUS_TOKEN = janusToken(SECRET, { plugins: ['janus.plugin.hotline', 'janus.plugin.sip'],
    expires: Math.floor(Date.now() / 1000) + 86400 });
function wsSend(obj) {
	ws.send(JSON.stringify({ ...obj, token: JANUS_TOKEN }));
}

function janus(msg) {
	const transaction = `t${++txn}`;
	return new Promise((resolve, reject) => {
		pending.set(transaction, (m) => m.janus === 'success' ? resolve(m) :
		    reject(new Error(`${msg.janus}: ${JSON.stringify(m.error)}`)));
		wsSend({ ...msg, transaction });
	});
}
// Plugin messages are answered asynchronously by events (onJanus).
function send(a, body, jsep) {
	wsSend({ janus: 'message', session_id: a.session,
	    handle_id: a.handle, transaction: `t${++txn}`, body,
	    ...(jsep ? { jsep } : {}) });
}

// ---- one operator ---------------------------------------------------------
const PC_CONFIG = {
	codecs: { audio: [
		new RTCRtpCodecParameters({ mimeType: 'audio/PCMA', clockRate: 8000, channels: 1, payloadType: 8 }),
		new RTCRtpCodecParameters({ mimeType: 'audio/PCMU', clockRate: 8000, channels: 1, payloadType: 0 }),
	], video: [] },
	headerExtensions: { audio: [], video: [] },
	iceUseIpv6: false,
	// Janus only uses the veth carrying 127.0.0.2 (ICE never uses lo).
	iceAdditionalHostAddresses: ['127.0.0.2'],
};

const pacer = new Pacer();
const agents = [];

const token = (userId) => agentToken(SECRET, userId);

class Agent {
	constructor(i) {
		this.i = i;
		this.user = `bench${i}`;
		this.ready = false; this.accepted = false; this.connected = false;
		this.hungup = false; this.recording = MODE === 'hotline';
		this.errors = [];
		this.rx = new Map(); this.foreign = 0;
		this.stream = null; this.pc = null;
		this.seq = Math.floor(Math.random() * 65536);
	}
	async start() {
		this.session = (await janus({ janus: 'create' })).data.id;
		this.handle = (await janus({ janus: 'attach', session_id: this.session,
		    plugin: PLUGIN })).data.id;
		handles.set(this.handle, this);
		if (MODE === 'hotline')
			send(this, { request: 'login', token: token(this.user) });
		else
			send(this, { request: 'register', type: 'guest',
			    username: `sip:${this.user}@127.0.0.1` });
	}
	get up() {
		return this.accepted && this.connected && this.rx.size > 0;
	}
	onJanus(m) {
		if (m.janus === 'event')
			this.onEvent(m.plugindata?.data || {}, m.jsep).catch((e) =>
			    this.errors.push(`event: ${e.message}`));
		else if (m.janus === 'hangup' && !this.hungup && this.accepted)
			this.errors.push(`janus hangup: ${m.reason}`);
	}
	async onEvent(d, jsep) {
		const ev = MODE === 'hotline' ? d.event : d.result?.event;
		if (d.error_code || ev === 'error') {
			this.errors.push(`${d.error_code} ${d.error}`);
			return;
		}
		switch (ev) {
		case 'logged_in':
		case 'registered':
			this.ready = true;
			break;
		case 'incoming': {		/* hotline: answer the offer */
			this.newPc();
			await this.pc.setRemoteDescription(jsep);
			// werift answers recvonly unless told it has audio to send.
			this.pc.getTransceivers()[0].setDirection('sendrecv');
			const answer = await this.pc.createAnswer();
			await this.pc.setLocalDescription(answer);
			send(this, { request: 'accept', call_id: d.call_id },
			    { type: 'answer', sdp: this.pc.localDescription.sdp, trickle: false });
			break;
		}
		case 'accepted':
			if (MODE === 'stock') {
				await this.pc.setRemoteDescription(jsep);
				send(this, { request: 'recording', action: 'start',
				    audio: true, peer_audio: true,
				    filename: path.join(WORK, 'rec', `call${this.i}`) });
			}
			this.accepted = true;
			break;
		case 'recordingupdated':
			this.recording = true;
			break;
		case 'hangup':
			this.hungup = true;
			break;
		}
	}
	newPc() {
		const pc = this.pc = new RTCPeerConnection(PC_CONFIG);
		pc.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => {
			const t = now();
			const m = readPayload(rtp.payload);
			if (!m) {
				this.foreign++;
				return;
			}
			let st = this.rx.get(m.streamId);
			if (!st)
				this.rx.set(m.streamId, st = new StreamStats());
			st.add(m, t);
		}));
		pc.connectionStateChange.subscribe((s) => {
			if (s === 'connected' && !this.connected) {
				this.connected = true;
				this.startMedia();
			}
		});
		return pc;
	}
	startMedia() {
		const sender = this.pc.getTransceivers()[0].sender;
		const ssrc = (Math.random() * 2 ** 32) >>> 0;
		this.stream = pacer.add((counter, nominal, stats) => {
			const sendNs = now();
			const header = new RtpHeader({ payloadType: 8, ssrc,
			    sequenceNumber: this.seq = (this.seq + 1) & 0xffff,
			    timestamp: (counter * 160) >>> 0 });
			sender.sendRtp(new RtpPacket(header, makePayload(this.i, counter, sendNs)))
			    .catch(() => {});
			stats.add(nominal, sendNs);
		});
	}
	async call() {			/* stock: an outbound call to the SIPp UAS */
		const pc = this.newPc();
		pc.addTransceiver('audio', { direction: 'sendrecv' });
		await pc.setLocalDescription(await pc.createOffer());
		send(this, { request: 'call', uri: ENV.BENCH_UAS },
		    { type: 'offer', sdp: pc.localDescription.sdp, trickle: false });
	}
	hangup() {
		this.stream?.stop();
		if (this.accepted && !this.hungup)
			send(this, { request: 'hangup' });
	}
	report() {
		return { agent: this.i, ready: this.ready, accepted: this.accepted,
		    up_at_window: !!this.upAtWindow,
		    connected: this.connected, hungup: this.hungup,
		    recording: this.recording, errors: this.errors,
		    foreign_packets: this.foreign,
		    source: this.stream ? this.stream.stats.summary() : null,
		    received: [...this.rx].map(([id, st]) => ({ from: id, ...st.summary() })) };
	}
}

// ---- CPU ------------------------------------------------------------------
const TICK = 100;	/* USER_HZ on Linux */
function procCpu(pid) {
	try {
		const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const v = f.slice(f.lastIndexOf(')') + 2).split(' ');
		return (Number(v[11]) + Number(v[12])) / TICK;	/* utime + stime, s */
	} catch {
		return null;
	}
}
function machineCpu() {
	const v = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	const idle = v[3] + v[4];
	return { busy: (v.reduce((x, y) => x + y, 0) - idle) / TICK, total: v.reduce((x, y) => x + y, 0) / TICK };
}
function sample() {
	const pids = { janus: Number(ENV.JANUS_PID), agents: process.pid };
	try {
		for (const l of fs.readFileSync(path.join(WORK, 'pids'), 'utf8').split('\n')) {
			const [name, pid] = l.trim().split(/\s+/);
			if (name && pid)
				pids[name] = Number(pid);
		}
	} catch { /* no other processes listed */ }
	const s = { at: Number(now()) / 1e9, machine: machineCpu(), procs: {}, pids,
	    threads: janusThreads(pids.janus), udp: udpDrops() };
	for (const [name, pid] of Object.entries(pids))
		s.procs[name] = procCpu(pid);
	return s;
}
// Datagrams the kernel dropped because a socket's receive buffer was full,
// by who owns the socket (ports set in bench-run.sh; the namespace is this
// round's own).  Tells a slow reader from a loss on the way.
function udpOwner(port) {
	if (port >= 30000 && port <= 30999)
		return 'janus-webrtc';
	if ((port >= 32000 && port <= 39999) || (port >= 42000 && port <= 44999))
		return 'plugin-rtp';
	if (port >= 40000 && port <= 40999)
		return 'trunk';
	if (port >= 15000 && port <= 19999)
		return 'sip';
	return 'agents';
}
function udpDrops() {
	const d = {};
	for (const l of fs.readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
		const f = l.trim().split(/\s+/);
		if (f.length < 13)
			continue;
		const key = `${udpOwner(parseInt(f[1].split(':')[1], 16))}`;
		d[key] = (d[key] || 0) + Number(f[12]);
	}
	return d;
}
// Janus's CPU by thread name (digits dropped: "hl-rtp-32004" -> "hl-rtp-"),
// to see where a plugin's time goes.
function janusThreads(pid) {
	const t = {};
	try {
		for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
			let name;
			try {
				name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
			} catch {
				continue;
			}
			t[tid] = { name: name.replace(/\d+/g, '#'), cpu: procCpu(`${pid}/task/${tid}`) };
		}
	} catch { /* gone */ }
	return t;
}
// bench-trunk.mjs reads the bound from trunk.json.start / .end.
function signalTrunk(s, name, ns, sig) {
	try {
		fs.writeFileSync(path.join(WORK, `trunk.json.${name}`), `${ns}\n`);
		process.kill(s.pids.trunk, sig);
	} catch (e) {
		log(`cannot signal the trunk: ${e.message}`);
	}
}
function cpuWindow(a, b) {
	const wall = b.at - a.at;
	const procs = {};
	for (const k of Object.keys(a.procs))
		if (a.procs[k] !== null && b.procs[k] !== null)
			procs[k] = b.procs[k] - a.procs[k];
	const threads = {};
	for (const [tid, t] of Object.entries(b.threads)) {
		const d = t.cpu - (a.threads[tid]?.cpu ?? 0);
		threads[t.name] = (threads[t.name] || 0) + d;
	}
	const udp = {};
	for (const k of Object.keys(b.udp))
		udp[k] = b.udp[k] - (a.udp[k] || 0);
	return { wall_s: wall, procs_s: procs, janus_threads_s: threads, udp_drops: udp,
	    machine_busy_s: b.machine.busy - a.machine.busy,
	    machine_total_s: b.machine.total - a.machine.total };
}

// ---- the run --------------------------------------------------------------
const t0 = Date.now();
for (let i = 0; i < N; i++)
	agents.push(new Agent(i));
for (let i = 0; i < N; i += 10)
	await Promise.all(agents.slice(i, i + 10).map((a) => a.start()));
const keepalive = setInterval(() => {
	for (const a of agents)
		if (a.session)
			wsSend({ janus: 'keepalive', session_id: a.session,
			    transaction: `t${++txn}` });
}, 20000);
const until = async (cond, ms) => {
	const end = Date.now() + ms;
	while (!cond() && Date.now() < end)
		await sleep(100);
	return cond();
};
if (!await until(() => agents.every((a) => a.ready), 20000))
	log(`only ${agents.filter((a) => a.ready).length}/${N} agents ready: ` +
	    JSON.stringify(agents.find((a) => !a.ready).errors));
const tReady = Date.now();
if (MODE === 'hotline') {
	console.log('READY');		/* bench-run.sh starts the callers */
} else {
	for (const a of agents.filter((x) => x.ready)) {
		a.call().catch((e) => a.errors.push(`call: ${e.message}`));
		await sleep(1000 / CALL_RATE);
	}
}
await until(() => agents.every((a) => a.up), RAMP_TIMEOUT_MS);
const tUp = Date.now();
const upCount = agents.filter((a) => a.up).length;
for (const a of agents)
	a.upAtWindow = a.up;
log(`${upCount}/${N} calls up ${((tUp - tReady) / 1000).toFixed(1)} s after the agents were ready`);
await sleep(SETTLE_S * 1000);
// The window: media statistics count the packets sent inside it, on both
// sides (the trunk is told by signal), and CPU is measured over it.
const s0 = sample();
window.start = now();
signalTrunk(s0, 'start', window.start, 'SIGUSR1');
console.log('WINDOW');		/* bench-run.sh may capture (BENCH_WIRE) */
await sleep(TALK_S * 1000);
window.end = now();
signalTrunk(s0, 'end', window.end, 'SIGUSR2');
const s1 = sample();
const upAtEnd = agents.filter((a) => a.up).length;
// Packets sent just before the end are still on their way: give them a
// second (one later than that is as good as lost for a conversation).
await sleep(1000);
for (const a of agents)
	a.hangup();
pacer.close();
await until(() => agents.every((a) => !a.accepted || a.hungup), 15000);
clearInterval(keepalive);
for (const a of agents)
	await a.pc?.close().catch(() => {});
fs.writeFileSync(path.join(WORK, 'agents.json'), JSON.stringify({
	mode: MODE, n: N, talk_s: TALK_S, up_before_window: upCount,
	up_at_window_end: upAtEnd, ramp_s: (tUp - tReady) / 1000,
	setup_s: (tReady - t0) / 1000, cpu: cpuWindow(s0, s1),
	agents: agents.map((a) => a.report()) }));
closing = true;
for (const a of agents)
	if (a.session)
		wsSend({ janus: 'destroy', session_id: a.session, transaction: `t${++txn}` });
await sleep(500);
ws.close();
process.exit(0);
