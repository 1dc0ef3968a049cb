// The listing page's inline style (light and dark): no build step, no external assets.

export const LISTING_STYLE = `
:root{color-scheme:light dark;--row:45px;--bg:#f5f6f8;--card:#fff;--text:#1f2328;--muted:#656d76;--line:#e4e7eb;--accent:#2457d6;--accent-hover:#1c46b0;--on-accent:#fff;--danger:#c8332d;--hover:#f3f6fc;--current:#e8effd;--head:#fafbfc;--button-hover:#e9edf3;--folder:#e0a526;--file:#8c959f;--ok-bg:#eef6ee;--ok-line:#cfe5cf;--ok-text:#1f5f2a;--err-bg:#fdf0ef;--err-line:#f3cfcc;--err-text:#8f1f1a}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;--text:#e6edf3;--muted:#9198a1;--line:#30363d;--accent:#4f8cf7;--accent-hover:#6a9ef8;--on-accent:#0d1117;--danger:#f47067;--hover:#1c2330;--current:#1f2d45;--head:#1b2129;--button-hover:#262c36;--folder:#d9a23c;--file:#8b949e;--ok-bg:#12261a;--ok-line:#1f4a2c;--ok-text:#7ee2a0;--err-bg:#2d1515;--err-line:#5a2323;--err-text:#ffa198}}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--text);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.wrap{max-width:1040px;margin:0 auto;padding:0 24px}
.top{background:var(--card);border-bottom:1px solid var(--line);position:sticky;top:0;z-index:2}
.top .wrap .left{display:flex;align-items:center;min-width:0}
.top .wrap{display:flex;align-items:center;justify-content:space-between;gap:16px;min-height:60px;flex-wrap:wrap}
.brand{display:flex;align-items:center;gap:8px;font-weight:700;font-size:15px;color:var(--text);padding-right:14px;margin-right:6px;border-right:1px solid var(--line)}
.brand svg{width:22px;height:22px;fill:var(--accent)}
.crumbs{font-size:16px;font-weight:600;display:flex;flex-wrap:wrap;align-items:center;gap:2px;min-width:0;overflow-wrap:anywhere}
.crumbs a{color:var(--text);text-decoration:none;padding:2px 6px;border-radius:6px}
.crumbs a:hover{background:var(--hover);color:var(--accent)}
.crumbs a:last-child{color:var(--accent)}
.crumbs .sep{color:var(--muted);font-weight:400}
.actions{display:flex;gap:8px;align-items:center}
.actions a.button{text-decoration:none}
.user{color:var(--muted);margin-right:6px}
a.button{text-decoration:none}
#file-input{display:none}
.button{display:inline-flex;align-items:center;height:34px;padding:0 14px;border:1px solid var(--line);border-radius:8px;background:var(--card);color:var(--text);font:inherit;font-weight:500;cursor:pointer;user-select:none}
.button:hover{border-color:var(--muted);background:var(--hover)}
.button.primary{background:var(--accent);border-color:var(--accent);color:var(--on-accent)}
.button.primary:hover{background:var(--accent-hover)}
.button:focus-visible,.icon-button:focus-visible,th button:focus-visible,a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
main.wrap{padding-top:24px;padding-bottom:32px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;overflow:hidden;box-shadow:0 1px 2px rgba(31,35,40,.04)}
table{width:100%;border-collapse:collapse}
th,td{padding:7px 16px;text-align:left;vertical-align:middle;border-bottom:1px solid var(--line);white-space:nowrap}
tr:last-child td{border-bottom:0}
thead th{background:var(--head);font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em;padding-top:10px;padding-bottom:10px}
th button{all:unset;cursor:pointer;border-radius:4px}
th button:hover{color:var(--text)}
th[aria-sort=ascending] button::after{content:" \\2191"}
th[aria-sort=descending] button::after{content:" \\2193"}
th.num,td.num{text-align:right;width:110px;font-variant-numeric:tabular-nums}
th.date,td.date{width:180px;color:var(--muted);font-variant-numeric:tabular-nums}
th.row-actions,td.row-actions{width:96px;text-align:right}
td.name{overflow:hidden;text-overflow:ellipsis;width:100%;max-width:0}
td.name a{color:var(--text);text-decoration:none;display:flex;align-items:center;gap:10px;max-width:100%;min-height:30px}
td.name a span{overflow:hidden;text-overflow:ellipsis}
td.name a:hover span{color:var(--accent);text-decoration:underline}
tbody tr:hover{background:var(--hover)}
tbody tr.current{background:var(--current)}
#entries td{height:var(--row)}
#entries tr.spacer td{padding:0;border:0;height:auto}
.toolbar-search{margin:0 0 14px;display:flex;gap:8px}
.toolbar-search input{flex:1;height:34px;padding:0 12px;border:1px solid var(--line);border-radius:8px;background:var(--card);color:var(--text);font:inherit}
.toolbar-search input:focus-visible{outline:2px solid var(--accent);outline-offset:1px}
dialog{border:1px solid var(--line);border-radius:12px;background:var(--card);color:var(--text);padding:20px 22px;max-width:min(92vw,440px);box-shadow:0 12px 40px rgba(0,0,0,.25)}
dialog::backdrop{background:rgba(0,0,0,.35)}
dialog h2{margin:0 0 8px;font-size:17px;overflow-wrap:anywhere}
dialog .choices{display:flex;flex-wrap:wrap;gap:8px;margin-top:16px;justify-content:flex-end}
#qr-dialog img{display:block;width:240px;height:240px;margin:8px auto;background:#fff;border-radius:6px}
#qr-dialog p{overflow-wrap:anywhere;color:var(--muted);font-size:13px;text-align:center}
.icon{width:20px;height:20px;flex:none}
.icon.folder{fill:var(--folder)}
.icon.file{fill:var(--card);stroke:var(--file);stroke-width:1.5;stroke-linejoin:round}
tbody.parent td{color:var(--muted);border-bottom:1px solid var(--line)}
.parent td.name a{color:var(--muted)}
.icon-button{display:inline-flex;align-items:center;justify-content:center;width:30px;height:30px;border:0;border-radius:6px;background:transparent;color:var(--muted);cursor:pointer;vertical-align:middle;opacity:.55}
tr:hover .icon-button,tr.current .icon-button,.icon-button:focus-visible{opacity:1}
.icon-button svg{width:18px;height:18px;fill:none;stroke:currentColor;stroke-width:1.8;stroke-linecap:round;stroke-linejoin:round}
.icon-button:hover{background:var(--button-hover);color:var(--text)}
.icon-button.delete:hover{background:var(--err-bg);color:var(--danger)}
.empty{margin:0;padding:40px 16px;text-align:center;color:var(--muted)}
footer{margin-top:12px;color:var(--muted);font-size:13px;display:flex;justify-content:space-between;gap:12px;flex-wrap:wrap}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
#message{margin:0 0 14px;padding:10px 14px;border-radius:8px;background:var(--ok-bg);border:1px solid var(--ok-line);color:var(--ok-text)}
#message.error{background:var(--err-bg);border-color:var(--err-line);color:var(--err-text)}
#uploads{margin:0 0 14px;padding:12px 16px;background:var(--card);border:1px solid var(--line);border-radius:10px;display:grid;gap:8px}
#uploads ul{list-style:none;margin:0;padding:0;display:grid;gap:6px;max-height:240px;overflow:auto}
#uploads li,#uploads .overall{display:grid;grid-template-columns:minmax(0,1fr) 200px 70px 30px;align-items:center;gap:12px}
#uploads .overall{font-weight:600}
#uploads .file-name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
#uploads progress{width:100%;height:8px;appearance:none;border:0;border-radius:4px;background:var(--button-hover);overflow:hidden}
#uploads progress::-webkit-progress-bar{background:var(--button-hover)}
#uploads progress::-webkit-progress-value{background:var(--accent)}
#uploads .state{text-align:right;color:var(--muted);font-variant-numeric:tabular-nums}
#uploads li.failed .state{color:var(--danger)}
#drop-overlay{position:fixed;inset:0;background:rgba(36,87,214,.12);border:3px dashed var(--accent);display:flex;align-items:center;justify-content:center;z-index:10;pointer-events:none}
#drop-overlay[hidden]{display:none}
#drop-overlay div{background:var(--card);padding:18px 28px;border-radius:12px;font-size:16px;box-shadow:0 8px 30px rgba(31,35,40,.15)}
@media (max-width:640px){.wrap{padding:0 12px}.top .wrap{gap:8px;padding-top:8px;padding-bottom:8px}.actions{flex-wrap:wrap;gap:6px}.button{height:32px;padding:0 10px}#uploads li,#uploads .overall{grid-template-columns:minmax(0,1fr) 70px 44px 30px}th.date,td.date{display:none}th,td{padding-left:8px;padding-right:8px}th.num,td.num{width:72px}th.row-actions,td.row-actions{width:98px}:root{--row:64px}td.name{white-space:normal;padding-top:5px;padding-bottom:5px}td.name a span{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;line-height:17px;overflow-wrap:anywhere}}
`;
