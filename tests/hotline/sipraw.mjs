// A bare SIP user agent over UDP for the tests that play an attacker:
// what SIPp cannot do on purpose (hold back an ACK, replay an
// Authorization header word for word, send from a chosen address).
import crypto from 'node:crypto';
import dgram from 'node:dgram';

const rand = () => crypto.randomBytes(6).toString('hex');
const md5 = (s) => crypto.createHash('md5').update(s).digest('hex');

// Parses one SIP message: { status, method, headers (lower-case name ->
// [values]), body }.
export function parseSip(buf) {
	const text = buf.toString('utf8');
	const cut = text.indexOf('\r\n\r\n');
	const head = (cut < 0 ? text : text.slice(0, cut)).split('\r\n');
	const body = cut < 0 ? '' : text.slice(cut + 4);
	const first = head.shift() || '';
	const m = /^SIP\/2\.0 (\d{3})/.exec(first);
	const headers = {};
	for (const line of head) {
		const i = line.indexOf(':');
		if (i < 0)
			continue;
		const name = line.slice(0, i).trim().toLowerCase();
		(headers[name] ||= []).push(line.slice(i + 1).trim());
	}
	return { status: m ? Number(m[1]) : 0, method: m ? null : first.split(' ')[0],
	    headers, body, first };
}
const header = (msg, name) => (msg.headers[name] || [])[0] || '';

export class SipUdp {
	// A socket on ip:port (port 0: any); to = { host, port } of the plugin.
	static async open(ip, port, to) {
		const u = new SipUdp();
		u.ip = ip;
		u.to = to;
		u.sock = dgram.createSocket('udp4');
		u.inbox = [];
		u.waiters = [];
		u.sock.on('message', (b) => {
			const msg = parseSip(b);
			u.inbox.push(msg);
			u.waiters = u.waiters.filter((w) => !w());
		});
		await new Promise((r) => u.sock.bind(port, ip, r));
		u.port = u.sock.address().port;
		return u;
	}

	send(text) {
		return new Promise((r) => this.sock.send(Buffer.from(text), this.to.port,
		    this.to.host, r));
	}

	// Waits for a message pred accepts (taken out of the inbox).
	next(pred, ms = 5000) {
		return new Promise((resolve, reject) => {
			const look = () => {
				const i = this.inbox.findIndex(pred);
				if (i < 0)
					return false;
				clearTimeout(timer);
				resolve(this.inbox.splice(i, 1)[0]);
				return true;
			};
			const timer = setTimeout(() => {
				this.waiters = this.waiters.filter((w) => w !== look);
				reject(new Error('no SIP answer in time'));
			}, ms);
			if (!look())
				this.waiters.push(look);
		});
	}

	// A final answer to the request with this Call-ID and CSeq method.
	final(callId, method, ms) {
		return this.next((m) => m.status >= 200 && header(m, 'call-id') === callId &&
		    header(m, 'cseq').endsWith(` ${method}`), ms);
	}

	request(method, { uri, callId, cseq, from, to, extra = [], body = '',
	    contentType } = {}) {
		const lines = [`${method} ${uri} SIP/2.0`,
		    `Via: SIP/2.0/UDP ${this.ip}:${this.port};branch=z9hG4bK-${rand()};rport`,
		    'Max-Forwards: 70', `From: ${from}`, `To: ${to}`, `Call-ID: ${callId}`,
		    `CSeq: ${cseq} ${method}`, ...extra];
		if (contentType)
			lines.push(`Content-Type: ${contentType}`);
		lines.push(`Content-Length: ${Buffer.byteLength(body)}`, '', body);
		return this.send(lines.join('\r\n'));
	}

	close() {
		this.sock.close();
	}
}

