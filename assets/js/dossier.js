// The dossiers linked to a ticket, beside it on the operator's ticket page
// (src/dossiers.c): the codes, then each dossier's one-line status.
(function () {
  'use strict';
  const box = document.getElementById('dossier-box');
  if (!box) return;
  const list = document.getElementById('dossier-linked');
  const ticket = box.dataset.ticket;

  function show(code, text) {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = '/dtv/ho-so?ma=' + encodeURIComponent(code);
    a.textContent = code;
    li.appendChild(a);
    const span = document.createElement('span');
    span.className = 'dossier-line';
    span.textContent = ' — ' + text;
    li.appendChild(span);
    list.appendChild(li);
  }

  fetch('/dtv/api/phieu/' + encodeURIComponent(ticket) + '/ho-so', { credentials: 'same-origin' })
    .then((r) => r.json())
    .then((j) => {
      for (const code of j.codes || []) {
        fetch('/api/v1/dossiers/' + encodeURIComponent(code), { credentials: 'same-origin' })
          .then((r) => r.json().then((d) => show(code, r.ok ? d.line : d.error)))
          .catch(() => show(code, 'Không tải được tình trạng hồ sơ.'));
      }
    })
    .catch(() => {});
})();
