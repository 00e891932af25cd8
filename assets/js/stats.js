// Supervisor pages: the statistics chart (Chart.js from Debian's
// libjs-chart.js, drawn from the same JSON as the table) and the print
// button of the printable ticket page.  The pages work without it.
(function () {
  'use strict';

  var printButton = document.getElementById('print-button');
  if (printButton) {
    printButton.addEventListener('click', function () { window.print(); });
  }

  var canvas = document.getElementById('stats-chart');
  if (!canvas || typeof window.Chart === 'undefined') return;

  fetch(canvas.getAttribute('data-src'), { credentials: 'same-origin', headers: { accept: 'application/json' } })
    .then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    })
    .then(draw)
    .catch(function () {
      var p = document.createElement('p');
      p.className = 'muted';
      p.textContent = 'Không tải được biểu đồ; số liệu đầy đủ ở bảng phía trên.';
      canvas.parentNode.replaceChild(p, canvas);
    });

  function draw(data) {
    var rows = data.rows || [];
    var byMonth = data.group === 'thang';
    var labels = rows.map(function (r) { return r.label; });
    function series(key) { return rows.map(function (r) { return r[key]; }); }
    var datasets = [
      { label: 'Tiếp nhận', data: series('received'), backgroundColor: '#0b57a4', borderColor: '#0b57a4' },
      { label: 'Đã trả lời', data: series('answered'), backgroundColor: '#7aa6d6', borderColor: '#7aa6d6' },
      { label: 'Đúng hạn', data: series('on_time'), backgroundColor: '#1e7b34', borderColor: '#1e7b34' },
      { label: 'Quá hạn chưa trả lời', data: series('overdue_open'), backgroundColor: '#b3161b', borderColor: '#b3161b' }
    ];
    // Long names (fields, agencies) read better on horizontal bars.
    var horizontal = !byMonth && data.group !== 'kenh';
    var box = canvas.parentNode;
    if (horizontal) box.style.height = Math.max(240, 48 + rows.length * 56) + 'px';
    new window.Chart(canvas, {
      type: 'bar',
      data: { labels: labels, datasets: datasets },
      options: {
        maintainAspectRatio: false,
        indexAxis: horizontal ? 'y' : 'x',
        animation: false,
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0 } }
        },
        plugins: { legend: { position: 'bottom' } }
      }
    });
  }
})();
