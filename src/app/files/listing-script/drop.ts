// Drag and drop onto the page: files, or folders with everything in them. Uses: can, upload, fromFiles.
// Part of the page's script (see listing-script.ts): one shared scope, assembled in order.

export const DROP = String.raw`
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
`;
