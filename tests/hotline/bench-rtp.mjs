// Bench media shared by both ends of a call (bench-trunk.mjs on the SIP
// side, bench-agents.mjs on the WebRTC side): a paced G.711 A-law stream
// whose payload carries a marker, and the statistics its receiver keeps.
//
// Marker (first 20 bytes of each 160-byte payload; the rest is a tone, so
// recordings stay audible): "HLB1", stream id (u32), packet counter (u32),
// send time (u64, ns of CLOCK_MONOTONIC = process.hrtime, the same clock in
// every process of the machine).  The plugins relay G.711 payloads
// untouched but may rewrite RTP headers (janus.plugin.hotline continues the
// trunk's sequence numbers), so loss and jitter are computed from the
// marker, never from the header.
//
// Three jitters, all RFC 3550's estimator J += (|D| - J) / 16, in ms:
//   rfc    at the receiver, D from the nominal send time (counter x 20 ms):
//          what a phone would report; includes the source's own pacing;
//   source at the sender, D from the nominal time to the actual send;
//   path   at the receiver, D from the actual send time: what the path
//          (kernel, Janus and the plugin, the receiver's event loop) adds.
// Each is averaged over the packets of a stream (mean of the running J).

export const PTIME_NS = 20_000_000n;
export const PAYLOAD_BYTES = 160;
const MAGIC = 0x484c4231;	/* "HLB1" */

// Linear 16-bit to A-law (ITU-T G.711).
function alaw(sample) {
	let mask = 0xd5;
	if (sample < 0) {
		mask = 0x55;
		sample = -sample - 1;
	}
	if (sample > 32635)
		sample = 32635;
	let seg = 0;
	for (let v = sample >> 8; v > 0 && seg < 7; v >>= 1)
		seg++;
	const mant = seg === 0 ? (sample >> 4) & 0x0f : (sample >> (seg + 3)) & 0x0f;
	return ((seg << 4) | mant) ^ mask;
}

// One 20 ms frame of a 400 Hz tone at about -12 dBFS (50 periods a second:
// every frame is the same, so it is computed once).
const TONE = Buffer.alloc(PAYLOAD_BYTES);
for (let i = 0; i < PAYLOAD_BYTES; i++)
	TONE[i] = alaw(Math.round(8000 * Math.sin(2 * Math.PI * 400 * i / 8000)));

export function makePayload(streamId, counter, sendNs) {
	const b = Buffer.from(TONE);
	b.writeUInt32BE(MAGIC, 0);
	b.writeUInt32BE(streamId >>> 0, 4);
	b.writeUInt32BE(counter >>> 0, 8);
	b.writeBigUInt64BE(sendNs, 12);
	return b;
}

// -> { streamId, counter, sendNs } or null for a payload without marker
// (hold music, prompts, anything not ours).
export function readPayload(b) {
	if (b.length < 20 || b.readUInt32BE(0) !== MAGIC)
		return null;
	return { streamId: b.readUInt32BE(4), counter: b.readUInt32BE(8),
	    sendNs: b.readBigUInt64BE(12) };
}

export const now = () => process.hrtime.bigint();
const ms = (ns) => Number(ns) / 1e6;

class Jitter {
	constructor() { this.j = 0; this.sum = 0; this.n = 0; this.prev = null; }
	add(transitNs) {		/* ns, a Number */
		if (this.prev !== null) {
			const d = Math.abs(transitNs - this.prev) / 1e6;
			this.j += (d - this.j) / 16;
			this.sum += this.j;
			this.n++;
		}
		this.prev = transitNs;
	}
	get mean() { return this.n ? this.sum / this.n : 0; }
}

// The measured window (CLOCK_MONOTONIC ns of the send time): set by
// bench-agents.mjs, which writes it to a file that bench-trunk.mjs reads
// on SIGUSR1/SIGUSR2, so both count exactly the same packets.  Senders
// and receivers keep every packet's times and decide what was in the
// window when they report (a signal may arrive late; the bounds do not
// move).  Figures are given for the window and for the whole call.
export const window = { start: null, end: null };
const inWindow = (sendNs) => window.start !== null && window.end !== null &&
    sendNs >= Number(window.start) && sendNs < Number(window.end);

