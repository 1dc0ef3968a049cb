// The listing page's inline style and script: no build step, no external assets.

export const LISTING_STYLE = `
:root{--bg:#f5f6f8;--card:#fff;--text:#1f2328;--muted:#656d76;--line:#e4e7eb;--accent:#2457d6;--accent-hover:#1c46b0;--danger:#c8332d;--hover:#f3f6fc;--folder:#e0a526;--file:#8c959f}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.wrap{max-width:1040px;margin:0 auto;padding:0 24px}
.top{background:var(--card);border-bottom:1px solid var(--line);position:sticky;top:0;z-index:2}
.top .wrap .left{display:flex;align-items:center;min-width:0}
.top .wrap{display:flex;align-items:center;justify-content:space-between;gap:16px;min-height:60px;flex-wrap:wrap}
.brand{display:flex;align-items:center;gap:8px;font-weight:700;font-size:15px;color:var(--text);padding-right:14px;margin-right:6px;border-right:1px solid var(--line)}
.brand svg{width:22px;height:22px;fill:var(--accent)}
.crumbs{font-size:16px;font-weight:600;display:flex;flex-wrap:wrap;align-items:center;gap:2px;min-width:0;overflow-wrap:anywhere}
.crumbs a{color:var(--text);text-decoration:none;padding:2px 6px;border-radius:6px}
.crumbs a:hover{background:var(--hover);color:var(--accent)}
.crumbs a:last-child{color:var(--accent)}
.crumbs .sep{color:var(--muted);font-weight:400}
.actions{display:flex;gap:8px}
#file-input{display:none}
.button{display:inline-flex;align-items:center;height:34px;padding:0 14px;border:1px solid var(--line);border-radius:8px;background:var(--card);color:var(--text);font:inherit;font-weight:500;cursor:pointer;user-select:none}
.button:hover{border-color:#c9ced6;background:#fafbfc}
.button.primary{background:var(--accent);border-color:var(--accent);color:#fff}
.button.primary:hover{background:var(--accent-hover)}
.button:focus-visible,.icon-button:focus-visible,th button:focus-visible,a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
main.wrap{padding-top:24px;padding-bottom:32px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden;box-shadow:0 1px 2px rgba(31,35,40,.04)}
table{width:100%;border-collapse:collapse}
th,td{padding:7px 16px;text-align:left;vertical-align:middle;border-bottom:1px solid var(--line);white-space:nowrap}
tr:last-child td{border-bottom:0}
thead th{background:#fafbfc;font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em;padding-top:10px;padding-bottom:10px}
th button{all:unset;cursor:pointer;border-radius:4px}
th button:hover{color:var(--text)}
th[aria-sort=ascending] button::after{content:" \\2191"}
th[aria-sort=descending] button::after{content:" \\2193"}
th.num,td.num{text-align:right;width:110px;font-variant-numeric:tabular-nums}
th.date,td.date{width:180px;color:var(--muted);font-variant-numeric:tabular-nums}
th.row-actions,td.row-actions{width:96px;text-align:right}
td.name{overflow:hidden;text-overflow:ellipsis;width:100%;max-width:0}
td.name a{color:var(--text);text-decoration:none;display:flex;align-items:center;gap:10px;max-width:100%;min-height:30px}
td.name a span{overflow:hidden;text-overflow:ellipsis}
td.name a:hover span{color:var(--accent);text-decoration:underline}
tbody tr:hover{background:var(--hover)}
.icon{width:20px;height:20px;flex:none}
.icon.folder{fill:var(--folder)}
.icon.file{fill:#fff;stroke:var(--file);stroke-width:1.5;stroke-linejoin:round}
tbody.parent td{color:var(--muted);border-bottom:1px solid var(--line)}
.parent td.name a{color:var(--muted)}
.icon-button{display:inline-flex;align-items:center;justify-content:center;width:30px;height:30px;border:0;border-radius:6px;background:transparent;color:var(--muted);cursor:pointer;vertical-align:middle;opacity:.55}
tr:hover .icon-button,.icon-button:focus-visible{opacity:1}
.icon-button svg{width:18px;height:18px;fill:none;stroke:currentColor;stroke-width:1.8;stroke-linecap:round;stroke-linejoin:round}
.icon-button:hover{background:#e9edf3;color:var(--text)}
.icon-button.delete:hover{background:#fbe9e8;color:var(--danger)}
.empty{margin:0;padding:40px 16px;text-align:center;color:var(--muted)}
footer{margin-top:12px;color:var(--muted);font-size:13px;display:flex;justify-content:space-between;gap:12px;flex-wrap:wrap}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
#message{margin:0 0 14px;padding:10px 14px;border-radius:8px;background:#eef6ee;border:1px solid #cfe5cf;color:#1f5f2a}
#message.error{background:#fdf0ef;border-color:#f3cfcc;color:#8f1f1a}
#uploads{list-style:none;margin:0 0 14px;padding:12px 16px;background:var(--card);border:1px solid var(--line);border-radius:10px;display:grid;gap:8px}
#uploads li{display:grid;grid-template-columns:minmax(0,1fr) 200px 60px;align-items:center;gap:12px}
#uploads .file-name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#uploads progress{width:100%;height:8px;appearance:none;border:0;border-radius:4px;background:#e9edf3;overflow:hidden}
#uploads progress::-webkit-progress-bar{background:#e9edf3}
#uploads progress::-webkit-progress-value{background:var(--accent)}
#uploads .state{text-align:right;color:var(--muted);font-variant-numeric:tabular-nums}
#uploads li.failed .state{color:var(--danger)}
#drop-overlay{position:fixed;inset:0;background:rgba(36,87,214,.12);border:3px dashed var(--accent);display:flex;align-items:center;justify-content:center;z-index:10;pointer-events:none}
#drop-overlay[hidden]{display:none}
#drop-overlay div{background:var(--card);padding:18px 28px;border-radius:12px;font-size:16px;box-shadow:0 8px 30px rgba(31,35,40,.15)}
@media (max-width:640px){.wrap{padding:0 12px}th.date,td.date{display:none}th.num,td.num{width:84px}th.row-actions,td.row-actions{width:76px}#uploads li{grid-template-columns:minmax(0,1fr) 90px 48px}}
`;

