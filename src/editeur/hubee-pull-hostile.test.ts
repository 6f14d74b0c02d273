import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { httpRequest, TransportError } from '../integrations/http.ts';
import type { Case, CaseStatus, Notification } from '../integrations/hubee/client.ts';
import type { HubeeSiClient } from './hubee.ts';
import { PullIntegrityError, pullCases, readPulledCase } from './hubee-pull.ts';
import { main, printable } from '../cli/formulaire-qf.ts';

/** A HubEE that lies: cases given by the test, every call recorded. */
function lyingHubee(cases: { id: string; externalId: string; bytes: Buffer; declaredSize?: number }[]) {
  const calls: string[] = [];
  const maxBytesAsked: (number | undefined)[] = [];
  const status = new Map(cases.map((c) => [c.id, 'HUBEE_NOTIFIED']));
  const notifications: Notification[] = cases.map((c, i) => ({ id: `n${i}`, recipient: null, transmitter: null, processCode: 'FormulaireQF', caseId: c.id, eventId: null, dateTime: null, eventActionType: null, eventStatus: null }));
  const asCase = (c: (typeof cases)[number]): Case =>
    ({
      id: c.id,
      status: status.get(c.id)!,
      recipient: { type: 'SI', companyRegister: '21040107100019', branchCode: '04107' },
      externalId: c.externalId,
      processCode: 'FormulaireQF',
      createDateTime: null,
      updateDateTime: null,
      transmissionDateTime: null,
      closeDateTime: null,
      partnerAttributes: null,
      applicant: null,
      attachments: [{ id: `${c.id}-a`, status: 'SENT', fileName: 'FormulaireQF.json', type: 'DOCUMENT', size: c.declaredSize ?? c.bytes.length, mimeType: 'application/json' }],
      events: [],
    }) as unknown as Case;
  const hubee: HubeeSiClient = {
    listNotifications: async () => notifications.splice(0),
    deleteNotification: async (id) => void calls.push(`delete ${id}`),
    getCase: async (id) => asCase(cases.find((c) => c.id === id)!),
    updateCaseStatus: async (id, s: CaseStatus) => {
      calls.push(`status ${id} ${s}`);
      status.set(id, s);
    },
    downloadCaseAttachment: async (caseId, _attachmentId, options) => {
      maxBytesAsked.push(options?.maxBytes);
      const bytes = cases.find((c) => c.id === caseId)!.bytes;
      return { bytes, digest: createHash('sha256').update(bytes).digest('base64'), mimeType: 'application/json' } as never;
    },
    createEvent: async (id) => {
      calls.push(`event ${id}`);
      return {} as never;
    },
    getEvent: async () => ({}) as never,
    updateEventStatus: async () => {},
  };
  return { hubee, calls, maxBytesAsked };
}

describe('hubee pull against a HubEE that cannot be trusted', () => {
  let directory: string;
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'fqf-hostile-'));
  });
  after(() => rm(directory, { recursive: true, force: true }));

  it('two external ids that clean up to the same folder: both cases downloaded, each acknowledged only once written', async () => {
    const { hubee, calls } = lyingHubee([
      { id: 'case-1', externalId: 'dossier/1', bytes: Buffer.from('{"premier":1}') },
      { id: 'case-2', externalId: 'dossier:1', bytes: Buffer.from('{"second":2}') },
    ]);
    const summary = await pullCases({ hubee, directory });
    assert.equal(summary.casesDownloaded, 2);
    assert.equal(summary.casesAlreadyThere, 0);
    const folders = (await readdir(directory)).filter((f) => !f.startsWith('.')).sort();
    assert.equal(folders.length, 2, folders.join(', '));
    const held = await Promise.all(folders.map(async (f) => (await readPulledCase(join(directory, f)))?.caseId));
    assert.deepEqual(held.sort(), ['case-1', 'case-2']);
    assert.ok(calls.includes('status case-2 SI_RECEIVED'));
  });

  it('asks for each file no more than its declared size, and acknowledges nothing when HubEE sends more', async () => {
    const { hubee, calls, maxBytesAsked } = lyingHubee([{ id: 'case-3', externalId: 'dossier-3', bytes: Buffer.from('x'.repeat(10)) }]);
    await pullCases({ hubee, directory });
    assert.deepEqual(maxBytesAsked, [10]);
    const liar = lyingHubee([{ id: 'case-4', externalId: 'dossier-4', bytes: Buffer.from('x'.repeat(100)), declaredSize: 10 }]);
    await assert.rejects(pullCases({ hubee: liar.hubee, directory }), PullIntegrityError);
    assert.deepEqual(liar.calls, [], 'nothing acknowledged, nothing deleted');
  });
});

describe('downloads are streamed with a hard cap', () => {
  it('stops reading past maxBodyBytes, however much the server sends and whatever it declared', async () => {
    let sentBytes = 0;
    const server = createServer((request, response) => {
      // No length announced: 400 MiB streamed until the client goes away.
      void request;
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 1);
      const pump = () => {
        while (sentBytes < 400 * 1024 * 1024 && response.write(chunk)) sentBytes += chunk.length;
        if (sentBytes >= 400 * 1024 * 1024) response.end();
      };
      response.on('drain', pump);
      response.on('close', () => response.removeAllListeners('drain'));
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const rssBefore = process.memoryUsage().rss;
      await assert.rejects(
        httpRequest({ system: 'HubEE', url: `http://127.0.0.1:${port}/file`, timeoutMs: 20_000, maxBodyBytes: 1024 * 1024 }),
        (error: unknown) => error instanceof TransportError && error.failure.kind === 'too_large',
      );
      assert.ok(sentBytes < 100 * 1024 * 1024, `${sentBytes} bytes were sent before the client stopped`);
      assert.ok(process.memoryUsage().rss - rssBefore < 150 * 1024 * 1024, 'the answer was buffered');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('what the command prints', () => {
  it('escapes control and format characters: no terminal escape sequence, carriage return or bidi override gets through', async () => {
    assert.equal(printable('case \u001b]0;pwn\u0007 \u202e ok\r'), 'case \\u001b]0;pwn\\u0007 \\u202e ok\\u000d');
    assert.equal(printable('ligne 1\nligne 2 é ✓'), 'ligne 1\nligne 2 é ✓');
    let err = '';
    await main(['\u001b[2J\u001b[31m'], {}, { write: () => true }, { write: (t: string) => (err += t) });
    assert.ok(!err.includes('\u001b'), 'an escape sequence reached the terminal');
    assert.match(err, /Commande inconnue : \\u001b\[2J/);
  });
});
