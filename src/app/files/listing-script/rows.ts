// The page data and the rows in view. Only the rows on screen (and a few either side) exist
// in the DOM; spacer rows stand for the others, so a folder of 20,000 entries renders as fast
// as one of 50. Provides: data, can, icons, entries, order, current, the column indexes
// (NAME, DIR, SIZE, MTIME, CHANGEABLE), ROW, hrefOf, ROW_ACTIONS, render, updateSummary.
// Part of the page's script (see listing-script.ts): one shared scope, assembled in order.

export const ROWS = String.raw`
  var data = JSON.parse(document.getElementById('listing-data').textContent);
  var can = data.can, icons = data.icons;
  var body = document.getElementById('entries');
  var table = body.closest('table');
  var message = document.getElementById('message');
  var emptyNote = document.querySelector('.empty');
  // Every row has the style's height (--row), so a row's place is its position times that:
  // 45px, and 64px on narrow screens, where long names wrap onto up to three lines.
  function rowHeight() { return parseFloat(getComputedStyle(table).getPropertyValue('--row')); }
  var ROW = rowHeight(), OVERSCAN = 12;
  var NAME = 0, DIR = 1, SIZE = 2, MTIME = 3, CHANGEABLE = 4;

  var entries = data.entries, order = [], current = -1;
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
    { cls: 'rename', label: 'Rename or move', icon: 'rename', needs: ['change', 'move'], run: renameEntry },
    { cls: 'delete', label: 'Delete', icon: 'delete', needs: ['change'], run: deleteEntry },
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
      if (action.needs && !action.needs.every(function (need) { return need === 'change' ? e[CHANGEABLE] === 1 : can[need]; })) return;
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
  addEventListener('resize', function () {
    var height = rowHeight();
    if (height === ROW) return schedule();
    ROW = height;
    render(true);
  });
  function updateSummary() {
    var folders = 0;
    for (var i = 0; i < entries.length; i++) folders += entries[i][DIR];
    var files = entries.length - folders;
    document.getElementById('summary').textContent = folders + (folders === 1 ? ' folder, ' : ' folders, ') + files + (files === 1 ? ' file' : ' files');
    emptyNote.hidden = entries.length > 0;
    table.setAttribute('aria-rowcount', entries.length + 1);
  }
`;
