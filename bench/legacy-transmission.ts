import { createHash } from 'node:crypto';
import { httpRequest } from '../src/integrations/http.ts';
import type { Teledossier } from '../src/domain/formulaire-qf/teledossier.ts';

/**
 * The way the existing national form sends a télédossier to HubEE (contracts/hubee.md §2.2 and §2.3, as the Rails
 * application does it), re-implemented from that description for the side-by-side comparison: a fresh OAuth2
 * token for every transmission, create the folder, upload the three files one after the other, mark the folder
 * complete. Same HTTP stack as ours (src/integrations/http.ts: node:http with kept-alive sockets), same files, same
 * stand-in: only the shape of the calls differs.
 */
export interface LegacyHubee {
  apiUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

export async function legacyTransmit(hubee: LegacyHubee, teledossier: Teledossier): Promise<string> {
  const token = await freshToken(hubee);
  const call = async (method: 'POST' | 'PUT' | 'PATCH', path: string, body?: { json: unknown } | { bytes: Buffer; digest: string }) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
    let payload: string | Uint8Array<ArrayBuffer> | undefined;
    if (body && 'json' in body) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body) {
      headers['content-type'] = 'application/octet-stream';
      headers.digest = body.digest;
      payload = new Uint8Array(body.bytes);
    }
    const response = await httpRequest({ system: 'HubEE', method, url: `${hubee.apiUrl}${path}`, headers, timeoutMs: 30_000, ...(payload === undefined ? {} : { body: payload }) });
    const text = response.text();
    if (response.status < 200 || response.status > 299) throw new Error(`legacy ${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
    return text ? (JSON.parse(text) as unknown) : null;
  };

  const folder = (await call('POST', '/teledossiers/v1/folders', {
    json: {
      processCode: teledossier.processCode,
      externalId: teledossier.externalId,
      applicant: teledossier.applicant,
      cases: teledossier.cases.map((c) => ({ recipient: c.recipient, externalId: c.externalId })),
      attachments: teledossier.attachments.map((a) => ({ fileName: a.fileName, type: a.type, size: a.size, mimeType: a.mimeType, recipients: [...a.recipients] })),
    },
  })) as { id: string; attachments: { id: string; fileName: string }[] };

  // One after the other, as the existing form does.
  for (const file of teledossier.attachments) {
    const attachment = folder.attachments.find((a) => a.fileName === file.fileName);
    if (!attachment) throw new Error(`legacy: no attachment id for ${file.fileName}`);
    await call('PUT', `/teledossiers/v1/folders/${folder.id}/attachments/${attachment.id}`, {
      bytes: file.bytes,
      digest: createHash('sha256').update(file.bytes).digest('base64'),
    });
  }
  await call('PATCH', `/teledossiers/v1/folders/${folder.id}`, { json: { globalStatus: 'HUBEE_COMPLETED' } });
  return folder.id;
}

async function freshToken(hubee: LegacyHubee): Promise<string> {
  const basic = Buffer.from(`${encodeURIComponent(hubee.clientId)}:${encodeURIComponent(hubee.clientSecret)}`).toString('base64');
  const response = await httpRequest({
    system: 'HubEE',
    method: 'POST',
    url: hubee.tokenUrl,
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'OSL' }).toString(),
    timeoutMs: 30_000,
  });
  const body = (response.json() ?? {}) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) throw new Error(`legacy token: ${response.status}`);
  return body.access_token;
}
