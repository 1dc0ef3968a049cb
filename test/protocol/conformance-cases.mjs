// Raw-request conformance cases derived from RFC 9110 / RFC 9112, run by conformance.test.mjs
// against an in-process server whose fallback handler echoes what reached it as JSON
// ({ m: method, p: path, q: query, n: body length, x: X-Echo header }), with maxBodyBytes = 1 MiB.
//
// Each case: { name, send (latin1 string), status, close, reach?, headers?, pipeline? }
//   close:    the server must answer with Connection: close and then close; for these a valid
//             request is pipelined behind the case and must never be answered (pipeline: false
//             opts out where the extra bytes would change the meaning).
//   reach:    fields the handler must have seen (only for requests that reach it).
//   headers:  response header values that must be present.
//   why:      for a refusal that goes beyond what the RFCs require, the clause or the known
//             smuggling / normalisation attack that justifies it (required in `strictness`).
// Policy choices asserted here: bare LF is refused everywhere (400); any repeated
// Content-Length, even identical, is refused (400); HTTP versions other than 1.0/1.1 get 505.

export const BODY_LIMIT = 1024 * 1024;

const HOST = 'Host: a\r\n';
/** A request: request line, header lines (without CRLF), then the body. */
const req = (line, headers = [HOST.trim()], body = '') =>
  `${line}\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n${body}`;
const post = (headers, body) => req('POST /p HTTP/1.1', [HOST.trim(), ...headers], body);
const chunked = (body, extra = []) => post(['Transfer-Encoding: chunked', ...extra], body);
const withHeader = (header) => req('GET / HTTP/1.1', [HOST.trim(), header]);
const ok = (name, send, reach, more = {}) => ({ name, send, status: 200, close: false, reach, ...more });
const bad = (name, send, status = 400, more = {}) => ({ name, send, status, close: true, ...more });

