import { hubeeFolderExternalId, type ShipmentReference } from '../../../src/domain/shipment-reference.ts';
import { faultControlClient } from '../../../src/sandbox/faults/client.ts';
import { journeyOverHttp } from '../../support/http-journey.ts';

/**
 * One family's journey against the production build, in a process started with NODE_EXTRA_CA_CERTS (the test's
 * own certificate authority), then HubEE's count of that shipment's folders once the transmission is over.
 * Arguments: app URL, sandbox URL, SIRET, persona. Prints one JSON line.
 */
const [appUrl, sandboxUrl, siret, persona] = process.argv.slice(2) as [string, string, string, string];
const reference = await journeyOverHttp(appUrl, { siret, persona });
const externalId = hubeeFolderExternalId(reference as ShipmentReference);
const faults = faultControlClient(sandboxUrl);
const deadline = Date.now() + 120_000;
let census = await faults.hubeeCensus();
while ((census.byExternalId[externalId]?.complete ?? 0) === 0 && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 250));
  census = await faults.hubeeCensus();
}
process.stdout.write(`${JSON.stringify({ reference, folders: census.byExternalId[externalId] ?? null })}\n`);