export const LISTING_SCRIPT = `
(function () {
  'use strict';
  var entries = document.getElementById('entries');
  var message = document.getElementById('message');
  var uploads = document.getElementById('uploads');
  var overlay = document.getElementById('drop-overlay');
  var input = document.getElementById('file-input');

  function pad(n) { return String(n).padStart(2, '0'); }
  function formatDate(d) {
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes());
  }
  document.querySelectorAll('time[datetime]').forEach(function (t) {
    var d = new Date(t.dateTime);
    if (!isNaN(d)) { t.textContent = formatDate(d); t.title = d.toString(); }
  });

  function show(text, isError) {
    message.textContent = text;
    message.className = isError ? 'error' : '';
    message.hidden = false;
  }

  function updateSummary() {
    var rows = entries.rows, folders = 0;
    for (var i = 0; i < rows.length; i++) if (rows[i].dataset.type === 'directory') folders++;
    var files = rows.length - folders;
    document.getElementById('summary').textContent =
      folders + (folders === 1 ? ' folder, ' : ' folders, ') + files + (files === 1 ? ' file' : ' files');
    document.querySelector('.empty').hidden = rows.length > 0;
  }

  // Sorting: folders stay first; clicking a column again reverses it.
  var sortKey = 'name', sortDir = 1;
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  function sortRows() {
    var rows = Array.prototype.slice.call(entries.rows);
    rows.sort(function (a, b) {
      var da = a.dataset.type === 'directory', db = b.dataset.type === 'directory';
      if (da !== db) return da ? -1 : 1;
      var r = sortKey === 'name' ? collator.compare(a.dataset.name, b.dataset.name)
        : Number(a.dataset[sortKey]) - Number(b.dataset[sortKey]);
      if (r === 0 && sortKey !== 'name') r = collator.compare(a.dataset.name, b.dataset.name);
      return r * sortDir;
    });
    rows.forEach(function (row) { entries.appendChild(row); });
    document.querySelectorAll('th[data-key]').forEach(function (th) {
      if (th.dataset.key === sortKey) th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
  }
  document.querySelectorAll('th[data-key] button').forEach(function (button) {
    button.addEventListener('click', function () {
      var key = button.parentElement.dataset.key;
      if (key === sortKey) sortDir = -sortDir; else { sortKey = key; sortDir = 1; }
      sortRows();
    });
  });

  function errorText(status, body) {
    var text = (body || '').trim();
    return text ? text + ' (' + status + ')' : 'HTTP ' + status;
  }

  // Deleting: confirm, then DELETE; folders must be empty.
  entries.addEventListener('click', function (event) {
    var button = event.target.closest('button.delete');
    if (!button) return;
    var row = button.closest('tr');
    var name = row.dataset.name;
    var isDir = row.dataset.type === 'directory';
    if (!confirm('Delete ' + (isDir ? 'folder' : 'file') + ' "' + name + '"?')) return;
    fetch(encodeURIComponent(name) + (isDir ? '/' : ''), { method: 'DELETE' }).then(function (res) {
      if (res.ok) { row.remove(); updateSummary(); show('Deleted "' + name + '".', false); return; }
      return res.text().then(function (body) { show('Could not delete "' + name + '": ' + errorText(res.status, body), true); });
    }, function () { show('Could not delete "' + name + '": the server did not answer.', true); });
  });

  // New folder: POST to a name ending in "/".
  document.getElementById('new-folder').addEventListener('click', function () {
    var name = prompt('Name of the new folder:');
    if (name === null) return;
    name = name.trim();
    if (!name || name.indexOf('/') >= 0 || name === '.' || name === '..') { show('Please enter a folder name without "/".', true); return; }
    fetch(encodeURIComponent(name) + '/', { method: 'POST' }).then(function (res) {
      if (res.ok) { location.reload(); return; }
      return res.text().then(function (body) { show('Could not create "' + name + '": ' + errorText(res.status, body), true); });
    }, function () { show('Could not create "' + name + '": the server did not answer.', true); });
  });

  // Uploads: each file is PUT beside this page, a few at a time, with a progress bar.
  function upload(fileList) {
    var files = Array.prototype.slice.call(fileList);
    if (files.length === 0) return;
    uploads.hidden = false;
    var queue = files.map(function (file) {
      var item = document.createElement('li');
      var label = document.createElement('span');
      label.className = 'file-name';
      label.textContent = file.name;
      label.title = file.name;
      var bar = document.createElement('progress');
      bar.max = 1; bar.value = 0;
      var state = document.createElement('span');
      state.className = 'state';
      state.textContent = 'waiting';
      item.append(label, bar, state);
      uploads.appendChild(item);
      return { file: file, item: item, bar: bar, state: state };
    });
    var failures = 0, running = 0, next = 0;
    function pump() {
      while (running < 3 && next < queue.length) start(queue[next++]);
      if (running === 0 && next >= queue.length) finish();
    }
    function start(job) {
      running++;
      var xhr = new XMLHttpRequest();
      xhr.open('PUT', encodeURIComponent(job.file.name));
      xhr.upload.onprogress = function (e) {
        if (!e.lengthComputable) return;
        job.bar.value = e.total ? e.loaded / e.total : 1;
        job.state.textContent = Math.floor(job.bar.value * 100) + '%';
      };
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) { job.bar.value = 1; job.state.textContent = 'done'; }
        else fail(job, errorText(xhr.status, xhr.responseText));
        running--; pump();
      };
      xhr.onerror = xhr.onabort = function () { fail(job, 'connection lost'); running--; pump(); };
      job.state.textContent = '0%';
      xhr.send(job.file);
    }
    function fail(job, why) {
      failures++;
      job.item.className = 'failed';
      job.state.textContent = 'failed';
      job.item.title = why;
      show('Could not upload "' + job.file.name + '": ' + why, true);
    }
    function finish() {
      if (failures === 0) location.reload();
    }
    pump();
  }
  input.addEventListener('change', function () { upload(input.files); input.value = ''; });

  // Drag and drop anywhere on the page.
  var depth = 0;
  function hasFiles(event) { return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, 'Files') >= 0; }
  document.addEventListener('dragenter', function (e) { if (hasFiles(e)) { depth++; overlay.hidden = false; e.preventDefault(); } });
  document.addEventListener('dragover', function (e) { if (hasFiles(e)) { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; } });
  document.addEventListener('dragleave', function (e) { if (hasFiles(e) && --depth <= 0) { depth = 0; overlay.hidden = true; } });
  document.addEventListener('drop', function (e) {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    overlay.hidden = true;
    upload(e.dataTransfer.files);
  });
})();
`;
