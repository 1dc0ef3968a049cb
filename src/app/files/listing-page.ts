import type { ListingEntry } from './listing-read.js';
import { LISTING_SCRIPT, LISTING_STYLE } from './listing-assets.js';

/** Escapes text for HTML content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** "1.5 KiB": sizes in binary units, one decimal below 10. */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1024;
    unit++;
  } while (value >= 1024 && unit < units.length - 1);
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

const ICON_FOLDER =
  '<svg class="icon folder" viewBox="0 0 24 24" aria-hidden="true"><path d="M3 6.5A1.5 1.5 0 0 1 4.5 5h4.6l2 2h8.4A1.5 1.5 0 0 1 21 8.5v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z"/></svg>';
const ICON_FILE =
  '<svg class="icon file" viewBox="0 0 24 24" aria-hidden="true"><path d="M6.5 3h7L19 8.5v11a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 5 19.5v-15A1.5 1.5 0 0 1 6.5 3z"/><path class="fold" d="M13.5 3v5.5H19"/></svg>';
const ICON_SERVER =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4.5A1.5 1.5 0 0 1 5.5 3h13A1.5 1.5 0 0 1 20 4.5v5a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 4 9.5zm0 10A1.5 1.5 0 0 1 5.5 13h13a1.5 1.5 0 0 1 1.5 1.5v5a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 4 19.5zM7 6v2h2V6zm0 10v2h2v-2z" fill-rule="evenodd"/></svg>';
const ICON_DOWNLOAD =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 4v11m0 0-4.5-4.5M12 15l4.5-4.5M5 19.5h14"/></svg>';
const ICON_DELETE =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4.5 7h15M9.5 7V4.5h5V7m-8 0 .8 12.2A1.5 1.5 0 0 0 8.8 20.6h6.4a1.5 1.5 0 0 0 1.5-1.4L17.5 7"/></svg>';

/** The directory listing page: self-contained HTML, inline CSS and JS, every name escaped. */
export function renderListingPage(segments: readonly string[], entries: readonly ListingEntry[], nonce: string): string {
  const title = `/${segments.map((s) => `${s}/`).join('')}`;
  const folders = entries.filter((e) => e.type === 'directory').length;
  const files = entries.length - folders;
  const rows = entries.map(renderRow).join('');
  const parent =
    segments.length > 0
      ? `<tbody class="parent"><tr><td class="name"><a href="../">${ICON_FOLDER}<span>..</span></a></td><td class="num"></td><td class="date"></td><td class="row-actions"></td></tr></tbody>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Index of ${escapeHtml(title)}</title>
<style>${LISTING_STYLE}</style>
</head>
<body>
<header class="top">
<div class="wrap">
<div class="left">
<span class="brand">${ICON_SERVER}wirehttp</span>
<nav class="crumbs" aria-label="Breadcrumb">${renderBreadcrumb(segments)}</nav>
</div>
<div class="actions">
<button type="button" id="new-folder" class="button">New folder</button>
<label class="button primary" for="file-input">Upload files</label>
<input id="file-input" type="file" multiple>
</div>
</div>
</header>
<main class="wrap">
<div id="message" role="status" hidden></div>
<ul id="uploads" aria-label="Uploads" hidden></ul>
<div class="card">
<table class="listing">
<thead><tr>
<th data-key="name" aria-sort="ascending"><button type="button">Name</button></th>
<th data-key="size" class="num"><button type="button">Size</button></th>
<th data-key="mtime" class="date"><button type="button">Modified</button></th>
<th class="row-actions"><span class="sr-only">Actions</span></th>
</tr></thead>
${parent}<tbody id="entries">${rows}</tbody>
</table>
<p class="empty"${entries.length > 0 ? ' hidden' : ''}>This folder is empty. Drop files here or use Upload files.</p>
</div>
<footer><span id="summary">${count(folders, 'folder')}, ${count(files, 'file')}</span><span>Drag files onto this page to upload them.</span></footer>
</main>
<div id="drop-overlay" hidden><div>Drop files to upload to <strong>${escapeHtml(title)}</strong></div></div>
<script nonce="${nonce}">${LISTING_SCRIPT}</script>
</body>
</html>
`;
}

function renderBreadcrumb(segments: readonly string[]): string {
  let href = '/files/';
  const links = [`<a href="${href}">files</a>`];
  for (const segment of segments) {
    href += `${encodeURIComponent(segment)}/`;
    links.push(`<span class="sep">/</span><a href="${escapeHtml(href)}">${escapeHtml(segment)}</a>`);
  }
  return links.join('');
}

function renderRow(entry: ListingEntry): string {
  const isDir = entry.type === 'directory';
  const href = escapeHtml(encodeURIComponent(entry.name) + (isDir ? '/' : ''));
  const name = escapeHtml(entry.name);
  const mtime = Date.parse(entry.mtime);
  const download = isDir ? '' : `<a class="icon-button download" href="${href}" download="${name}" title="Download" aria-label="Download ${name}">${ICON_DOWNLOAD}</a>`;
  return (
    `<tr data-name="${name}" data-type="${entry.type}" data-size="${entry.size ?? -1}" data-mtime="${mtime}">` +
    `<td class="name"><a href="${href}">${isDir ? ICON_FOLDER : ICON_FILE}<span>${name}${isDir ? '/' : ''}</span></a></td>` +
    `<td class="num">${entry.size === null ? '—' : humanSize(entry.size)}</td>` +
    `<td class="date"><time datetime="${escapeHtml(entry.mtime)}">${escapeHtml(entry.mtime.slice(0, 16).replace('T', ' '))}</time></td>` +
    `<td class="row-actions">${download}<button type="button" class="icon-button delete" title="Delete" aria-label="Delete ${name}">${ICON_DELETE}</button></td>` +
    '</tr>'
  );
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
