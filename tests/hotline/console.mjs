// The hotline end to end through the real product: SIPp as the trunk,
// Janus with janus.plugin.hotline, the real Kore app and PostgreSQL
// (started by netns.sh with demo users), and Chromium driving the
// operator's softphone (/dtv/tong-dai, assets/js/hotline.js) and the
// supervisor's live page (/giam-sat/truc-tiep, assets/js/live.js).
//
// A call comes in -> the operator's console rings with the caller's number
// and earlier tickets -> answer -> audio both ways -> the supervisor sees
// it live and listens in -> the operator saves the ticket drafted during
// the call -> hangup -> the ticket shows the call, its history event and a
// playable recording whose WAV has the call's length and two live channels.
//
// Prints TAP; exits 0 iff every test passed.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import {
	CHROMIUM_ARGS, capturePeerConnections, children, note, ok, readWav, sipp, sleep,
	tap, udpListening, waitFor,
} from './lib.mjs';

const ENV = process.env;
const BASE = `http://127.0.0.1:${ENV.HTTP_PORT}`;
const SIP_PORT = Number(ENV.SIP_PORT);
const QUEUE_MAX_WAIT = Number(ENV.QUEUE_MAX_WAIT);
const NO_AGENT_GRACE = Number(ENV.NO_AGENT_GRACE);
const VOICEMAIL_MAX = Number(ENV.VOICEMAIL_MAX);
const VM_PROMPT = fs.statSync(path.join(ENV.ROOT || '.', 'assets/audio/voicemail.alaw')).size / 8000;
const CALLER = '0901234567';	/* tests/hotline/sipp/caller.xml */

function credentials() {
	const out = {};
	for (const line of fs.readFileSync(path.join(ENV.VAR_DIR, 'demo-credentials.txt'),
	    'utf8').split('\n')) {
		if (!line || line.startsWith('#'))
			continue;
		const [user, role, password] = line.trim().split(/\s+/);
		out[role] ??= { user, password };
	}
	return out;
}

async function staffPage(browser, who) {
	const ctx = await browser.newContext({ baseURL: BASE, locale: 'vi-VN' });
	await ctx.addInitScript(capturePeerConnections);
	const page = await ctx.newPage();
	page.on('pageerror', (e) => note(`page error (${who.user}): ${e.message}`));
	page.on('console', (m) => {
		if (m.type() === 'error')
			note(`console (${who.user}): ${m.text()}`);
	});
	await page.goto('/dang-nhap');
	await page.fill('#username', who.user);
	await page.fill('#password', who.password);
	await Promise.all([page.waitForNavigation(), page.click('button[type=submit].primary')]);
	return page;
}

const text = (page, sel) => page.locator(sel).innerText();
const rtp = (page) => page.evaluate(() => window.__rtpStats());

async function main() {
	const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
	    args: CHROMIUM_ARGS });
	try {
		await run(browser);
	} finally {
		for (const p of children)
			p.kill('SIGKILL');
		await browser.close().catch(() => {});
	}
}

