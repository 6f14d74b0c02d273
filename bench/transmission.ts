import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import type { Db } from '../src/db/database.ts';
import { createCollectivityRepository } from '../src/db/repositories/collectivities.ts';
import { seedCollectivities } from '../src/db/repositories/collectivity-seed.ts';
import { createShipmentRepository } from '../src/db/repositories/shipments.ts';
import { normalizeSearchText } from '../src/domain/collectivity.ts';
import { inputFor } from '../src/domain/formulaire-qf/test-fixtures.ts';
import { buildTeledossier } from '../src/domain/formulaire-qf/teledossier.ts';
import { generateShipmentReference } from '../src/domain/shipment-reference.ts';
import { createHubeeClient } from '../src/integrations/hubee/client.ts';
import { createHubeeFolderPort } from '../src/integrations/hubee/formulaire-qf-folder.ts';
import { faultControlClient } from '../src/sandbox/faults/client.ts';
import { seedCollectivities as seedData } from '../src/sandbox/fixtures.ts';
import { createPersonalDataCipher } from '../src/security/personal-data-cipher.ts';
import { shipmentPayloadContext, transmitShipment, type ShipmentPayload, type TransmitDeps } from '../src/usecases/transmit-shipment.ts';
import { legacyTransmit } from './legacy-transmission.ts';
import { benchDatabase } from './lib/databases.ts';
import { benchTopology, startChild } from './lib/processes.ts';
import type { Benchmark } from './lib/result.ts';
import { summarize } from './lib/stats.ts';

const MAJASTRES = '21040107100019';
const PER_RUN = 10;
const TARGET_RATIO = 1.8;
type Side = 'postgres' | 'embedded' | 'legacy';
const SIDES: readonly Side[] = ['postgres', 'embedded', 'legacy'];

/** What the last round of changes found and measured (branch perf2), carried into every report until the next round. */
const ROUND_FINDINGS = [
  'This round (branch perf2): HubEE\'s calls, like every upstream call, go through node:http with kept-alive sockets instead of the global fetch (src/integrations/http.ts); the existing form\'s re-implementation (bench/legacy-transmission.ts) was moved to the same helper, so that the comparison stays one of call shapes. Measured with this benchmark, base f341f5f then this branch one right after the other (load average 7.3 → 6.5 on 2 cores, both on the fetch-based existing form): CPU in this process per transmission, ours 18.8 → 15.8 ms (PostgreSQL) and 20.6 → 16.6 ms (embedded); fixed cost with no injected latency 62.0 → 29.2 ms and 55.8 → 36.6 ms (medians of 20, noisy); speed-up 1.76 → 1.82× (PostgreSQL) and 1.72 → 1.74× (embedded). The figures below are measured with the existing form on the same HTTP helper as ours.',
];

/**
 * Benchmark 1: one transmission to HubEE, our pipeline against the existing form's, in the same process against
 * the same stand-in (in its own process, with the injected latency). Ours runs with each of our databases:
 * PostgreSQL (production's) and the embedded one (`npm start`'s); the three take turns, one transmission each.
 */