class Received {
	constructor() {
		this.received = 0; this.late = 0; this.first = null; this.max = null;
		this.rfc = new Jitter(); this.path = new Jitter();
		this.delays = [];		/* one-way ms, every 10th packet */
		this.gaps = [];			/* [after counter, missing], first 20 */
	}
	add(counter, sendNs, arrNs, epochNs) {
		this.received++;
		if (this.first === null) {
			this.first = this.max = counter;
		} else if (counter > this.max) {
			if (counter > this.max + 1 && this.gaps.length < 20)
				this.gaps.push([this.max, counter - this.max - 1]);
			this.max = counter;
		} else {
			this.late++;
		}
		this.rfc.add(arrNs - (epochNs + counter * PTIME_MS_NS));
		this.path.add(arrNs - sendNs);
		if (counter % 10 === 0)
			this.delays.push((arrNs - sendNs) / 1e6);
	}
	summary() {
		const expected = this.first === null ? 0 : this.max - this.first + 1;
		return { received: this.received, expected,
		    lost: Math.max(0, expected - this.received), late: this.late,
		    jitter_rfc_ms: this.rfc.mean, jitter_path_ms: this.path.mean,
		    gaps: this.gaps, delays_ms: this.delays };
	}
}
const PTIME_MS_NS = Number(PTIME_NS);

// What one receiver saw of one sender's stream (ns as Numbers: exact
// below 2^53, i.e. for 104 days of uptime).
export class StreamStats {
	constructor() {
		this.seen = new Set(); this.duplicates = 0;
		this.counter = []; this.send = []; this.arr = [];
	}
	add(m, arrNs) {
		if (this.seen.has(m.counter)) {
			this.duplicates++;
			return;
		}
		this.seen.add(m.counter);
		this.counter.push(m.counter);
		this.send.push(Number(m.sendNs));
		this.arr.push(Number(arrNs));
	}
	summary() {
		const all = new Received(), win = new Received();
		if (this.counter.length) {
			/* nominal time of counter 0 */
			const epoch = this.send[0] - this.counter[0] * PTIME_MS_NS;
			for (let i = 0; i < this.counter.length; i++) {
				all.add(this.counter[i], this.send[i], this.arr[i], epoch);
				if (inWindow(this.send[i]))
					win.add(this.counter[i], this.send[i], this.arr[i], epoch);
			}
		}
		const call = all.summary();
		delete call.delays_ms;
		return { duplicates: this.duplicates, ...win.summary(), call };
	}
}

// A sender's view of its own pacing.
export class SourceStats {
	constructor() { this.nominal = []; this.send = []; }
	add(nominalNs, sendNs) {
		this.nominal.push(Number(nominalNs));
		this.send.push(Number(sendNs));
	}
	summary() {
		const src = new Jitter();
		let inside = 0;
		for (let i = 0; i < this.send.length; i++) {
			if (!inWindow(this.send[i]))
				continue;
			inside++;
			src.add(this.send[i] - this.nominal[i]);
		}
		return { sent: this.send.length, sent_window: inside,
		    jitter_source_ms: src.mean };
	}
}

// One clock for every stream of a process: every 20 ms each started stream
// sends the packets that are due (more than one after a late wake-up, as a
// sound card's clock would), with the counter of the nominal slot.
export class Pacer {
	constructor() {
		this.streams = new Set();
		this.t0 = now();
		this.tick = 0n;
		this.timer = null;
	}
	// send(counter, nominalNs) is called for each due packet.
	add(send) {
		const s = { send, startTick: null, stats: new SourceStats() };
		this.streams.add(s);
		if (!this.timer)
			this.schedule();
		return { stop: () => this.streams.delete(s), stats: s.stats };
	}
	schedule() {
		const next = this.t0 + (this.tick + 1n) * PTIME_NS;
		const wait = Math.max(0, ms(next - now()));
		this.timer = setTimeout(() => this.run(), wait);
	}
	run() {
		const due = (now() - this.t0) / PTIME_NS;
		while (this.tick < due) {
			this.tick++;
			const nominal = this.t0 + this.tick * PTIME_NS;
			for (const s of this.streams) {
				if (s.startTick === null)
					s.startTick = this.tick;
				const counter = Number(this.tick - s.startTick);
				s.send(counter, nominal, s.stats);
			}
		}
		if (this.streams.size)
			this.schedule();
		else
			this.timer = null;
	}
	close() {
		clearTimeout(this.timer);
		this.streams.clear();
		this.timer = null;
	}
}

// Percentile of an array of numbers (sorted in place).
export function percentile(a, p) {
	if (!a.length)
		return 0;
	a.sort((x, y) => x - y);
	return a[Math.min(a.length - 1, Math.floor(p / 100 * a.length))];
}
