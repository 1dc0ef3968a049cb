/**
 * The file server's public entry: everything the application and the CLI may use of it.
 * The rest of this folder is its inside.
 */
export { accessNeed, readableUnder } from './access.js';
export { addFileRoutes } from './routes.js';
export type { ReadCheck } from './file-server.js';
export { discardUploadsInFlight, removeStaleUploads } from './atomic-write.js';
export { DYNAMIC_CODINGS, MIN_COMPRESS_BYTES, createCompressor, isCompressible, negotiateEncoding } from './content-coding.js';
export { acceptsHtml } from './listing.js';
export { parseDestination } from './dav/headers.js';
export { tusAnswers } from './tus/routes.js';