async function run(browser) {
	const cred = credentials();

	// The caller wrote to 1022 before: the operator should see it.
	const earlier = await fetch(`${BASE}/api/v1/tickets`, {
		method: 'POST', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ name: 'Nguyễn Văn Gọi', phone: CALLER,
		    title: 'Hỏi về cấp đổi giấy phép lái xe',
		    content: 'Xin hỏi thủ tục cấp đổi giấy phép lái xe quá hạn.' }),
	});
	const earlierCode = (await earlier.json()).code;
	ok(earlier.status === 201 && earlierCode, `an earlier ticket of the caller (${earlierCode})`);

	// The operator opens the softphone: Kore's token logs it in to Janus.
	let op = await staffPage(browser, cred.operator);
	const opName = (await text(op, '.who')).trim();
	await op.goto('/dtv/tong-dai');
	await waitFor(async () => (await text(op, '#sp-state')) === 'Sẵn sàng', 20000,
	    'softphone available');
	ok(true, `the operator (${opName}) opens /dtv/tong-dai: logged in to the plugin, available`);

	// The supervisor's live page sees the operator.
	const sup = await staffPage(browser, cred.supervisor);
	await sup.goto('/giam-sat/truc-tiep');
	let agentsText = '';
	try {
		agentsText = await waitFor(async () => {
			const t = await text(sup, '#lv-agents tbody');
			return t.includes(opName) && t.includes('Sẵn sàng') ? t : null;
		}, 20000, 'the operator on the live page');
	} catch (err) {
		note(String(err));
	}
	ok(agentsText, 'the supervisor\'s live page lists the operator as available, with time in state',
	    agentsText || await text(sup, '#live'));

	// An operator's token does not let the softphone watch or listen.
	const tokenDenied = await op.evaluate(async () => (await fetch('/giam-sat/hotline/token')).status);
	ok(tokenDenied === 403, 'an operator cannot get a supervisor\'s token (403)', tokenDenied);

	// The call.
	const call = sipp('caller.xml', { sipPort: SIP_PORT, port: 16600, mport: 16610, timeout: 90 });
	await waitFor(() => op.locator('#sp-incoming').isVisible(), 20000, 'the console rings');
	const shownCaller = await text(op, '#sp-caller');
	let hist = '';
	try {
		hist = await waitFor(async () => {
			const t = await text(op, '#sp-history');
			return t.includes(earlierCode) ? t : null;
		}, 10000, 'caller history');
	} catch (err) {
		note(String(err));
	}
	ok(shownCaller === CALLER && hist.includes('Hỏi về cấp đổi giấy phép lái xe'),
	    'the console rings with the caller\'s number and their earlier ticket',
	    { shownCaller, hist });
	let queueText = '';
	try {
		queueText = await waitFor(async () => {
			const t = await text(sup, '#lv-queue tbody');
			return t.includes(CALLER) && t.includes(opName) ? t : null;
		}, 10000, 'the ringing call on the live page');
	} catch (err) {
		note(String(err));
	}
	ok(queueText, 'the live page shows the waiting call, its waiting time and who it rings for',
	    queueText);

	await op.click('#sp-accept');
	await waitFor(() => op.locator('#sp-call').isVisible(), 10000, 'in call');
	const tAnswered = Date.now();
	const callId = await op.locator('#sp-d-call').inputValue();
	ok(await op.locator('#sp-draft').isVisible() &&
	    await op.locator('#sp-d-phone').inputValue() === CALLER &&
	    /^[0-9a-f-]{36}$/.test(callId),
	    'on answer a ticket draft for this call opens in the console, with the caller\'s number',
	    callId);

	let st;
	try {
		st = await waitFor(async () => {
			const s = await rtp(op);
			return s.received > 100 && s.sent > 100 ? s : null;
		}, 20000, 'RTP both ways in the operator\'s browser');
	} catch (err) {
		st = await rtp(op);
		note(String(err));
	}
	ok(st.received > 100 && st.sent > 100 && /PCMA/i.test(st.codec),
	    `operator's browser: ${st.received} RTP packets received, ${st.sent} sent, ${st.codec}`, st);

	// Live: the call in progress, with the plugin's own RTP counts.
	let counts = null;
	try {
		counts = await waitFor(async () => {
			const row = sup.locator('#lv-calls tbody tr', { hasText: CALLER });
			if (await row.count() !== 1 || !(await row.innerText()).includes(opName))
				return null;
			const c = JSON.parse(await row.getAttribute('data-rtp'));
			return c.from_trunk > 100 && c.to_agent > 100 && c.from_agent > 100 &&
			    c.to_trunk > 100 ? c : null;
		}, 15000, 'the call in progress on the live page');
	} catch (err) {
		note(String(err));
	}
	ok(counts, 'the live page shows the call in progress with the operator; the plugin relays ' +
	    'RTP both ways (trunk→operator, operator→trunk)', counts);

	// Listen in.
	await sup.locator('#lv-calls tbody tr', { hasText: CALLER }).locator('button.lv-listen').click();
	let heard = null;
	try {
		await waitFor(() => sup.locator('#lv-listening').isVisible(), 10000, 'listening');
		heard = await waitFor(async () => {
			const s = await rtp(sup);
			return s.received > 50 ? s : null;
		}, 15000, 'listen-in audio');
	} catch (err) {
		note(String(err));
	}
	ok(heard && heard.sent === 0, 'the supervisor listens in: audio arrives, nothing is sent',
	    heard || await rtp(sup));
	await sup.click('#lv-unlisten');
	await waitFor(async () => !(await sup.locator('#lv-listening').isVisible()), 10000,
	    'listening stops');
	ok(true, 'the supervisor stops listening');

	// The operator writes the ticket during the call and saves it twice.
	await op.fill('#sp-d-name', 'Nguyễn Văn Gọi');
	await op.fill('#sp-d-title', 'Hỏi lệ phí cấp đổi giấy phép lái xe');
	await op.fill('#sp-d-content', 'Người dân hỏi lệ phí và thời gian cấp đổi; đã hướng dẫn nộp trực tuyến.');
	const empty = await op.locator('#sp-d-title').inputValue();
	ok(empty.length > 0, 'the draft takes the operator\'s notes during the call');
	await op.click('#sp-d-save');
	await waitFor(() => op.locator('#sp-d-saved').isVisible(), 10000, 'ticket saved');
	const ticketUrl = await op.locator('#sp-d-link').getAttribute('href');
	const ticketCode = await text(op, '#sp-d-link');
	ok(/^\/dtv\/phieu\/\d+$/.test(ticketUrl) && await op.locator('#sp-call').isVisible(),
	    `the ticket is saved (${ticketCode}) and the call goes on`, ticketUrl);

	await sleep(1500);
	await op.click('#sp-hangup');
	const tEnded = Date.now();
	const r = await call;
	ok(r.code === 0, 'the operator hangs up: the caller (SIPp) gets BYE', r.out.slice(-400));
	await waitFor(async () => !(await op.locator('#sp-call').isVisible()), 10000, 'call ends');

	// The ticket shows the call and its recording once the plugin reports it.
	const page = await op.context().newPage();
	let shown = false;
	try {
		shown = await waitFor(async () => {
			await page.goto(ticketUrl);
			return await page.locator(`#call-${callId} audio`).count() === 1;
		}, 30000, 'the call on the ticket page');
	} catch (err) {
		note(String(err));
	}
	const facts = await text(page, 'body');
	ok(shown && facts.includes('Cuộc gọi đã trả lời') && facts.includes(ticketCode),
	    'the ticket page shows the answered call with a player', facts.slice(0, 600));
	const src = shown ? await page.locator(`#call-${callId} audio`).getAttribute('src') : '';
	const callEvents = page.locator('#lich-su li[data-kind="call"]');
	const history = await callEvents.count() === 1 ? await callEvents.innerText() : '';
	ok(/Cuộc gọi đã trả lời/.test(history), 'the ticket\'s history has the call, once',
	    await text(page, '#lich-su').catch(() => ''));

	const rec = src ? await page.request.get(src) : null;
	const body = rec ? await rec.body() : Buffer.alloc(0);
	let w = null;
	try {
		w = readWav(body);
	} catch (err) {
		note(`recording: ${err}`);
	}
	const talk = (tEnded - tAnswered) / 1000;
	ok(rec && rec.status() === 200 && /audio\/(x-)?wav/.test(rec.headers()['content-type']) &&
	    w && w.channels === 2 && w.rate === 8000 && Math.abs(w.seconds - talk) < 2,
	    `the recording plays from the ticket (${src}): stereo WAV of the call's length ` +
	    `(${w && w.seconds.toFixed(1)} s, talk ${talk.toFixed(1)} s)`,
	    { status: rec && rec.status(), headers: rec && rec.headers(), w });
	ok(w && w.rms[0] > 300 && w.rms[1] > 30,
	    `neither channel is silent (caller RMS ${w && w.rms[0].toFixed(0)}, operator RMS ` +
	    `${w && w.rms[1].toFixed(0)})`, w);

	// Without a staff login the recording is not served.
	const anon = await fetch(`${BASE}${src || `/ghi-am/${callId}`}`, { redirect: 'manual' });
	ok(anon.status !== 200, `the recording is refused without a login (${anon.status})`);

	// Live page after the call: nothing in progress, the operator counted.
	let after = '';
	try {
		after = await waitFor(async () => {
			const t = await text(sup, '#lv-agents tbody');
			return await sup.locator('#lv-calls-empty').isVisible() && /\t1\t/.test(t) ? t : null;
		}, 10000, 'live page after the call');
	} catch (err) {
		note(String(err));
	}
	ok(after, 'after the call the live page shows no call in progress and 1 answered call', after);

	// Attended transfer from the softphone: the operator talks to the agency
	// while the caller holds, then puts the caller through.
	op.on('dialog', (d) => d.accept());
	const AGENCY = '02773850001';
	const agency = sipp('agency_attended.xml', { sipPort: SIP_PORT, port: 15070, mport: 16650,
	    timeout: 60, uas: true, extra: ['-rtp_echo'] });
	await udpListening(15070);
	const call2 = sipp('caller.xml', { sipPort: SIP_PORT, port: 16640, mport: 16645, timeout: 90 });
	await waitFor(() => op.locator('#sp-incoming').isVisible(), 20000, 'the console rings again');
	await op.click('#sp-accept');
	await waitFor(() => op.locator('#sp-call').isVisible(), 10000, 'in the second call');
	await waitFor(async () => (await rtp(op)).received > 50, 15000, 'audio of the second call');
	await op.fill('#sp-d-title', 'Hỏi thủ tục đất đai, chuyển Sở Tài nguyên và Môi trường');
	await op.fill('#sp-d-content', 'Người dân hỏi về tranh chấp ranh giới đất; đã nối máy cho cơ quan.');
	await op.click('#sp-d-save');
	await waitFor(() => op.locator('#sp-d-saved').isVisible(), 10000, 'second ticket saved');
	const ticket2 = await op.locator('#sp-d-link').getAttribute('href');
	const call2Id = await op.locator('#sp-d-call').inputValue();
	await op.locator('#sp-transfer-box summary').click();
	await op.fill('#sp-number', AGENCY);
	await op.click('#sp-consult-start');
	let consulting = '';
	try {
		consulting = await waitFor(async () => {
			const t = await text(op, '#sp-consult-state');
			return /Đang trao đổi với cơ quan/.test(t) ? t : null;
		}, 15000, 'consulting');
	} catch (err) {
		note(String(err));
	}
	const liveConsult = await waitFor(async () => {
		const t = await text(sup, '#lv-calls tbody');
		return /Đang hỏi ý cơ quan/.test(t) ? t : null;
	}, 5000, 'consulting on the live page').catch(() => '');
	ok(consulting.includes(AGENCY) && liveConsult.includes(AGENCY) &&
	    await op.locator('#sp-complete').isEnabled(),
	    'the softphone consults the agency (the caller holds); the live page shows the consultation',
	    { consulting, liveConsult });
	await op.click('#sp-complete');
	let left = false;
	try {
		left = await waitFor(async () => !(await op.locator('#sp-call').isVisible()), 10000,
		    'the operator leaves the call');
	} catch (err) {
		note(String(err));
	}
	const [rAgency, rCall2] = await Promise.all([agency, call2]);
	ok(left && rAgency.code === 0 && rCall2.code === 0,
	    '"Nối máy cho người gọi": the operator leaves, caller and agency talk until the agency ' +
	    'hangs up', rAgency.out.slice(-300) + rCall2.out.slice(-300));
	let transferred = '';
	try {
		transferred = await waitFor(async () => {
			await page.goto(ticket2);
			const ok2 = await page.locator(`#call-${call2Id} audio`).count() === 1;
			const t = await text(page, 'body');
			return ok2 && t.includes(`Chuyển cuộc gọi đến Sở Tài nguyên và Môi trường, số ${AGENCY}, lúc`) ? t : null;
		}, 30000, 'the transferred call on its ticket');
	} catch (err) {
		note(String(err));
	}
	ok(transferred, 'the ticket saved during the call shows it transferred ("Chuyển cuộc gọi ' +
	    'đến Sở …, số …, lúc …"), with its recording',
	    transferred.slice(0, 400));

	await deskPhoneConsole(op, sup, opName);

	// The plugin session follows the Kore session: an administrator locks
	// the operator while the softphone is open; the console is logged out
	// within seconds and a call is not offered to it (the caller waits in
	// the queue, then hangs up).  Unlocked, the operator logs in again.
	const adm = await staffPage(browser, cred.admin);
	await adm.goto(`/quan-tri/nguoi-dung?role=operator`);
	const opHref = await adm.locator('td a', { hasText: new RegExp(`^${cred.operator.user}$`) })
	    .getAttribute('href');
	await adm.goto(opHref);
	await adm.locator('summary', { hasText: 'Khóa tài khoản' }).click();
	const tLock = Date.now();
	await Promise.all([adm.waitForNavigation(),
	    adm.click(`form[action="${opHref}/khoa"] button.danger`)]);
	let ended = '';
	try {
		ended = await waitFor(async () => {
			const t = await text(op, '#sp-error');
			return /Phiên đăng nhập đã kết thúc/.test(t) ? t : null;
		}, 8000, 'the softphone told its session ended');
	} catch (err) {
		note(String(err));
	}
	ok(ended, `locking the operator logs the open softphone out of the hotline ` +
	    `(${((Date.now() - tLock) / 1000).toFixed(1)} s)`, await text(op, '#sp-error'));
	let offline = '';
	try {
		offline = await waitFor(async () => {
			const t = await text(sup, '#lv-agents');
			return !t.includes(opName) || /Ngoại tuyến/.test(t) ? t || 'gone' : null;
		}, 8000, 'the operator offline on the live page');
	} catch (err) {
		note(String(err));
	}
	ok(offline, 'the live page no longer shows the locked operator as available', offline);
	const lockedCall = sipp('caller_hangup.xml', { sipPort: SIP_PORT, port: 16660, mport: 16670,
	    timeout: 30 });
	let queued = '';
	try {
		queued = await waitFor(async () => {
			const t = await text(sup, '#lv-queue tbody');
			return t.includes(CALLER) ? t : null;
		}, 5000, 'the call waiting');
	} catch (err) {
		note(String(err));
	}
	let rangLocked = false;
	const tCall = Date.now();
	while (Date.now() - tCall < 2000 && !rangLocked) {
		rangLocked = await op.locator('#sp-incoming').isVisible();
		await sleep(100);
	}
	const rLocked = await lockedCall;
	ok(queued && !queued.includes(opName) && !rangLocked && rLocked.code === 0,
	    'with the account locked, a call is not offered to its softphone: it waits in the ' +
	    'queue, ringing no one, until the caller hangs up', { queued, rangLocked });

	// No operator logged in at all (the only one is locked): a caller is
	// not kept waiting for nobody; voicemail after NO_AGENT_GRACE seconds,
	// not QUEUE_MAX_WAIT.
	const janusLogFile = path.join(ENV.VAR_DIR, 'log', 'janus.log');
	const noAgentLines = () => (fs.readFileSync(janusLogFile, 'utf8')
	    .match(/to voicemail \(no operator logged in\)/g) || []).length;
	const noAgentBefore = noAgentLines();
	const tNobody = Date.now();
	const rNobody = await sipp('caller.xml', { sipPort: SIP_PORT, port: 16680, mport: 16690,
	    timeout: 60 });
	const nobodyTook = (Date.now() - tNobody) / 1000;
	ok(rNobody.code === 0 && noAgentLines() === noAgentBefore + 1 &&
	    nobodyTook >= NO_AGENT_GRACE + VM_PROMPT + VOICEMAIL_MAX - 1 &&
	    nobodyTook < QUEUE_MAX_WAIT + VM_PROMPT + VOICEMAIL_MAX - 1,
	    `no operator logged in: the call goes to voicemail within the grace period ` +
	    `(${NO_AGENT_GRACE} s, not ${QUEUE_MAX_WAIT} s), prompt, message, BYE (${nobodyTook.toFixed(1)} s)`,
	    rNobody.out.slice(-300));
	const again = await op.evaluate(async () => (await fetch('/dtv/hotline/token')).status);
	ok(again === 401 || again === 403, `the locked operator gets no new token (${again})`);
	await adm.goto(opHref);
	await Promise.all([adm.waitForNavigation(),
	    adm.click(`form[action="${opHref}/mo-khoa"] button`)]);
	await op.context().close();
	op = await staffPage(browser, cred.operator);
	await op.goto('/dtv/tong-dai');
	await waitFor(async () => (await text(op, '#sp-state')) === 'Sẵn sàng', 20000,
	    'softphone available again');
	ok(true, 'unlocked, the operator logs in again and the softphone is available');

	// Two calendars: a deadline holiday the administrator adds today
	// (/quan-tri/lich) leaves the hotline open (24/7 by default): the call
	// is queued and offered to the available operator.  A closed shift
	// today (/quan-tri/gio-tong-dai) closes it within seconds, without
	// restarting Janus: the operator is available, yet the call goes to
	// voicemail, which becomes a ticket.
	const janusLog = path.join(ENV.VAR_DIR, 'log', 'janus.log');
	const readsOfCalendar = () => (fs.readFileSync(janusLog, 'utf8')
	    .match(/hotline: calendar \S*calendar\.txt: \d+ holidays/g) || []).length;
	let calendarReads = readsOfCalendar();
	const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' });
	await adm.goto('/quan-tri/lich');
	await adm.fill('#day', today);
	await adm.selectOption('#kind', 'holiday');
	await adm.fill('#name', 'Nghỉ lễ (thử): tổng đài vẫn mở');
	await Promise.all([adm.waitForNavigation(), adm.click('form[action="/quan-tri/lich"] button.primary')]);
	const calFile = path.join(ENV.VAR_DIR, 'calendar.txt');
	let written = false;
	try {
		written = await waitFor(() => fs.readFileSync(calFile, 'utf8').includes(`holiday ${today}`),
		    5000, 'calendar.txt');
	} catch (err) {
		note(String(err));
	}
	ok(written, `Kore writes the new deadline holiday (${today}) to calendar.txt for the hotline`);
	let reread = false;
	try {
		reread = await waitFor(() => readsOfCalendar() > calendarReads, 10000,
		    'the plugin reads calendar.txt again');
	} catch (err) {
		note(String(err));
	}
	const holidayCall = sipp('caller_hangup.xml', { sipPort: SIP_PORT, port: 16700, mport: 16710,
	    timeout: 30 });
	let offered = false;
	const tHoliday = Date.now();
	while (Date.now() - tHoliday < 2500 && !offered) {
		offered = await op.locator('#sp-incoming').isVisible();
		await sleep(100);
	}
	const rHoliday = await holidayCall;
	ok(reread && offered && rHoliday.code === 0,
	    'on a deadline holiday the hotline stays open: the call is queued and offered to the ' +
	    'available operator', rHoliday.out.slice(-300));
	try {
		await waitFor(async () => (await text(op, '#sp-state')) === 'Sẵn sàng', 10000,
		    'the operator available again');
	} catch (err) {
		note(String(err));
	}
	calendarReads = readsOfCalendar();
	await adm.goto('/quan-tri/gio-tong-dai');
	await adm.fill('#day', today);
	await adm.selectOption('#kind', 'closed');
	await adm.fill('#note', 'Nghỉ đột xuất do bão (thử)');
	await Promise.all([adm.waitForNavigation(), adm.click('#shift-form button.primary')]);
	written = false;
	try {
		written = await waitFor(() => fs.readFileSync(calFile, 'utf8').includes(`shift ${today} closed`),
		    5000, 'calendar.txt');
	} catch (err) {
		note(String(err));
	}
	ok(written, `Kore writes the closed shift (${today}) to calendar.txt for the hotline`);
	reread = false;
	try {
		reread = await waitFor(() => readsOfCalendar() > calendarReads, 10000,
		    'the plugin reads calendar.txt again');
	} catch (err) {
		note(String(err));
	}
	const tVm = Date.now();
	const vmCall = await sipp('caller.xml', { sipPort: SIP_PORT, port: 16620, mport: 16630,
	    timeout: 60 });
	const rang = await op.locator('#sp-incoming').isVisible();
	ok(reread && vmCall.code === 0 && !rang && await text(op, '#sp-state') === 'Sẵn sàng',
	    `the plugin reads the schedule again; the call goes to voicemail, not to the ` +
	    `available operator (${((Date.now() - tVm) / 1000).toFixed(1)} s)`, vmCall.out.slice(-300));
	const inbox = await op.context().newPage();
	let vm = '';
	try {
		vm = await waitFor(async () => {
			await inbox.goto(`/dtv?q=${CALLER}`);
			const t = await text(inbox, 'main');
			return t.includes(`Lời nhắn thoại từ ${CALLER}`) ? t : null;
		}, 20000, 'the voicemail ticket');
	} catch (err) {
		note(String(err));
	}
	ok(vm, 'the voicemail becomes a ticket in the operators\' inbox', vm.slice(0, 400));
}

