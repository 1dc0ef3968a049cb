import mime from 'mime-types';

/** The Content-Type for a file name, from the MIME database; text types carry charset=utf-8. */
export function contentTypeFor(name: string): string {
  const type = mime.lookup(name);
  if (type === false) return 'application/octet-stream';
  return mime.contentType(type) || type;
}
