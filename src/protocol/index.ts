// The sans-I/O protocol core: bytes in, events out; no sockets, timers or files.
export { ProtocolError } from './errors.js';
export { DEFAULT_PARSER_LIMITS, type ParserLimits } from './limits.js';
export { RequestHead, type TargetForm } from './request-head.js';
export { ParseEvent, RequestParser } from './request-parser.js';
export { methodRefusal } from './method-policy.js';
export {
  BodyFraming,
  CHUNK_TRAILER,
  CONTINUE_RESPONSE,
  LAST_CHUNK,
  chunkHeader,
  serializeErrorResponse,
  serializeResponseHead,
  statusForbidsBody,
  statusLine,
} from './response-serializer.js';
export { reasonPhrase } from './status.js';
export { isFieldValue, isToken } from './chars.js';
export { isValidHostHeader } from './host.js';
