// The listing page's script, inline under the page's nonce. It renders from the JSON in
// #listing-data: only the rows in view exist in the DOM, and sorting reorders an array of
// indexes, so a folder of 20,000 entries is usable in well under a second (measured in
// test/app/files/browser-big.test.mjs). Toolbar and row actions are tables: a feature or an
// access rule adds a row there, and the page data's `can` flags decide what shows.

export const LISTING_SCRIPT = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('listing-data').textContent);
  var can = data.can, icons = data.icons;
  var body = document.getElementById('entries');
  var table = body.closest('table');
  var message = document.getElementById('message');
  var emptyNote = document.querySelector('.empty');
  var ROW = 45, OVERSCAN = 12;
  var NAME = 0, DIR = 1, SIZE = 2, MTIME = 3, CHANGEABLE = 4;

  // ---- data and sorting: an array of indexes, never DOM nodes ----
  var entries = data.entries, order = [], current = -1;
  var params = new URLSearchParams(location.search);
  var sortKey = ['name', 'size', 'mtime'].indexOf(params.get('sort')) >= 0 ? params.get('sort') : 'name';
  var sortDir = params.get('order') === 'desc' ? -1 : 1;
  function sortOrder() {
    var col = sortKey === 'size' ? SIZE : sortKey === 'mtime' ? MTIME : -1, dir = sortDir;
    order = new Array(entries.length);
    for (var i = 0; i < entries.length; i++) order[i] = i;
    // Entries arrive in the server's name order (folders first): the index is the name rank.
    order.sort(function (a, b) {
      var ea = entries[a], eb = entries[b];
      if (ea[DIR] !== eb[DIR]) return eb[DIR] - ea[DIR];
      var r = col < 0 ? 0 : ea[col] - eb[col];
      return (r || a - b) * dir;
    });
    document.querySelectorAll('th[data-key]').forEach(function (th) {
      if (th.dataset.key === sortKey) th.setAttribute('aria-sort', sortDir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    });
  }
  function keepSortInUrl() {
    var p = new URLSearchParams(location.search);
    if (sortKey === 'name' && sortDir > 0) { p.delete('sort'); p.delete('order'); }
    else { p.set('sort', sortKey); p.set('order', sortDir > 0 ? 'asc' : 'desc'); }
    var q = p.toString();
    history.replaceState(null, '', location.pathname + (q ? '?' + q : ''));
  }
  document.querySelectorAll('th[data-key] button').forEach(function (button) {
    button.addEventListener('click', function () {
      var key = button.parentElement.dataset.key;
      if (key === sortKey) sortDir = -sortDir; else { sortKey = key; sortDir = 1; }
      sortOrder(); keepSortInUrl(); render(true);
    });
  });

  // ---- rendering the rows in view ----
  function pad(n) { return String(n).padStart(2, '0'); }
  function formatDate(ms) {
    var d = new Date(ms);
    return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes());
  }
  function humanSize(bytes) {
    if (bytes < 1024) return bytes + ' B';
    var units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'], v = bytes, u = -1;
    do { v /= 1024; u++; } while (v >= 1024 && u < units.length - 1);
    return (v < 10 ? v.toFixed(1) : Math.round(v)) + ' ' + units[u];
  }
  function hrefOf(e) { return encodeURIComponent(e[NAME]) + (e[DIR] ? '/' : ''); }
  var ROW_ACTIONS = [
    { cls: 'download', label: 'Download', icon: 'download', files: true, link: true },
    { cls: 'rename', label: 'Rename or move', icon: 'rename', needs: 'change', run: renameEntry },
    { cls: 'delete', label: 'Delete', icon: 'delete', needs: 'change', run: deleteEntry },
  ];
  function cell(cls) { var td = document.createElement('td'); td.className = cls; return td; }
  function rowFor(pos) {
    var index = order[pos], e = entries[index];
    var tr = document.createElement('tr');
    tr.dataset.name = e[NAME];
    tr.dataset.type = e[DIR] ? 'directory' : 'file';
    tr.dataset.pos = pos;
    tr.setAttribute('aria-rowindex', pos + 2);
    if (pos === current) tr.className = 'current';
    var name = cell('name'), a = document.createElement('a'), span = document.createElement('span');
    a.href = hrefOf(e);
    a.insertAdjacentHTML('afterbegin', e[DIR] ? icons.folder : icons.file);
    span.textContent = e[NAME] + (e[DIR] ? '/' : '');
    a.appendChild(span);
    name.appendChild(a);
    var size = cell('num');
    size.textContent = e[DIR] ? '\u2014' : humanSize(e[SIZE]);
    var date = cell('date'), time = document.createElement('time');
    time.dateTime = new Date(e[MTIME]).toISOString();
    time.textContent = formatDate(e[MTIME]);
    date.appendChild(time);
    var actions = cell('row-actions');
    ROW_ACTIONS.forEach(function (action) {
      // "change" is the row's own flag (rename or delete it, with all below); others are the page's.
      if (action.needs && !(action.needs === 'change' ? e[CHANGEABLE] === 1 : can[action.needs])) return;
      if (action.files && e[DIR]) return;
      var el = document.createElement(action.link ? 'a' : 'button');
      if (action.link) { el.href = a.href; el.download = e[NAME]; } else el.type = 'button';
      el.className = 'icon-button ' + action.cls;
      el.title = action.label;
      el.setAttribute('aria-label', action.label + ' ' + e[NAME]);
      el.insertAdjacentHTML('afterbegin', icons[action.icon]);
      actions.appendChild(el);
    });
    tr.append(name, size, date, actions);
    return tr;
  }
  function spacer(height) {
    var tr = document.createElement('tr'), td = document.createElement('td');
    tr.className = 'spacer'; tr.setAttribute('aria-hidden', 'true');
    td.colSpan = 4; td.style.height = height + 'px';
    tr.appendChild(td);
    return tr;
  }
  var shown = [-1, -1];
  function render(force) {
    var top = body.getBoundingClientRect().top;
    var first = Math.max(0, Math.floor(-top / ROW) - OVERSCAN);
    var last = Math.min(order.length, Math.ceil((innerHeight - top) / ROW) + OVERSCAN);
    if (last < first) last = first;
    if (!force && first === shown[0] && last === shown[1]) return;
    var hadFocus = body.contains(document.activeElement);
    shown = [first, last];
    var rows = [spacer(first * ROW)];
    for (var pos = first; pos < last; pos++) rows.push(rowFor(pos));
    rows.push(spacer((order.length - last) * ROW));
    body.replaceChildren.apply(body, rows);
    if (hadFocus) focusCurrent();
  }
  var pending = false;
  function schedule() { if (!pending) { pending = true; requestAnimationFrame(function () { pending = false; render(false); }); } }
  addEventListener('scroll', schedule, { passive: true });
  addEventListener('resize', schedule);
  function updateSummary() {
    var folders = 0;
    for (var i = 0; i < entries.length; i++) folders += entries[i][DIR];
    var files = entries.length - folders;
    document.getElementById('summary').textContent = folders + (folders === 1 ? ' folder, ' : ' folders, ') + files + (files === 1 ? ' file' : ' files');
    emptyNote.hidden = entries.length > 0;
    table.setAttribute('aria-rowcount', entries.length + 1);
  }

  // ---- keyboard: arrows move, Enter opens, Backspace or Alt+Up goes up ----
  function rowAt(pos) { return body.querySelector('tr[data-pos="' + pos + '"]'); }
  function focusCurrent() {
    var tr = rowAt(current);
    if (tr) tr.querySelector('td.name a').focus({ preventScroll: true });
  }
  function moveTo(pos) {
    if (order.length === 0) return;
    current = Math.max(0, Math.min(order.length - 1, pos));
    var rowTop = body.getBoundingClientRect().top + scrollY + current * ROW;
    var header = document.querySelector('.top').offsetHeight + ROW;
    if (rowTop - header < scrollY) scrollTo(0, rowTop - header);
    else if (rowTop + ROW > scrollY + innerHeight) scrollTo(0, rowTop + ROW - innerHeight);
    render(true);
    focusCurrent();
  }
  body.addEventListener('focusin', function (event) {
    var tr = event.target.closest('tr[data-pos]');
    if (!tr) return;
    var pos = Number(tr.dataset.pos);
    if (pos === current) return;
    var old = rowAt(current);
    if (old) old.classList.remove('current');
    current = pos; tr.classList.add('current');
  });
  document.addEventListener('keydown', function (event) {
    var t = event.target;
    if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
    if (t.closest && t.closest('input, textarea, select, [contenteditable]')) return;
    var k = event.key;
    if (k === 'ArrowDown' || k === 'ArrowUp' || k === 'Home' || k === 'End' || k === 'PageDown' || k === 'PageUp') {
      if (event.altKey && k === 'ArrowUp') { goUp(event); return; }
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault();
      var page = Math.max(1, Math.floor(innerHeight / ROW) - 3);
      var step = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page }[k];
      moveTo(k === 'Home' ? 0 : k === 'End' ? order.length - 1 : current < 0 ? 0 : current + step);
    } else if (k === 'Enter' && current >= 0 && !t.closest('a, button')) {
      event.preventDefault();
      location.href = hrefOf(entries[order[current]]);
    } else if (k === 'Backspace' && !event.altKey && !event.ctrlKey && !event.metaKey) {
      goUp(event);
    }
  });
  function goUp(event) {
    if (data.root) return;
    event.preventDefault();
    location.href = '../';
  }

  // ---- messages and requests ----
  function show(text, isError) {
    message.textContent = text;
    message.className = isError ? 'error' : '';
    message.hidden = false;
  }
  function errorText(status, text) {
    text = (text || '').trim();
    return text ? text + ' (' + status + ')' : 'HTTP ' + status;
  }
  function refresh() {
    return fetch(location.pathname, { headers: { Accept: 'application/json' }, cache: 'no-store' }).then(function (res) {
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.json();
    }).then(function (list) {
      // The JSON form has no flags: a known name keeps its own, a new one (made here, so the
      // folder is writable) gets the folder's; the server still checks every change.
      var changeable = {};
      entries.forEach(function (e) { changeable[e[NAME]] = e[CHANGEABLE]; });
      entries = list.map(function (e) {
        var flag = Object.prototype.hasOwnProperty.call(changeable, e.name) ? changeable[e.name] : can.write ? 1 : 0;
        return [e.name, e.type === 'directory' ? 1 : 0, e.size === null ? -1 : e.size, Date.parse(e.mtime), flag];
      });
      current = Math.min(current, entries.length - 1);
      sortOrder(); updateSummary(); render(true);
    }, function () { show('Could not reload the folder; reload the page.', true); });
  }
  function entryOf(button) { return entries[order[Number(button.closest('tr').dataset.pos)]]; }
  body.addEventListener('click', function (event) {
    var button = event.target.closest('button.icon-button');
    if (!button) return;
    var action = ROW_ACTIONS.filter(function (a) { return button.classList.contains(a.cls); })[0];
    if (action && action.run) action.run(entryOf(button));
  });
  function deleteEntry(e) {
    var name = e[NAME];
    if (!confirm(e[DIR] ? 'Delete folder "' + name + '" and everything in it?' : 'Delete file "' + name + '"?')) return;
    fetch(hrefOf(e), { method: 'DELETE' }).then(function (res) {
      if (res.ok) { show('Deleted "' + name + '".', false); return refresh(); }
      return res.text().then(function (text) { show('Could not delete "' + name + '": ' + errorText(res.status, text), true); });
    }, function () { show('Could not delete "' + name + '": the server did not answer.', true); });
  }
  // Rename or move: a new name stays in this folder; "a/b" is below it, "/a/b" from the top.
  function renameEntry(e) {
    var name = e[NAME];
    var answer = prompt('Rename or move "' + name + '" to:', name);
    if (answer === null) return;
    answer = answer.trim();
    if (!answer || answer === name) return;
    var base = answer.charAt(0) === '/' ? '/files/' : location.pathname;
    var parts = answer.split('/').filter(function (s) { return s !== ''; });
    if (parts.some(function (s) { return s === '.' || s === '..'; })) { show('Please give a name or a path without "." or "..".', true); return; }
    var to = base + parts.map(encodeURIComponent).join('/');
    fetch(hrefOf(e), { method: 'POST', headers: { 'Content-Type': 'application/x-wirehttp-move+json' }, body: JSON.stringify({ to: to }) }).then(function (res) {
      if (res.ok) { show('Moved "' + name + '" to "' + answer + '".', false); return refresh(); }
      return res.text().then(function (text) {
        show('Could not move "' + name + '": ' + (res.status === 412 ? '"' + answer + '" exists already.' : errorText(res.status, text)), true);
      });
    }, function () { show('Could not move "' + name + '": the server did not answer.', true); });
  }

  // ---- toolbar: a table of actions, shown when the page data allows them ----
  var fileInput = document.getElementById('file-input'), folderInput = document.getElementById('folder-input');
  var TOOLBAR = [
    { id: 'new-folder', label: 'New folder', needs: 'write', run: newFolder },
    { id: 'upload-folder', label: 'Upload folder', needs: 'write', run: function () { folderInput.click(); } },
    { id: 'upload-files', label: 'Upload files', needs: 'write', primary: true, run: function () { fileInput.click(); } },
  ];
  var toolbar = document.getElementById('toolbar');
  TOOLBAR.forEach(function (action) {
    if (action.needs && !can[action.needs]) return;
    var button = document.createElement('button');
    button.type = 'button'; button.id = action.id;
    button.className = 'button' + (action.primary ? ' primary' : '');
    button.textContent = action.label;
    button.addEventListener('click', action.run);
    toolbar.appendChild(button);
  });
  function newFolder() {
    var name = prompt('Name of the new folder:');
    if (name === null) return;
    name = name.trim();
    if (!name || name.indexOf('/') >= 0 || name === '.' || name === '..') { show('Please enter a folder name without "/".', true); return; }
    fetch(encodeURIComponent(name) + '/', { method: 'POST' }).then(function (res) {
      if (res.ok) return refresh();
      return res.text().then(function (text) { show('Could not create "' + name + '": ' + errorText(res.status, text), true); });
    }, function () { show('Could not create "' + name + '": the server did not answer.', true); });
  }
  var qrDialog = document.getElementById('qr-dialog');
  document.getElementById('qr').addEventListener('click', function () {
    var url = location.origin + location.pathname;
    document.getElementById('qr-image').src = '?qr=' + encodeURIComponent(url);
    document.getElementById('qr-url').textContent = url;
    qrDialog.showModal();
  });
  document.getElementById('qr-close').addEventListener('click', function () { qrDialog.close(); });

  // ---- uploads: PUT each file with If-None-Match: *, ask before replacing ----
  var panel = document.getElementById('uploads'), list = document.getElementById('upload-list');
  var overallBar = document.getElementById('overall'), overallText = document.getElementById('overall-text');
  var overallState = document.getElementById('overall-state');
  var jobs = [], queue = [], running = 0, policy = null, asking = Promise.resolve();
  var askDialog = document.getElementById('ask');
  function ask(name, many) {
    // One question at a time, even with three uploads in flight.
    var answer = asking.then(function () {
      if (policy) return policy;
      return new Promise(function (resolve) {
        document.getElementById('ask-title').textContent = 'Replace "' + name + '"?';
        askDialog.querySelectorAll('[data-choice$="-all"]').forEach(function (b) { b.hidden = !many; });
        askDialog.onclose = function () { resolve(askDialog.returnValue || 'skip'); };
        askDialog.returnValue = '';
        askDialog.showModal();
        askDialog.querySelector('[data-choice="replace"]').focus();
      });
    }).then(function (choice) {
      if (choice === 'replace-all') { policy = 'replace'; return 'replace'; }
      if (choice === 'skip-all') { policy = 'skip'; return 'skip'; }
      return choice;
    });
    asking = answer;
    return answer;
  }
  askDialog.querySelectorAll('[data-choice]').forEach(function (b) {
    b.addEventListener('click', function () { askDialog.close(b.dataset.choice); });
  });
  function pathUrl(path) { return path.split('/').map(encodeURIComponent).join('/'); }
  function upload(items) {
    if (items.length === 0) return;
    if (running === 0 && queue.length === 0) { jobs = []; policy = null; list.replaceChildren(); }
    panel.hidden = false;
    items.forEach(function (item) {
      var li = document.createElement('li'), label = document.createElement('span');
      label.className = 'file-name'; label.textContent = item.path; label.title = item.path;
      var bar = document.createElement('progress'); bar.max = 1; bar.value = 0;
      bar.setAttribute('aria-label', 'Upload of ' + item.path);
      var state = document.createElement('span'); state.className = 'state'; state.textContent = 'waiting';
      var cancel = document.createElement('button');
      cancel.type = 'button'; cancel.className = 'icon-button cancel';
      cancel.title = 'Cancel'; cancel.setAttribute('aria-label', 'Cancel upload of ' + item.path);
      cancel.insertAdjacentHTML('afterbegin', icons.cancel);
      li.append(label, bar, state, cancel);
      list.appendChild(li);
      var job = { file: item.file, path: item.path, li: li, bar: bar, state: state, cancel: cancel, loaded: 0, status: 'waiting', replace: false, xhr: null };
      cancel.addEventListener('click', function () { stop(job); });
      jobs.push(job);
      queue.push(job);
    });
    pump();
  }
  function remaining() { return running + queue.length; }
  // Many files make many progress events: count them up once per frame.
  var counting = false;
  function progress() {
    if (counting) return;
    counting = true;
    requestAnimationFrame(function () { counting = false; countProgress(); });
  }
  function countProgress() {
    var total = 0, loaded = 0, done = 0;
    jobs.forEach(function (j) {
      total += j.file.size; loaded += j.status === 'done' ? j.file.size : j.loaded;
      if (j.status !== 'waiting' && j.status !== 'sending') done++;
    });
    overallBar.value = total ? loaded / total : done / Math.max(1, jobs.length);
    overallText.textContent = done + ' of ' + jobs.length + (jobs.length === 1 ? ' file' : ' files');
    overallState.textContent = Math.floor(overallBar.value * 100) + '%';
  }
  function pump() {
    while (running < 3 && queue.length > 0) {
      var job = queue.shift();
      if (job.status === 'waiting') send(job);
    }
    progress();
    if (running === 0 && queue.length === 0 && !jobs.some(function (j) { return j.status === 'asking'; })) finish();
  }
  /** The name exists (412 to If-None-Match: *): ask, then queue the job again or skip it. */
  function askReplace(job) {
    job.status = 'asking'; job.state.textContent = 'exists';
    ask(job.path, jobs.length > 1).then(function (choice) {
      if (job.status !== 'asking') return;
      if (choice === 'replace') { job.status = 'waiting'; job.replace = true; job.loaded = 0; queue.unshift(job); } else settle(job, 'skipped', 'skipped');
      pump();
    });
  }
  function settle(job, status, text) {
    job.status = status; job.state.textContent = text; job.li.className = status;
    job.cancel.disabled = true; job.xhr = null;
  }
  function send(job) {
    var replace = job.replace;
    running++;
    job.status = 'sending';
    if (job.file.size >= RESUMABLE_FROM) return resumable(job, replace);
    var xhr = new XMLHttpRequest();
    job.xhr = xhr;
    xhr.open('PUT', pathUrl(job.path));
    if (!replace) xhr.setRequestHeader('If-None-Match', '*');
    xhr.upload.onprogress = function (e) {
      if (!e.lengthComputable) return;
      job.loaded = e.loaded;
      job.bar.value = e.total ? e.loaded / e.total : 1;
      job.state.textContent = Math.floor(job.bar.value * 100) + '%';
      progress();
    };
    xhr.onload = function () {
      running--;
      if (xhr.status === 412 && !replace) return askReplace(job);
      if (xhr.status >= 200 && xhr.status < 300) { job.bar.value = 1; settle(job, 'done', 'done'); }
      else fail(job, errorText(xhr.status, xhr.responseText));
      pump();
    };
    xhr.onerror = function () { running--; fail(job, 'connection lost'); pump(); };
    xhr.onabort = function () { running--; settle(job, 'cancelled', 'cancelled'); pump(); };
    job.state.textContent = '0%';
    xhr.send(job.file);
  }
  // Large files go up with tus (resumable): in chunks, each acknowledged with the offset the
  // server holds. The upload URL is kept under the file's fingerprint, so after a network drop
  // the page retries from there, and after a reload choosing the same file again resumes it.
  var RESUMABLE_FROM = 16 * 1024 * 1024, CHUNK = 8 * 1024 * 1024, RETRY_DELAYS = [500, 1000, 3000, 5000, 10000];
  var STORE = 'wirehttp-tus:';
  function fingerprint(job) { return STORE + location.pathname + ':' + job.path + ':' + job.file.size + ':' + job.file.lastModified; }
  function base64Utf8(text) {
    var bytes = new TextEncoder().encode(text), binary = '';
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary);
  }
  function resumable(job, replace) {
    var file = job.file, key = fingerprint(job), url = localStorage.getItem(key), attempt = 0;
    var slash = job.path.lastIndexOf('/'), folder = slash < 0 ? '' : pathUrl(job.path.slice(0, slash)) + '/';
    var name = job.path.slice(slash + 1);
    var creating = { cancelled: false, abort: function () { creating.cancelled = true; } };
    function request(method, target, headers, body, onProgress, callback) {
      var xhr = new XMLHttpRequest();
      // A creation is let finish (its answer names what to abandon); the others are cut.
      job.xhr = method === 'POST' ? creating : xhr;
      xhr.open(method, target);
      xhr.setRequestHeader('Tus-Resumable', '1.0.0');
      Object.keys(headers).forEach(function (h) { xhr.setRequestHeader(h, headers[h]); });
      if (onProgress) xhr.upload.onprogress = function (e) { onProgress(e.loaded); };
      xhr.onload = function () { callback(xhr); };
      xhr.onerror = function () { callback(null); };
      xhr.onabort = function () { running--; settle(job, 'cancelled', 'cancelled'); abandon(); pump(); };
      xhr.send(body);
    }
    // Cancel means abandon: the server drops what it holds (termination), retried while the
    // cut request still holds the upload (423).
    function abandon() {
      if (!url) return;
      localStorage.removeItem(key);
      var tries = 0;
      (function terminate() {
        var xhr = new XMLHttpRequest();
        xhr.open('DELETE', url);
        xhr.setRequestHeader('Tus-Resumable', '1.0.0');
        xhr.onload = function () { if (xhr.status === 423 && ++tries < 5) setTimeout(terminate, 300); };
        xhr.send();
      })();
    }
    function at(offset) {
      job.loaded = offset;
      job.bar.value = file.size ? offset / file.size : 1;
      job.state.textContent = Math.floor(job.bar.value * 100) + '%';
      progress();
    }
    function done(why) {
      running--;
      if (why) fail(job, why); else { job.bar.value = 1; settle(job, 'done', 'done'); }
      // The notice about unfinished uploads is stale once one of them is done.
      if (!why && message.textContent.indexOf('Unfinished upload') === 0) message.hidden = true;
      pump();
    }
    function retry(why) {
      if (attempt >= RETRY_DELAYS.length) return done(why);
      job.state.textContent = 'retrying';
      setTimeout(locate, RETRY_DELAYS[attempt++]);
    }
    function create() {
      var headers = { 'Upload-Length': String(file.size), 'Upload-Metadata': 'filename ' + base64Utf8(name) };
      if (!replace) headers['If-None-Match'] = '*';
      request('POST', folder || './', headers, null, null, function (xhr) {
        if (!xhr) return retry('connection lost');
        if (creating.cancelled) {
          // Cancelled while the server was creating it: abandon what it made.
          url = xhr.status === 201 ? xhr.getResponseHeader('Location') : null;
          running--; settle(job, 'cancelled', 'cancelled'); abandon(); pump();
          return;
        }
        if (xhr.status === 412 && !replace) {
          running--;
          return askReplace(job);
        }
        if (xhr.status !== 201) return done(errorText(xhr.status, xhr.responseText));
        url = xhr.getResponseHeader('Location');
        localStorage.setItem(key, url);
        send(0);
      });
    }
    // Where does the upload stand? (A new one when the stored one is gone or expired.)
    function locate() {
      if (!url) return create();
      request('HEAD', url, {}, null, null, function (xhr) {
        if (!xhr) return retry('connection lost');
        if (xhr.status === 404 || xhr.status === 410) { localStorage.removeItem(key); url = null; return create(); }
        if (xhr.status !== 200) return done(errorText(xhr.status, ''));
        send(Number(xhr.getResponseHeader('Upload-Offset')));
      });
    }
    function send(offset) {
      at(offset);
      if (offset >= file.size && file.size > 0) { localStorage.removeItem(key); return done(null); }
      request('PATCH', url, { 'Content-Type': 'application/offset+octet-stream', 'Upload-Offset': String(offset) },
        file.slice(offset, offset + CHUNK), function (loaded) { at(offset + loaded); }, function (xhr) {
          if (!xhr || xhr.status === 409 || xhr.status === 423) return retry(xhr ? errorText(xhr.status, xhr.responseText) : 'connection lost');
          if (xhr.status !== 204) { localStorage.removeItem(key); return done(errorText(xhr.status, xhr.responseText)); }
          attempt = 0;
          var next = Number(xhr.getResponseHeader('Upload-Offset'));
          if (next >= file.size) { localStorage.removeItem(key); return done(null); }
          send(next);
        });
    }
    job.state.textContent = '0%';
    locate();
  }
  // Unfinished resumable uploads of this folder: say how to resume them.
  (function () {
    var prefix = STORE + location.pathname + ':', names = [];
    for (var i = 0; i < localStorage.length; i++) {
      var stored = localStorage.key(i);
      if (stored && stored.indexOf(prefix) === 0) names.push(stored.slice(prefix.length).replace(/:\d+:\d+$/, ''));
    }
    if (names.length > 0) show('Unfinished upload' + (names.length > 1 ? 's' : '') + ': ' + names.join(', ') + '. Choose the same file again to resume.', false);
  })();
  function stop(job) {
    if (job.xhr) job.xhr.abort();
    else if (job.status === 'waiting' || job.status === 'asking') { settle(job, 'cancelled', 'cancelled'); pump(); }
  }
  document.getElementById('cancel-all').addEventListener('click', function () { jobs.slice().forEach(stop); });
  function fail(job, why) {
    settle(job, 'failed', 'failed');
    job.li.title = why;
    show('Could not upload "' + job.path + '": ' + why, true);
  }
  function finish() {
    var failed = jobs.some(function (j) { return j.status === 'failed'; });
    refresh();
    if (!failed) setTimeout(function () { if (running === 0 && remaining() === 0) panel.hidden = true; }, 1500);
  }
  function fromFiles(files, relative) {
    return Array.prototype.map.call(files, function (f) { return { file: f, path: (relative && f.webkitRelativePath) || f.name }; });
  }
  fileInput.addEventListener('change', function () { upload(fromFiles(fileInput.files, false)); fileInput.value = ''; });
  folderInput.addEventListener('change', function () { upload(fromFiles(folderInput.files, true)); folderInput.value = ''; });

  // ---- drag and drop: files, or folders with everything in them ----
  var overlay = document.getElementById('drop-overlay'), depth = 0;
  function hasFiles(event) { return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, 'Files') >= 0; }
  function walk(entry, prefix, out) {
    if (entry.isFile) return new Promise(function (resolve) { entry.file(function (f) { out.push({ file: f, path: prefix + f.name }); resolve(); }, resolve); });
    var reader = entry.createReader();
    return new Promise(function (resolve) {
      var all = [];
      (function more() {
        reader.readEntries(function (batch) {
          if (batch.length === 0) {
            Promise.all(all.map(function (child) { return walk(child, prefix + entry.name + '/', out); })).then(resolve);
            return;
          }
          all = all.concat(Array.prototype.slice.call(batch)); more();
        }, resolve);
      })();
    });
  }
  if (can.write) {
    document.addEventListener('dragenter', function (e) { if (hasFiles(e)) { depth++; overlay.hidden = false; e.preventDefault(); } });
    document.addEventListener('dragover', function (e) { if (hasFiles(e)) { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; } });
    document.addEventListener('dragleave', function (e) { if (hasFiles(e) && --depth <= 0) { depth = 0; overlay.hidden = true; } });
    document.addEventListener('drop', function (e) {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0; overlay.hidden = true;
      var items = e.dataTransfer.items, roots = [];
      for (var i = 0; items && i < items.length; i++) {
        var entry = items[i].webkitGetAsEntry && items[i].webkitGetAsEntry();
        if (entry) roots.push(entry);
      }
      var files = e.dataTransfer.files;
      if (roots.length === 0 || !roots.some(function (r) { return r.isDirectory; })) { upload(fromFiles(files, false)); return; }
      var out = [];
      Promise.all(roots.map(function (r) { return walk(r, '', out); })).then(function () { upload(out); });
    });
  }

  sortOrder();
  render(true);
  // When the rows are usable: tests and anyone profiling read this mark.
  performance.mark('listing-ready');
})();
`;
