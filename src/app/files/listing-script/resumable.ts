// Large files go up with tus (resumable uploads). Provides: resumable, RESUMABLE_FROM.
// Uses: the upload jobs' helpers (settle, fail, askReplace, pump, progress, pathUrl, running).
// Part of the page's script (see listing-script.ts): one shared scope, assembled in order.

export const RESUMABLE = String.raw`
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
`;
