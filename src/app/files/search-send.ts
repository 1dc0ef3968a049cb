import type { Request, Response } from '../../index.js';
import { escapeHtml } from './listing-page.js';
import type { MayOpen } from './may-open.js';
import { nameUrl } from './mount.js';
import { LISTING_STYLE } from './listing-assets.js';
import { wantsJson } from './listing.js';
import { searchNames, SEARCH_LIMITS, type SearchEnd, type SearchHit } from './search.js';

/** The search term of `?q=term`, or null when the query asks for no search. */
export function searchTerm(query: string): string | null {
  if (query === '') return null;
  const term = new URLSearchParams(query).get('q')?.trim() ?? '';
  return term === '' ? null : term;
}

/**
 * Sends the names below `dir` that match `term`, streamed as they are found: JSON
 * (`{"query", "results": [{path, type}], "end"}`, `end` saying whether the search was cut by
 * a limit) when the client asks for it, else a small HTML page of links.
 */
export function sendSearch(req: Request, res: Response, dir: string, segments: readonly string[], term: string, hidden: boolean, opens: MayOpen): Promise<void> {
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Vary', 'Accept');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  const hits = searchNames(dir, term, hidden, SEARCH_LIMITS, (hit, type) => opens([...segments, ...hit.split('/')], type));
  if (wantsJson(req.header('accept'))) {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    return res.send(jsonPieces(term, hits));
  }
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'`);
  return res.send(htmlPieces(nameUrl(req, segments, true), segments, term, hits));
}

async function* jsonPieces(term: string, hits: AsyncGenerator<SearchHit, SearchEnd>): AsyncGenerator<string> {
  try {
    yield `{"query":${JSON.stringify(term)},"results":[`;
    let first = true;
    let step = await hits.next();
    while (step.done !== true) {
      yield `${first ? '' : ','}\n${JSON.stringify(step.value)}`;
      first = false;
      step = await hits.next();
    }
    yield `\n],"end":${JSON.stringify(step.value)}}\n`;
  } finally {
    // A client that leaves early stops the walk and closes the folder it was reading.
    await hits.return('complete');
  }
}

const END_TEXT: Record<SearchEnd, string> = {
  complete: 'Searched everything.',
  results: `Stopped at ${SEARCH_LIMITS.results} results; try a longer term.`,
  time: `Stopped after ${SEARCH_LIMITS.timeMs / 1000} s; try a longer term or a smaller folder.`,
};

/** `base`: the searched folder's URL path, ending in "/"; the links start with it. */
async function* htmlPieces(base: string, segments: readonly string[], term: string, hits: AsyncGenerator<SearchHit, SearchEnd>): AsyncGenerator<string> {
  const where = `/${segments.map((s) => `${s}/`).join('')}`;
  yield `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Search ${escapeHtml(where)} for ${escapeHtml(term)}</title><link rel="icon" href="/favicon.ico">
<style>${LISTING_STYLE}.results{list-style:none;margin:0;padding:0}.results li{padding:8px 16px;border-bottom:1px solid var(--line)}.results a{color:var(--text)}</style>
</head><body><main class="wrap"><h1>Names containing “${escapeHtml(term)}” below <a href="${escapeHtml(base)}">${escapeHtml(where)}</a></h1>
<form method="get" role="search"><label for="q">Search</label> <input id="q" name="q" type="search" value="${escapeHtml(term)}"> <button class="button" type="submit">Search</button></form>
<div class="card"><ul class="results">`;
  try {
    let count = 0;
    let step = await hits.next();
    while (step.done !== true) {
      const hit = step.value;
      const href = base + hit.path.split('/').map(encodeURIComponent).join('/') + (hit.type === 'directory' ? '/' : '');
      yield `<li><a href="${escapeHtml(href)}">${escapeHtml(hit.path)}${hit.type === 'directory' ? '/' : ''}</a></li>\n`;
      count++;
      step = await hits.next();
    }
    yield `</ul></div><p>${count} found. ${END_TEXT[step.value]}</p></main></body></html>\n`;
  } finally {
    await hits.return('complete');
  }
}
