import { existsSync } from 'node:fs';
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { createCollectivityRepository } from '../src/db/repositories/collectivities.ts';
import { seedCollectivities } from '../src/db/repositories/collectivity-seed.ts';
import { createShipmentRepository } from '../src/db/repositories/shipments.ts';
import { normalizeSearchText } from '../src/domain/collectivity.ts';
import { generateShipmentReference } from '../src/domain/shipment-reference.ts';
import { createHubeeClient, type CaseStatus, type HubeeClient } from '../src/integrations/hubee/client.ts';
import { siCredentialsFor } from '../src/sandbox/hubee/index.ts';
import { MAJASTRES, sampleFolder, transmit } from '../src/integrations/hubee/testing.ts';
import { faultControlClient } from '../src/sandbox/faults/client.ts';
import { seedCollectivities as seedData } from '../src/sandbox/fixtures.ts';
import { benchDatabase } from './lib/databases.ts';
import { inPool } from './lib/pool.ts';
import { benchTopology, startChild } from './lib/processes.ts';
import type { Benchmark } from './lib/result.ts';
import { summarize } from './lib/stats.ts';

const FOLDERS = 1_000;
/** What a commune does to one case, one event each (every move is allowed by HubEE's table): 10 per case. */
const CASE_STORY: CaseStatus[] = ['SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'ADD_AWAITING', 'IN_PROGRESS', 'ADD_AWAITING', 'IN_PROGRESS', 'ADD_AWAITING', 'IN_PROGRESS', 'DONE'];
const RUN_SECONDS = 6;
const TARGET_PER_SECOND = 500;
const USE_CASE = new URL('../src/usecases/process-hubee-notifications.ts', import.meta.url);

/**
 * Benchmark 5: the HubEE follow-up (src/usecases/process-hubee-notifications.ts) with 10,000 status events
 * waiting: 1,000 FormulaireQF folders sent to Majastres and recorded as our shipments, then the commune's SI
 * moves each case through 10 statuses with `notification: true` (step by step across the cases), all over HTTP through the stand-in (with no
 * injected latency while setting up). Then the follow-up runs as the job does, with the injected latency, for
 * RUN_SECONDS per run; notifications processed per second.
 */
export const hubeeFollowUpBenchmark: Benchmark = async ({ latencyMs, runs, log }) => {
  if (!existsSync(USE_CASE)) return notAvailable('src/usecases/process-hubee-notifications.ts does not exist yet');
  const { processHubeeNotifications } = await import('../src/usecases/process-hubee-notifications.ts');
  const { createFollowUpClaims } = await import('../src/db/repositories/hubee-follow-up-claims.ts');

  const topology = await benchTopology({ DATA_DIR: ':memory:' });
  const sandbox = await startChild('bench/support/sandbox-main.ts', { ...topology.env, BENCH_LATENCY_MS: '0' });
  const control = faultControlClient(topology.sandboxUrl);
  const config = loadConfig(topology.env);
  // PostgreSQL: the follow-up runs in production, where the service refuses to start without it.
  const db = await benchDatabase('postgres');
  try {
    await seedCollectivities(createCollectivityRepository(db), seedData, normalizeSearchText, { demoPortalPrefix: `${topology.sandboxUrl}/portail-commune` });
    const client = (who: 'OSL' | 'SI'): HubeeClient => {
      const credentials = who === 'OSL' ? config.hubee.osl : siCredentialsFor(MAJASTRES.siret);
      return createHubeeClient({ apiUrl: config.hubee.apiUrl, tokenUrl: config.hubee.tokenUrl, ...credentials, scope: who, timeoutMs: 30_000 });
    };
    const osl = client('OSL');
    const si = client('SI');

    const setupStarted = performance.now();
    const sent = await inPool(Array.from({ length: FOLDERS }), 32, async () => transmit(osl, sampleFolder(MAJASTRES)));
    // Our side of each: a shipment already sent, with its HubEE ids (written in bulk, as the transmission left them).
    const shipments = sent.map(({ folder, caseId }) => ({ reference: generateShipmentReference(), folderId: folder.id, caseId }));
    for (let i = 0; i < shipments.length; i += 500) {
      await db.kysely
        .insertInto('shipments')
        .values(shipments.slice(i, i + 500).map((s) => ({ reference: s.reference, collectivity_siret: MAJASTRES.siret, external_id: null, status: 'SENT' as const, hubee_folder_id: s.folderId, hubee_case_id: s.caseId, payload: null, give_up_at: new Date(Date.now() + 86_400_000), sent_at: new Date() })))
        .execute();
    }
    // As communes work: each step for every case before the next step, so that the queue mixes many cases.
    for (const status of CASE_STORY) {
      await inPool(shipments, 64, ({ caseId }) => si.createEvent(caseId, { actionType: 'STATUS_UPDATE', caseNewStatus: status, notification: true, message: 'Suivi', author: 'Agent' }));
    }
    const waitingAtStart = (await osl.listNotifications({ maxResult: 100_000, processCode: 'FormulaireQF' })).length;
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    log(`set up in ${setupSeconds.toFixed(0)} s: ${FOLDERS} folders, ${waitingAtStart} notifications waiting`);

    await control.setLatency(latencyMs);
    const repository = createShipmentRepository(db);
    const claims = createFollowUpClaims(db);
    const rates: number[] = [];
    const waiting: number[] = [];
    let processedTotal = 0;
    let failedTotal = 0;
    for (let run = 0; run < runs; run++) {
      const deadline = performance.now() + RUN_SECONDS * 1000;
      // The job's port, except that HubEE seems empty once the run's time is up (the batch in hand is finished).
      const port: typeof osl = { ...osl, listNotifications: async (options) => (performance.now() < deadline ? osl.listNotifications(options) : []) };
      waiting.push(waitingAtStart - processedTotal);
      const started = performance.now();
      let processed = 0;
      while (performance.now() < deadline) {
        const summary = await processHubeeNotifications({ hubee: port, shipments: repository, claims, logger: pino({ level: 'silent' }), owner: 'bench', batchSize: config.hubeeFollowUp.batchSize });
        processed += summary.processed;
        failedTotal += summary.failed;
        if (summary.read === 0) break;
      }
      const rate = processed / ((performance.now() - started) / 1000);
      processedTotal += processed;
      rates.push(rate);
      log(`run ${run + 1}: ${processed} notifications in ${((performance.now() - started) / 1000).toFixed(1)} s → ${rate.toFixed(1)}/s`);
    }
    const rate = summarize(rates);
    const findings: string[] = [
      `Each notification costs at least three HubEE round trips one after the other (read the event, acknowledge it, delete the notification), five more for a final status (close the case, read it, tell the commune, close the folder): ${3 * latencyMs} ms or more at ${latencyMs} ms. Handled one at a time, as the job first did, that capped the follow-up at about ${(1000 / (3 * latencyMs + 10)).toFixed(0)}/s (this benchmark measured 4.5/s, median of 5 runs, before the change).`,
      'Changed in product code (src/usecases/process-hubee-notifications.ts): the notifications of a batch are handled 32 at a time, those of one case still one after the other in HubEE\'s order; claims already made concurrent instances safe. The existing tests pass unchanged on both databases, and a new one pins each case’s order with several cases at once.',
      `What remains between ${rate.median.toFixed(0)}/s and ${TARGET_PER_SECOND}/s: the batch barrier (a batch of ${config.hubeeFollowUp.batchSize} waits for its slowest notification, a final status with its closing calls, before the next list), the cap of 32 at once, and the database work per notification (claim, find the shipment, store the status, finish the claim). ${TARGET_PER_SECOND}/s at ${latencyMs} ms means about ${Math.ceil((TARGET_PER_SECOND * 3 * latencyMs) / 1000)} notifications in flight at every moment: a rolling pipeline (listing the next batch while the current one runs, skipping claimed notifications) and a larger batch would get there, if HubEE accepts that many concurrent calls from one OSL — V1 documents no limit, the frozen V2 draft documents 300 requests per 5 minutes per IP, which would cap any follow-up near 0.3 notifications/s.`,
    ];
    if (failedTotal > 0) findings.push(`${failedTotal} notifications failed and were left for the next run.`);
    return {
      status: 'measured',
      setup: [
        `Stand-ins in their own process; ${FOLDERS} FormulaireQF folders created and completed by our OSL client, recorded as sent shipments in a real database (${db.kind}: production's; bulk insert), then ${CASE_STORY.length} STATUS_UPDATE events per case by Majastres' SI client with notification: true (${CASE_STORY.join(' → ')}, each step for all cases before the next), all over HTTP with no injected latency (${setupSeconds.toFixed(0)} s): ${waitingAtStart} notifications waiting for our OSL.`,
        `Then processHubeeNotifications as the job calls it (batch size ${config.hubeeFollowUp.batchSize}, HUBEE_NOTIFICATIONS_BATCH_SIZE), ${latencyMs} ms on every HubEE request, ${runs} runs of ${RUN_SECONDS} s (a run finishes the batch in hand when its time is up).`,
      ],
      figures: [
        { name: 'notifications processed', unit: '/s', summary: rate, over: 'runs' },
        { name: 'notifications waiting at the start of a run', unit: '', summary: summarize(waiting), over: 'runs' },
      ],
      ratios: [],
      targets: [{ name: 'follow-up throughput', wanted: `≥ ${TARGET_PER_SECOND}/s`, value: rate.median, unit: '/s', met: rate.median >= TARGET_PER_SECOND }],
      findings,
      details: { folders: FOLDERS, waitingAtStart, processed: processedTotal },
    };
  } finally {
    await db.close();
    await sandbox.stop();
  }
};

function notAvailable(why: string): Awaited<ReturnType<Benchmark>> {
  return { status: 'not_available', setup: [], figures: [], ratios: [], targets: [], findings: [`Not available yet: ${why}. No figure is reported rather than a made-up one.`] };
}
