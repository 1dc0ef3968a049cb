/** How the request-target was written (RFC 9112 §3.2). */
export type TargetForm = 'origin' | 'absolute' | 'authority' | 'asterisk';

const NO_FIELDS: readonly string[] = [];

/**
 * A parsed, validated request head. `fields` holds the header lines in arrival order as
 * name, value, name, value…, names lower-cased (set once, by the parser; a head whose lines
 * repeat the previous one's shares its array, so it is never changed).
 */
export class RequestHead {
  fields: readonly string[] = NO_FIELDS;
  /** Body length from Content-Length, or -1 when the body is chunked or absent. */
  contentLength = -1;
  chunked = false;
  /** Whether the connection may be reused after this exchange (version and Connection header). */
  keepAlive = true;
  expectContinue = false;
  /** An Expect value other than 100-continue, which the server must refuse with 417. */
  unsupportedExpectation: string | null = null;
  host: string | null = null;
  /**
   * The client asks to switch protocols (RFC 9110 §7.8): HTTP/1.1 with an Upgrade field named
   * by Connection. (An Upgrade in an HTTP/1.0 request is ignored, as the RFC requires.)
   */
  upgrade = false;

  constructor(
    readonly method: string,
    /** The request-target exactly as received. */
    readonly target: string,
    readonly form: TargetForm,
    /** Path of the target, still percent-encoded ("*" for asterisk-form, the authority for CONNECT). */
    readonly path: string,
    /** Query of the target without "?", still percent-encoded; "" when absent. */
    readonly query: string,
    /** 1 for HTTP/1.1, 0 for HTTP/1.0. */
    readonly versionMinor: number,
  ) {}

  /** True when a body follows the head. */
  get hasBody(): boolean {
    return this.chunked || this.contentLength > 0;
  }

  /** The value of a header (name in any case); repeated fields are joined with ", ". */
  get(name: string): string | undefined {
    const key = lowerCaseName(name);
    let found: string | undefined;
    const fields = this.fields;
    for (let i = 0; i < fields.length; i += 2) {
      if (fields[i] === key) found = found === undefined ? fields[i + 1] : `${found}, ${fields[i + 1]}`;
    }
    return found;
  }
}

/**
 * Header names looked up before, lower-cased: handlers ask for a handful of constant names, and
 * one lookup costs ~90 instructions where toLowerCase costs ~210 (valgrind, a loop of lookups).
 * The CLI's echo request asks for two names: 7979 -> 7818 instructions per pipelined request
 * (bench/instructions.mjs).
 */
const lowerCaseNames = new Map<string, string>();
const LOWER_CASE_NAMES_LIMIT = 256;

function lowerCaseName(name: string): string {
  let key = lowerCaseNames.get(name);
  if (key === undefined) {
    key = name.toLowerCase();
    if (lowerCaseNames.size < LOWER_CASE_NAMES_LIMIT) lowerCaseNames.set(name, key);
  }
  return key;
}
