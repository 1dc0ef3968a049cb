// A plain handler: one function answers every request.
//   node examples/plain-handler.mjs   then   curl 'http://localhost:3000/?name=Ada'
import { createServer } from 'wirehttp';

const server = createServer((req, res) => {
  const name = new URLSearchParams(req.query).get('name') ?? 'world';
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(`Hello, ${name}! You asked for ${req.method} ${req.path}\n`);
});

const [address] = await server.listen({ port: Number(process.env.PORT ?? 3000) });
console.error(`listening on ${address.host}:${address.port}`);
process.once('SIGTERM', () => server.close(5_000));