// A call from the "trunk" (this socket) with audio expected at rtpPort.
// Resolves after the final answer: { answer, port (ours to send RTP to),
// ack(), bye() }.
export async function invite(u, { caller = '0907000001', rtpIp = u.ip, rtpPort, extra = [] }) {
	const callId = `${rand()}@${u.ip}`;
	const from = `<sip:${caller}@${u.ip}:${u.port}>;tag=${rand()}`;
	const toBare = `<sip:1022@${u.to.host}:${u.to.port}>`;
	const uri = `sip:1022@${u.to.host}:${u.to.port}`;
	const sdp = ['v=0', `o=t 1 1 IN IP4 ${rtpIp}`, 's=-', `c=IN IP4 ${rtpIp}`, 't=0 0',
	    `m=audio ${rtpPort} RTP/AVP 8`, 'a=rtpmap:8 PCMA/8000', 'a=sendrecv', ''].join('\r\n');
	await u.request('INVITE', { uri, callId, cseq: 1, from, to: toBare,
	    extra: [`Contact: <sip:${caller}@${u.ip}:${u.port}>`, ...extra], body: sdp,
	    contentType: 'application/sdp' });
	const answer = await u.final(callId, 'INVITE');
	const to = header(answer, 'to');
	const m = /m=audio (\d+)/.exec(answer.body);
	return {
		answer, callId, port: m ? Number(m[1]) : 0,
		ack: () => u.request('ACK', { uri, callId, cseq: 1, from, to }),
		// Waits for the plugin's BYE and answers it 200.
		byeFromPeer: async (ms) => {
			const m = await u.next((x) => x.method === 'BYE' &&
			    header(x, 'call-id') === callId, ms);
			await u.send(['SIP/2.0 200 OK', ...(m.headers.via || []).map((v) => `Via: ${v}`),
			    `From: ${header(m, 'from')}`, `To: ${header(m, 'to')}`,
			    `Call-ID: ${callId}`, `CSeq: ${header(m, 'cseq')}`, 'Content-Length: 0', '', '']
			    .join('\r\n'));
			return m;
		},
		bye: async () => {
			await u.request('BYE', { uri, callId, cseq: 2, from, to });
			return u.final(callId, 'BYE').catch(() => null);
		},
	};
}

// RTP packets (PCMA, 20 ms) from a socket to host:port.
export async function sendRtp(sock, host, port, count, { ssrc = 0x1234, seq = 0,
    fill = 0xd5 } = {}) {
	for (let i = 0; i < count; i++) {
		const b = Buffer.alloc(12 + 160, fill);
		b[0] = 0x80;
		b[1] = 8;
		b.writeUInt16BE((seq + i) & 0xffff, 2);
		b.writeUInt32BE(((seq + i) * 160) >>> 0, 4);
		b.writeUInt32BE(ssrc >>> 0, 8);
		await new Promise((r) => sock.send(b, port, host, r));
	}
}

// The digest of a REGISTER (qop=auth when the challenge asks for it).
export function digestAuth({ challenge, user, password, method = 'REGISTER', uri,
    nc = 1, cnonce = rand() }) {
	const p = {};
	for (const m of challenge.replace(/^Digest\s+/i, '').matchAll(
	    /(\w+)=("([^"]*)"|[^,\s]*)/g))
		p[m[1].toLowerCase()] = m[3] !== undefined ? m[3] : m[2];
	const ha1 = md5(`${user}:${p.realm}:${password}`);
	const ha2 = md5(`${method}:${uri}`);
	const ncs = nc.toString(16).padStart(8, '0');
	const qop = p.qop && p.qop.split(',').map((x) => x.trim()).includes('auth') ? 'auth' : null;
	const response = qop ? md5(`${ha1}:${p.nonce}:${ncs}:${cnonce}:${qop}:${ha2}`) :
	    md5(`${ha1}:${p.nonce}:${ha2}`);
	let h = `Digest username="${user}", realm="${p.realm}", nonce="${p.nonce}", ` +
	    `uri="${uri}", response="${response}", algorithm=MD5`;
	if (qop)
		h += `, qop=${qop}, nc=${ncs}, cnonce="${cnonce}"`;
	if (p.opaque !== undefined)
		h += `, opaque="${p.opaque}"`;
	return h;
}

// REGISTER ext from this socket; auth(challenge) -> Authorization value or
// null for none.  Resolves with the final answer.
export async function register(u, { ext, contactPort = u.port, expires = 300, auth,
    callId = `${rand()}@${u.ip}`, cseq = 1, uri = `sip:${u.to.host}:${u.to.port}` }) {
	const aor = `<sip:${ext}@${u.to.host}>`;
	const extra = [`Contact: <sip:${ext}@${u.ip}:${contactPort}>`, `Expires: ${expires}`];
	if (auth)
		extra.push(`Authorization: ${auth}`);
	await u.request('REGISTER', { uri, callId, cseq, from: `${aor};tag=${rand()}`, to: aor,
	    extra });
	return u.final(callId, 'REGISTER');
}
export { header };
