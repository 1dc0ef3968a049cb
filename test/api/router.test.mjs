// The router's matching order and its answers when the request's method has no route.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Router } from '../../dist/index.js';
import { fakeRequest, fakeResponse } from './fake-exchange.mjs';

function route(router, method, path) {
  const req = fakeRequest({ method, path });
  const res = fakeResponse();
  router.handle(req, res);
  return { req, res };
}

test('the first route added wins, literal or pattern, whatever the method of routes between', () => {
  const seen = [];
  const router = new Router()
    .put('/files/*', () => seen.push('put'))
    .get('/a/:name', (req) => seen.push(`pattern ${req.params.name}`))
    .get('/a/b', () => seen.push('literal'))
    .get('/c', () => seen.push('c first'))
    .get('/c', () => seen.push('c second'))
    .get('/d/d', () => seen.push('literal d'))
    .get('/d/:name', () => seen.push('pattern d'));
  route(router, 'GET', '/a/b');
  route(router, 'GET', '/c');
  route(router, 'GET', '/d/d');
  route(router, 'GET', '/d/x');
  assert.deepEqual(seen, ['pattern b', 'c first', 'literal d', 'pattern d']);
});

test('another method on a known path answers 405 with Allow; HEAD takes GET; unknown paths 404', () => {
  const router = new Router().get('/files/*', () => {}).on('PROPFIND', '/files/*', () => {}).put('/files/*', () => {});
  const refused = route(router, 'DELETE', '/files/x').res;
  assert.equal(refused.status, 405);
  assert.equal(refused.getHeader('Allow'), 'GET, PROPFIND, PUT, HEAD');
  let head = null;
  new Router().get('/x/:id', (req) => (head = req.params.id)).handle(fakeRequest({ method: 'HEAD', path: '/x/7' }), fakeResponse());
  assert.equal(head, '7');
  assert.equal(route(router, 'GET', '/other').res.status, 404);
});

test('a malformed escape answers 400 whichever method matched first', () => {
  const router = new Router().on('PROPFIND', '/files/*', () => {}).get('/files/*', () => {});
  assert.equal(route(router, 'GET', '/files/%zz').res.status, 400);
  assert.equal(route(router, 'PROPFIND', '/files/%zz').res.status, 400);
});

test('params are decoded and fresh for every request', () => {
  const got = [];
  const router = new Router().get('/echo/:text', (req) => got.push(req.params));
  route(router, 'GET', '/echo/a%20b');
  route(router, 'GET', '/echo/a%20b');
  assert.deepEqual(got[0], { text: 'a b' });
  assert.notEqual(got[0], got[1]);
});
