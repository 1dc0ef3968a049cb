import type { ListingEntry } from './listing-read.js';
import { LISTING_STYLE } from './listing-assets.js';
import { LISTING_SCRIPT } from './listing-script.js';

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

export const ICON_FOLDER =
  '<svg class="icon folder" viewBox="0 0 24 24" aria-hidden="true"><path d="M3 6.5A1.5 1.5 0 0 1 4.5 5h4.6l2 2h8.4A1.5 1.5 0 0 1 21 8.5v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z"/></svg>';
export const ICON_FILE =
  '<svg class="icon file" viewBox="0 0 24 24" aria-hidden="true"><path d="M6.5 3h7L19 8.5v11a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 5 19.5v-15A1.5 1.5 0 0 1 6.5 3z"/><path class="fold" d="M13.5 3v5.5H19"/></svg>';
const ICON_SERVER =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4.5A1.5 1.5 0 0 1 5.5 3h13A1.5 1.5 0 0 1 20 4.5v5a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 4 9.5zm0 10A1.5 1.5 0 0 1 5.5 13h13a1.5 1.5 0 0 1 1.5 1.5v5a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 4 19.5zM7 6v2h2V6zm0 10v2h2v-2z" fill-rule="evenodd"/></svg>';
export const ICON_DOWNLOAD =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M12 4v11m0 0-4.5-4.5M12 15l4.5-4.5M5 19.5h14"/></svg>';
export const ICON_DELETE =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4.5 7h15M9.5 7V4.5h5V7m-8 0 .8 12.2A1.5 1.5 0 0 0 8.8 20.6h6.4a1.5 1.5 0 0 0 1.5-1.4L17.5 7"/></svg>';

const ICON_RENAME =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 20h4L19 9l-4-4L4 16zM13.5 6.5l4 4"/></svg>';
const ICON_QR =
  '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h6v6H4zm10 0h6v6h-6zM4 14h6v6H4zm10 0h2v2h-2zm4 0h2v2h-2zm-4 4h2v2h-2zm4 0h2v2h-2z"/></svg>';
const ICON_CANCEL = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M6 6l12 12M18 6 6 18"/></svg>';

/**
 * What the requester may do here. The page shows an action only when its flag is set; access
 * rules and new features add flags here and actions to the script's tables, not markup.
 */
export interface PageCapabilities {
  /** Upload files and create folders here. */
  write: boolean;
  /** Rename and move entries (with WebDAV's MOVE; a mount without WebDAV cannot). */
  move: boolean;
}

/** Who is looking, and what they may do here and to each entry. */
export interface PageAccess {
  can: PageCapabilities;
  /** May this entry be renamed or deleted (with everything below it)? */
  changeable: (entry: ListingEntry) => boolean;
  /** The logged-in user; null for anonymous requesters. */
  user: string | null;
  /** Whether logging in is possible at all (the page then offers it to anonymous requesters). */
  logins: boolean;
}

/** Everything allowed, nobody logged in: the file server without access rules. */
export const OPEN_ACCESS: PageAccess = { can: { write: true, move: true }, changeable: () => true, user: null, logins: false };

/**
 * The data the page's script renders from, sent once as JSON inside the page. Entries are
 * compact arrays [name, isFolder 0|1, size (-1 for folders), mtime in ms, changeable 0|1],
 * in the server's name order (folders first), so the script sorts by name with the index alone;
 * `base` is the mount's path, where a move's "/a/b" starts.
 */
function pageData(segments: readonly string[], entries: readonly ListingEntry[], base: string, access: PageAccess): string {
  const rows = entries.map((e) => [e.name, e.type === 'directory' ? 1 : 0, e.size ?? -1, e.mtimeMs, access.changeable(e) ? 1 : 0]);
  const json = JSON.stringify({ root: segments.length === 0, base, entries: rows, can: access.can, icons: ICONS });
  // Inside <script>, "<" could close the element: as \u003c it stays data.
  return json.replace(/</g, '\\u003c');
}

/** Icons the script puts on rows and buttons. */
const ICONS = { folder: ICON_FOLDER, file: ICON_FILE, download: ICON_DOWNLOAD, delete: ICON_DELETE, rename: ICON_RENAME, cancel: ICON_CANCEL };

/**
 * The directory listing page: a small shell, the entries as JSON, and the script that renders
 * only the rows in view (so 20,000 entries load and sort in well under a second).
 * Every name reaches the DOM as text, never as markup.
 */
