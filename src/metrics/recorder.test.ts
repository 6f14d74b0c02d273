import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createTestDatabase } from '../../test/support/database.ts';
import { journeyOverHttp } from '../../test/support/http-journey.ts';
import { startTestService, type TestService } from '../../test/support/service.ts';
import type { Db } from '../db/database.ts';
import { personas } from '../sandbox/fixtures.ts';
import { normalizeMetricEvent } from './events.ts';
import { createMetrics } from './recorder.ts';

const MAJASTRES = '21040107100019';

describe('metrics recorder', () => {
  let db: Db;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db?.close();
  });

  it('counts events per hour, kind, collectivity and code, adding to what is stored', async () => {
    let now = new Date('2025-03-01T10:15:00Z');
    const metrics = createMetrics({ db, logger: pino({ level: 'silent' }), now: () => now });
    metrics.record({ kind: 'qf.not_found', siret: MAJASTRES, code: '35003' });
    metrics.record({ kind: 'qf.not_found', siret: MAJASTRES, code: '35003' });
    metrics.record({ kind: 'qf.fetched', siret: MAJASTRES });
    await metrics.flush();
    metrics.record({ kind: 'qf.not_found', siret: MAJASTRES, code: '35003' });
    now = new Date('2025-03-01T11:01:00Z');
    metrics.record({ kind: 'qf.fetched', siret: MAJASTRES });
    await metrics.stop();
    const rows = await db.kysely.selectFrom('metric_counts').selectAll().orderBy('hour').orderBy('kind').execute();
    assert.deepEqual(
      rows.map((r) => [r.kind, r.collectivity_siret, r.code, r.hour.toISOString(), r.count]),
      [
        ['qf.fetched', MAJASTRES, '', '2025-03-01T10:00:00.000Z', 1],
        ['qf.not_found', MAJASTRES, '35003', '2025-03-01T10:00:00.000Z', 3],
        ['qf.fetched', MAJASTRES, '', '2025-03-01T11:00:00.000Z', 1],
      ],
    );
    assert.deepEqual(metrics.processTotals().sort((a, b) => a.kind.localeCompare(b.kind)), [
      { kind: 'qf.fetched', code: '', count: 2 },
      { kind: 'qf.not_found', code: '35003', count: 3 },
    ]);
  });

  it('never stores free text: a SIRET only if it is one, a code only if it is a short token', () => {
    assert.deepEqual(normalizeMetricEvent({ kind: 'qf.failed', siret: 'DUBOIS Angela', code: 'Angela Claire Louise DUBOIS' }), { kind: 'qf.failed', siret: '', code: 'other' });
    assert.deepEqual(normalizeMetricEvent({ kind: 'qf.failed', siret: MAJASTRES, code: '37999' }), { kind: 'qf.failed', siret: MAJASTRES, code: '37999' });
  });

  it('never throws at the caller, even when the database is gone', async () => {
    const closed = await createTestDatabase();
    await closed.close();
    const metrics = createMetrics({ db: closed, logger: pino({ level: 'silent' }) });
    assert.doesNotThrow(() => metrics.record({ kind: 'journey.started', siret: MAJASTRES }));
    await metrics.flush();
    await metrics.stop();
  });
});

describe('metrics of real journeys', () => {
  let test: TestService;
  before(async () => {
    test = await startTestService();
  });
  after(async () => {
    await test?.stop();
  });

  it('count each step, and nothing in the table or /metrics names a persona or carries a QF', async () => {
    const reference = await journeyOverHttp(test.appUrl, { siret: MAJASTRES, persona: 'angela' });
    await assert.rejects(journeyOverHttp(test.appUrl, { siret: MAJASTRES, persona: 'jean' }), /callback answered 404/);
    await test.service.context.metrics.flush();

    const rows = await test.service.context.db.kysely.selectFrom('metric_counts').selectAll().execute();
    const total = (kind: string, code = '') => rows.filter((r) => r.kind === kind && r.code === code).reduce((s, r) => s + r.count, 0);
    assert.equal(total('page.viewed', 'collectivity'), 2);
    assert.equal(total('journey.started'), 2);
    assert.equal(total('franceconnect.login_succeeded'), 2);
    assert.equal(total('qf.fetched'), 1);
    assert.equal(total('qf.not_found', '35003'), 1);
    assert.equal(total('transmission.recorded'), 1);
    assert.equal(total('transmission.sent'), 1);
    assert.ok(rows.every((r) => r.collectivity_siret === '' || r.collectivity_siret === MAJASTRES));

    const metricsText = await (await fetch(`${test.appUrl}/metrics`, { headers: { authorization: 'Bearer local-only-api-token-do-not-use-in-production-0123456789' } })).text();
    const stored = JSON.stringify(rows);
    for (const persona of personas.filter((p) => p.login === 'angela' || p.login === 'jean')) {
      for (const value of [persona.claims.family_name, persona.claims.given_name, persona.claims.birthdate]) {
        assert.ok(!stored.includes(value), `the table does not contain ${value}`);
        assert.ok(!metricsText.includes(value), `/metrics does not contain ${value}`);
      }
    }
    const eventLines = metricsText.split('\n').filter((line) => line.startsWith('formulaire_qf_events_total')).join('\n');
    for (const text of [stored, metricsText]) assert.ok(!text.includes(reference), 'no shipment reference');
    // Counts are small numbers here; the QF of Angela (2550) shows up nowhere as a label or a stored value.
    for (const text of [stored, eventLines]) assert.ok(!/2550/.test(text), 'no QF value');
  });
});
