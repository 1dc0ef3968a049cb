// Uploads: each file is PUT with If-None-Match: *, three at a time, with progress per file and
// overall; a 412 asks "Replace X?" (replace, skip, and for many files replace all, skip all).
// Provides: upload, fromFiles, askReplace, settle, fail, pathUrl, progress, pump, running.
// Uses: show, errorText, refresh, confirmReplace, icons, resumable (files from RESUMABLE_FROM up).
// Part of the page's script (see listing-script.ts): one shared scope, assembled in order.

export const UPLOADS = String.raw`
  var panel = document.getElementById('uploads'), list = document.getElementById('upload-list');
  var overallBar = document.getElementById('overall'), overallText = document.getElementById('overall-text');
  var overallState = document.getElementById('overall-state');
  var jobs = [], queue = [], running = 0, policy = null, asking = Promise.resolve();
  function ask(name, many) {
    // After the previous answer, which may have been "replace all" or "skip all".
    var answer = asking.then(function () {
      return policy || confirmReplace(name, many);
    }).then(function (choice) {
      if (choice === 'replace-all') { policy = 'replace'; return 'replace'; }
      if (choice === 'skip-all') { policy = 'skip'; return 'skip'; }
      return choice;
    });
    asking = answer;
    return answer;
  }
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
`;
