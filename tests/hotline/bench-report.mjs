// One line of the hotline bench from what one round left in $WORK:
// agents.json (bench-agents.mjs), trunk.json (bench-trunk.mjs), and the
// recordings (hotline: call events in the spool + stereo WAVs; stock: the
// SIP plugin's .mjr files).  Appends the figures as one JSON line to
// $BENCH_RESULTS.   Usage: node bench-report.mjs MODE N
// Exit 0 iff every call completed (up, media both ways, hung up, recorded).

import fs from 'node:fs';
import path from 'node:path';
import { percentile } from './bench-rtp.mjs';

const [MODE, N] = [process.argv[2], Number(process.argv[3])];
const WORK = process.env.WORK;
const VAR_DIR = path.join(WORK, 'var');
const read = (f) => JSON.parse(fs.readFileSync(path.join(WORK, f), 'utf8'));
const TRUNK_IDS = 100000;
// A packet later than this would miss a phone's or browser's jitter buffer
// (its delay is sampled on every 10th packet).
const LATE_MS = 200;

let A, T;
try {
	A = read('agents.json');
	T = read('trunk.json');
} catch (e) {
	console.log(`bench ${MODE} N=${N}: no report (${e.message}) -> FAILED`);
	fs.appendFileSync(process.env.BENCH_RESULTS, JSON.stringify({ mode: MODE, n: N, failed: true }) + '\n');
	process.exit(1);
}

// ---- recordings -----------------------------------------------------------
// Hotline: each answered call's WAV is stereo 8 kHz, both channels audible,
// at least the measured talk long.
function wavOk(file) {
	let b;
	try {
		b = fs.readFileSync(file);
	} catch {
		return false;
	}
	const ch = b.readUInt16LE(22), rate = b.readUInt32LE(24), dlen = b.readUInt32LE(40);
	const frames = Math.floor(Math.min(dlen, b.length - 44) / 4);
	const sq = [0, 0];
	let n = 0;
	for (let f = 0; f < frames; f += 4, n++) {
		const l = b.readInt16LE(44 + f * 4), r = b.readInt16LE(46 + f * 4);
		sq[0] += l * l;
		sq[1] += r * r;
	}
	const rms = sq.map((s) => Math.sqrt(s / Math.max(1, n)));
	return ch === 2 && rate === 8000 && frames / rate >= A.talk_s &&
	    rms[0] > 300 && rms[1] > 300;
}
const recorded = new Set();	/* agent indexes with a good recording */
if (MODE === 'hotline') {
	const dir = path.join(VAR_DIR, 'spool/call-events');
	for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
		const ev = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
		const i = /^bench(\d+)$/.exec(ev.agent_user_id || '');
		if (ev.disposition === 'answered' && ev.recording && i &&
		    wavOk(path.join(VAR_DIR, 'recordings', ev.recording)))
			recorded.add(Number(i[1]));
	}
} else {
	// Stock: one .mjr per direction, each holding at least the talk's
	// packets (160-byte payloads, 50 a second).
	const min = A.talk_s * 50 * 160;
	for (const a of A.agents) {
		const files = fs.readdirSync(path.join(WORK, 'rec')).filter((f) =>
		    f.startsWith(`call${a.agent}-`) && f.endsWith('.mjr'));
		if (files.length === 2 && files.every((f) =>
		    fs.statSync(path.join(WORK, 'rec', f)).size >= min))
			recorded.add(a.agent);
	}
}

// ---- media ----------------------------------------------------------------
// Loss in the window = packets the sender sent inside it that its receiver
// never got (a stream that stopped counts whole), over the calls that were
// up when the window started.  Jitter and delay from the receivers' stats.
const trunkSent = new Map(T.ends.filter((e) => e.source).map((e) =>
    [TRUNK_IDS + e.call, e.source.sent_window]));
const trunkRx = new Map();	/* agent stream id -> [stats] at the trunk */
for (const e of T.ends)
	for (const r of e.received)
		if (r.from < TRUNK_IDS)
			trunkRx.set(r.from, [...(trunkRx.get(r.from) || []), r]);
const upAgents = A.agents.filter((a) => a.up_at_window);
const mean = (a) => a.length ? a.reduce((x, y) => x + y, 0) / a.length : 0;
function direction(pairs) {	/* [{ sent, streams: [stats], sourceJitter }] */
	const d = { sent: 0, received: 0, callExpected: 0, callLost: 0, rfc: [], path: [],
	    src: [], delays: [] };
	for (const p of pairs) {
		d.sent += p.sent;
		d.src.push(p.sourceJitter);
		for (const st of p.streams) {
			d.received += st.received;
			d.callExpected += st.call.expected;
			d.callLost += st.call.lost;
			d.rfc.push(st.jitter_rfc_ms);
			d.path.push(st.jitter_path_ms);
			d.delays.push(...st.delays_ms);
		}
	}
	const lost = Math.max(0, d.sent - d.received);
	return { calls: pairs.length, sent: d.sent, received: d.received, lost,
	    loss_pct: d.sent ? 100 * lost / d.sent : 100,
	    call_expected: d.callExpected, call_lost: d.callLost,
	    call_loss_pct: d.callExpected ? 100 * d.callLost / d.callExpected : 100,
	    jitter_rfc_ms: mean(d.rfc), jitter_source_ms: mean(d.src),
	    jitter_path_ms: mean(d.path), delay_p50_ms: percentile(d.delays, 50),
	    late_pct: d.delays.length ? 100 * d.delays.filter((x) => x > LATE_MS).length /
	    d.delays.length : 0,
	    delay_p99_ms: percentile(d.delays, 99) };
}
const srcJitter = new Map(T.ends.filter((e) => e.source).map((e) =>
    [TRUNK_IDS + e.call, e.source.jitter_source_ms]));
