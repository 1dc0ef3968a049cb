import { sendText, type BasicAuth, type Request, type Response } from '../../index.js';

/**
 * The listing page's "Log in" and "Log out" (`?login`, `?logout` on a folder URL); true when
 * the request was one of them and is answered.
 *
 * Log in: a browser sends credentials only after a 401 with a Basic challenge.
 *
 * Log out: Basic auth has no session to end; the browser keeps the credentials and sends them
 * on its own to every URL of the folder tree it logged in to. When such a request is answered
 * 401, the browser drops them (Chromium's HttpAuthController: a rejected preemptive Basic
 * authorization is removed from its cache). The challenge names a scheme no browser offers
 * credentials for, so dropping them does not open a login prompt; the page then reloads as an
 * anonymous visitor. Valid credentials are not a failed login: the throttle does not count it.
 */
export function answerSession(access: BasicAuth | null, req: Request, res: Response): boolean {
  if (access === null || access.rules.logins.size === 0) return false;
  const flags = req.query.split('&');
  if (flags.includes('logout')) {
    res.setHeader('WWW-Authenticate', 'Logout');
    res.setHeader('Cache-Control', 'no-store');
    sendText(res, 401, 'Logged out\n');
    return true;
  }
  if (flags.includes('login') && access.user(req) === null) {
    access.refuse(res, 'login');
    return true;
  }
  return false;
}
