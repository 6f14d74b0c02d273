import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small local load balancer, as a reverse proxy in front of several instances would be: requests go to the
 * backends in turn; one refusing connections (killed, restarting) is skipped for the next, like nginx's
 * `proxy_next_upstream error`; a backend dying mid-answer gives 502 (the request's outcome is unknown). It appends
 * the client's address to X-Forwarded-For (the instances run with TRUST_PROXY=1). Loopback only.
 */
export interface RoundRobinProxy {
  url: string;
  /** Requests answered by each backend, and requests that found no backend or lost theirs. */
  stats(): { perBackend: number[]; skipped: number; failed: number };
  close(): Promise<void>;
}

export async function startRoundRobinProxy(backends: readonly string[], port = 0): Promise<RoundRobinProxy> {
  let next = 0;
  const perBackend = backends.map(() => 0);
  let skipped = 0;
  let failed = 0;

  const forward = (index: number, method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer } | 'refused'>((resolve, reject) => {
      const target = new URL(backends[index]!);
      const upstream = httpRequest(
        { host: target.hostname, port: target.port, method, path, headers, agent: false },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(chunks) }));
          response.on('error', reject);
          response.on('aborted', () => reject(new Error('backend aborted')));
        },
      );
      upstream.setTimeout(60_000, () => upstream.destroy(new Error('backend timeout')));
      upstream.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? resolve('refused') : reject(error)));
      upstream.end(body);
    });

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks);
      const headers: IncomingHttpHeaders = { ...request.headers, connection: 'close' };
      const forwarded = [request.headers['x-forwarded-for'], request.socket.remoteAddress].filter(Boolean).join(', ');
      headers['x-forwarded-for'] = forwarded;
      for (let tries = 0; tries < backends.length; tries++) {
        const index = next++ % backends.length;
        try {
          const answer = await forward(index, request.method ?? 'GET', request.url ?? '/', headers, body);
          if (answer === 'refused') {
            skipped++;
            continue;
          }
          perBackend[index]! += 1;
          const { connection: _connection, 'transfer-encoding': _encoding, ...kept } = answer.headers;
          response.writeHead(answer.status, { ...kept, 'content-length': String(answer.body.length) });
          response.end(answer.body);
          return;
        } catch {
          break;
        }
      }
      failed++;
      response.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('bad gateway\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: listening } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${listening}`,
    stats: () => ({ perBackend: [...perBackend], skipped, failed }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
