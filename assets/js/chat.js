// The portal's live chat (src/chat.c, docs/channels.md "Live chat on the
// portal"): a launcher button and a panel, on every citizen page with one
// <script> tag.  Talks to /chat/ws:
//   → hello {visitor, last, name}   ← ready {conversation, online, operator}
//   → msg {cid, text, name}         ← ack {cid, id}, then msg {id, cid, …}
//   → typing, email {address}       ← joined, typing, emailed, error
// The visitor's id (random, kept in localStorage) lets a reload continue
// the conversation; messages not yet acknowledged stay in a queue (also in
// localStorage) and are sent again, with the same client id, after a
// reconnect, so the server stores each once; every message is shown once,
// by its server id.  No operator online: an offline form files a ticket.
(function () {
  'use strict';
  if (document.getElementById('chat1022') || !('WebSocket' in window)) return;

  const KEY = 'chat1022.';
  const MAX_CHARS = 2000;
  const store = {
    get(k, d) { try { const v = localStorage.getItem(KEY + k); return v === null ? d : JSON.parse(v); } catch { return d; } },
    set(k, v) { try { localStorage.setItem(KEY + k, JSON.stringify(v)); } catch { /* private mode: this page only */ } },
  };
  function randomId() {
    const b = new Uint8Array(32);
    crypto.getRandomValues(b);
    return btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  const cidNew = () => (crypto.randomUUID ? crypto.randomUUID() : randomId().slice(0, 36));

  let visitor = store.get('visitor', '');
  if (!/^[A-Za-z0-9_-]{32,64}$/.test(visitor)) { visitor = randomId(); store.set('visitor', visitor); }
  // The highest server id shown on this page: a reconnect resumes after it;
  // a new page (a reload) starts at 0 and gets the whole conversation.
  let last = 0;
  let queue = store.get('queue', []);	// [{cid, text}] not yet acknowledged
  if (!Array.isArray(queue)) queue = [];

  // ---- the page ----
  function el(tag, attrs = {}, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === 'text') e.textContent = v;
      else if (v === true) e.setAttribute(k, '');
      else if (v !== false && v != null) e.setAttribute(k, v);
    }
    for (const k of kids) e.append(k);
    return e;
  }
  const launcher = el('button', { type: 'button', class: 'chat-launcher', 'aria-expanded': 'false', 'aria-controls': 'chat1022', text: 'Trò chuyện với Tổng đài' });
  const closeBtn = el('button', { type: 'button', class: 'chat-close', 'aria-label': 'Đóng khung trò chuyện', text: '×' });
  const status = el('p', { class: 'chat-status', role: 'status', 'aria-live': 'polite' });
  const typingLine = el('p', { class: 'chat-typing', 'aria-live': 'polite' });
  const log = el('ol', { class: 'chat-log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Tin nhắn' });
  const nameIn = el('input', { id: 'chat-name', name: 'name', maxlength: '100', autocomplete: 'name', value: store.get('name', '') });
  const textIn = el('textarea', { id: 'chat-text', name: 'text', rows: '2', maxlength: String(MAX_CHARS), required: true });
  const fileIn = el('input', { id: 'chat-file', type: 'file', accept: 'image/jpeg,image/png,image/webp', class: 'chat-file' });
  const sendBtn = el('button', { type: 'submit', class: 'primary', text: 'Gửi' });
  const form = el('form', { class: 'chat-form' },
    el('label', { for: 'chat-name', text: 'Tên của bạn (không bắt buộc)' }), nameIn,
    el('label', { for: 'chat-text', text: 'Tin nhắn' }), textIn,
    el('div', { class: 'chat-actions' },
      el('label', { for: 'chat-file', class: 'chat-attach', text: 'Đính kèm ảnh' }), fileIn, sendBtn));
  const mailIn = el('input', { id: 'chat-mail', type: 'email', name: 'address', autocomplete: 'email', required: true, maxlength: '254' });
  const mailForm = el('form', { class: 'chat-mail' },
    el('label', { for: 'chat-mail', text: 'Gửi nội dung cuộc trò chuyện tới e-mail' }),
    el('div', { class: 'chat-actions' }, mailIn, el('button', { type: 'submit', text: 'Gửi e-mail' })));
  const off = {
    name: el('input', { id: 'chat-off-name', name: 'name', maxlength: '100', autocomplete: 'name' }),
    phone: el('input', { id: 'chat-off-phone', name: 'phone', type: 'tel', required: true, autocomplete: 'tel', maxlength: '32' }),
    email: el('input', { id: 'chat-off-email', name: 'email', type: 'email', autocomplete: 'email', maxlength: '254' }),
    content: el('textarea', { id: 'chat-off-content', name: 'content', rows: '4', required: true, maxlength: '5000' }),
  };
  const offResult = el('div', { class: 'chat-off-result', role: 'status', 'aria-live': 'polite' });
  const offForm = el('form', { class: 'chat-offline', hidden: true },
    el('p', { text: 'Hiện không có cán bộ trực tuyến. Vui lòng để lại lời nhắn, Tổng đài 1022 sẽ liên hệ lại với bạn.' }),
    el('label', { for: 'chat-off-name', text: 'Họ và tên' }), off.name,
    el('label', { for: 'chat-off-phone', text: 'Số điện thoại (bắt buộc)' }), off.phone,
    el('label', { for: 'chat-off-email', text: 'E-mail (không bắt buộc)' }), off.email,
    el('label', { for: 'chat-off-content', text: 'Nội dung' }), off.content,
    el('button', { type: 'submit', class: 'primary', text: 'Gửi lời nhắn' }));
  const chatPart = el('div', { class: 'chat-live' }, log, typingLine, form, mailForm);
  const panel = el('section', { id: 'chat1022', class: 'chat-panel', role: 'dialog', 'aria-label': 'Trò chuyện với Tổng đài 1022', hidden: true },
    el('header', {}, el('h2', { text: 'Trò chuyện với Tổng đài 1022' }), closeBtn),
    status, chatPart, offForm, offResult);
  document.body.append(launcher, panel);

  // ---- the messages, each once ----
  const byId = new Map();	// server id → li
  const byCid = new Map();	// client id → li
  function show(m) {
    if (m.id && byId.has(m.id)) return;
    let li = m.cid ? byCid.get(m.cid) : null;
    if (!li) {
      li = el('li', { class: m.from === 'operator' ? 'chat-op' : 'chat-me' },
        el('span', { class: 'chat-who', text: m.from === 'operator' ? (m.name || 'Tổng đài 1022') : 'Bạn' }),
        el('span', { class: 'chat-text', text: m.text }));
      if (m.image) li.append(el('span', { class: 'chat-img', text: `Ảnh: ${m.image}` }));
      if (m.at) li.append(el('time', { text: m.at }));
      log.append(li);
      if (m.cid) byCid.set(m.cid, li);
    }
    if (m.id) {
      byId.set(m.id, li);
      li.dataset.id = m.id;
      li.classList.remove('chat-pending');
      if (m.at && !li.querySelector('time')) li.append(el('time', { text: m.at }));
    } else {
      li.classList.add('chat-pending');
    }
    log.scrollTop = log.scrollHeight;
  }
  function note(text, cls = 'chat-note') { log.append(el('li', { class: cls, text })); log.scrollTop = log.scrollHeight; }
  for (const q of queue) show({ cid: q.cid, text: q.text, from: 'visitor' });

  // ---- the socket ----
  let ws = null, ready = false, backoff = 1000, timer = null, stopped = false, online = true, conversation = null;
  let typingTimer = null, lastTyping = 0;
  function say(text) { status.textContent = text; }
  function connect() {
    clearTimeout(timer);
    if (ws || stopped) return;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/chat/ws`;
    try { ws = new WebSocket(url); } catch { schedule(); return; }
    ws.onopen = () => {
      backoff = 1000;
      ws.send(JSON.stringify({ t: 'hello', visitor, last, name: nameIn.value.trim() || undefined }));
    };
    ws.onmessage = (ev) => { let f; try { f = JSON.parse(ev.data); } catch { return; } onFrame(f); };
    ws.onclose = () => { ws = null; ready = false; if (!stopped) { say('Mất kết nối, đang kết nối lại…'); schedule(); } };
    ws.onerror = () => {};
  }
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(connect, backoff + Math.random() * 500);
    backoff = Math.min(backoff * 2, 30000);
  }
  function flush() {
    if (!ready) return;
    const name = nameIn.value.trim();
    for (const q of queue) ws.send(JSON.stringify({ t: 'msg', cid: q.cid, text: q.text, name: name || undefined }));
  }
  function onFrame(f) {
    switch (f.t) {
    case 'ready':
      ready = true; online = f.online; conversation = f.conversation;
      say(f.operator ? `Cán bộ ${f.operator} đang hỗ trợ bạn.` : online ? 'Đã kết nối. Cán bộ sẽ trả lời bạn trong giây lát.' : '');
      if (!online && !conversation && queue.length === 0) offline(true);
      flush();
      break;
    case 'ack': {
      queue = queue.filter((q) => q.cid !== f.cid);
      store.set('queue', queue);
      const li = byCid.get(f.cid);
      if (li) show({ id: f.id, cid: f.cid });
      break;
    }
    case 'msg':
      show(f);
      if (f.id > last) last = f.id;
      store.set('active', true);
      if (f.from === 'operator') typingLine.textContent = '';
      break;
    case 'joined':
      note(`Cán bộ ${f.name || ''} đã tham gia cuộc trò chuyện.`.replace('  ', ' '));
      break;
    case 'typing':
      typingLine.textContent = 'Cán bộ đang soạn tin…';
      clearTimeout(typingTimer);
      typingTimer = setTimeout(() => { typingLine.textContent = ''; }, 4000);
      break;
    case 'emailed':
      say('Đã nhận yêu cầu. Nội dung cuộc trò chuyện sẽ được gửi tới e-mail của bạn.');
      break;
    case 'error':
      if (f.cid && (f.code === 'text' || f.code === 'shape')) {
        queue = queue.filter((q) => q.cid !== f.cid);
        store.set('queue', queue);
        const li = byCid.get(f.cid);
        if (li) { li.classList.add('chat-failed'); li.append(el('span', { class: 'chat-err', text: 'Chưa gửi được' })); }
      } else if (f.cid) {
        setTimeout(flush, 10000);	// too fast, or busy: the queue is sent again
      }
      if (f.code === 'idle') stopped = true;
      say(f.error);
      break;
    }
  }

  // ---- what the visitor does ----
  function offline(on) { offForm.hidden = !on; chatPart.hidden = on; }
  function open() {
    panel.hidden = false;
    launcher.setAttribute('aria-expanded', 'true');
    stopped = false;
    connect();
    (offForm.hidden ? textIn : off.phone).focus();
  }
  function close() { panel.hidden = true; launcher.setAttribute('aria-expanded', 'false'); launcher.focus(); }
  launcher.addEventListener('click', () => (panel.hidden ? open() : close()));
  closeBtn.addEventListener('click', close);
  panel.addEventListener('keydown', (e) => { if (e.key === 'Escape') close(); });
  nameIn.addEventListener('change', () => store.set('name', nameIn.value.trim()));
  textIn.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); } });
  textIn.addEventListener('input', () => {
    const now = Date.now();
    if (ready && conversation && now - lastTyping > 3000) { lastTyping = now; ws.send('{"t":"typing"}'); }
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = textIn.value.trim();
    if (!text) return;
    const q = { cid: cidNew(), text: text.slice(0, MAX_CHARS) };
    queue.push(q);
    store.set('queue', queue);
    show({ cid: q.cid, text: q.text, from: 'visitor' });
    textIn.value = '';
    if (ready) ws.send(JSON.stringify({ t: 'msg', cid: q.cid, text: q.text, name: nameIn.value.trim() || undefined }));
    else { say('Đang chờ kết nối, tin nhắn sẽ được gửi khi có mạng.'); connect(); }
  });
  fileIn.addEventListener('change', async () => {
    const file = fileIn.files[0];
    fileIn.value = '';
    if (!file) return;
    if (file.size > 5 * 1024 * 1024) { say('Ảnh quá lớn (tối đa 5 MB).'); return; }
    const cid = cidNew();
    const body = new FormData();
    body.append('visitor', visitor);
    body.append('cid', cid);
    body.append('name', nameIn.value.trim());
    body.append('file', file, file.name);
    say('Đang gửi ảnh…');
    try {
      const r = await fetch('/chat/anh', { method: 'POST', body });
      const j = await r.json().catch(() => ({}));
      say(r.ok ? 'Đã gửi ảnh.' : j.error || 'Chưa gửi được ảnh.');
      if (r.ok && !ws) connect();
    } catch { say('Chưa gửi được ảnh, vui lòng kiểm tra kết nối mạng.'); }
  });
  mailForm.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!ready) { say('Chưa kết nối, vui lòng thử lại sau.'); return; }
    ws.send(JSON.stringify({ t: 'email', address: mailIn.value.trim() }));
  });
  offForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    offResult.textContent = '';
    const body = {};
    for (const [k, input] of Object.entries(off)) body[k] = input.value.trim();
    try {
      const r = await fetch('/chat/ngoai-gio', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const j = await r.json().catch(() => ({}));
      if (r.ok) {
        offForm.hidden = true;
        offResult.replaceChildren(
          el('p', { text: 'Tổng đài 1022 đã nhận lời nhắn của bạn. Mã phản ánh:' }),
          el('p', { class: 'code', text: j.code }),
          el('p', { class: 'muted', text: 'Dùng mã này và số điện thoại để tra cứu tại mục Tra cứu.' }));
      } else {
        offResult.replaceChildren(el('p', { class: 'alert', text: j.error || 'Chưa gửi được, vui lòng thử lại.' }));
        if (j.field && off[j.field]) off[j.field].focus();
      }
    } catch { offResult.replaceChildren(el('p', { class: 'alert', text: 'Chưa gửi được, vui lòng kiểm tra kết nối mạng.' })); }
  });
  // The browser knows the network is gone before TCP does: the socket is
  // let go at once, and the queue waits for the network to come back.
  window.addEventListener('offline', () => {
    if (!ws) return;
    const old = ws;
    ws = null; ready = false;
    old.onclose = old.onmessage = null;
    try { old.close(); } catch { /* already closing */ }
    say('Mất kết nối, đang kết nối lại…');
    schedule();
  });
  window.addEventListener('online', () => { backoff = 1000; connect(); });
  // A conversation under way (a reload): the socket comes back by itself.
  if (queue.length > 0 || store.get('active', false)) connect();
})();
