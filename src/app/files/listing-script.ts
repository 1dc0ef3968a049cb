// The listing page's script, inline under the page's nonce. It renders from the JSON in
// #listing-data: only the rows in view exist in the DOM, and sorting reorders an array of
// indexes, so a folder of 20,000 entries is usable in well under a second (measured in
// test/app/files/browser-big.test.mjs). Toolbar and row actions are tables: a feature or an
// access rule adds a row there, and the page data's `can` flags decide what shows.
//
// The script is written in parts of one job each (listing-script/*.ts). They share one
// function scope, so each part's header says what it provides and what it uses; they are
// joined once, when this module loads, and every page sends the same string.
import { ACTIONS } from './listing-script/actions.js';
import { DROP } from './listing-script/drop.js';
import { KEYBOARD } from './listing-script/keyboard.js';
import { RENAME } from './listing-script/rename.js';
import { RESUMABLE } from './listing-script/resumable.js';
import { ROWS } from './listing-script/rows.js';
import { SESSION } from './listing-script/session.js';
import { SORT } from './listing-script/sort.js';
import { TOOLBAR } from './listing-script/toolbar.js';
import { UPLOADS } from './listing-script/uploads.js';

const START = String.raw`
  sortOrder();
  render(true);
  // When the rows are usable: tests and anyone profiling read this mark.
  performance.mark('listing-ready');
`;

export const LISTING_SCRIPT = `
(function () {
  'use strict';${[ROWS, SORT, KEYBOARD, ACTIONS, RENAME, TOOLBAR, SESSION, UPLOADS, RESUMABLE, DROP, START].join('')}})();
`;
