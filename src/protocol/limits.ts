/** Size limits the parser enforces; each has its own status code when exceeded. */
export interface ParserLimits {
  /** Longest request line in bytes (414 beyond). */
  maxRequestLineBytes: number;
  /** Largest header section in bytes, excluding the request line (431 beyond). */
  maxHeaderBytes: number;
  /** Most header fields (431 beyond). */
  maxHeaderCount: number;
  /** Largest request body in bytes (413 beyond). */
  maxBodyBytes: number;
  /** Longest chunk-size line including extensions (400 beyond). */
  maxChunkLineBytes: number;
  /** Largest trailer section in bytes (431 beyond). */
  maxTrailerBytes: number;
  /** Most empty lines skipped before a request line (400 beyond). */
  maxLeadingEmptyLines: number;
}

export const DEFAULT_PARSER_LIMITS: Readonly<ParserLimits> = {
  maxRequestLineBytes: 8 * 1024,
  maxHeaderBytes: 16 * 1024,
  maxHeaderCount: 100,
  maxBodyBytes: 64 * 1024 * 1024,
  maxChunkLineBytes: 4 * 1024,
  maxTrailerBytes: 16 * 1024,
  maxLeadingEmptyLines: 8,
};
