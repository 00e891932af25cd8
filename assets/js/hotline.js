// The operator's softphone: janus.js to janus.plugin.hotline
// (docs/hotline-api.md).  The page gets a short-lived token from Kore,
// logs in to the plugin, and shows who is calling before it is answered.
(function () {
  'use strict';
  const root = document.getElementById('softphone');
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const STATES = {
    available: 'Sẵn sàng', ringing: 'Đang đổ chuông', in_call: 'Đang đàm thoại',
    wrap_up: 'Hoàn tất sau cuộc gọi', paused: 'Tạm nghỉ', offline: 'Ngoại tuyến',
  };
  // Why an attended transfer came back to the caller (transfer_failed).
  const REFUSED = {
    busy: 'máy bận', declined: 'từ chối cuộc gọi', 'no answer': 'không nghe máy',
    'agency hung up': 'đã gác máy', 'no common codec': 'không tương thích âm thanh',
  };
  let handle = null;
  let offer = null;     // { call_id, caller, jsep }
  let consult = null;   // { number, answered } during an attended transfer
  let timer = null;

  function show(id, on) { $(id).hidden = !on; }
  function error(text) { const e = $('sp-error'); e.textContent = text; e.hidden = !text; }

  function setAgent(agent) {
    $('sp-state').textContent = STATES[agent.state] || agent.state;
    $('sp-detail').textContent = agent.state === 'paused' && agent.reason ? `(${agent.reason})` :
      agent.state === 'wrap_up' && agent.wrap_up_seconds_left ? `(còn ${agent.wrap_up_seconds_left} giây)` : '';
    show('sp-ready', agent.state !== 'ringing' && agent.state !== 'in_call');
    // A registered desk phone: the console can be its remote control.
    show('sp-device-box', !!agent.phone);
    $('sp-device-ext').textContent = agent.phone ? `(máy ${agent.phone})` : '';
    $('sp-device').checked = agent.device === 'phone';
    $('sp-device').disabled = agent.state === 'ringing' || agent.state === 'in_call';
    const onPhone = agent.device === 'phone' && agent.call_id &&
      (agent.state === 'ringing' || agent.state === 'in_call');
    show('sp-phone-call', onPhone);
    if (onPhone) {
      $('sp-phone-call').textContent = agent.state === 'ringing'
        ? `📞 Máy bàn đang đổ chuông: ${agent.caller}` : `Máy bàn đang đàm thoại với ${agent.caller}`;
      // The ticket for the call the phone is in, as for a browser call.
      if (agent.state === 'in_call') openDraft(agent.call_id, agent.caller || '');
    }
  }

  async function history(phone) {
    const list = $('sp-history');
    list.textContent = '';
    try {
      const r = await fetch(`${root.dataset.callerUrl}?phone=${encodeURIComponent(phone)}`, { credentials: 'same-origin' });
      const data = await r.json();
      if (!data.tickets || data.tickets.length === 0) {
        const li = document.createElement('li'); li.className = 'muted'; li.textContent = 'Chưa có phản ánh nào.'; list.append(li);
        return;
      }
      for (const t of data.tickets) {
        const li = document.createElement('li');
        const a = document.createElement('a');
        a.href = `/dtv/phieu/${t.id}`; a.target = '_blank'; a.rel = 'noopener';
        a.textContent = `${t.code} — ${t.title}`;
        li.append(a, ` (${t.created}, ${t.name})`);
        list.append(li);
      }
    } catch (e) {
      const li = document.createElement('li'); li.textContent = 'Không tải được lịch sử.'; list.append(li);
    }
  }

  function startTimer() {
    const t0 = Date.now();
    clearInterval(timer);
    timer = setInterval(() => {
      const s = Math.floor((Date.now() - t0) / 1000);
      $('sp-timer').textContent = `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
    }, 1000);
  }

  function endCall() {
    clearInterval(timer);
    offer = null;
    consultShow(null);
    show('sp-consult-note', false);
    show('sp-incoming', false);
    show('sp-call', false);
    $('sp-audio').srcObject = null;
  }

  // The ticket for the call being answered: typed during the call, saved
  // without leaving the page (leaving would end the call).
  const draft = $('sp-draft');
  let draftDirty = false;
  function openDraft(callId, caller) {
    if ($('sp-d-call').value === callId) return;
    draft.reset();
    draftDirty = false;
    $('sp-d-call').value = callId;
    $('sp-d-phone').value = /^\+?[0-9]{3,32}$/.test(caller) ? caller : '';
    $('sp-d-for').textContent = caller;
    $('sp-d-error').hidden = true;
    $('sp-d-saved').hidden = true;
    for (const el of draft.elements) el.disabled = false;
    draft.hidden = false;
  }
  draft.addEventListener('input', () => { draftDirty = true; });
  draft.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const save = $('sp-d-save');
    if (save.disabled) return;
    save.disabled = true;
    $('sp-d-error').hidden = true;
    try {
      const r = await fetch(draft.action, {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(new FormData(draft)),
      });
      const html = await r.text();
      const m = /\/dtv\/phieu\/(\d+)$/.exec(new URL(r.url).pathname);
      if (!r.ok || !m) {
        const doc = new DOMParser().parseFromString(html, 'text/html');
        const why = doc.querySelector('#form-error, .alert');
        throw new Error(why ? why.textContent : `HTTP ${r.status}`);
      }
      const doc = new DOMParser().parseFromString(html, 'text/html');
      const code = doc.querySelector('.code-sm');
      $('sp-d-link').href = `/dtv/phieu/${m[1]}`;
      $('sp-d-link').textContent = code ? code.textContent : `#${m[1]}`;
      $('sp-d-saved').hidden = false;
      draftDirty = false;
      for (const el of draft.elements) el.disabled = true;
    } catch (e) {
      const box = $('sp-d-error');
      box.textContent = `Chưa lưu được phiếu: ${e.message}`;
      box.hidden = false;
      save.disabled = false;
    }
  });

  // Attended transfer: which step we are at, or null when talking to the caller.
  function consultShow(c) {
    consult = c;
    show('sp-consult', !!c);
    $('sp-transfer').disabled = !!c;
    $('sp-consult-start').disabled = !!c;
    $('sp-complete').disabled = !(c && c.answered);
    if (!c) return;
    $('sp-consult-state').textContent = c.answered ?
      `Đang trao đổi với cơ quan ${c.number}. Người gọi đang giữ máy và không nghe thấy.` :
      `Đang gọi cơ quan ${c.number}… Người gọi đang giữ máy.`;
  }

  function backToCaller(text) {
    consultShow(null);
    $('sp-consult-note').textContent = text;
    show('sp-consult-note', true);
    $('sp-hangup').focus();
  }

  function transferNumber() {
    const number = $('sp-number').value.replace(/[\s.-]/g, '');
    if (!/^\+?[0-9]{3,32}$/.test(number)) { error('Số điện thoại chuyển tiếp không hợp lệ.'); return null; }
    return number;
  }

  function onmessage(msg, jsep) {
    switch (msg.event) {
      case 'logged_in': case 'state':
        error(''); setAgent(msg.agent); break;
      case 'incoming':
        offer = { call_id: msg.call_id, caller: msg.caller, jsep };
        $('sp-caller').textContent = msg.caller;
        $('sp-waited').textContent = msg.waited_seconds;
        show('sp-incoming', true);
        history(msg.caller);
        $('sp-accept').focus();
        break;
      case 'accepted':
        show('sp-incoming', false);
        show('sp-call', true);
        $('sp-talking').textContent = offer ? offer.caller : '';
        openDraft(msg.call_id, offer ? offer.caller : '');
        startTimer();
        break;
      case 'transferring':
        if (msg.mode === 'attended') {
          show('sp-consult-note', false);
          consultShow({ number: msg.number, answered: false });
          $('sp-cancel').focus();
        }
        break;
      case 'transfer_answered':
        consultShow({ number: msg.number, answered: true });
        $('sp-complete').focus();
        break;
      case 'transfer_failed':
        backToCaller(`Cơ quan ${msg.number} ${REFUSED[msg.reason] || 'không kết nối được'}. Anh/chị đang nói chuyện lại với người gọi.`);
        break;
      case 'transfer_cancelled':
        backToCaller(`Đã hủy chuyển đến ${msg.number}. Anh/chị đang nói chuyện lại với người gọi.`);
        break;
      case 'cancelled': case 'hangup': case 'transferred':
        endCall(); break;
      case 'logged_out':
        error(msg.reason === 'logged in elsewhere' ? 'Tài khoản đã đăng nhập tổng đài ở nơi khác.'
          : msg.reason === 'session ended' ? 'Phiên đăng nhập đã kết thúc (đã đăng xuất, tài khoản bị khóa hoặc đổi mật khẩu): đã thoát khỏi tổng đài. Vui lòng đăng nhập lại.'
          : 'Đã thoát khỏi tổng đài.');
        break;
      case 'error':
        // 490: a transfer to a number on no agency's list (toll fraud guard).
        if (msg.error_code === 490) error('Số này không phải số chuyển tiếp của cơ quan nào trong danh mục: không được chuyển.');
        else error(`Lỗi tổng đài (${msg.error_code}): ${msg.error}`);
        break;
      default: break;
    }
  }

  function accept() {
    if (!offer) return;
    handle.createAnswer({
      jsep: offer.jsep,
      tracks: [{ type: 'audio', capture: true, recv: true }],
      success: (answer) => handle.send({ message: { request: 'accept', call_id: offer.call_id }, jsep: answer }),
      error: (e) => error(`Không mở được micro: ${e.message || e}`),
    });
  }

  $('sp-accept').addEventListener('click', accept);
  $('sp-device').addEventListener('change', (ev) => {
    if (handle) handle.send({ message: { request: 'device', device: ev.target.checked ? 'phone' : 'browser' } });
  });
  $('sp-decline').addEventListener('click', () => handle && handle.send({ message: { request: 'decline' } }));
  $('sp-hangup').addEventListener('click', () => {
    if (!handle) return;
    if (consult && !window.confirm('Kết thúc sẽ ngắt cả người gọi và cơ quan đang trao đổi. Tiếp tục?')) return;
    handle.send({ message: { request: 'hangup' } });
  });
  $('sp-available').addEventListener('click', () => {
    if (draftDirty && !window.confirm('Phiếu của cuộc gọi trước chưa lưu. Vẫn nhận cuộc gọi mới?')) return;
    if (handle) handle.send({ message: { request: 'state', state: 'available' } });
  });
  $('sp-pause').addEventListener('click', () => handle && handle.send({ message: { request: 'state', state: 'paused', reason: $('sp-reason').value } }));
  $('sp-transfer').addEventListener('click', () => {
    const number = transferNumber();
    if (number && window.confirm(`Chuyển cuộc gọi đến ${number}?`)) handle.send({ message: { request: 'transfer', number, mode: 'blind' } });
  });
  // Not destructive: the operator can come back to the caller at any time.
  $('sp-consult-start').addEventListener('click', () => {
    const number = transferNumber();
    if (number && handle) { error(''); handle.send({ message: { request: 'transfer', number, mode: 'attended' } }); }
  });
  $('sp-complete').addEventListener('click', () => {
    if (consult && consult.answered && window.confirm(`Nối người gọi với cơ quan ${consult.number}? Anh/chị sẽ rời cuộc gọi.`))
      handle.send({ message: { request: 'transfer_complete' } });
  });
  $('sp-cancel').addEventListener('click', () => handle && consult && handle.send({ message: { request: 'transfer_cancel' } }));
  hotlineConnect({
    tokenUrl: root.dataset.tokenUrl, audio: $('sp-audio'), onmessage, error,
    onhandle: (h) => { handle = h; if (!h) endCall(); },
  });
})();
