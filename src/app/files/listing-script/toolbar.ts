// The toolbar: a table of actions shown when the page data's flags allow them, the new-folder
// prompt and the folder's QR code. Uses: can, show, errorText, refresh, and the upload inputs.
// Part of the page's script (see listing-script.ts): one shared scope, assembled in order.

export const TOOLBAR = String.raw`
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
`;