const toAgent = direction(upAgents.map((a) => {
	const rx = a.received.filter((r) => r.from >= TRUNK_IDS)
	    .sort((x, y) => y.received - x.received)[0];
	return { sent: rx ? trunkSent.get(rx.from) || 0 : 0, streams: rx ? [rx] : [],
	    sourceJitter: rx ? srcJitter.get(rx.from) : 0 };
}));
const toCaller = direction(upAgents.map((a) => ({
	sent: a.source ? a.source.sent_window : 0, streams: trunkRx.get(a.agent) || [],
	sourceJitter: a.source ? a.source.jitter_source_ms : 0 })));
const heardByTrunk = new Set(trunkRx.keys());

let completed = 0;
const why = {};
for (const a of A.agents) {
	const miss = !a.accepted ? 'not answered' : !a.connected ? 'no WebRTC' :
	    !a.received.some((r) => r.from >= TRUNK_IDS) ? 'no caller audio' :
	    !heardByTrunk.has(a.agent) ? 'no agent audio at the trunk' :
	    !a.hungup ? 'no hangup' : !recorded.has(a.agent) ? 'no recording' : null;
	if (miss)
		why[miss] = (why[miss] || 0) + 1;
	else
		completed++;
}

// ---- CPU ------------------------------------------------------------------
const c = A.cpu;
const calls = A.up_before_window;
const janusS = c.procs_s.janus ?? NaN;
const ours = Object.values(c.procs_s).reduce((x, y) => x + y, 0);
const pct = (s) => 100 * s / c.wall_s;
const row = {
	mode: MODE, n: N, completed, why, calls_in_window: calls, talk_s: A.talk_s,
	ramp_s: A.ramp_s, to_agent: toAgent, to_caller: toCaller,
	cpu_wall_s: c.wall_s, cpu_s: c.procs_s,
	janus_pct_core: pct(janusS),
	janus_ms_per_call_s: calls ? 1000 * janusS / (calls * c.wall_s) : NaN,
	machine_busy_pct: 100 * c.machine_busy_s / c.machine_total_s * 2,
	others_pct_core: pct(c.machine_busy_s - ours),
	load: fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
};
fs.appendFileSync(process.env.BENCH_RESULTS, JSON.stringify(row) + '\n');

const f = (x, d = 2) => Number.isFinite(x) ? x.toFixed(d) : '-';
const procs = Object.entries(c.procs_s).filter(([k]) => k !== 'janus')
    .map(([k, v]) => `${k} ${f(pct(v), 0)}%`).join(', ');
console.log(`bench ${MODE.padEnd(7)} N=${String(N).padStart(3)}: completed ${completed}/${N}` +
    (Object.keys(why).length ? ` (${Object.entries(why).map(([k, v]) => `${v} ${k}`).join(', ')})` : '') +
    `; loss caller->agent ${f(toAgent.loss_pct, 3)}% agent->caller ${f(toCaller.loss_pct, 3)}%` +
    ` (whole calls ${f(toAgent.call_loss_pct, 3)}%/${f(toCaller.call_loss_pct, 3)}%)` +
    `; jitter ms (caller->agent / agent->caller): rfc3550 ${f(toAgent.jitter_rfc_ms)}/${f(toCaller.jitter_rfc_ms)}` +
    `, source ${f(toAgent.jitter_source_ms)}/${f(toCaller.jitter_source_ms)}` +
    `, added ${f(toAgent.jitter_path_ms)}/${f(toCaller.jitter_path_ms)}` +
    `; delay p99 ${f(toAgent.delay_p99_ms, 1)}/${f(toCaller.delay_p99_ms, 1)} ms` +
    ` (over ${LATE_MS} ms: ${f(toAgent.late_pct, 1)}%/${f(toCaller.late_pct, 1)}%)` +
    `; Janus CPU ${f(row.janus_ms_per_call_s)} ms per call-second (${f(row.janus_pct_core, 0)}% of a core for ${calls} calls)` +
    `; ${procs}, others ${f(row.others_pct_core, 0)}%`);
if (c.udp_drops && Object.values(c.udp_drops).some((v) => v > 0))
	console.log(`  UDP receive-buffer drops in the window: ` + Object.entries(c.udp_drops)
	    .filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(', '));
if (c.janus_threads_s)
	console.log(`  Janus threads (% of a core): ` + Object.entries(c.janus_threads_s)
	    .filter(([, v]) => v > 0).sort((x, y) => y[1] - x[1]).slice(0, 8)
	    .map(([k, v]) => `${k} ${f(pct(v), 1)}`).join(', '));
if (c.wall_s > 1.2 * A.talk_s)
	console.log(`  warning: the ${A.talk_s} s window took ${f(c.wall_s, 1)} s: ` +
	    'the agents\' event loop was starved (machine overloaded)');
process.exit(completed === N ? 0 : 1);
