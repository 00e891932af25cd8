// The operators' inbox, live (src/inbox_live.c): a WebSocket hears every
// change of every conversation (NOTIFY inbox) and the page fetches its own
// list (or transcript) again, so what it shows is what the server renders.
// While the operator types a reply the server is told (at most every 3 s),
// for the chat visitor's "typing…".
(function () {
  'use strict';
  const list = document.getElementById('inbox-page');
  const conv = document.getElementById('conversation');
  const root = list || conv;
  if (!root || !('WebSocket' in window)) return;
  const convId = conv ? Number(conv.dataset.id) : 0;
  const status = document.getElementById(list ? 'inbox-status' : 'conv-status');
  let ws = null;
  let retry = 1000;
  let timer = null;
  let lastTyping = 0;

  // Swap the parts of the page that change for the server's fresh copy.
  function refetch(note) {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        const r = await fetch(location.href, { credentials: 'same-origin', headers: { accept: 'text/html' } });
        if (!r.ok) return;
        const doc = new DOMParser().parseFromString(await r.text(), 'text/html');
        for (const id of list ? ['inbox-list'] : ['transcript', 'claim-holder']) {
          const fresh = doc.getElementById(id);
          const old = document.getElementById(id);
          if (fresh && old) old.innerHTML = fresh.innerHTML;
        }
        if (note && status) status.textContent = note;
      } catch (e) { /* the next notice tries again */ }
    }, 250);
  }

  function onNote(ev) {
    let m;
    try { m = JSON.parse(ev.data); } catch (e) { return; }
    if (m.resync) { refetch(''); return; }
    if (m.event === 'typing') return;
    // A chat visitor typing: said on their conversation's page, no refetch.
    if (m.event === 'visitor_typing') {
      if (!list && Number(m.conversation) === convId && status) status.textContent = 'Người dân đang soạn tin…';
      return;
    }
    if (list) {
      refetch(m.message ? 'Có tin nhắn mới.' : 'Danh sách đã được cập nhật.');
    } else if (Number(m.conversation) === convId && m.event !== 'read') {
      refetch(m.event === 'claimed' ? `Đã được ${m.name || 'người khác'} nhận.` :
        m.message ? 'Có tin nhắn mới.' : 'Cuộc trò chuyện đã được cập nhật.');
    }
  }

  function connect() {
    const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + root.dataset.ws;
    ws = new WebSocket(url);
    ws.onopen = () => { retry = 1000; };
    ws.onmessage = onNote;
    ws.onclose = () => {
      ws = null;
      setTimeout(() => { connect(); refetch(''); }, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }
  function send(obj) { if (ws && ws.readyState === 1) ws.send(JSON.stringify(obj)); }

  connect();
  setInterval(() => send({ ping: 1 }), 50000);

  const body = document.getElementById('body');
  if (conv && body) {
    body.addEventListener('input', () => {
      const now = Date.now();
      if (now - lastTyping < 3000) return;
      lastTyping = now;
      send({ typing: convId });
    });
  }
})();