export const transmissionBenchmark: Benchmark = async ({ latencyMs, runs, log }) => {
  const topology = await benchTopology({ DATA_DIR: ':memory:' });
  const sandbox = await startChild('bench/support/sandbox-main.ts', { ...topology.env, BENCH_LATENCY_MS: String(latencyMs) });
  const config = loadConfig(topology.env);
  const databases: Record<'postgres' | 'embedded', Db> = { postgres: await benchDatabase('postgres'), embedded: await benchDatabase('embedded') };
  try {
    const cipher = createPersonalDataCipher(config.secrets.personalDataKey);
    // As src/context.ts builds it: one OSL client for the process, so its token is cached across transmissions.
    const client = createHubeeClient({
      apiUrl: config.hubee.apiUrl,
      tokenUrl: config.hubee.tokenUrl,
      clientId: config.hubee.osl.clientId,
      clientSecret: config.hubee.osl.clientSecret,
      scope: 'OSL',
      timeoutMs: config.hubee.timeoutMs,
      partnerInfo: { editorName: 'DINUM', applicationName: 'Formulaire QF' },
    });
    const hubee = createHubeeFolderPort(client);
    const ours: Record<'postgres' | 'embedded', () => Promise<number>> = { postgres: async () => 0, embedded: async () => 0 };
    for (const kind of ['postgres', 'embedded'] as const) {
      const db = databases[kind];
      await seedCollectivities(createCollectivityRepository(db), seedData, normalizeSearchText, { demoPortalPrefix: `${topology.sandboxUrl}/portail-commune` });
      const shipments = createShipmentRepository(db);
      const deps: TransmitDeps = { shipments, hubee, cipher, buildTeledossier, logger: pino({ level: 'silent' }), metrics: { record: () => {} } };
      ours[kind] = async () => {
        // What "Transmettre" records before the pipeline runs (not timed: the existing form records its own too).
        const reference = generateShipmentReference();
        const { transmittedAt, previousTransmissionAt, ...input } = inputFor('angela', { reference });
        const payload: ShipmentPayload = { ...input, transmittedAt: transmittedAt.toISOString(), previousTransmissionAt: previousTransmissionAt?.toISOString() ?? null };
        await shipments.create({ reference, collectivitySiret: MAJASTRES, externalId: null, payload: cipher.encrypt(payload, shipmentPayloadContext(reference)), giveUpAt: new Date(Date.now() + 86_400_000) });
        const started = performance.now();
        const outcome = await transmitShipment(deps, reference);
        const ms = performance.now() - started;
        if (outcome.kind !== 'sent') throw new Error(`our pipeline (${kind}): ${JSON.stringify(outcome)}`);
        return ms;
      };
    }
    const legacy = { apiUrl: config.hubee.apiUrl, tokenUrl: config.hubee.tokenUrl, clientId: config.hubee.osl.clientId, clientSecret: config.hubee.osl.clientSecret };
    const theirs = async () => {
      const reference = generateShipmentReference();
      const started = performance.now();
      // The existing form builds the same three files, then sends them its way.
      await legacyTransmit(legacy, await buildTeledossier(inputFor('angela', { reference, transmittedAt: new Date() })));
      return performance.now() - started;
    };
    const one: Record<Side, () => Promise<number>> = { ...ours, legacy: theirs };

    // Warm-up: JIT, PDF fonts, connections, and our token (cached from then on, as in production).
    for (let i = 0; i < 3; i++) for (const side of SIDES) await one[side]();

    const all: Record<Side, number[]> = { postgres: [], embedded: [], legacy: [] };
    const medians: Record<Side, number[]> = { postgres: [], embedded: [], legacy: [] };
    const ratios: Record<'postgres' | 'embedded', number[]> = { postgres: [], embedded: [] };
    for (let run = 0; run < runs; run++) {
      const times: Record<Side, number[]> = { postgres: [], embedded: [], legacy: [] };
      // Taking turns, in a rotating order, so that all three see the same moments of a noisy machine.
      for (let i = 0; i < PER_RUN; i++) {
        for (let k = 0; k < SIDES.length; k++) {
          const side = SIDES[(i + k) % SIDES.length]!;
          times[side].push(await one[side]());
        }
      }
      for (const side of SIDES) {
        all[side].push(...times[side]);
        medians[side].push(summarize(times[side]).median);
      }
      const legacyMedian = medians.legacy.at(-1)!;
      ratios.postgres.push(legacyMedian / medians.postgres.at(-1)!);
      ratios.embedded.push(legacyMedian / medians.embedded.at(-1)!);
      log(`run ${run + 1}: ours ${medians.postgres.at(-1)!.toFixed(1)} ms (PostgreSQL), ${medians.embedded.at(-1)!.toFixed(1)} ms (embedded); existing form ${legacyMedian.toFixed(1)} ms; ratios ${ratios.postgres.at(-1)!.toFixed(2)}× and ${ratios.embedded.at(-1)!.toFixed(2)}×`);
    }

    // Where the time goes: with no injected latency, what is left is each side's own cost (CPU, database, the
    // stand-in's work and the machine's scheduling), measured the same way, with the CPU this process used.
    await faultControlClient(topology.sandboxUrl).setLatency(0);
    const bare: Record<Side, number[]> = { postgres: [], embedded: [], legacy: [] };
    const cpu: Record<Side, number> = { postgres: 0, embedded: 0, legacy: 0 };
    for (let i = 0; i < 2 * PER_RUN; i++) {
      for (const side of SIDES) {
        const before = process.cpuUsage();
        bare[side].push(await one[side]());
        const used = process.cpuUsage(before);
        cpu[side] += (used.user + used.system) / 1000 / (2 * PER_RUN);
      }
    }
    const m = (side: Side) => summarize(medians[side]).median;
    const b = (side: Side) => summarize(bare[side]).median;
    log(`without latency: ours ${b('postgres').toFixed(1)} / ${b('embedded').toFixed(1)} ms, existing form ${b('legacy').toFixed(1)} ms; CPU here per transmission: ${cpu.postgres.toFixed(1)} / ${cpu.embedded.toFixed(1)} / ${cpu.legacy.toFixed(1)} ms`);
    const ratioPg = summarize(ratios.postgres);
    const ratioEmbedded = summarize(ratios.embedded);
    const findings = [
      ...ROUND_FINDINGS,
      `Upstream round trips on the critical path: ours 3 (create; the 3 uploads at once; complete — the token is cached in the client), the existing form 6 (token, create, 3 uploads one after the other, complete). At ${latencyMs} ms: ${3 * latencyMs} ms against ${6 * latencyMs} ms, a 2.0× ceiling that fixed costs bring down.`,
      `Fixed costs, measured right after in the same process with no injected latency (median of ${2 * PER_RUN}): ours ${b('postgres').toFixed(1)} ms on PostgreSQL, ${b('embedded').toFixed(1)} ms on the embedded database; the existing form ${b('legacy').toFixed(1)} ms. CPU used in this process per transmission: ours ${cpu.postgres.toFixed(1)} ms (PostgreSQL), ${cpu.embedded.toFixed(1)} ms (embedded; both database servers run in processes of their own, not counted here), the existing form ${cpu.legacy.toFixed(1)} ms. Ours does durable bookkeeping the existing form does not (claim the shipment, record the folder before uploading, mark it sent: three writes) and decrypts the payload.`,
      `At ${latencyMs} ms: ours ${m('postgres').toFixed(1)} ms (PostgreSQL) ≈ ${3 * latencyMs} + ${(m('postgres') - 3 * latencyMs).toFixed(1)}, ${m('embedded').toFixed(1)} ms (embedded) ≈ ${3 * latencyMs} + ${(m('embedded') - 3 * latencyMs).toFixed(1)}; the existing form ${m('legacy').toFixed(1)} ms ≈ ${6 * latencyMs} + ${(m('legacy') - 6 * latencyMs).toFixed(1)}. Every request also waits for a CPU on this shared machine (see the load average), on both sides.`,
    ];
    const missed = [ratioPg, ratioEmbedded].some((r) => r.median < TARGET_RATIO);
    if (missed) {
      const budget = m('legacy') / TARGET_RATIO - 3 * latencyMs;
      findings.push(
        `Why ${TARGET_RATIO}× is missed: it needs our whole fixed cost under ${budget.toFixed(1)} ms at these figures, against ${(m('postgres') - 3 * latencyMs).toFixed(1)} ms (PostgreSQL) and ${(m('embedded') - 3 * latencyMs).toFixed(1)} ms (embedded) measured. The existing form's own fixed cost (${(m('legacy') - 6 * latencyMs).toFixed(1)} ms) shows how much of it is this machine rather than either pipeline: every request, ours or theirs, waits for a CPU when the load average is several times the 2 cores. Of our extra cost, the CPU in this process is small (${(cpu.postgres - cpu.legacy).toFixed(1)} ms more than the existing form with PostgreSQL, ${(cpu.embedded - cpu.legacy).toFixed(1)} ms with the embedded server); the rest is the database round trips of the bookkeeping (claim; record the folder; mark sent in a transaction: about eight round trips to a PostgreSQL server — the machine's or the embedded one — that competes for the same cores). That bookkeeping is what makes a transmission never lost nor doubled, so it stays; folding \"mark sent\" and its history row into one statement would save a few round trips, not the ${(m('postgres') - 3 * latencyMs - budget).toFixed(0)} ms missing. On an idle machine the fixed costs shrink on both sides and the ratio moves toward the 2.0× ceiling.`,
      );
    }
    return {
      status: 'measured',
      setup: [
        `Stand-ins in their own process, ${latencyMs} ms injected on every HubEE request; our side in the benchmark's process with real databases for the shipments: a fresh database on the machine's PostgreSQL 15 (production's set-up) and one on an embedded PostgreSQL 18 server started for the run (npm start's default, src/db/embedded-postgres.ts).`,
        'Ours: src/usecases/transmit-shipment.ts with the real HubEE client (token cached in the client, as in production): claim the shipment, decrypt it, build JSON/XML/PDF, create the folder, record it, 3 uploads in parallel, complete, mark sent.',
        'Existing form (bench/legacy-transmission.ts): build the same files, fresh token, create, 3 uploads one after the other, complete.',
        `${runs} runs × ${PER_RUN} transmissions of each of the three, one at a time, taking turns; each ratio is computed per run from the medians of that run.`,
      ],
      figures: [
        { name: 'ours on PostgreSQL', unit: 'ms', summary: summarize(all.postgres), over: 'transmissions' },
        { name: 'ours on the embedded database', unit: 'ms', summary: summarize(all.embedded), over: 'transmissions' },
        { name: 'existing form', unit: 'ms', summary: summarize(all.legacy), over: 'transmissions' },
        { name: 'ours on PostgreSQL, median per run', unit: 'ms', summary: summarize(medians.postgres), over: 'runs' },
        { name: 'ours on the embedded database, median per run', unit: 'ms', summary: summarize(medians.embedded), over: 'runs' },
        { name: 'existing form, median per run', unit: 'ms', summary: summarize(medians.legacy), over: 'runs' },
        { name: 'ours on PostgreSQL, no injected latency', unit: 'ms', summary: summarize(bare.postgres), over: 'transmissions' },
        { name: 'ours on the embedded database, no injected latency', unit: 'ms', summary: summarize(bare.embedded), over: 'transmissions' },
        { name: 'existing form, no injected latency', unit: 'ms', summary: summarize(bare.legacy), over: 'transmissions' },
      ],
      ratios: [
        { name: 'speed-up on PostgreSQL', definition: 'existing form ÷ ours (per-run medians)', summary: ratioPg },
        { name: 'speed-up on the embedded database', definition: 'existing form ÷ ours (per-run medians)', summary: ratioEmbedded },
      ],
      targets: [
        { name: 'ours faster than the existing form (PostgreSQL, production)', wanted: `≥ ${TARGET_RATIO}×`, value: ratioPg.median, unit: '×', met: ratioPg.median >= TARGET_RATIO },
        { name: 'ours faster than the existing form (embedded database, npm start)', wanted: `≥ ${TARGET_RATIO}×`, value: ratioEmbedded.median, unit: '×', met: ratioEmbedded.median >= TARGET_RATIO },
      ],
      findings,
      details: { latencyMs, perRun: { medians, ratios }, cpuMsPerTransmission: cpu },
    };
  } finally {
    await databases.postgres.close();
    await databases.embedded.close();
    await sandbox.stop();
  }
};
