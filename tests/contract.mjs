// The Kore <-> janus.plugin.hotline contract (docs/hotline-api.md,
// "Contract"), written a third time for the tests, with node:crypto only,
// so integration and hotline tests can sign and check what both sides do.
import crypto from 'node:crypto';
import fs from 'node:fs';

export const TOKEN_TTL = 300;

// The secret file by the contract's rule: trimmed of space, tab, CR, LF.
export function readSecret(file) {
	return fs.readFileSync(file, 'latin1').replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

// key(P) = HMAC-SHA256(secret, "tongdai1022 " + P), 32 bytes.
export function hotlineKey(secret, purpose) {
	return crypto.createHmac('sha256', Buffer.from(secret, 'latin1'))
	    .update(`tongdai1022 ${purpose}`).digest();
}

export const hmacHex = (key, data) => crypto.createHmac('sha256', key).update(data).digest('hex');

// [supervisor.]user.sid.nonce.expires.mac; a fresh nonce unless given.
export function agentToken(secret, userId, { supervisor = false, sid = '0'.repeat(16),
    nonce = crypto.randomBytes(16).toString('hex'),
    expires = Math.floor(Date.now() / 1000) + TOKEN_TTL } = {}) {
	const payload = `${supervisor ? 'supervisor.' : ''}${userId}.${sid}.${nonce}.${expires}`;
	return `${payload}.${hmacHex(hotlineKey(secret, 'agent-token'), payload)}`;
}

// Janus's signed token: expires,janus,plugin[,plugin]:base64(HMAC-SHA1(hex key, data)).
export function janusToken(secret, { plugins = ['janus.plugin.hotline'],
    expires = Math.floor(Date.now() / 1000) + 3600 } = {}) {
	const data = [String(expires), 'janus', ...plugins].join(',');
	const k = hotlineKey(secret, 'janus-token').toString('hex');
	return `${data}:${crypto.createHmac('sha1', k).update(data).digest('base64')}`;
}
