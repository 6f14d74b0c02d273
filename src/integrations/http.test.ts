import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { httpRequest, TransportError } from './http.ts';

/**
 * The upstream HTTP helper's own failure paths, against a real server: a kept-alive socket the server drops on its
 * second request (resent once for GET, never for POST), an answer over the size limit.
 */
describe('httpRequest over kept-alive sockets', () => {
  let server: Server;
  let base: string;
  const requestsPerSocket = new WeakMap<object, number>();
  before(async () => {
    server = createServer((req, res) => {
      const n = (requestsPerSocket.get(req.socket) ?? 0) + 1;
      requestsPerSocket.set(req.socket, n);
      // The server closed its end between two requests: the second one on the socket gets no answer at all.
      if (n > 1) return req.socket.destroy();
      if (req.url === '/big') return res.end('x'.repeat(2048));
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends a GET again on a fresh socket when the reused one was closed before any answer', async () => {
    const first = await httpRequest({ system: 'test', url: `${base}/a`, timeoutMs: 5000 });
    assert.equal(first.text(), 'ok');
    const second = await httpRequest({ system: 'test', url: `${base}/b`, timeoutMs: 5000 });
    assert.equal(second.status, 200);
    assert.equal(second.text(), 'ok');
  });

  it('never sends a POST twice: the failure is the caller’s to handle', async () => {
    await httpRequest({ system: 'test', url: `${base}/warm`, timeoutMs: 5000 });
    await assert.rejects(httpRequest({ system: 'test', url: `${base}/c`, method: 'POST', body: 'x', timeoutMs: 5000 }), (error: unknown) => error instanceof TransportError && error.failure.kind === 'unreachable');
  });

  it('refuses an answer over the size limit', async () => {
    await assert.rejects(httpRequest({ system: 'test', url: `${base}/big`, timeoutMs: 5000, maxBodyBytes: 1024 }), (error: unknown) => error instanceof TransportError && error.failure.kind === 'too_large');
  });
});
