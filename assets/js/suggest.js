// Answer suggestions while an operator types (GET /dtv/goi-y, src/suggest.c).
//
// A form opts in with a container:
//   <div data-suggest data-from="#title,#content" data-into="#answer"
//        data-used="#suggestion"></div>
// data-from: the fields whose text is the question (data-text: a question
// already written, as on a ticket's page; data-transcript: a conversation
// whose last messages from the citizen are the question, re-read as new
// ones arrive); data-into: the answer box an
// article is inserted into (without it the article is shown to be read
// out on the phone); data-used: the hidden field that tells the server
// which article was used, for the ticket's history; data-field and
// data-agency: the selects a suggested field or agency sets (by default
// those of the enclosing form).
//
// Asks after a pause in typing (debounced), cancels a request that a newer
// one makes stale, and never reloads the page.  The list is an ARIA
// listbox: arrow keys move, Enter or a click inserts; a live region says
// how many were found.  The field (and agency, where the form has one)
// the classifier reads in the text are offered as one-click buttons.
(function () {
  'use strict';

  var DELAY_MS = 350;
  var MAX_CHARS = 600;		// the server's limit (src/suggest.c)
  var MAX_URI_BYTES = 1800;	// Kore answers 414 from 2000

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function pct(score) { return Math.round(score * 100) + '%'; }

  function setup(box, n) {
    var form = box.closest('form');
    var from = (box.getAttribute('data-from') || '').split(',')
      .filter(function (s) { return s.trim() !== ''; })
      .map(function (s) { return document.querySelector(s.trim()); })
      .filter(Boolean);
    var into = box.getAttribute('data-into') ? document.querySelector(box.getAttribute('data-into')) : null;
    var used = box.getAttribute('data-used') ? document.querySelector(box.getAttribute('data-used')) : null;
    var fixed = (box.getAttribute('data-text') || '').trim();
    var pick = function (attr, name) {
      var sel = box.getAttribute(attr);
      if (sel) return document.querySelector(sel);
      return form ? form.querySelector('select[name="' + name + '"]') : null;
    };
    var fieldSel = pick('data-field', 'field');
    var agencySel = pick('data-agency', 'agency');
    var transcript = box.getAttribute('data-transcript') ?
      document.querySelector(box.getAttribute('data-transcript')) : null;
    if (from.length === 0 && !fixed && !transcript) return;

    var id = 'suggest-' + n;
    var heading = el('h2', { id: id + '-h', class: 'suggest-h' }, 'Gợi ý trả lời');
    var status = el('p', { class: 'muted', role: 'status', 'aria-live': 'polite', id: id + '-status' },
      'Gõ nội dung câu hỏi để xem câu trả lời gợi ý.');
    var classes = el('div', { class: 'suggest-classes' });
    var list = el('ul', { role: 'listbox', id: id + '-list', class: 'suggest-list', tabindex: '0',
      'aria-labelledby': id + '-h' });
    var readout = el('div', { class: 'suggest-readout info', hidden: '' });
    box.classList.add('suggest', 'card');
    box.append(heading, status, classes, list, readout);

    var timer = null, ctl = null, items = [], active = -1, lastQ = '';

    function lastAsked() {
      if (!transcript) return '';
      var ins = transcript.querySelectorAll('.msg-in .msg-body');
      return Array.prototype.slice.call(ins, -2).map(function (m) { return m.textContent.trim(); }).join('\n');
    }

    function question() {
      var q = [fixed, lastAsked()].concat(from.map(function (f) { return f.value.trim(); })).filter(Boolean).join('\n')
        .slice(0, MAX_CHARS);
      // The question is at the start: cut the end until the URL fits.
      while (encodeURIComponent(q).length > MAX_URI_BYTES) q = q.slice(0, Math.floor(q.length * 0.9));
      return q;
    }

    function ask() {
      var q = question();
      if (q === lastQ) return;
      lastQ = q;
      if (ctl) ctl.abort();
      if (q.length < 3) { render({ articles: [], fields: [], agencies: [] }, true); return; }
      ctl = new AbortController();
      fetch('/dtv/goi-y?q=' + encodeURIComponent(q), {
        credentials: 'same-origin', headers: { accept: 'application/json' }, signal: ctl.signal,
      }).then(function (r) {
        if (!r.ok) throw new Error('HTTP ' + r.status);
        return r.json();
      }).then(function (j) { render(j, false); }).catch(function (e) {
        if (e.name === 'AbortError') return;
        status.textContent = 'Chưa lấy được gợi ý, sẽ thử lại khi bạn gõ tiếp.';
        lastQ = '';
      });
    }

    function classButtons(label, found, sel) {
      if (!found || found.length === 0) return null;
      var p = el('p', { class: 'suggest-class' });
      p.append(el('span', {}, label + ': '));
      found.forEach(function (c, i) {
        var b = el('button', { type: 'button', class: 'chip', 'data-id': String(c.id) },
          c.name + ' (' + pct(c.score) + ')');
        if (!sel) b.disabled = true;
        b.addEventListener('click', function () {
          if (!sel) return;
          sel.value = String(c.id);
          sel.dispatchEvent(new Event('change', { bubbles: true }));
          status.textContent = 'Đã chọn ' + label.toLowerCase() + ': ' + c.name + '.';
        });
        if (i > 0) p.append(' ');
        p.append(b);
      });
      return p;
    }

    var KINDS = { answer: 'Câu trả lời đã công khai', procedure: 'Thủ tục hành chính',
      'chinh-sach': 'Chính sách', 'thong-bao': 'Thông báo', 'hoi-dap': 'Hỏi đáp' };

    function render(j, quiet) {
      items = j.articles || [];
      active = -1;
      list.textContent = '';
      list.removeAttribute('aria-activedescendant');
      items.forEach(function (a, i) {
        var li = el('li', { role: 'option', id: id + '-o' + i, 'aria-selected': 'false', class: 'suggest-item' });
        var kind = el('span', { class: 'suggest-kind' }, (KINDS[a.kind] || '') + ': ');
        var title = el('strong', {}, a.title || '');
        var snip = el('span', { class: 'muted' }, ' ' + (a.snippet || '').slice(0, 160));
        var src = el('a', { href: a.url, target: '_blank', rel: 'noopener' }, 'Nguồn');
        li.append(kind, title, snip, ' ', src);
        li.addEventListener('click', function (ev) {
          if (ev.target === src) return;
          choose(i);
        });
        list.append(li);
      });
      classes.textContent = '';
      var f = classButtons('Lĩnh vực gợi ý', j.fields, fieldSel);
      var a = classButtons('Cơ quan gợi ý', j.agencies, agencySel);
      if (f) classes.append(f);
      if (a) classes.append(a);
      if (!quiet) {
        status.textContent = items.length === 0 ? 'Không có câu trả lời gợi ý phù hợp.' :
          'Có ' + items.length + ' câu trả lời gợi ý; dùng phím mũi tên và Enter để chèn.';
      }
    }

    function move(k) {
      if (items.length === 0) return;
      active = (active + k + items.length) % items.length;
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute('aria-selected', i === active ? 'true' : 'false');
        li.classList.toggle('active', i === active);
      });
      list.setAttribute('aria-activedescendant', id + '-o' + active);
      list.children[active].scrollIntoView({ block: 'nearest' });
    }

    function choose(i) {
      var a = items[i];
      if (!a) return;
      var source = 'Nguồn: ' + a.title + ' – ' + new URL(a.url, location.origin).href;
      var text = (a.snippet || '') + '\n\n' + source;
      if (into) {
        into.value = into.value.trim() ? into.value.replace(/\s+$/, '') + '\n\n' + text : text;
        into.dispatchEvent(new Event('input', { bubbles: true }));
        into.focus();
      } else {
        readout.hidden = false;
        readout.textContent = '';
        readout.append(el('strong', {}, a.title), el('p', {}, a.snippet || ''),
          el('a', { href: a.url, target: '_blank', rel: 'noopener' }, source));
      }
      if (used) used.value = a.kind + ':' + a.ref;
      status.textContent = 'Đã dùng câu trả lời: ' + a.title + '.';
    }

    list.addEventListener('keydown', function (ev) {
      if (ev.key === 'ArrowDown') { move(1); ev.preventDefault(); }
      else if (ev.key === 'ArrowUp') { move(-1); ev.preventDefault(); }
      else if (ev.key === 'Enter' && active >= 0) { choose(active); ev.preventDefault(); }
    });
    list.addEventListener('focus', function () { if (active < 0) move(1); });
    from.forEach(function (f) {
      f.addEventListener('input', function () {
        clearTimeout(timer);
        timer = setTimeout(ask, DELAY_MS);
      });
    });
    // A form reset for a new call forgets the last call's suggestions; a
    // hidden field keeps its value through reset(), so it is cleared here.
    if (form) {
      form.addEventListener('reset', function () {
        if (used) used.value = '';
        lastQ = '';
        readout.hidden = true;
        render({ articles: [], fields: [], agencies: [] }, true);
        status.textContent = 'Gõ nội dung câu hỏi để xem câu trả lời gợi ý.';
      });
    }
    if (transcript) {
      new MutationObserver(function () {
        clearTimeout(timer);
        timer = setTimeout(ask, DELAY_MS);
      }).observe(transcript, { childList: true });
    }
    if (question().length >= 3) ask();
  }

  document.querySelectorAll('[data-suggest]').forEach(setup);
})();
