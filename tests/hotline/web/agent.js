// A minimal operator console for tests: the same janus.js calls the real
// console makes.  The test drives it through window.agent.
'use strict';

window.agent = (function () {
	const a = {
		ready: false, error: null, events: [], incoming: null,
		autoAnswer: false, handle: null, janus: null, remoteTrack: false,
	};

	function log(ev) {
		a.events.push(ev);
		document.getElementById('status').textContent = JSON.stringify(ev);
	}

	// token: Janus's own (token_auth), as Kore would hand it out.
	a.connect = function (server, token) {
		Janus.init({ debug: false, callback: function () {
			a.janus = new Janus({
				server: server,
				token: token,
				success: attach,
				error: function (e) { a.error = String(e); },
			});
		}});
	};

	function attach() {
		a.janus.attach({
			plugin: 'janus.plugin.hotline',
			success: function (h) { a.handle = h; a.ready = true; },
			error: function (e) { a.error = String(e); },
			onmessage: function (msg, jsep) {
				log(msg);
				if (msg.event === 'listen' && jsep) {
					// Supervisor listen-in: receive only.
					a.handle.createAnswer({
						jsep: jsep,
						tracks: [{ type: 'audio', capture: false, recv: true }],
						success: function (ans) {
							a.send({ request: 'listen_answer' }, ans);
						},
						error: function (e) { a.error = 'listen: ' + e; },
					});
				}
				if (msg.event === 'incoming') {
					a.incoming = { call_id: msg.call_id, jsep: jsep };
					if (a.autoAnswer)
						a.answer();
				}
				if (msg.event === 'cancelled' || msg.event === 'hangup')
					a.incoming = null;
			},
			onremotetrack: function (track, mid, on) {
				if (track.kind !== 'audio' || !on)
					return;
				a.remoteTrack = true;
				const el = document.getElementById('remote');
				el.srcObject = new MediaStream([track]);
			},
			oncleanup: function () { a.remoteTrack = false; },
		});
	}

	a.send = function (message, jsep) {
		const m = { message: message };
		if (jsep)
			m.jsep = jsep;
		a.handle.send(m);
	};

	a.answer = function () {
		const inc = a.incoming;
		a.handle.createAnswer({
			jsep: inc.jsep,
			tracks: [{ type: 'audio', capture: true, recv: true }],
			success: function (ans) {
				a.send({ request: 'accept', call_id: inc.call_id }, ans);
			},
			error: function (e) { a.error = 'createAnswer: ' + e; },
		});
	};

	a.has = function (name, pred) {
		return a.events.some(function (e) {
			return e.event === name && (!pred || pred(e));
		});
	};

	a.count = function (name) {
		return a.events.filter(function (e) { return e.event === name; }).length;
	};

	// Packets counted by the browser's own WebRTC stack.
	a.rtpStats = async function () {
		const pc = a.handle && a.handle.webrtcStuff && a.handle.webrtcStuff.pc;
		const out = { received: 0, sent: 0, codec: null, energy: 0 };
		if (!pc)
			return out;
		const stats = await pc.getStats();
		stats.forEach(function (s) {
			if (s.type === 'inbound-rtp' && s.kind === 'audio') {
				out.received += s.packetsReceived || 0;
				out.energy += s.totalAudioEnergy || 0;
			}
			if (s.type === 'outbound-rtp' && s.kind === 'audio')
				out.sent += s.packetsSent || 0;
			if (s.type === 'codec' && s.mimeType && /PCM/.test(s.mimeType))
				out.codec = s.mimeType;
		});
		return out;
	};

	return a;
})();
