import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  generateShipmentReference,
  hubeeCaseExternalId,
  hubeeFolderExternalId,
  groupedShipmentReference,
  parseShipmentReference,
  parseTypedShipmentReference,
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

  it('is shown in groups, and read back however a family types it', () => {
    assert.equal(groupedShipmentReference('A1B2C3D4E5F67'), 'A1B2\u00a0C3D4\u00a0E5F67');
    for (const typed of ['a1b2c3d4e5f67', 'A1B2 C3D4 E5F67', 'a1b2-c3d4-e5f67', ' a1b2\u00a0c3d4 e5f6-7 ', groupedShipmentReference('A1B2C3D4E5F67')]) {
      assert.deepEqual(parseTypedShipmentReference(typed), { ok: true, value: 'A1B2C3D4E5F67' }, typed);
    }
    assert.deepEqual(parseTypedShipmentReference('00O0000000000'), { ok: true, value: '0000000000000' });
    for (const bad of ['', 'A1B2', 'A1B2C3D4E5F6Z', 'A1B2C3D4E5F678']) assert.equal(parseTypedShipmentReference(bad).ok, false, bad);
  });
});
