// Drives a middleware with a stand-in request and response, without sockets.

/** A request with `method`, `path` (raw), `headers` (lower-case names), `remoteAddress` and `upgrade`. */
export function fakeRequest({ method = 'GET', path = '/', headers = {}, remoteAddress = '127.0.0.1', upgrade = false } = {}) {
  return {
    method,
    path,
    target: path,
    remoteAddress,
    upgrade,
    header: (name) => headers[name.toLowerCase()],
  };
}

/** A response that records what the code under test did with it. */
export function fakeResponse() {
  const fields = [];
  return {
    status: 200,
    headersSent: false,
    finished: false,
    body: undefined,
    fields,
    setHeader(name, value) {
      const at = fields.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
      if (at >= 0) fields[at] = [name, String(value)];
      else fields.push([name, String(value)]);
      return this;
    },
    appendHeader(name, value) {
      fields.push([name, String(value)]);
      return this;
    },
    getHeader(name) {
      return fields.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
    },
    removeHeader(name) {
      for (let at = fields.findIndex(([n]) => n.toLowerCase() === name.toLowerCase()); at >= 0; at = fields.findIndex(([n]) => n.toLowerCase() === name.toLowerCase())) fields.splice(at, 1);
      return this;
    },
    end(body) {
      if (this.finished) throw new Error('ended twice');
      this.finished = true;
      this.headersSent = true;
      this.body = body === undefined ? '' : String(body);
    },
  };
}

/**
 * Runs `middleware` in front of a handler that answers 200 "passed"; resolves with
 * { status, body, header(name), passed, req }.
 */
export async function run(middleware, request, inner) {
  const req = fakeRequest(request);
  const res = fakeResponse();
  let passed = false;
  const handler = middleware(async (r, s) => {
    passed = true;
    if (inner) return inner(r, s);
    s.status = 200;
    s.end('passed');
  });
  await handler(req, res);
  return { status: res.status, body: res.body, header: (name) => res.getHeader(name), fields: res.fields, passed, req };
}
