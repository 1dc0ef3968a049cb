// Messages, reloading the folder's entries, and the row actions that change a name.
// Provides: show, errorText, refresh, deleteEntry, renameEntry. Uses: entries, order, can, hrefOf.
// Part of the page's script (see listing-script.ts): one shared scope, assembled in order.

export const ACTIONS = String.raw`
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
`;
