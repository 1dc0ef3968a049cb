// Log out: one request to `?logout`, which the server answers 401. The browser sent its stored
// credentials with it on its own, and drops them when they are refused (see session.ts on the
// server); the page then reloads as an anonymous visitor, who must log in again to write or to
// read what the rules keep for logins. Uses: show.
// Part of the page's script (see listing-script.ts): one shared scope, assembled in order.

export const SESSION = String.raw`
  var logout = document.getElementById('logout');
  if (logout) {
    logout.addEventListener('click', function () {
      // From the origin: a page opened as http://user:password@host/ must not keep them in the URL.
      var here = location.origin + location.pathname;
      fetch(here + '?logout', { cache: 'no-store' }).then(function () {
        location.replace(here);
      }, function () { show('Could not log out: the server did not answer.', true); });
    });
  }
`;
