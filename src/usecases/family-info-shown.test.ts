import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FamilyInfo, FamilyInfoRepository } from '../db/repositories/family-info.ts';
import { familyInfoShownToFamilies } from './family-info-shown.ts';

const info = (serviceName: string): FamilyInfo => ({ serviceName, phone: null, email: null, address: null, openingHours: null, withoutFranceConnectText: null });

function storedInfo() {
  const rows = new Map<string, FamilyInfo>();
  let reads = 0;
  const repository: FamilyInfoRepository = {
    get: async (siret) => {
      reads++;
      return rows.get(siret) ?? null;
    },
    set: async (siret, value) => {
      rows.set(siret, value);
    },
  };
  return { rows, repository, reads: () => reads };
}

describe('a commune’s information as the families’ pages show it', () => {
  it('is read once for many pages, and shows a save made on this instance at once', async () => {
    const stored = storedInfo();
    let clock = 0;
    const { repository, shown } = familyInfoShownToFamilies(stored.repository, { maxAgeMs: 30_000, now: () => clock });
    await repository.set('21040107100019', info('Mairie'));
    for (let page = 0; page < 5; page++) assert.equal((await shown.get('21040107100019'))?.serviceName, 'Mairie');
    assert.equal(stored.reads(), 1);
    await repository.set('21040107100019', info('Accueil de la mairie'));
    assert.equal((await shown.get('21040107100019'))?.serviceName, 'Accueil de la mairie');
    clock += 1000;
    assert.equal((await repository.get('21040107100019'))?.serviceName, 'Accueil de la mairie', 'the agents read the repository');
  });

  it('shows another instance’s save within the bound', async () => {
    const stored = storedInfo();
    let clock = 0;
    const { shown } = familyInfoShownToFamilies(stored.repository, { maxAgeMs: 30_000, now: () => clock });
    stored.rows.set('21040107100019', info('Mairie'));
    await shown.get('21040107100019');
    stored.rows.set('21040107100019', info('Changé ailleurs'));
    clock += 29_000;
    assert.equal((await shown.get('21040107100019'))?.serviceName, 'Mairie');
    clock += 2_000;
    assert.equal((await shown.get('21040107100019'))?.serviceName, 'Changé ailleurs');
  });
});
