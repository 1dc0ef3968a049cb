import { HttpError } from '../../index.js';

/** Maps filesystem errors to statuses without revealing any server path; others pass through (500). */
export function fsError(error: unknown): Error {
  if (error instanceof HttpError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
    case 'ELOOP':
      return new HttpError(404, 'Not Found');
    case 'EISDIR':
      return new HttpError(409, 'A directory has that name');
    case 'EEXIST':
      return new HttpError(409, 'Something with that name exists already');
    case 'ENOTEMPTY':
      return new HttpError(409, 'Directory not empty');
    case 'ENAMETOOLONG':
      return new HttpError(400, 'File name too long');
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new HttpError(403, 'Forbidden');
    case 'ENOSPC':
    case 'EDQUOT':
      return new HttpError(507, 'Insufficient Storage');
    case 'EMFILE':
    case 'ENFILE':
      return new HttpError(503, 'Server busy, try again');
    default:
      return error instanceof Error ? error : new Error(String(error));
  }
}
