import qrcode from 'qrcode-generator';
import { HttpError, type Response } from '../../index.js';

/** Longest text encoded; a page URL is far shorter, and the code must stay scannable. */
const MAX_TEXT = 1024;

/**
 * `?qr=URL` on a folder: the URL as a QR code (SVG), for opening the folder on a phone. The
 * page sends its own address, so the code shows the host name the browser used, which the
 * server cannot know behind a proxy. Made on the server, so nothing is fetched from elsewhere.
 */
export function sendQrCode(res: Response, text: string): void {
  if (text.length > MAX_TEXT || !/^https?:\/\/[^\s]+$/.test(text)) throw new HttpError(400, 'qr takes an http(s) URL');
  const code = qrcode(0, 'M');
  code.addData(text);
  code.make();
  res.setHeader('Content-Type', 'image/svg+xml');
  res.setHeader('Cache-Control', 'no-cache');
  res.end(code.createSvgTag({ cellSize: 4, margin: 4, scalable: true }));
}

/** The text of `?qr=...`, or null when the query asks for no code. */
export function qrText(query: string): string | null {
  if (!query.startsWith('qr=') && !query.includes('&qr=')) return null;
  return new URLSearchParams(query).get('qr');
}
