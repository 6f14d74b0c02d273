import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  applyStatusUpdate,
  isFinalStatus,
  NEXT_STATUSES,
  parseShipmentStatus,
  SHIPMENT_STATUSES,
  shipmentStatusFromHubee,
  statusLabelFr,
  type NextStatus,
  type ShipmentStatus,
} from './shipment-status.ts';

/** How far along the journey each status is; DONE and REFUSED are alternative ends. */
const progress: Record<ShipmentStatus, number> = { pending: 0, failed: 1, SENT: 1, SI_RECEIVED: 2, IN_PROGRESS: 3, DONE: 4, REFUSED: 4 };

describe('shipment statuses', () => {
  it('labels every status in French for citizens', () => {
    assert.deepEqual(
      SHIPMENT_STATUSES.map((s) => statusLabelFr(s)),
      ["en cours d'envoi", "échec de l'envoi", 'transmise', 'reçue par la commune', 'en cours de traitement', 'traitée', 'refusée'],
    );
  });

  it('knows which statuses are final', () => {
    assert.deepEqual(SHIPMENT_STATUSES.filter(isFinalStatus), ['failed', 'DONE', 'REFUSED']);
  });

  it('parses stored statuses and refuses others', () => {
    for (const s of SHIPMENT_STATUSES) assert.deepEqual(parseShipmentStatus(s), { ok: true, value: s });
    for (const bad of ['', 'sent', 'CLOSED', 'PENDING']) assert.deepEqual(parseShipmentStatus(bad), { ok: false, error: 'unknown-status' });
  });

  it('follows the usual journey', () => {
    let status: ShipmentStatus = 'pending';
    for (const next of ['SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'DONE'] as const) {
      const result = applyStatusUpdate(status, next);
      assert.deepEqual(result, { ok: true, value: { changed: true, status: next, previous: status } });
      status = next;
    }
  });

  it('treats a repeated status as a no-op (replayed notifications)', () => {
    for (const s of SHIPMENT_STATUSES) assert.deepEqual(applyStatusUpdate(s, s), { ok: true, value: { changed: false, status: s } });
  });

  it('never leaves a final status and never goes backwards', () => {
    assert.deepEqual(applyStatusUpdate('DONE', 'REFUSED'), { ok: false, error: { reason: 'already-final', current: 'DONE', next: 'REFUSED' } });
    assert.deepEqual(applyStatusUpdate('failed', 'SENT'), { ok: false, error: { reason: 'already-final', current: 'failed', next: 'SENT' } });
    assert.deepEqual(applyStatusUpdate('IN_PROGRESS', 'SI_RECEIVED'), { ok: false, error: { reason: 'backwards', current: 'IN_PROGRESS', next: 'SI_RECEIVED' } });
    assert.deepEqual(applyStatusUpdate('SENT', 'failed'), { ok: false, error: { reason: 'backwards', current: 'SENT', next: 'failed' } });
    assert.deepEqual(applyStatusUpdate('SENT', 'pending'), { ok: false, error: { reason: 'backwards', current: 'SENT', next: 'pending' } });
  });

  it('accepts exactly the forward moves, for every pair', () => {
    const status = fc.constantFrom(...SHIPMENT_STATUSES);
    fc.assert(
      fc.property(status, status, (current, next) => {
        const result = applyStatusUpdate(current, next);
        const forward = !isFinalStatus(current) && progress[next] > progress[current] && !(next === 'failed' && current !== 'pending');
        assert.equal(result.ok && result.value.changed, forward, `${current} → ${next}`);
        if (!result.ok) assert.ok(current !== next);
      }),
    );
  });

  it('exposes the transitions to the type system', () => {
    const fromSent: NextStatus<'SENT'>[] = ['SI_RECEIVED', 'IN_PROGRESS', 'DONE', 'REFUSED'];
    // @ts-expect-error a shipment that reached SENT cannot go back to pending
    const backwards: NextStatus<'SENT'> = 'pending';
    const fromDone: readonly never[] = NEXT_STATUSES.DONE;
    assert.deepEqual(fromSent, NEXT_STATUSES.SENT);
    assert.equal(backwards, 'pending');
    assert.deepEqual(fromDone, []);
  });

  it('translates HubEE case statuses, ignoring those the citizen must not see', () => {
    assert.equal(shipmentStatusFromHubee('HUBEE_NOTIFIED'), 'SENT');
    assert.equal(shipmentStatusFromHubee('SENT'), 'SENT');
    assert.equal(shipmentStatusFromHubee('SI_RECEIVED'), 'SI_RECEIVED');
    assert.equal(shipmentStatusFromHubee('IN_PROGRESS'), 'IN_PROGRESS');
    assert.equal(shipmentStatusFromHubee('ADD_AWAITING'), 'IN_PROGRESS');
    assert.equal(shipmentStatusFromHubee('DONE'), 'DONE');
    assert.equal(shipmentStatusFromHubee('REFUSED'), 'REFUSED');
    for (const ignored of ['CLOSED', 'ARCHIVED', 'SI_INTG_ERROR', 'HUBEE_RECEIVED', 'done', '']) {
      assert.equal(shipmentStatusFromHubee(ignored), null, ignored);
    }
  });
});
