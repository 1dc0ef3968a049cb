// `const enum` members are inlined by tsc and leave no object in dist/, so tests read their
// values from the source: the tests then name states as the code does, and cannot drift.
import { readFileSync } from 'node:fs';

export function constEnums(sourceUrl) {
  const source = readFileSync(sourceUrl, 'utf8');
  const enums = {};
  for (const match of source.matchAll(/export const enum (\w+) \{([^}]*)\}/g)) {
    const members = {};
    let next = 0;
    const body = match[2].replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    for (const entry of body.split(',')) {
      const m = /^\s*(\w+)(?:\s*=\s*(\d+))?\s*$/.exec(entry);
      if (m === null) continue;
      const value = m[2] === undefined ? next : Number(m[2]);
      members[m[1]] = value;
      next = value + 1;
    }
    enums[match[1]] = members;
  }
  return enums;
}
