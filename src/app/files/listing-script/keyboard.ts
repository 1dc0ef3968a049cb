// Keyboard use: arrows, Home/End and Page Up/Down move, Enter opens, Backspace or Alt+Up goes up.
// Provides: focusCurrent. Uses: body, order, current, ROW, hrefOf, render.
// Part of the page's script (see listing-script.ts): one shared scope, assembled in order.

export const KEYBOARD = String.raw`
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
`;
