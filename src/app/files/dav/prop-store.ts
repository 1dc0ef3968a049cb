import path from 'node:path';
import { MetadataFile } from './metadata-file.js';
import type { PropName } from './xml-requests.js';

/** A dead property: its name and the whole property element as self-contained XML. */
export interface DeadProp extends PropName {
  readonly xml: string;
}

/** The dead properties of one resource ("a/b", "" for the root). */
interface Entry {
  resource: string;
  props: DeadProp[];
}

interface Document {
  entries: Entry[];
}

/** A change to one resource's dead properties: set (add or replace) or remove by name. */
export type PropChange = { readonly kind: 'set'; readonly prop: DeadProp } | { readonly kind: 'remove'; readonly name: PropName };

/**
 * Dead properties (PROPPATCH), kept in `<metadata dir>/props.json` (see MetadataFile for why
 * and how it stays consistent). Resources are keyed by their path below the served directory,
 * so moving, copying or deleting a tree is one rewrite of the document under one lock.
 */
export class PropStore {
  private readonly file: MetadataFile<Document>;
  /** Lookup tables of documents already read, so a PROPFIND does not rebuild one per request. */
  private readonly indexes = new WeakMap<Document, Map<string, DeadProp[]>>();

  constructor(metadataDir: string) {
    this.file = new MetadataFile(path.join(metadataDir, 'props.json'), decode);
  }

  /** The dead properties of one resource. */
  async get(resource: string): Promise<readonly DeadProp[]> {
    return (await this.snapshot())(resource);
  }

  /** A reader for many resources (PROPFIND Depth 1) from one read of the store. */
  async snapshot(): Promise<(resource: string) => readonly DeadProp[]> {
    const document = await this.file.read();
    let index = this.indexes.get(document);
    if (index === undefined) {
      index = new Map(document.entries.map((entry) => [entry.resource, entry.props]));
      this.indexes.set(document, index);
    }
    const found = index;
    return (resource) => found.get(resource) ?? [];
  }

  /** Applies all changes in order, in one write: all or nothing. */
  async change(resource: string, changes: readonly PropChange[]): Promise<void> {
    await this.file.update((document) => {
      let props = document.entries.find((entry) => entry.resource === resource)?.props ?? [];
      for (const change of changes) {
        const name = change.kind === 'set' ? change.prop : change.name;
        props = props.filter((prop) => prop.ns !== name.ns || prop.name !== name.name);
        if (change.kind === 'set') props.push(change.prop);
      }
      document.entries = document.entries.filter((entry) => entry.resource !== resource);
      if (props.length > 0) document.entries.push({ resource, props });
    });
  }

  /** Forgets the properties of `resource` and everything below it. */
  async remove(resource: string): Promise<void> {
    await this.file.update((document) => {
      document.entries = document.entries.filter((entry) => !isWithin(entry.resource, resource));
    });
  }

  /**
   * Gives `to` (and, for a tree, what is below it) the properties of `from`, replacing what
   * `to` had; `move` also removes them from `from`.
   */
  async transfer(from: string, to: string, options: { move: boolean; tree: boolean }): Promise<void> {
    await this.file.update((document) => {
      const travels = (entry: Entry): boolean => (options.tree ? isWithin(entry.resource, from) : entry.resource === from);
      const moving = document.entries.filter(travels);
      document.entries = document.entries.filter((entry) => !isWithin(entry.resource, to) && !(options.move && travels(entry)));
      for (const entry of moving) document.entries.push({ resource: to + entry.resource.slice(from.length), props: entry.props });
    });
  }
}

/** True when `key` is `base` or below it ("" is the root, above everything). */
export function isWithin(key: string, base: string): boolean {
  return base === '' || key === base || key.startsWith(`${base}/`);
}

function decode(json: unknown): Document {
  if (json === undefined) return { entries: [] };
  if (typeof json !== 'object' || json === null || !Array.isArray((json as Document).entries)) throw new TypeError('no entries');
  return json as Document;
}
