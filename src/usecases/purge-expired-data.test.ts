import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createTestDatabase } from '../../test/support/database.ts';
import type { Db } from '../db/database.ts';
import { createRetentionRepository } from '../db/repositories/retention.ts';
import { purgeExpiredData } from './purge-expired-data.ts';

const SIRET = '21040107100019';
const DAY = 24 * 3600 * 1000;
const NOW = new Date('2025-06-30T12:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

describe('retention purge', () => {
  let db: Db;
  before(async () => {
    db = await createTestDatabase();
    await db.kysely
      .insertInto('collectivities')
      .values({ siret: SIRET, code_cog: '04107', name: 'Majastres', departement: '04', code_postal: '04270', status: 'active', search_name: 'majastres', editor: null, allowed_redirect_prefixes: '[]' })
      .execute();
    const shipment = (reference: string, createdDaysAgo: number, extra: Record<string, unknown> = {}) =>
      db.kysely
        .insertInto('shipments')
        .values({ reference, collectivity_siret: SIRET, external_id: null, status: 'SENT', payload: null, give_up_at: ago(createdDaysAgo - 1), created_at: ago(createdDaysAgo), ...extra })
        .execute();
    await shipment('0000000000001', 91); // old: goes, with its history
    await shipment('0000000000002', 89); // recent: stays
    await shipment('0000000000003', 10, { status: 'DONE', closed_at: ago(1), hubee_folder_id: 'folder-3', hubee_case_id: 'case-3' }); // closed: ids go
    await shipment('0000000000004', 10, { hubee_folder_id: 'folder-4', hubee_case_id: 'case-4' }); // open case: ids stay
    await shipment('0000000000005', 120, { status: 'pending', payload: new Uint8Array([1]) }); // still being sent: stays
    for (const reference of ['0000000000001', '0000000000002']) {
      await db.kysely.insertInto('shipment_status_history').values({ reference, status: 'SENT', at: ago(90) }).execute();
    }
    // Sessions: an agent's idle for 31 minutes, an operator's signed in 9 hours ago (busy since), an operator's live.
    const session = (kind: 'agent' | 'operator', idHash: string, idleMinutesLeft: number, absoluteMinutesLeft: number) =>
      db.kysely
        .insertInto('espace_sessions')
        .values({ id_hash: idHash, kind, payload: new Uint8Array([1]), idle_expires_at: new Date(NOW.getTime() + idleMinutesLeft * 60_000), absolute_expires_at: new Date(NOW.getTime() + absoluteMinutesLeft * 60_000) })
        .execute();
    await session('agent', 'idle-agent', -1, 400);
    await session('operator', 'too-old-operator', 20, -60);
    await session('operator', 'live-operator', 20, 400);
    for (const [days, kind] of [[400, 'journey.started'], [10, 'journey.started']] as const) {
      const hour = ago(days);
      hour.setUTCMinutes(0, 0, 0);
      await db.kysely.insertInto('metric_counts').values({ kind, hour, count: 3 }).execute();
    }
    // Webhook messages: one as old as the deleted shipment (goes, with its attempt), one recent, one as old but
    // still to be delivered (stays: the delivery worker still needs it).
    await db.kysely
      .insertInto('webhook_endpoints')
      .values({ id: 'endpoint-1', owner_kind: 'collectivity', owner: SIRET, url: 'https://logiciel.example.fr/webhooks', secret_sealed: new Uint8Array([1]), events: '["transmission.sent"]', description: null, status: 'active' })
      .execute();
    const delivery = (id: string, createdDaysAgo: number, status: 'pending' | 'delivered' | 'failed') =>
      db.kysely
        .insertInto('webhook_deliveries')
        .values({ id, endpoint_id: 'endpoint-1', event_type: 'transmission.sent', event_key: id, body: '{}', status, next_attempt_at: ago(createdDaysAgo), give_up_at: ago(createdDaysAgo - 1), created_at: ago(createdDaysAgo) })
        .execute();
    await delivery('old-delivered', 91, 'delivered');
    await delivery('recent-failed', 89, 'failed');
    await delivery('old-pending', 91, 'pending');
    await db.kysely.insertInto('webhook_attempts').values({ delivery_id: 'old-delivered', at: ago(91), status_code: 200, error: null, duration_ms: 12 }).execute();
    // The espace's journal: a sign-in 366 days ago goes, one 364 days ago stays.
    for (const [id, days] of [['journal-old', 366], ['journal-recent', 364]] as const) {
      await db.kysely.insertInto('espace_journal').values({ id, at: ago(days), collectivity_siret: SIRET, actor_kind: 'agent', actor: null, action: 'sign_in', target: null, detail: null }).execute();
    }
  });
  after(async () => {
    await db?.close();
  });

  it('removes only what is past its retention period, and says how much', async () => {
    let journeysPurged = 0;
    const summary = await purgeExpiredData(
      { retention: createRetentionRepository(db), purgeExpiredJourneys: async () => ++journeysPurged, logger: pino({ level: 'silent' }), now: () => NOW },
      { shipmentDays: 90, metricsDays: 395, journalDays: 365 },
    );
    assert.deepEqual(summary, { journeys: 1, hubeeIdsForgotten: 1, shipments: 1, metricHours: 1, sessions: 2, qfRefreshBatches: 0, webhookDeliveries: 1, journalEntries: 1 });

    const shipments = await db.kysely.selectFrom('shipments').select(['reference', 'hubee_folder_id', 'hubee_case_id']).orderBy('reference').execute();
    assert.deepEqual(shipments, [
      { reference: '0000000000002', hubee_folder_id: null, hubee_case_id: null },
      { reference: '0000000000003', hubee_folder_id: null, hubee_case_id: null },
      { reference: '0000000000004', hubee_folder_id: 'folder-4', hubee_case_id: 'case-4' },
      { reference: '0000000000005', hubee_folder_id: null, hubee_case_id: null },
    ]);
    const history = await db.kysely.selectFrom('shipment_status_history').select('reference').execute();
    assert.deepEqual(history.map((h) => h.reference), ['0000000000002'], 'the history went with its shipment');
    const metrics = await db.kysely.selectFrom('metric_counts').select('count').execute();
    assert.equal(metrics.length, 1);
    const sessions = await db.kysely.selectFrom('espace_sessions').select('id_hash').execute();
    assert.deepEqual(sessions.map((s) => s.id_hash), ['live-operator'], 'only the live session stays');
    const deliveries = await db.kysely.selectFrom('webhook_deliveries').select('id').orderBy('id').execute();
    assert.deepEqual(deliveries.map((d) => d.id), ['old-pending', 'recent-failed']);
    assert.equal((await db.kysely.selectFrom('webhook_attempts').select('id').execute()).length, 0, 'the attempts went with their message');
    const journal = await db.kysely.selectFrom('espace_journal').select('id').execute();
    assert.deepEqual(journal.map((j) => j.id), ['journal-recent']);

    const again = await purgeExpiredData(
      { retention: createRetentionRepository(db), purgeExpiredJourneys: async () => 0, logger: pino({ level: 'silent' }), now: () => NOW },
      { shipmentDays: 90, metricsDays: 395, journalDays: 365 },
    );
    assert.deepEqual(again, { journeys: 0, hubeeIdsForgotten: 0, shipments: 0, metricHours: 0, sessions: 0, qfRefreshBatches: 0, webhookDeliveries: 0, journalEntries: 0 }, 'a second run changes nothing');
  });
});
