// The supervisor's live page: janus.js to janus.plugin.hotline with a
// supervisor's token (docs/hotline-api.md).  Asks the plugin for its status
// every second and shows agents, the queue and calls in progress; a
// supervisor can listen in to a call (receive-only audio).
(function () {
  'use strict';
  const root = document.getElementById('live');
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const AGENT_STATES = {
    available: 'Sẵn sàng', ringing: 'Đang đổ chuông', in_call: 'Đang đàm thoại',
    wrap_up: 'Hoàn tất sau cuộc gọi', paused: 'Tạm nghỉ', offline: 'Ngoại tuyến',
  };
  const CALL_STATES = {
    queued: 'Đang chờ', ringing: 'Đang đổ chuông', bridged: 'Đang đàm thoại',
    voicemail: 'Đang để lại lời nhắn', transferring: 'Đang chuyển đến cơ quan',
    transferred: 'Đã chuyển cho cơ quan', consult_ringing: 'Đang gọi hỏi ý cơ quan',
    consulting: 'Đang hỏi ý cơ quan (người gọi giữ máy)',
  };
  const LISTENABLE = new Set(['bridged', 'transferred']);
  // The plugin's own pause reason (a missed call) in words; a desk phone
  // gets back with *21 (docs/hotline-api.md, feature codes).
  const reasonText = (a) => (a.reason === 'no_answer'
    ? `Lỡ cuộc gọi${a.phone ? ' (bấm *21 trên máy bàn để sẵn sàng lại)' : ''}` : a.reason);
  const names = new Map();
  for (const li of $('lv-users').children) names.set(li.dataset.id, li.textContent);
  const who = (id) => (id ? names.get(String(id)) || `Tài khoản ${id}` : '');

  let handle = null;
  let poll = null;
  let listening = null;   // call id while listening or asking to

  function error(text) { const e = $('lv-error'); e.textContent = text; e.hidden = !text; }
  function clock(s) {
    s = Math.max(0, s | 0);
    const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    return `${h ? `${h}:` : ''}${String(m).padStart(h ? 2 : 1, '0')}:${String(s % 60).padStart(2, '0')}`;
  }
  function row(cells) {
    const tr = document.createElement('tr');
    for (const [label, value, cls] of cells) {
      const td = document.createElement('td');
      td.dataset.label = label;
      if (cls) td.className = cls;
      if (value instanceof Node) td.append(value); else td.textContent = value;
      tr.append(td);
    }
    return tr;
  }
  function fill(id, rows) {
    const body = $(id).querySelector('tbody');
    body.replaceChildren(...rows);
    $(id).hidden = rows.length === 0;
    $(`${id}-empty`).hidden = rows.length !== 0;
  }

  function render(st) {
    const agents = st.agents.slice().sort((a, b) => who(a.user_id).localeCompare(who(b.user_id), 'vi'));
    const count = (s) => agents.filter((a) => a.state === s).length;
    const waiting = st.calls.filter((c) => c.state === 'queued' || c.state === 'ringing')
      .sort((a, b) => (a.position || 0) - (b.position || 0));
    const talking = st.calls.filter((c) => !waiting.includes(c));
    const longest = waiting.reduce((m, c) => Math.max(m, c.age_seconds), 0);
    $('lv-summary').textContent = `${count('available')} sẵn sàng · ${count('in_call') + count('ringing')} đang bận · ` +
      `${count('wrap_up')} hoàn tất cuộc gọi · ${count('paused')} tạm nghỉ — ${waiting.length} cuộc gọi đang chờ` +
      (waiting.length ? ` (lâu nhất ${clock(longest)})` : '') + ` · ${talking.length} cuộc gọi đang diễn ra`;
    $('lv-trunk').textContent = st.trunk && st.trunk.state !== 'none'
      ? `Đăng ký trung kế ${st.trunk.registrar}: ${st.trunk.state === 'registered' ? 'đã đăng ký' : st.trunk.state}` : '';

    fill('lv-queue', waiting.map((c) => row([
      ['Vị trí', String(c.position || '')], ['Số gọi đến', c.caller],
      ['Đã chờ', clock(c.age_seconds)], ['Đang đổ chuông cho', (c.ringing_agents || []).map(who).join(', ')],
    ])));

    fill('lv-calls', talking.map((c) => {
      let action = '';
      if (LISTENABLE.has(c.state) && listening !== c.call_id) {
        action = document.createElement('button');
        action.type = 'button';
        action.className = 'lv-listen';
        action.textContent = 'Nghe';
        action.dataset.call = c.call_id;
        action.setAttribute('aria-label', `Nghe cuộc gọi của ${c.caller}`);
        action.disabled = listening !== null;
      } else if (listening === c.call_id) {
        action = 'Đang nghe';
      }
      const party = [who(c.agent), c.transfer_to ? `→ ${c.transfer_to}` : ''].filter(Boolean).join(' ');
      const tr = row([
        ['Số gọi đến', c.caller], ['Điện thoại viên / cơ quan', party],
        ['Trạng thái', CALL_STATES[c.state] || c.state],
        ['Thời gian', clock(c.talk_seconds !== undefined ? c.talk_seconds : c.age_seconds)],
        ['Thao tác', action],
      ]);
      // One-way audio shows here first: packets from each side.
      tr.dataset.rtp = JSON.stringify(c.rtp || {});
      if (c.rtp) {
        const ph = c.rtp.phone;
        tr.title = `Gói âm thanh: từ người gọi ${c.rtp.from_trunk}, từ điện thoại viên ${c.rtp.from_agent}, ` +
          (ph ? `từ máy bàn ${ph.from_phone} (mất ${ph.lost}, đến trễ ${ph.late}), đến máy bàn ${ph.to_phone}`
            : `từ cơ quan ${c.rtp.from_agency}`);
      }
      return tr;
    }));

    fill('lv-agents', agents.map((a) => row([
      ['Điện thoại viên', who(a.user_id) + (a.phone ? ` (máy bàn ${a.phone}${a.device === 'phone' ? ', nhận cuộc gọi ở máy bàn' : ''})` : '')],
      ['Trạng thái', AGENT_STATES[a.state] || a.state],
      ['Trong trạng thái', clock(a.state_seconds)],
      ['Đã nhận', String(a.answered), 'num'],
      ['Ghi chú', reasonText(a) || (a.wrap_up_seconds_left ? `còn ${a.wrap_up_seconds_left} giây` : '')],
    ])));
    root.dataset.updated = String(Date.now());
  }

  function stopListening() {
    listening = null;
    $('lv-listening').hidden = true;
    $('lv-audio').srcObject = null;
  }

  function onmessage(msg, jsep) {
    switch (msg.event) {
      case 'logged_in':
        error('');
        clearInterval(poll);
        handle.send({ message: { request: 'status' } });
        poll = setInterval(() => handle && handle.send({ message: { request: 'status' } }), 1000);
        break;
      case 'status':
        render(msg); break;
      case 'listen':
        if (!jsep) break;
        handle.createAnswer({
          jsep,
          tracks: [{ type: 'audio', capture: false, recv: true }],
          success: (answer) => handle.send({ message: { request: 'listen_answer' }, jsep: answer }),
          error: (e) => { error(`Không nghe được cuộc gọi: ${e.message || e}`); handle.send({ message: { request: 'unlisten' } }); },
        });
        break;
      case 'listening':
        $('lv-listening').hidden = false; break;
      case 'listen_ended':
        stopListening(); break;
      case 'logged_out':
        error(msg.reason === 'session ended' ? 'Phiên đăng nhập đã kết thúc: đã thoát khỏi tổng đài. Vui lòng đăng nhập lại.'
          : 'Đã thoát khỏi tổng đài.'); break;
      case 'error':
        if (listening && msg.error_code === 487) stopListening();
        error(`Lỗi tổng đài (${msg.error_code}): ${msg.error}`); break;
      default: break;
    }
  }

  function listen(callId, caller) {
    if (!handle || listening) return;
    listening = callId;
    $('lv-listening-who').textContent = caller;
    error('');
    handle.send({ message: { request: 'listen', call_id: callId } });
  }

  $('lv-calls').addEventListener('click', (ev) => {
    const b = ev.target.closest('button.lv-listen');
    if (b) listen(b.dataset.call, b.closest('tr').firstChild.textContent);
  });
  $('lv-unlisten').addEventListener('click', () => handle && handle.send({ message: { request: 'unlisten' } }));
  hotlineConnect({
    tokenUrl: root.dataset.tokenUrl, audio: $('lv-audio'), onmessage, error,
    oncleanup: stopListening,
    onhandle: (h) => {
      handle = h;
      if (!h) { clearInterval(poll); stopListening(); }
    },
  });
})();
