// The dossiers linked to a ticket, beside it on the operator's ticket page
// (src/dossiers.c): the codes, then each dossier's one-line status.
(function () {
  'use strict';
  const box = document.getElementById('dossier-box');
  if (!box) return;
  const list = document.getElementById('dossier-linked');
  const ticket = box.dataset.ticket;

  // Removing a link is behind a confirmation, as every destructive action.
  function unlinkForm(code) {
    const csrf = document.querySelector('input[name="csrf"]');
    const details = document.createElement('details');
    details.className = 'confirm';
    const summary = document.createElement('summary');
    summary.textContent = 'Bỏ gắn hồ sơ…';
    details.appendChild(summary);
    const form = document.createElement('form');
    form.method = 'post';
    form.action = '/dtv/ho-so/bo-gan';
    for (const [name, value] of [['csrf', csrf ? csrf.value : ''], ['phieu', ticket], ['ma', code]]) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.appendChild(input);
    }
    const button = document.createElement('button');
    button.type = 'submit';
    button.className = 'danger';
    button.textContent = 'Xác nhận bỏ gắn hồ sơ ' + code;
    form.appendChild(button);
    details.appendChild(form);
    return details;
  }

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
    li.appendChild(unlinkForm(code));
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
