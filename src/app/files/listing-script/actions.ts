// Messages, reloading the folder's entries, and the row actions that change a name.
// Provides: show, errorText, refresh, deleteEntry, confirmReplace. Uses: entries, order, can, hrefOf.
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
  // The question "Replace X?", one at a time (uploads in flight and a rename may all ask):
  // resolves with the button chosen, "skip" when the dialog is closed otherwise.
  var askDialog = document.getElementById('ask'), questions = Promise.resolve();
  function confirmReplace(name, many) {
    var answer = questions.then(function () {
      return new Promise(function (resolve) {
        document.getElementById('ask-title').textContent = 'Replace "' + name + '"?';
        askDialog.querySelectorAll('[data-choice$="-all"]').forEach(function (b) { b.hidden = !many; });
        askDialog.onclose = function () { resolve(askDialog.returnValue || 'skip'); };
        askDialog.returnValue = '';
        askDialog.showModal();
        askDialog.querySelector('[data-choice="replace"]').focus();
      });
    });
    questions = answer;
    return answer;
  }
  askDialog.querySelectorAll('[data-choice]').forEach(function (b) {
    b.addEventListener('click', function () { askDialog.close(b.dataset.choice); });
  });
`;
