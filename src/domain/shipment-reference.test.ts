import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  generateShipmentReference,
  hubeeCaseExternalId,
  hubeeFolderExternalId,
  parseShipmentReference,
  shipmentReferenceFromHubeeExternalId,
  type ShipmentReference,
} from './shipment-reference.ts';

describe('shipment reference', () => {
  it('generates 13 upper-case hex characters that parse back', () => {
    for (let i = 0; i < 200; i++) {
      const reference = generateShipmentReference();
      assert.match(reference, /^[0-9A-F]{13}$/);
      assert.deepEqual(parseShipmentReference(reference), { ok: true, value: reference });
    }
  });

  it('uses the random source it is given (first 13 hex digits of 7 bytes)', () => {
    const fixed = (): Uint8Array => Uint8Array.from([0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67]);
    assert.equal(generateShipmentReference(fixed), 'ABCDEF0123456');
  });

  it('does not repeat itself over many draws', () => {
    const seen = new Set(Array.from({ length: 10_000 }, () => generateShipmentReference()));
    assert.equal(seen.size, 10_000);
  });

  it('refuses anything but exactly 13 upper-case hex characters', () => {
    for (const bad of ['', 'ABCDEF012345', 'ABCDEF01234567', 'abcdef0123456', 'ABCDEF012345G', ' ABCDEF0123456', 'ABCDEF0123456\n']) {
      assert.deepEqual(parseShipmentReference(bad), { ok: false, error: 'bad-format' }, JSON.stringify(bad));
    }
  });

  it('builds the HubEE folder (27 characters) and case (30 characters) externalIds', () => {
    const reference = 'ABCDEF0123456' as ShipmentReference;
    assert.equal(hubeeFolderExternalId(reference), 'Formulaire-QF-ABCDEF0123456');
    assert.equal(hubeeFolderExternalId(reference).length, 27);
    assert.equal(hubeeCaseExternalId(reference), 'Formulaire-QF-ABCDEF0123456-01');
    assert.equal(hubeeCaseExternalId(reference).length, 30);
  });

  it('reads the reference back from either externalId, and nothing else', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-F]{13}$/), (raw) => {
        const reference = raw as ShipmentReference;
        assert.deepEqual(shipmentReferenceFromHubeeExternalId(hubeeFolderExternalId(reference)), { ok: true, value: reference });
        assert.deepEqual(shipmentReferenceFromHubeeExternalId(hubeeCaseExternalId(reference)), { ok: true, value: reference });
      }),
    );
    for (const bad of ['Formulaire-QF-ABCDEF0123456-02', 'DGS-CERTDC-0000000000001', 'Formulaire-QF-abcdef0123456', 'xFormulaire-QF-ABCDEF0123456']) {
      assert.equal(shipmentReferenceFromHubeeExternalId(bad).ok, false, bad);
    }
  });
});
