import { createHubeeClient, type Case } from '../../../src/integrations/hubee/client.ts';
import { siCredentialsFor } from '../../../src/sandbox/hubee/index.ts';
import type { TestService } from '../../support/service.ts';

export interface ReceivedFolder {
  case: Case;
  files: Map<string, Buffer>;
}

/**
 * What a commune finds in HubEE with its own SI credentials: every case notified to it, with its files. In the
 * main HubEE by default; `in: 'qualification'` reads the qualification environment the service is linked to.
 */
export async function communeInbox(test: TestService, siret: string, options: { in?: 'production' | 'qualification' } = {}): Promise<ReceivedFolder[]> {
  const { config } = test.service.context;
  const hubee = options.in === 'qualification' ? config.hubee.qualification : config.hubee;
  if (!hubee) throw new Error('the service is not linked to a qualification environment');
  const credentials = siCredentialsFor(siret);
  const si = createHubeeClient({ apiUrl: hubee.apiUrl, tokenUrl: hubee.tokenUrl, clientId: credentials.clientId, clientSecret: credentials.clientSecret, scope: 'SI', timeoutMs: 5000 });
  const notifications = await si.listNotifications({ maxResult: 100, processCode: 'FormulaireQF' });
  const caseIds = [...new Set(notifications.map((n) => n.caseId).filter((id): id is string => Boolean(id)))];
  const folders: ReceivedFolder[] = [];
  for (const caseId of caseIds) {
    const found = await si.getCase(caseId);
    const files = new Map<string, Buffer>();
    for (const attachment of found.attachments ?? []) {
      if (!attachment.id) continue;
      files.set(attachment.fileName ?? attachment.id, (await si.downloadCaseAttachment(caseId, attachment.id)).bytes);
    }
    folders.push({ case: found, files });
  }
  return folders;
}
