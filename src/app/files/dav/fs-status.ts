import { HttpError } from '../../../index.js';

/** The status a filesystem error stands for (no server path is ever shown to the client). */
export function fsStatus(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 404;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return 403;
    case 'EEXIST':
    case 'ENOTEMPTY':
    case 'ENOTDIR':
    case 'EISDIR':
      return 409;
    case 'ENAMETOOLONG':
      return 400;
    case 'ENOSPC':
    case 'EDQUOT':
      return 507;
    case 'EMFILE':
    case 'ENFILE':
      return 503;
    default:
      return 500;
  }
}

/** Short texts for the statuses filesystem errors map to. */
export const FS_MESSAGES: Readonly<Record<number, string>> = {
  400: 'File name too long',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  503: 'Server busy, try again',
  507: 'Insufficient Storage',
};

/** A filesystem error as the HttpError to answer with; anything else unchanged (500). */
export function fsHttpError(error: unknown): unknown {
  if (error instanceof HttpError) return error;
  const status = fsStatus(error);
  const message = FS_MESSAGES[status];
  return message === undefined ? error : new HttpError(status, message);
}
