import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One event as Sentry's protocol carries it, with the fields the tests look at. */
export interface ReceivedEvent {
  level?: string;
  release?: string;
  environment?: string;
  transaction?: string;
  message?: string;
  tags?: Record<string, string>;
  exception?: { values?: { type?: string; value?: string }[] };
  [field: string]: unknown;
}

export interface SentryReceiver {
  /** The DSN that sends the SDK's envelopes here (project 1, public key `public`). */
  dsn: string;
  /** Every envelope received, as the text that came over the wire (decompressed). */
  envelopes(): string[];
  /** The events among them. */
  events(): ReceivedEvent[];
  /** Waits until an event matches, at most `timeoutMs`; throws with what arrived otherwise. */
  waitForEvent(matches: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  /** Waits until the events received satisfy `condition` (e.g. one more of a kind), at most `timeoutMs`. */
  waitUntil(condition: (events: ReceivedEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A Sentry (or GlitchTip) ingest endpoint on 127.0.0.1, as far as the SDK can tell: it accepts envelopes at
 * /api/{project}/envelope/ and keeps them, so that tests read exactly what would have left the process.
 */
export async function startSentryReceiver(): Promise<SentryReceiver> {
  const received: string[] = [];
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      if (request.method === 'POST' && /^\/api\/\d+\/envelope\/?/.test(request.url ?? '')) received.push(body);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const events = (): ReceivedEvent[] => received.flatMap(eventsOf);
  const waitUntil = async (condition: (events: ReceivedEvent[]) => boolean, timeoutMs = 30_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!condition(events())) {
      if (Date.now() > deadline) throw new Error(`the events never matched; received: ${JSON.stringify(events().map((e) => ({ transaction: e.transaction, tags: e.tags, message: e.message })))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return {
    dsn: `http://public@127.0.0.1:${port}/1`,
    envelopes: () => [...received],
    events,
    waitUntil,
    async waitForEvent(matches, timeoutMs) {
      await waitUntil((received) => received.some(matches), timeoutMs);
      return events().find(matches)!;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  return (request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
}

/** An envelope: a header line, then for each item a header line and a payload line. */
function eventsOf(envelope: string): ReceivedEvent[] {
  const lines = envelope.split('\n');
  const events: ReceivedEvent[] = [];
  for (let i = 1; i + 1 < lines.length; i += 2) {
    const header = JSON.parse(lines[i] ?? '{}') as { type?: string };
    if (header.type === 'event') events.push(JSON.parse(lines[i + 1] ?? '{}') as ReceivedEvent);
  }
  return events;
}
