// Rename or move from the row, with WebDAV's MOVE: the Destination is the new name's absolute
// URL and Overwrite is F, so an existing name is never replaced unasked; on 412 the page asks
// "Replace X?" as uploads do and sends the MOVE again with Overwrite: T. A new name stays in
// this folder, "a/b" is below it and "/a/b" starts at the mount; folders missing on the way
// (409) are made with MKCOL first, one level at a time.
// Provides: renameEntry. Uses: data, show, errorText, refresh, confirmReplace, hrefOf.
// Part of the page's script (see listing-script.ts): one shared scope, assembled in order.

export const RENAME = String.raw`
  function renameEntry(e) {
    var name = e[NAME];
    var answer = prompt('Rename or move "' + name + '" to:', name);
    if (answer === null) return;
    answer = answer.trim();
    if (!answer || answer === name) return;
    var parts = answer.split('/').filter(function (s) { return s !== ''; });
    if (parts.some(function (s) { return s === '.' || s === '..'; })) { show('Please give a name or a path without "." or "..".', true); return; }
    var base = answer.charAt(0) === '/' ? data.base : location.pathname;
    var folders = parts.slice(0, -1).map(function (s, i) { return base + parts.slice(0, i + 1).map(encodeURIComponent).join('/') + '/'; });
    var destination = new URL(base + parts.map(encodeURIComponent).join('/') + (e[DIR] ? '/' : ''), location.href).href;
    var made = false;
    function failed(why) { show('Could not move "' + name + '": ' + why, true); }
    function move(overwrite) {
      return fetch(hrefOf(e), { method: 'MOVE', headers: { Destination: destination, Overwrite: overwrite ? 'T' : 'F' } }).then(function (res) {
        if (res.ok) { show('Moved "' + name + '" to "' + answer + '".', false); return refresh(); }
        if (res.status === 412 && !overwrite) {
          return confirmReplace(answer, false).then(function (choice) { if (choice === 'replace') return move(true); });
        }
        if (res.status === 409 && !made && folders.length > 0) { made = true; return makeFolders(0).then(function (ok) { if (ok) return move(overwrite); }); }
        return res.text().then(function (text) { failed(errorText(res.status, text)); });
      }, function () { failed('the server did not answer.'); });
    }
    // 201 made it, 405 means it is there already; anything else stops the move.
    function makeFolders(i) {
      if (i >= folders.length) return Promise.resolve(true);
      return fetch(folders[i], { method: 'MKCOL' }).then(function (res) {
        if (res.status === 201 || res.status === 405) return makeFolders(i + 1);
        return res.text().then(function (text) { failed(errorText(res.status, text)); return false; });
      }, function () { failed('the server did not answer.'); return false; });
    }
    move(false);
  }
`;
