/**
 * Test helpers for the HubEE client and stand-in (used by *.test.ts only): clients for each role against a
 * running sandbox, a stand-in started with non-default options, and a FormulaireQF-like folder.
 */
import Fastify from 'fastify';
import type { Config } from '../../config/config.ts';
import { testConfig } from '../../../test/support/config.ts';
import { freePort } from '../../../test/support/ports.ts';
import { createHubeeClient, sha256Digest, type CreateFolderInput, type HubeeClient } from './client.ts';
import { createHubeeStandIn, siCredentialsFor, type HubeeStandInOptions } from '../../sandbox/hubee/index.ts';

export interface HubeeSandbox {
  config: Config;
  url: string;
  close(): Promise<void>;
}

/** The HubEE stand-in alone, with options the shared sandbox does not expose (token lifetime, clock, dataDir). */
export async function startHubeeStandIn(
  options: { standIn?: HubeeStandInOptions; dataDir?: string | null; port?: number } = {},
): Promise<HubeeSandbox> {
  const port = options.port ?? (await freePort());
  const config = testConfig(port);
  const app = Fastify({ bodyLimit: 20 * 1024 * 1024 });
  await createHubeeStandIn(options.standIn)(app, { publicUrl: config.sandbox.publicUrl, dataDir: options.dataDir ?? null, config });
  await app.listen({ host: '127.0.0.1', port });
  return { config, url: config.sandbox.publicUrl, close: () => app.close() };
}

export type Who = 'OSL' | 'ADMIN' | { si: string };

export function clientAs(sandbox: { config: Config }, who: Who, extra: { now?: () => number } = {}): HubeeClient {
  const { hubee } = sandbox.config;
  const credentials =
    who === 'OSL' ? hubee.osl : who === 'ADMIN' ? hubee.admin : siCredentialsFor(who.si);
  return createHubeeClient({
    apiUrl: hubee.apiUrl,
    tokenUrl: hubee.tokenUrl,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    scope: who === 'OSL' ? 'OSL' : who === 'ADMIN' ? 'ADMIN' : 'SI',
    timeoutMs: 5000,
    ...extra,
  });
}

export async function tokenFor(sandbox: { config: Config }, who: Who, scope?: string): Promise<string> {
  const { hubee } = sandbox.config;
  const credentials = who === 'OSL' ? hubee.osl : who === 'ADMIN' ? hubee.admin : siCredentialsFor(who.si);
  const response = await fetch(hubee.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: scope ?? (typeof who === 'string' ? who : 'SI') }),
  });
  const body = (await response.json()) as { access_token: string };
  return body.access_token;
}

/** Majastres (04), an active seeded commune. */
export const MAJASTRES = { siret: '21040107100019', cog: '04107' };
/** Belley (01), another one. */
export const BELLEY = { siret: '21010034300016', cog: '01034' };

export interface SampleFolder {
  input: CreateFolderInput;
  files: Map<string, Buffer>;
}

let sequence = 0;

/** A folder shaped like the ones Formulaire QF sends (contracts/formulaire-qf-payload.md §1). */
export function sampleFolder(commune: { siret: string; cog: string } = MAJASTRES): SampleFolder {
  const reference = (Date.now().toString(16) + (++sequence).toString(16)).toUpperCase().padStart(13, '0').slice(-13);
  const externalId = `Formulaire-QF-${reference}`;
  const caseExternalId = `${externalId}-01`;
  const files = new Map<string, Buffer>([
    ['FormulaireQF.json', Buffer.from(JSON.stringify({ external_id: null, quotient_familial: { quotientFamilial: 2550 } }))],
    ['FormulaireQF.xml', Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<hash>\n  <external-id nil="true"/>\n</hash>\n')],
    ['quotient_familial_DUBOIS_Angela_Claire_Louise.pdf', Buffer.from('%PDF-1.4\n% test\n%%EOF\n')],
  ]);
  const mime = (name: string) => (name.endsWith('.json') ? 'application/json' : name.endsWith('.xml') ? 'application/xml' : 'application/pdf');
  return {
    files,
    input: {
      processCode: 'FormulaireQF',
      externalId,
      applicant: { firstName: 'Angela Claire Louise', lastName: 'DUBOIS' },
      cases: [{ recipient: { type: 'SI', companyRegister: commune.siret, branchCode: commune.cog }, externalId: caseExternalId }],
      attachments: [...files].map(([fileName, bytes]) => ({
        fileName,
        type: 'FormulaireQF',
        size: bytes.length,
        mimeType: mime(fileName),
        recipients: [caseExternalId],
      })),
    },
  };
}

/** Creates, uploads (with digests) and completes a folder; returns the ids. */
export async function transmit(osl: HubeeClient, sample: SampleFolder = sampleFolder()) {
  const folder = await osl.createFolder(sample.input);
  for (const attachment of folder.attachments) {
    const bytes = sample.files.get(attachment.fileName);
    if (!bytes) throw new Error(`no bytes for ${attachment.fileName}`);
    await osl.uploadAttachment(folder.id, attachment.id, bytes, { digest: sha256Digest(bytes) });
  }
  await osl.markFolderCompleted(folder.id);
  const caseId = folder.cases[0]?.id;
  if (!caseId) throw new Error('no case');
  return { folder, caseId };
}