// Janus again, with env added (SIP_EXTENSIONS); the console and the
// live page reloaded.
async function restartJanus(op, sup, extra) {
	const env = { ...process.env, ...extra };
	spawnSync(path.join(ENV.ROOT, 'scripts/janus-down'), { env, stdio: 'ignore' });
	const up = spawnSync(path.join(ENV.ROOT, 'scripts/janus-up'), { env, encoding: 'utf8' });
	await op.goto('/dtv/tong-dai');
	await waitFor(async () => (await text(op, '#sp-state')) === 'Sẵn sàng', 20000,
	    'softphone available again');
	await sup.goto('/giam-sat/truc-tiep');
	await waitFor(() => sup.evaluate(() => !!document.getElementById('live').dataset.updated),
	    20000, 'the live page connected again');
	return up.status;
}

// Desk phones as agents (issue 11), through the real console: the
// operator's desk phone (extension 101 = the operator's account id)
// registers; the console chooses "Nghe bằng điện thoại bàn"; a call rings
// the phone (SIPp answers), the console shows it and its ticket draft,
// the ticket saved there is the call's, and the call list names the
// operator.  Janus then goes back to no desk phones.
async function deskPhoneConsole(op, sup, opName) {
	const opId = await sup.evaluate((name) => [...document.getElementById('lv-users').children]
	    .find((li) => li.textContent === name)?.dataset.id, opName);
	const up = await restartJanus(op, sup, { SIP_EXTENSIONS: `101:${opId}:mat-khau-101` });
	const reg = await sipp('phone_register.xml', { sipPort: SIP_PORT, port: 16640, timeout: 15 });
	let box = false;
	try {
		box = await waitFor(async () => {
			await op.goto('/dtv/tong-dai');
			await waitFor(async () => (await text(op, '#sp-state')) === 'Sẵn sàng', 20000,
			    'softphone available');
			return op.locator('#sp-device-box').isVisible();
		}, 20000, 'the desk-phone choice on the console');
	} catch (err) {
		note(String(err));
	}
	ok(up === 0 && reg.code === 0 && box && /máy 101/.test(await text(op, '#sp-device-box')),
	    `the operator's desk phone (101, user id ${opId}) registers; the console offers ` +
	    '"Nghe bằng điện thoại bàn"', reg.out.slice(-300));
	await op.check('#sp-device');
	let live = '';
	try {
		live = await waitFor(async () => {
			const t = await text(sup, '#lv-agents tbody');
			return t.includes('nhận cuộc gọi ở máy bàn') ? t : null;
		}, 10000, 'the live page shows the phone');
	} catch (err) {
		note(String(err));
	}
	ok(live.includes(opName) && live.includes('máy bàn 101'),
	    'the live page shows the operator taking calls on desk phone 101', live);

	const phone = sipp('agency.xml', { port: 16640, mport: 16650, timeout: 60, uas: true,
	    extra: ['-rtp_echo'] });
	await udpListening(16640);
	const call = sipp('caller.xml', { sipPort: SIP_PORT, port: 16660, mport: 16670, timeout: 90 });
	let shown = '';
	try {
		shown = await waitFor(async () => {
			const t = await op.locator('#sp-phone-call').isVisible() ?
			    await text(op, '#sp-phone-call') : '';
			return /đàm thoại với/.test(t) && await op.locator('#sp-draft').isVisible() ? t : null;
		}, 20000, 'the phone call on the console');
	} catch (err) {
		note(String(err));
	}
	const callId = await op.locator('#sp-d-call').inputValue();
	ok(shown.includes(CALLER) && callId && !(await op.locator('#sp-incoming').isVisible()),
	    `the call rings the desk phone, which answers; the console shows "${shown}" and opens ` +
	    'the ticket draft for that call (no browser offer)', { shown, callId });
	await op.fill('#sp-d-name', 'Trần Thị Máy Bàn');
	await op.fill('#sp-d-title', 'Hỏi giờ làm việc bộ phận một cửa');
	await op.fill('#sp-d-content', 'Người dân hỏi giờ làm việc; đã trả lời qua điện thoại bàn.');
	await op.click('#sp-d-save');
	let ticketUrl = null, ticketCode = '-';
	try {
		await waitFor(() => op.locator('#sp-d-saved').isVisible(), 10000, 'ticket saved');
		ticketUrl = await op.locator('#sp-d-link').getAttribute('href');
		ticketCode = await text(op, '#sp-d-link');
	} catch (err) {
		note(String(err));
	}
	const [rPhone, rCall] = [await phone, await call];
	let facts = '';
	try {
		facts = await waitFor(async () => {
			await op.goto(ticketUrl);
			const t = await text(op, 'main');
			return t.includes('Cuộc gọi đã trả lời') ? t : null;
		}, 20000, 'the desk-phone call on its ticket');
	} catch (err) {
		note(String(err));
	}
	ok(ticketUrl && facts && rPhone.code === 0 && rCall.code === 0,
	    'the ticket saved from the console is tied to the desk-phone call (the ticket shows it)',
	    { ticketUrl, facts: facts.slice(0, 300) });
	const day = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
	let listed = '';
	try {
		listed = await waitFor(async () => {
			const pg = await sup.context().newPage();
			await pg.goto(`/giam-sat/cuoc-goi?tu=${day}&den=${day}`);
			const rows = await pg.locator('tbody tr', { hasText: ticketCode }).allInnerTexts();
			await pg.close();
			return rows.find((t) => t.includes(opName)) || null;
		}, 15000, 'the call list');
	} catch (err) {
		note(String(err));
	}
	ok(listed, 'the supervisor\'s call list has the desk-phone call, with its ticket ' +
	    `(${ticketCode}), under the operator`, listed);
	const back = await restartJanus(op, sup, { SIP_EXTENSIONS: '' });
	ok(back === 0, 'Janus again without desk phones for the checks that follow');
}

main().then(() => {
	console.log(`1..${tap.no}`);
	console.log(`# console: ${tap.no - Number(process.env.TAP_START || 0)} tests, ${tap.failed} failed`);
	process.exit(tap.failed === 0 ? 0 : 1);
}, (err) => {
	ok(false, `console test run aborted: ${err && err.message}`, err && err.stack);
	console.log(`1..${tap.no}`);
	process.exit(1);
});
