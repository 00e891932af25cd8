// The trunk's media for the hotline bench: N plain-RTP endpoints, one per
// call, while SIPp does the SIP (its SDP names these ports, read from the
// injection file written here).  Each endpoint answers the first RTP it
// receives (the plugin's greeting, or the first relayed packet) by sending
// its own paced, marked A-law stream back to where that came from
// (symmetric RTP), and keeps the statistics of the marked streams it
// receives (bench-rtp.mjs).  SIGUSR1/SIGUSR2: the measured window starts,
// ends.  SIGTERM: stop, write the JSON report, exit.
//
// Usage: node bench-trunk.mjs N BASE_PORT INJECTION_CSV REPORT_JSON
// Prints "READY" once every port is bound.

import dgram from 'node:dgram';
import fs from 'node:fs';
import { Pacer, StreamStats, makePayload, now, readPayload, window } from './bench-rtp.mjs';

const [N, BASE] = [Number(process.argv[2]), Number(process.argv[3])];
const [CSV, REPORT] = [process.argv[4], process.argv[5]];
// Stream ids of this side: 100000 + call index (agents use their index).
const ID_BASE = 100000;

const pacer = new Pacer();
const ends = [];

function bind(port) {
	return new Promise((resolve, reject) => {
		const s = dgram.createSocket('udp4');
		s.once('error', reject);
		s.bind(port, '127.0.0.1', () => resolve(s));
	});
}

function startEnd(i, rtp, rtcp) {
	const e = { i, port: BASE + 2 * i, rtp, rtcp, remote: null, stream: null,
	    seq: Math.floor(Math.random() * 65536), ssrc: (Math.random() * 2 ** 32) >>> 0,
	    rx: new Map(), foreign: 0 };
	rtp.on('message', (msg, rinfo) => {
		const t = now();
		if (msg.length < 12 || (msg[0] & 0xc0) !== 0x80)
			return;
		if (!e.remote) {
			e.remote = { address: rinfo.address, port: rinfo.port };
			e.stream = pacer.add((counter, nominal, stats) => {
				const sendNs = now();
				// A new header each time: dgram may still hold the
				// last one (a send queued while the socket was busy).
				const header = Buffer.alloc(12);
				header[0] = 0x80;
				header[1] = 8;		/* PCMA */
				header.writeUInt16BE(e.seq = (e.seq + 1) & 0xffff, 2);
				header.writeUInt32BE((counter * 160) >>> 0, 4);
				header.writeUInt32BE(e.ssrc, 8);
				rtp.send([header, makePayload(ID_BASE + i, counter, sendNs)],
				    e.remote.port, e.remote.address);
				stats.add(nominal, sendNs);
			});
		}
		const cc = msg[0] & 0x0f, x = msg[0] & 0x10;
		let off = 12 + 4 * cc;
		if (x && msg.length >= off + 4)
			off += 4 + 4 * msg.readUInt16BE(off + 2);
		const m = readPayload(msg.subarray(off));
		if (!m) {
			e.foreign++;
			return;
		}
		let st = e.rx.get(m.streamId);
		if (!st)
			e.rx.set(m.streamId, st = new StreamStats());
		st.add(m, t);
	});
	rtcp.on('message', () => {});
	return e;
}

for (let i = 0; i < N; i++) {
	const port = BASE + 2 * i;
	try {
		ends.push(startEnd(i, await bind(port), await bind(port + 1)));
	} catch (err) {
		console.error(`bench-trunk: cannot bind 127.0.0.1:${port}: ${err.message}`);
		process.exit(1);
	}
}
fs.writeFileSync(CSV, 'SEQUENTIAL\n' + ends.map((e) => `${e.port};\n`).join(''));
console.log('READY');

// bench-agents.mjs marks the measured window.
const bound = (f) => BigInt(fs.readFileSync(`${REPORT}.${f}`, 'utf8').trim());
process.on('SIGUSR1', () => { window.start = bound('start'); });
process.on('SIGUSR2', () => { window.end = bound('end'); });

process.on('SIGTERM', () => {
	pacer.close();
	const report = ends.map((e) => ({
		call: e.i, port: e.port, remote: e.remote, foreign_packets: e.foreign,
		source: e.stream ? e.stream.stats.summary() : null,
		received: [...e.rx].map(([id, st]) => ({ from: id, ...st.summary() })),
	}));
	fs.writeFileSync(REPORT, JSON.stringify({ cpu: process.cpuUsage(), ends: report }));
	for (const e of ends) {
		e.rtp.close();
		e.rtcp.close();
	}
	process.exit(0);
});
