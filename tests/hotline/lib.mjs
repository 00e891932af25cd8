// Helpers shared by the hotline tests (e2e.mjs, console.mjs): TAP output,
// polling, SIPp runs and reading the plugin's WAV recordings.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');

// ---- TAP (at column 0; the count goes on across files of one run) -------
export const tap = { no: Number(process.env.TAP_START || 0), failed: 0 };
export function ok(cond, what, detail) {
	tap.no++;
	if (cond) {
		console.log(`ok ${tap.no} - ${what}`);
	} else {
		tap.failed++;
		console.log(`not ok ${tap.no} - ${what}`);
		if (detail !== undefined)
			for (const l of String(typeof detail === 'string' ? detail :
			    JSON.stringify(detail)).split('\n'))
				console.log(`# ${l}`);
	}
	return cond;
}
export const note = (s) => console.log(`# ${s}`);

// Calls fn until it returns something truthy; throws after ms.
export async function waitFor(fn, ms, what) {
	const end = Date.now() + ms;
	let last;
	for (;;) {
		try {
			last = await fn();
			if (last)
				return last;
		} catch (e) {
			last = e;
		}
		if (Date.now() > end)
			throw new Error(`timed out after ${ms} ms waiting for ${what}` +
			    (last instanceof Error ? `: ${last.message}` : ''));
		await new Promise((r) => setTimeout(r, 100));
	}
}
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- SIPp ---------------------------------------------------------------
export const children = new Set();
let sippCtl = 19000;
// Runs one SIPp scenario of tests/hotline/sipp to its end against the
// plugin on sipPort; resolves with { code, out }.
export function sipp(scenario, { sipPort, ip = '127.0.0.1', port, mport, timeout = 60,
    uas = false, extra = [], ctl } = {}) {
	const work = process.env.WORK || '/tmp';
	const base = `sipp-${path.basename(scenario, '.xml')}-${port}`;
	const args = ['-sf', scenario, ...(uas ? [] : ['-s', '1022', `127.0.0.1:${sipPort}`]),
	    ...extra, '-m', '1', '-i', ip, '-mi', ip, '-p', String(port),
	    '-cp', String(ctl || sippCtl++), '-nostdin', '-trace_err', '-error_file',
	    path.join(work, `${base}.log`), '-trace_msg', '-message_file',
	    path.join(work, `${base}.msg`),
	    '-timeout', `${timeout}s`, '-timeout_error', '-recv_timeout', `${timeout * 1000}`];
	if (mport)
		args.push('-mp', String(mport));
	return new Promise((resolve) => {
		const p = spawn('sipp', args, { cwd: path.join(HERE, 'sipp'),
		    stdio: ['ignore', 'pipe', 'pipe'] });
		children.add(p);
		let out = '';
		p.stdout.on('data', (d) => { out += d; });
		p.stderr.on('data', (d) => { out += d; });
		p.on('close', (code) => { children.delete(p); resolve({ code, out }); });
	});
}

// Resolves once something listens on UDP port (a SIPp UAS ready for calls:
// an INVITE sent before that comes back 503).
export function udpListening(port, ms = 5000) {
	const hex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
	return waitFor(() => fs.readFileSync('/proc/net/udp', 'utf8').split('\n').some(
	    (l) => (l.trim().split(/\s+/)[1] || '').endsWith(hex)), ms, `SIPp on ${port}`);
}

// ---- WAV ----------------------------------------------------------------
// 16-bit PCM from a file or a Buffer; returns { channels, rate, seconds,
// rms: [l, r], tailRms (last 2 s) }.
export function readWav(file) {
	const b = Buffer.isBuffer(file) ? file : fs.readFileSync(file);
	if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE')
		throw new Error('not a WAV file');
	const channels = b.readUInt16LE(22), rate = b.readUInt32LE(24);
	const bits = b.readUInt16LE(34), dataLen = b.readUInt32LE(40);
	const frames = dataLen / (channels * 2);
	const sum = [0, 0], tail = [0, 0], tailFrom = Math.max(0, frames - 2 * rate);
	for (let i = 0; i < frames; i++)
		for (let c = 0; c < channels && c < 2; c++) {
			const v = b.readInt16LE(44 + (i * channels + c) * 2);
			sum[c] += v * v;
			if (i >= tailFrom)
				tail[c] += v * v;
		}
	const tailRms = tail.map((s) => Math.sqrt(s / Math.max(1, frames - tailFrom)));
	return { channels, rate, bits, seconds: frames / rate,
	    fileOk: b.length === 44 + dataLen,
	    rms: sum.map((s) => Math.sqrt(s / Math.max(1, frames))), tailRms };
}

// ---- Chromium -----------------------------------------------------------
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic',
    '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-dev-shm-usage',
    '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
    '--autoplay-policy=no-user-gesture-required'];

// Runs before a page's own scripts: keeps every RTCPeerConnection the page
// makes, so a test can read its RTP statistics.
export function capturePeerConnections() {
	const Orig = window.RTCPeerConnection;
	window.__pcs = [];
	window.RTCPeerConnection = class extends Orig {
		constructor(...args) {
			super(...args);
			window.__pcs.push(this);
		}
	};
	window.__rtpStats = async () => {
		const out = { received: 0, sent: 0, codec: '' };
		for (const pc of window.__pcs) {
			if (pc.connectionState === 'closed')
				continue;
			(await pc.getStats()).forEach((r) => {
				if (r.type === 'inbound-rtp' && r.kind === 'audio')
					out.received += r.packetsReceived || 0;
				if (r.type === 'outbound-rtp' && r.kind === 'audio')
					out.sent += r.packetsSent || 0;
				if (r.type === 'codec' && /audio/.test(r.mimeType))
					out.codec = r.mimeType;
			});
		}
		return out;
	};
}