const requestLine = [
  ok('origin-form', req('GET / HTTP/1.1'), { m: 'GET', p: '/', q: '', n: 0 }),
  ok('origin-form with query', req('GET /a/b?x=1&y HTTP/1.1'), { p: '/a/b', q: 'x=1&y' }),
  ok('percent-encoded target', req('GET /a%20b HTTP/1.1'), { p: '/a%20b' }),
  ok('sub-delims and colon in target', req("GET /a:b@c!$&'()*+,;=-._~ HTTP/1.1"), { p: "/a:b@c!$&'()*+,;=-._~" }),
  bad('empty target', req('GET  HTTP/1.1')),
  bad('two spaces after method', req('GET  / HTTP/1.1')),
  bad('two spaces before version', req('GET /  HTTP/1.1')),
  bad('trailing space after version', req('GET / HTTP/1.1 ')),
  bad('leading space before method', req(' GET / HTTP/1.1')),
  bad('tab instead of space after method', req('GET\t/ HTTP/1.1')),
  bad('tab instead of space before version', req('GET /\tHTTP/1.1')),
  bad('space inside target', req('GET /a b HTTP/1.1')),
  bad('fragment in target', req('GET /a#frag HTTP/1.1')),
  bad('DEL in target', req('GET /a\x7f HTTP/1.1')),
  bad('NUL in target', req('GET /a\x00 HTTP/1.1')),
  bad('control char in target', req('GET /a\x01 HTTP/1.1')),
  bad('raw non-ASCII in target', req('GET /caf\xe9 HTTP/1.1')),
  bad('bare CR in request line', req('GET /\r HTTP/1.1')),
  bad('extra token after version', req('GET / HTTP/1.1 extra')),
  bad('missing version', req('GET /')),
  bad('method only', req('GET')),
  bad('missing method', req('/ HTTP/1.1')),
  bad('separator in method', req('G@T / HTTP/1.1')),
  bad('colon in method', req('GE:T / HTTP/1.1')),
  bad('relative target', req('GET a/b HTTP/1.1')),
  bad('query-only target', req('GET ?x HTTP/1.1')),
  bad('request line ending in bare LF', 'GET / HTTP/1.1\nHost: a\r\n\r\n'),
  bad('request line ending in CR CR LF', 'GET / HTTP/1.1\r\r\nHost: a\r\n\r\n'),
  bad('binary garbage', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n'),
];

const versions = [
  ok('HTTP/1.0 without Host closes', req('GET / HTTP/1.0', []), { m: 'GET' }, { close: true }),
  ok('HTTP/1.0 keep-alive stays open', req('GET / HTTP/1.0', ['Connection: keep-alive']), { m: 'GET' }, {
    headers: { connection: 'keep-alive' },
  }),
  bad('HTTP/2.0', req('GET / HTTP/2.0'), 505),
  bad('HTTP/1.2', req('GET / HTTP/1.2'), 505),
  bad('HTTP/0.9', req('GET / HTTP/0.9'), 505),
  bad('HTTP/3.0', req('GET / HTTP/3.0'), 505),
  bad('HTTP/9.9', req('GET / HTTP/9.9'), 505),
  bad('lower-case http', req('GET / http/1.1')),
  bad('version without minor', req('GET / HTTP/1')),
  bad('two-digit minor', req('GET / HTTP/1.10')),
  bad('two-digit major', req('GET / HTTP/11.1')),
  bad('version without dot', req('GET / HTTP/11')),
  bad('HTTPS name', req('GET / HTTPS/1.1')),
  bad('version with letters', req('GET / HTTP/1.x')),
];

const targetForms = [
  ok('absolute-form uses its path', req('GET http://a/x?y=1 HTTP/1.1'), { p: '/x', q: 'y=1' }),
  ok('absolute-form without path', req('GET http://a HTTP/1.1'), { p: '/' }),
  ok('absolute-form with port', req('GET http://a:8080/p HTTP/1.1'), { p: '/p' }),
  ok('absolute-form with IPv6 literal', req('GET http://[::1]:80/p HTTP/1.1'), { p: '/p' }),
  ok('absolute-form https', req('GET https://a/p HTTP/1.1'), { p: '/p' }),
  ok('absolute-form upper-case scheme', req('GET HTTP://A/p HTTP/1.1'), { p: '/p' }),
  ok('absolute-form query without path', req('GET http://a?q HTTP/1.1'), { p: '/', q: 'q' }),
  bad('absolute-form with userinfo', req('GET http://user@a/p HTTP/1.1')),
  bad('absolute-form empty authority', req('GET http:///p HTTP/1.1')),
  bad('absolute-form port out of range', req('GET http://a:99999/ HTTP/1.1')),
  bad('absolute-form non-numeric port', req('GET http://a:b/ HTTP/1.1')),
  bad('absolute-form unknown scheme', req('GET ftp://a/ HTTP/1.1')),
  bad('absolute-form unclosed IPv6', req('GET http://[::1/ HTTP/1.1')),
  bad('absolute-form without Host header', req('GET http://a/ HTTP/1.1', [])),
  ok('asterisk-form with OPTIONS', req('OPTIONS * HTTP/1.1'), { m: 'OPTIONS', p: '*' }),
  bad('asterisk-form with GET', req('GET * HTTP/1.1')),
  bad('asterisk-form with POST', req('POST * HTTP/1.1')),
  bad('authority-form with CONNECT is not served', req('CONNECT a:443 HTTP/1.1'), 501),
  bad('CONNECT without port', req('CONNECT a HTTP/1.1')),
  bad('CONNECT with origin-form', req('CONNECT / HTTP/1.1')),
  bad('authority-form with GET', req('GET a:443 HTTP/1.1')),
];

const leadingLines = [
  ok('one empty line before request', `\r\n${req('GET / HTTP/1.1')}`, { m: 'GET' }),
  ok('eight empty lines before request', `${'\r\n'.repeat(8)}${req('GET / HTTP/1.1')}`, { m: 'GET' }),
  bad('nine empty lines before request', `${'\r\n'.repeat(9)}${req('GET / HTTP/1.1')}`),
  bad('bare LF before request', `\n${req('GET / HTTP/1.1')}`),
  bad('bare CR before request', `\rGET / HTTP/1.1\r\nHost: a\r\n\r\n`),
];

const methods = [
  ok('DELETE reaches handler', req('DELETE /x HTTP/1.1'), { m: 'DELETE', p: '/x' }),
  ok('PUT with body', post(['Content-Length: 3'], 'abc').replace('POST /p', 'PUT /x'), { m: 'PUT', n: 3 }),
  ok('PATCH with body', post(['Content-Length: 2'], 'ab').replace('POST /p', 'PATCH /x'), { m: 'PATCH', n: 2 }),
  ok('TRACE reaches handler', req('TRACE /t HTTP/1.1'), { m: 'TRACE' }),
  ok('GET on GET-only route', req('GET /only-get HTTP/1.1'), undefined),
  { name: 'POST on GET-only route', send: post(['Content-Length: 0'], '').replace('/p', '/only-get'),
    status: 405, close: false, headers: { allow: 'GET, HEAD' } },
  { name: 'DELETE on GET-only route', send: req('DELETE /only-get HTTP/1.1'), status: 405, close: false,
    headers: { allow: 'GET, HEAD' } },
  { name: 'unread Content-Length body is discarded, connection reused',
    send: post(['Content-Length: 5'], 'hello').replace('/p', '/only-get'), status: 405, close: false },
  { name: 'unread chunked body is discarded, connection reused',
    send: chunked('5\r\nhello\r\n0\r\n\r\n').replace('/p', '/only-get'), status: 405, close: false },
  { name: 'unread body too long to discard closes, and says so',
    send: post([`Content-Length: ${BODY_LIMIT}`], 'z'.repeat(BODY_LIMIT)).replace('/p', '/only-get'), status: 405,
    close: true, pipeline: false },
  bad('unknown method', req('BREW / HTTP/1.1'), 501),
  bad('lower-case method is another method', req('get / HTTP/1.1'), 501),
  bad('long unknown method', req(`${'X'.repeat(200)} / HTTP/1.1`), 501),
  bad('unknown method with tchar symbols', req("M!#$%&'*+-.^_`|~ / HTTP/1.1"), 501),
];

const hosts = [
  bad('missing Host in HTTP/1.1', req('GET / HTTP/1.1', [])),
  bad('two Host fields', req('GET / HTTP/1.1', ['Host: a', 'Host: b'])),
  bad('two identical Host fields', req('GET / HTTP/1.1', ['Host: a', 'Host: a'])),
  bad('Host list', req('GET / HTTP/1.1', ['Host: a, b'])),
  ok('Host with port', req('GET / HTTP/1.1', ['Host: a:80']), { m: 'GET' }),
  ok('Host IPv4', req('GET / HTTP/1.1', ['Host: 10.0.0.1:8080']), { m: 'GET' }),
  ok('Host IPv6 literal', req('GET / HTTP/1.1', ['Host: [::1]:8080']), { m: 'GET' }),
  ok('Host in mixed case name', req('GET / HTTP/1.1', ['hOsT: a']), { m: 'GET' }),
  bad('Host with space', req('GET / HTTP/1.1', ['Host: a b'])),
  bad('Host with unclosed IPv6', req('GET / HTTP/1.1', ['Host: [::1'])),
  bad('Host with bad IPv6', req('GET / HTTP/1.1', ['Host: [12345::]'])),
  bad('Host with userinfo', req('GET / HTTP/1.1', ['Host: user@a'])),
  bad('Host with path', req('GET / HTTP/1.1', ['Host: a/b'])),
  bad('Host with non-numeric port', req('GET / HTTP/1.1', ['Host: a:port'])),
  bad('Host with port out of range', req('GET / HTTP/1.1', ['Host: a:123456'])),
  bad('Host with bad percent escape', req('GET / HTTP/1.1', ['Host: a%zz'])),
  ok('HTTP/1.0 without Host is fine', req('GET / HTTP/1.0', []), { m: 'GET' }, { close: true }),
];

const fieldLines = [
  bad('space before colon', withHeader('X-Echo : v')),
  bad('tab before colon', withHeader('X-Echo\t: v')),
  bad('obs-fold with space', withHeader('X-Echo: a\r\n b')),
  bad('obs-fold with tab', withHeader('X-Echo: a\r\n\tb')),
  bad('first field line starts with space', req('GET / HTTP/1.1', [' Host: a'])),
  bad('separator in field name', withHeader('X(y): 1')),
  bad('empty field name', withHeader(': v')),
  bad('field line without colon', withHeader('NoColon')),
  bad('non-ASCII in field name', withHeader('X-\xe9: v')),
  bad('NUL in field value', withHeader('X-Echo: a\x00b')),
  bad('bare CR in field value', withHeader('X-Echo: a\rb')),
  bad('bare LF in field value', withHeader('X-Echo: a\nb')),
  bad('control char in field value', withHeader('X-Echo: a\x01b')),
  bad('escape char in field value', withHeader('X-Echo: a\x1bb')),
  bad('DEL in field value', withHeader('X-Echo: a\x7fb')),
  bad('field line ending in bare LF', 'GET / HTTP/1.1\r\nHost: a\nX: 1\r\n\r\n'),
  bad('head ending in bare LF', 'GET / HTTP/1.1\r\nHost: a\r\n\n'),
  bad('head ending in LF LF', 'GET / HTTP/1.1\r\nHost: a\n\n'),
  bad('bare CR line ending', 'GET / HTTP/1.1\rHost: a\r\n\r\n'),
  ok('obs-text in field value is accepted', withHeader('X-Echo: caf\xe9'), { x: 'caf\xe9' }),
  ok('tab inside field value', withHeader('X-Echo: a\tb'), { x: 'a\tb' }),
  ok('OWS around field value is trimmed', withHeader('X-Echo:  \t v w \t '), { x: 'v w' }),
  ok('no OWS after colon', withHeader('X-Echo:v'), { x: 'v' }),
  ok('empty field value', withHeader('X-Echo:'), { x: '' }),
  ok('repeated field is combined', req('GET / HTTP/1.1', ['Host: a', 'X-Echo: 1', 'x-echo: 2']), { x: '1, 2' }),
  ok('tchar symbols in field name', withHeader("X!#$%&'*+-.^_`|~: v"), { m: 'GET' }),
];

const fields = (count, size = 1) =>
  Array.from({ length: count }, (_, i) => `X-${String(i).padStart(3, '0')}: ${'v'.repeat(size)}`);
const limits = [
  ok('request line of exactly 8 KiB', req(`GET /${'a'.repeat(8192 - 'GET / HTTP/1.1'.length)} HTTP/1.1`), {}),
  bad('request line over 8 KiB', req(`GET /${'a'.repeat(8193 - 'GET / HTTP/1.1'.length)} HTTP/1.1`), 414),
  bad('request line of 20 KiB', req(`GET /${'a'.repeat(20_000)} HTTP/1.1`), 414),
  bad('unterminated request line over 8 KiB', `GET /${'a'.repeat(9000)}`, 414),
  ok('100 header fields', req('GET / HTTP/1.1', [HOST.trim(), ...fields(99)]), { m: 'GET' }),
  bad('101 header fields', req('GET / HTTP/1.1', [HOST.trim(), ...fields(100)]), 431),
  ok('header section just under 16 KiB', req('GET / HTTP/1.1', [HOST.trim(), ...fields(16, 1000)]), { m: 'GET' }),
  bad('header section over 16 KiB', req('GET / HTTP/1.1', [HOST.trim(), ...fields(17, 1000)]), 431),
  bad('one field value over 16 KiB', withHeader(`X-Big: ${'v'.repeat(17_000)}`), 431),
  bad('unterminated header section over 16 KiB', `GET / HTTP/1.1\r\nX-Big: ${'v'.repeat(17_000)}`, 431),
  bad('Content-Length over the body limit', post([`Content-Length: ${BODY_LIMIT + 1}`], ''), 413),
  bad('chunk over the body limit', chunked(`${(BODY_LIMIT + 1).toString(16)}\r\n`), 413),
  bad('chunks adding up over the body limit',
    chunked(`${(BODY_LIMIT - 1).toString(16)}\r\n${'z'.repeat(BODY_LIMIT - 1)}\r\n2\r\nzz\r\n0\r\n\r\n`), 413),
  ok('body of exactly the limit', chunked(`${BODY_LIMIT.toString(16)}\r\n${'z'.repeat(BODY_LIMIT)}\r\n0\r\n\r\n`),
    { n: BODY_LIMIT }),
];

const contentLength = [
  ok('Content-Length body', post(['Content-Length: 5'], 'hello'), { m: 'POST', n: 5 }),
  ok('Content-Length zero', post(['Content-Length: 0'], ''), { n: 0 }),
  ok('Content-Length with OWS', post(['Content-Length: \t5 '], 'hello'), { n: 5 }),
  ok('GET with a body', req('GET / HTTP/1.1', [HOST.trim(), 'Content-Length: 3'], 'abc'), { m: 'GET', n: 3 }),
  bad('negative Content-Length', post(['Content-Length: -5'], 'hello')),
  bad('Content-Length with plus sign', post(['Content-Length: +5'], 'hello')),
  bad('Content-Length with inner space', post(['Content-Length: 5 5'], 'hello')),
  bad('Content-Length with inner tab', post(['Content-Length: 5\t5'], 'hello')),
  bad('Content-Length list', post(['Content-Length: 5,5'], 'hello')),
  bad('Content-Length list with space', post(['Content-Length: 5, 5'], 'hello')),
  bad('Content-Length letters', post(['Content-Length: abc'], 'hello')),
  bad('Content-Length empty', post(['Content-Length:'], 'hello')),
  bad('Content-Length hex', post(['Content-Length: 0x5'], 'hello')),
  bad('Content-Length decimal point', post(['Content-Length: 5.0'], 'hello')),
  bad('Content-Length exponent', post(['Content-Length: 1e3'], 'hello')),
  bad('duplicate identical Content-Length', post(['Content-Length: 5', 'Content-Length: 5'], 'hello')),
  bad('duplicate different Content-Length', post(['Content-Length: 5', 'Content-Length: 3'], 'hello')),
  bad('Content-Length overflow', post(['Content-Length: 99999999999999999999999'], 'hello')),
  bad('Content-Length above 2^53', post(['Content-Length: 9007199254740993'], 'hello')),
  ok('Content-Length of 2^53-1 is a length, refused as over the limit',
    post(['Content-Length: 9007199254740991'], ''), undefined, { status: 413, close: true }),
  bad('space before colon in Content-Length', post(['Content-Length : 5'], 'hello')),
];

const chunkedBodies = [
  ok('chunked body', chunked('3\r\nabc\r\n0\r\n\r\n'), { n: 3 }),
  ok('several chunks', chunked('3\r\nabc\r\n5\r\nhello\r\n1\r\n!\r\n0\r\n\r\n'), { n: 9 }),
  ok('upper-case hex size', chunked(`A\r\n${'x'.repeat(10)}\r\n0\r\n\r\n`), { n: 10 }),
  ok('lower-case hex size', chunked(`1f\r\n${'x'.repeat(31)}\r\n0\r\n\r\n`), { n: 31 }),
  ok('size with leading zeros', chunked('0003\r\nabc\r\n000\r\n\r\n'), { n: 3 }),
  ok('chunked is case-insensitive', post(['Transfer-Encoding: ChUnKeD'], '3\r\nabc\r\n0\r\n\r\n'), { n: 3 }),
  ok('chunked with OWS', post(['Transfer-Encoding: \tchunked \t'], '3\r\nabc\r\n0\r\n\r\n'), { n: 3 }),
  ok('chunk extension with token value', chunked('3;a=b\r\nabc\r\n0;c=d\r\n\r\n'), { n: 3 }),
  ok('chunk extension with quoted value', chunked('3;a="x y;\\"z"\r\nabc\r\n0\r\n\r\n'), { n: 3 }),
  ok('chunk extension without value', chunked('3;a;b\r\nabc\r\n0\r\n\r\n'), { n: 3 }),
  ok('chunk extension with BWS', chunked('3 ; a = b\r\nabc\r\n0\r\n\r\n'), { n: 3 }),
  ok('trailer fields', chunked('3\r\nabc\r\n0\r\nX-T: 1\r\nY-T: 2\r\n\r\n'), { n: 3 }),
  ok('empty chunked body', chunked('0\r\n\r\n'), { n: 0 }),
  bad('empty chunk extension name', chunked('3;\r\nabc\r\n0\r\n\r\n')),
  bad('chunk extension without value after =', chunked('3;a=\r\nabc\r\n0\r\n\r\n')),
  bad('unterminated quoted chunk extension', chunked('3;a="x\r\nabc\r\n0\r\n\r\n')),
  bad('chunk extension with control char', chunked('3;a=\x01\r\nabc\r\n0\r\n\r\n')),
  bad('chunk extension too long', chunked(`3;a=${'b'.repeat(5000)}\r\nabc\r\n0\r\n\r\n`)),
  bad('chunk extension without semicolon', chunked('3 a\r\nabc\r\n0\r\n\r\n')),
  bad('negative chunk size', chunked('-3\r\nabc\r\n0\r\n\r\n')),
  bad('chunk size with plus', chunked('+3\r\nabc\r\n0\r\n\r\n')),
  bad('chunk size with 0x', chunked('0x3\r\nabc\r\n0\r\n\r\n')),
  bad('chunk size with leading space', chunked(' 3\r\nabc\r\n0\r\n\r\n')),
  bad('chunk size with trailing space only', chunked('3 \r\nabc\r\n0\r\n\r\n')),
  bad('chunk size not hex', chunked('g\r\nabc\r\n0\r\n\r\n')),
  bad('empty chunk size', chunked('\r\nabc\r\n0\r\n\r\n')),
  bad('chunk size overflow', chunked('ffffffffffffffffffffffff\r\nabc\r\n0\r\n\r\n')),
  bad('huge chunk size beyond the limit', chunked('fffffffffff\r\nabc\r\n'), 413),
  bad('chunk data longer than its size', chunked('3\r\nabcd\r\n0\r\n\r\n')),
  bad('chunk data without CRLF', chunked('3\r\nabc0\r\n\r\n')),
  bad('chunk data followed by bare LF', chunked('3\r\nabc\n0\r\n\r\n')),
  bad('chunk data followed by bare CR', chunked('3\r\nabc\r0\r\n\r\n')),
  bad('chunk size line ending in bare LF', chunked('3\nabc\r\n0\r\n\r\n')),
  bad('bare CR in chunk size line', chunked('3\r;a\r\nabc\r\n0\r\n\r\n')),
  bad('last chunk ending in bare LF', chunked('3\r\nabc\r\n0\n\r\n')),
  bad('chunked body ending in bare LF', chunked('3\r\nabc\r\n0\r\n\n')),
  bad('trailer with invalid name', chunked('0\r\nX T: 1\r\n\r\n')),
  bad('trailer with space before colon', chunked('0\r\nX-T : 1\r\n\r\n')),
  bad('trailer with obs-fold', chunked('0\r\nX-T: 1\r\n 2\r\n\r\n')),
  bad('trailer with NUL', chunked('0\r\nX-T: a\x00b\r\n\r\n')),
  bad('trailer ending in bare LF', chunked('0\r\nX-T: 1\n\r\n')),
  bad('trailer section over 16 KiB', chunked(`0\r\nX-T: ${'v'.repeat(17_000)}\r\n\r\n`), 431),
  bad('more than 100 trailer fields', chunked(`0\r\n${fields(101).map((f) => `${f}\r\n`).join('')}\r\n`), 431),
];

const transferEncoding = [
  bad('Transfer-Encoding and Content-Length', post(['Transfer-Encoding: chunked', 'Content-Length: 3'], '3\r\nabc\r\n0\r\n\r\n')),
  bad('Content-Length then Transfer-Encoding', post(['Content-Length: 3', 'Transfer-Encoding: chunked'], '3\r\nabc\r\n0\r\n\r\n')),
  bad('xchunked', post(['Transfer-Encoding: xchunked'], '3\r\nabc\r\n0\r\n\r\n')),
  bad('chunked then identity', post(['Transfer-Encoding: chunked, identity'], '3\r\nabc\r\n0\r\n\r\n')),
  bad('identity only', post(['Transfer-Encoding: identity'], '')),
  bad('gzip as last coding', post(['Transfer-Encoding: gzip'], '')),
  bad('unknown coding before chunked is not implemented', post(['Transfer-Encoding: gzip, chunked'], '0\r\n\r\n'), 501),
  bad('chunked twice in one field', post(['Transfer-Encoding: chunked, chunked'], '0\r\n\r\n')),
  bad('chunked in two fields', post(['Transfer-Encoding: chunked', 'Transfer-Encoding: chunked'], '0\r\n\r\n')),
  bad('chunked then a bogus field', post(['Transfer-Encoding: chunked', 'Transfer-Encoding: cow'], '0\r\n\r\n')),
  bad('Transfer-Encoding in HTTP/1.0', req('POST /p HTTP/1.0', ['Transfer-Encoding: chunked'], '0\r\n\r\n')),
  bad('space before colon in Transfer-Encoding', post(['Transfer-Encoding : chunked'], '0\r\n\r\n')),
  bad('tab before colon in Transfer-Encoding', post(['Transfer-Encoding\t: chunked'], '0\r\n\r\n')),
  bad('Transfer-Encoding folded', post(['Transfer-Encoding:', ' chunked'], '0\r\n\r\n')),
  bad('chunk misspelt', post(['Transfer-Encoding: chunk'], '0\r\n\r\n')),
  bad('quoted chunked', post(['Transfer-Encoding: "chunked"'], '0\r\n\r\n')),
  bad('chunked with a parameter', post(['Transfer-Encoding: chunked;q=1'], '0\r\n\r\n')),
  bad('chunked with a vertical tab', post(['Transfer-Encoding: \x0bchunked'], '0\r\n\r\n')),
  bad('invalid coding name before chunked', post(['Transfer-Encoding: g(zip), chunked'], '0\r\n\r\n')),
];

const smuggling = [
  bad('CL.TE', post(['Content-Length: 6', 'Transfer-Encoding: chunked'], '0\r\n\r\nG')),
  bad('TE.CL', post(['Transfer-Encoding: chunked', 'Content-Length: 3'], '8\r\nSMUGGLED\r\n0\r\n\r\n')),
  bad('TE.TE with a bogus second coding', post(['Transfer-Encoding: chunked', 'Transfer-Encoding: x'], '0\r\n\r\n')),
  bad('TE.TE with a space-prefixed name', `POST /p HTTP/1.1\r\nHost: a\r\n Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n`),
  bad('smuggled request in a Content-Length body of a bad message',
    post(['Content-Length: 5', 'Content-Length: 44'], `hello${req('GET /admin HTTP/1.1')}`)),
  bad('CL with plus hides a request', post(['Content-Length: +44'], req('GET /admin HTTP/1.1'))),
  bad('huge chunk size smuggling', chunked(`${'f'.repeat(16)}\r\n${req('GET /admin HTTP/1.1')}`)),
  bad('chunk size integer wrap', chunked(`1${'0'.repeat(16)}3\r\nabc\r\n0\r\n\r\n`)),
  bad('LF-only chunk framing hiding a request', chunked(`3\nabc\n0\n\n${req('GET /admin HTTP/1.1')}`)),
  bad('NUL in Transfer-Encoding', post(['Transfer-Encoding: chunked\x00'], '0\r\n\r\n')),
];

const expectations = [
  bad('unsupported expectation', post(['Content-Length: 3', 'Expect: teapot'], 'abc'), 417),
  bad('100-continue with Content-Length over the limit', post([`Content-Length: ${BODY_LIMIT * 4}`, 'Expect: 100-continue'], ''), 413),
  ok('100-continue is ignored in HTTP/1.0', req('POST /p HTTP/1.0', ['Content-Length: 3', 'Expect: 100-continue'], 'abc'),
    { n: 3 }, { close: true }),
];

const connection = [
  ok('Connection: close', req('GET / HTTP/1.1', [HOST.trim(), 'Connection: close']), { m: 'GET' }, {
    close: true, headers: { connection: 'close' },
  }),
  ok('Connection: CLOSE', req('GET / HTTP/1.1', [HOST.trim(), 'Connection: CLOSE']), { m: 'GET' }, { close: true }),
  ok('Connection list with close', req('GET / HTTP/1.1', [HOST.trim(), 'Connection: keep-alive, close']), {}, { close: true }),
  ok('Connection: keep-alive in HTTP/1.1', req('GET / HTTP/1.1', [HOST.trim(), 'Connection: keep-alive']), {}),
  ok('HTTP/1.0 Connection: close', req('GET / HTTP/1.0', ['Connection: close']), {}, { close: true }),
  ok('HTTP/1.0 KEEP-ALIVE any case', req('GET / HTTP/1.0', ['Connection: Keep-Alive']), {}),
];

/** Refusals stricter than the RFCs' MUSTs; each names what justifies it. */
const because = (why) => ({ why });
export const STRICTNESS = [
  bad('Content-Length with leading zeros', post(['Content-Length: 005'], 'hello'), 400,
    because('RFC 9110 §8.6 grammar allows it, but parsers disagree (decimal, octal, rejected): a CL.CL desync between a proxy and us')),
  bad('Content-Length of 00', post(['Content-Length: 00'], ''), 400,
    because('as 005: only the canonical form frames a message unambiguously (RFC 9112 §6.3 rule 5, invalid length)')),
  bad('Content-Length of twenty nines is invalid, not too large', post([`Content-Length: ${'9'.repeat(20)}`], 'hello'), 400,
    because('beyond 2^53-1 the length cannot be represented exactly, so it is no length at all (RFC 9112 §6.3 rule 5); 413 is for a known length')),
  ok('Content-Length of a single 0 is fine', post(['Content-Length: 0'], ''), { n: 0 }),
  bad('empty Host', req('GET / HTTP/1.1', ['Host:']), 400,
    because('RFC 9110 §4.2.1: an "http" URI must not have an empty host and a recipient must reject it; RFC 9112 §3.2 applies it to Host')),
  bad('Host with a port but no host', req('GET / HTTP/1.1', ['Host: :80']), 400,
    because('RFC 9110 §4.2.1: the host identifier is still empty')),
  bad('empty Host in HTTP/1.0', req('GET / HTTP/1.0', ['Host:']), 400, because('RFC 9110 §4.2.1, whatever the version')),
  bad('two Content-Type fields', post(['Content-Type: text/plain', 'Content-Type: application/json', 'Content-Length: 2'], '{}'), 400,
    because('RFC 9110 §8.3 and §5.3: a singleton field; two parsers picking different ones is a content-type confusion (WAF bypass)')),
  bad('two identical Content-Type fields', post(['Content-Type: text/plain', 'Content-Type: text/plain'], ''), 400,
    because('RFC 9110 §5.3: a singleton field must not be repeated')),
  ok('one Content-Type field', post(['Content-Type: text/plain', 'Content-Length: 2'], 'hi'), { n: 2 }),
  bad('Content_Length look-alike', post(['Content_Length: 5'], 'hello'), 400,
    because('CGI-style gateways (PHP, WSGI, Rack) map "-" and "_" both to HTTP_CONTENT_LENGTH: a look-alike could reframe the body behind us')),
  bad('Transfer_Encoding look-alike', post(['Transfer_Encoding: chunked', 'Content-Length: 5'], 'hello'), 400,
    because('as Content_Length: a TE.CL desync through header-name normalisation')),
  bad('Content_Type look-alike in any case', post(['content_TYPE: text/html', 'Content-Length: 0'], ''), 400,
    because('as Content_Length: a second, hidden Content-Type for the application behind a gateway')),
  ok('underscore in an unrelated header name', withHeader('X_Echo: v'), { m: 'GET' }),
  bad('backslash in path', req('GET /a\\..\\b HTTP/1.1'), 400,
    because('RFC 3986 §2 never allows "\\"; WHATWG URL, Windows and some proxies read it as "/" (path traversal, route bypass)')),
  bad('backslash in absolute-form path', req('GET http://a/x\\y HTTP/1.1'), 400, because('as in origin-form')),
  bad('encoded NUL in path', req('GET /a%00.txt HTTP/1.1'), 400,
    because('a decoded NUL truncates a path in C-based file APIs (the classic "%00" extension bypass)')),
  bad('encoded CR in path', req('GET /a%0d HTTP/1.1'), 400,
    because('a decoded CR splits lines in logs and in headers that echo the path (response splitting, CWE-113)')),
  bad('encoded LF in path', req('GET /a%0aSet-Cookie:x HTTP/1.1'), 400, because('as %0d (CWE-113, CWE-117 log injection)')),
  bad('encoded CR in path, upper case', req('GET /a%0D HTTP/1.1'), 400, because('escapes are case-insensitive (RFC 3986 §2.1)')),
  bad('encoded LF in path, upper case', req('GET /a%0A HTTP/1.1'), 400, because('escapes are case-insensitive (RFC 3986 §2.1)')),
  ok('encoded LF in the query is data', req('GET /a?t=x%0Ay HTTP/1.1'), { p: '/a', q: 't=x%0Ay' }),
  ok('other escapes starting with 0 are fine', req('GET /a%09%0F%20 HTTP/1.1'), { p: '/a%09%0F%20' }),
  bad('request line too long because of its method', req(`${'M'.repeat(9000)} / HTTP/1.1`), 400,
    because('RFC 9110 §15.5.15: 414 says the target is too long; here the method is (RFC 9112 §3: 400 for an invalid request line)')),
  bad('unterminated overlong method', `${'M'.repeat(9000)}`, 400, { pipeline: false, ...because('as above, before the line ends') }),
  bad('long target with a short method is still 414', req(`GET /${'a'.repeat(9000)} HTTP/1.1`), 414),
];

export const CASES = [
  ...requestLine,
  ...versions,
  ...targetForms,
  ...leadingLines,
  ...methods,
  ...hosts,
  ...fieldLines,
  ...limits,
  ...contentLength,
  ...chunkedBodies,
  ...transferEncoding,
  ...smuggling,
  ...expectations,
  ...connection,
  ...STRICTNESS,
];
