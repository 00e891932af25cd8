// The procedures import page (/quan-tri/thu-tuc/nhap): the file is sent
// with a progress bar, then the import's own progress (import_runs) is
// polled until the server answers with the run's page.  Without script
// the form posts as usual.
(function () {
  'use strict';
  var form = document.getElementById('import-form');
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  var box = document.getElementById('import-progress');
  var bar = document.getElementById('import-bar');
  var status = document.getElementById('import-status');
  var timer = null;

  function say(text) { status.textContent = text; }

  function poll() {
    var x = new XMLHttpRequest();
    x.open('GET', '/quan-tri/thu-tuc/nhap/tien-do');
    x.responseType = 'json';
    x.onload = function () {
      var r = x.response;
      if (x.status === 200 && r && r.state === 'applying' && r.total > 0) {
        bar.max = r.total;
        bar.value = r.applied;
        say('Đang áp dụng: ' + r.applied + '/' + r.total + ' thủ tục.');
      }
    };
    x.send();
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var x = new XMLHttpRequest();
    box.hidden = false;
    bar.max = 100;
    bar.value = 0;
    say('Đang tải tệp lên…');
    x.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      bar.value = Math.round(100 * e.loaded / e.total);
      say('Đang tải tệp lên: ' + bar.value + '%.');
    };
    x.upload.onload = function () {
      say('Đã tải lên; đang kiểm tra và áp dụng…');
      timer = setInterval(poll, 1000);
    };
    x.onload = function () {
      if (timer) clearInterval(timer);
      if (x.status === 200 && x.responseURL.indexOf('/quan-tri/thu-tuc/nhap/') > 0) {
        window.location.assign(x.responseURL);
        return;
      }
      var doc = new DOMParser().parseFromString(x.responseText, 'text/html');
      var err = doc.getElementById('form-error') || doc.querySelector('.alert');
      say(err ? err.textContent : 'Không nhập được tệp (mã ' + x.status + ').');
    };
    x.onerror = function () {
      if (timer) clearInterval(timer);
      say('Mất kết nối khi tải tệp lên. Vui lòng thử lại.');
    };
    x.open('POST', form.action);
    x.send(new FormData(form));
  });
}());
