import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkWebhookTarget, type TargetPolicy } from './target-guard.ts';

/**
 * One POST of a signed message to a receiver. The target is checked (SSRF) right before the call and the
 * connection goes to the addresses that were checked. Redirects are not followed (a redirect is a failure: the
 * receiver must give its final URL). The answer's body is read and dropped: only its status goes to the log.
 */
export type SendResult =
  | { kind: 'answered'; statusCode: number; durationMs: number }
  | { kind: 'failed'; error: string; durationMs: number };

export async function sendWebhook(
  request: { url: string; headers: Record<string, string>; body: string; timeoutMs: number },
  policy: TargetPolicy,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const target = await checkWebhookTarget(request.url, policy);
  if (!target.ok) return { kind: 'failed', error: `target refused: ${target.reason}`, durationMs: elapsed() };

  const pinned: LookupFunction = (_hostname, options, callback) => {
    const wanted = typeof options === 'object' && options.family ? options.family : 0;
    const candidates = target.addresses.filter((a) => wanted === 0 || a.family === wanted);
    const chosen = candidates[0] ?? target.addresses[0];
    if (!chosen) return callback(new Error('no address'), '', 4);
    if (typeof options === 'object' && options.all) {
      return (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, candidates.length > 0 ? candidates : target.addresses);
    }
    return callback(null, chosen.address, chosen.family);
  };

  const body = Buffer.from(request.body, 'utf8');
  const transport = target.url.protocol === 'https:' ? https : http;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const settle = (result: SendResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const outgoing = transport.request(
      target.url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-type': 'application/json', 'content-length': String(body.length), 'user-agent': 'FormulaireQF-Webhooks/1' },
        lookup: pinned,
        timeout: request.timeoutMs,
        agent: false,
      },
      (response) => {
        response.on('data', () => {});
        response.on('end', () => settle({ kind: 'answered', statusCode: response.statusCode ?? 0, durationMs: elapsed() }));
        response.on('error', () => settle({ kind: 'answered', statusCode: response.statusCode ?? 0, durationMs: elapsed() }));
      },
    );
    // The whole exchange, not only the connection, must fit in the deadline.
    const deadline = setTimeout(() => {
      outgoing.destroy(new Error('timeout'));
      settle({ kind: 'failed', error: `no answer within ${request.timeoutMs} ms`, durationMs: elapsed() });
    }, request.timeoutMs);
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      const reason = error.message === 'timeout' ? `no answer within ${request.timeoutMs} ms` : (error.code ?? error.message);
      settle({ kind: 'failed', error: reason, durationMs: elapsed() });
    });
    outgoing.on('close', () => clearTimeout(deadline));
    outgoing.end(body);
  });
}
