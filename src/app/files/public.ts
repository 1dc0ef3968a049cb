/**
 * What the package exports as `wirehttp/files`: the file server as a handler for a library
 * user's own routes. (The core API, `wirehttp`, sits below the file server and cannot name it.)
 */
export { serveFiles, type ServeFilesOptions } from './routes.js';
