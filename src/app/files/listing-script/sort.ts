// Sorting reorders an array of indexes, never DOM nodes, and the order is kept in the URL
// (?sort=size&order=desc), so a sorted view can be shared and survives a reload.
// Provides: sortOrder. Uses: entries, order, render.
// Part of the page's script (see listing-script.ts): one shared scope, assembled in order.

export const SORT = String.raw`
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
`;