export function renderListingPage(
  segments: readonly string[],
  entries: readonly ListingEntry[],
  nonce: string,
  /** The URL path the file server is mounted at ("/files/"), still percent-encoded. */
  base: string,
  access: PageAccess = OPEN_ACCESS,
): string {
  const title = `/${segments.map((s) => `${s}/`).join('')}`;
  const folders = entries.filter((e) => e.type === 'directory').length;
  const files = entries.length - folders;
  const parent =
    segments.length > 0
      ? `<tbody class="parent"><tr><td class="name"><a href="../" aria-label="Parent folder">${ICON_FOLDER}<span>..</span></a></td><td class="num"></td><td class="date"></td><td class="row-actions"></td></tr></tbody>`
      : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Index of ${escapeHtml(title)}</title>
<link rel="icon" href="/favicon.ico">
<style>${LISTING_STYLE}</style>
</head>
<body>
<header class="top">
<div class="wrap">
<div class="left">
<span class="brand">${ICON_SERVER}wirehttp</span>
<nav class="crumbs" aria-label="Breadcrumb">${renderBreadcrumb(base, segments)}</nav>
</div>
<div class="actions" id="toolbar">
${renderViewer(access)}
<button type="button" id="qr" class="icon-button" title="QR code of this folder" aria-label="QR code of this folder">${ICON_QR}</button>
<a id="download-zip" class="button" href="?download=zip" title="Download this folder as a zip file">Download zip</a>
</div>
</div>
</header>
<main class="wrap">
<h1 class="sr-only">Index of ${escapeHtml(title)}</h1>
<form class="toolbar-search" role="search" method="get"><label class="sr-only" for="q">Search names below this folder</label><input id="q" name="q" type="search" placeholder="Search below this folder" autocomplete="off"><button class="button" type="submit">Search</button></form>
<div id="message" role="status" hidden></div>
<section id="uploads" aria-label="Uploads" hidden>
<div class="overall"><span id="overall-text">Uploading</span><progress id="overall" max="1" value="0" aria-label="All uploads"></progress><span id="overall-state" class="state"></span><button type="button" id="cancel-all" class="icon-button" title="Cancel all uploads" aria-label="Cancel all uploads">${ICON_CANCEL}</button></div>
<ul id="upload-list"></ul>
</section>
<div class="card">
<table class="listing" aria-rowcount="${entries.length + 1}">
<thead><tr aria-rowindex="1">
<th data-key="name" aria-sort="ascending"><button type="button">Name</button></th>
<th data-key="size" class="num"><button type="button">Size</button></th>
<th data-key="mtime" class="date"><button type="button">Modified</button></th>
<th class="row-actions"><span class="sr-only">Actions</span></th>
</tr></thead>
${parent}<tbody id="entries"></tbody>
</table>
<p class="empty"${entries.length > 0 ? ' hidden' : ''}>This folder is empty.${access.can.write ? ' Drop files here or use Upload files.' : ''}</p>
</div>
<footer><span id="summary">${count(folders, 'folder')}, ${count(files, 'file')}</span><span>${access.can.write ? 'Drag files or folders onto this page to upload them. ' : ''}Arrow keys move, Enter opens, Backspace goes up.</span></footer>
</main>
<dialog id="ask" aria-labelledby="ask-title" aria-describedby="ask-text"><h2 id="ask-title"></h2><p id="ask-text">Something with this name is there already.</p><div class="choices"><button type="button" class="button" data-choice="skip">Skip</button><button type="button" class="button" data-choice="skip-all">Skip all</button><button type="button" class="button" data-choice="replace-all">Replace all</button><button type="button" class="button primary" data-choice="replace">Replace</button></div></dialog>
<dialog id="qr-dialog" aria-labelledby="qr-title"><h2 id="qr-title">Open this folder on a phone</h2><img id="qr-image" alt="QR code of this folder's address"><p id="qr-url"></p><div class="choices"><button type="button" class="button" id="qr-close">Close</button></div></dialog>
<input id="file-input" type="file" multiple hidden aria-label="Files to upload">
<input id="folder-input" type="file" webkitdirectory hidden aria-label="Folder to upload">
${access.can.write ? `<div id="drop-overlay" hidden><div>Drop files or folders to upload to <strong>${escapeHtml(title)}</strong></div></div>\n` : ''}<script type="application/json" id="listing-data">${pageData(segments, entries, base, access)}</script>
<script nonce="${nonce}">${LISTING_SCRIPT}</script>
</body>
</html>
`;
}

/** Who is logged in and a way to log out, or a way to log in when there are logins. */
function renderViewer(access: PageAccess): string {
  if (access.user !== null) {
    return `<span class="user">Logged in as <strong>${escapeHtml(access.user)}</strong></span><button type="button" class="button" id="logout">Log out</button>`;
  }
  return access.logins ? `<a class="button" id="login" href="?login">Log in</a>` : '';
}

function renderBreadcrumb(base: string, segments: readonly string[]): string {
  let href = base;
  const links = [`<a href="${escapeHtml(href)}">${escapeHtml(mountName(base))}</a>`];
  for (const segment of segments) {
    href += `${encodeURIComponent(segment)}/`;
    links.push(`<span class="sep">/</span><a href="${escapeHtml(href)}">${escapeHtml(segment)}</a>`);
  }
  return links.join('');
}

/** The last segment of the mount's path ("files" for "/files/"), or "/" at the root. */
function mountName(base: string): string {
  const name = base.slice(base.lastIndexOf('/', base.length - 2) + 1, -1);
  if (name === '') return '/';
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
