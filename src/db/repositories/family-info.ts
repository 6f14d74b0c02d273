import { sql } from 'kysely';
import type { Db } from '../database.ts';

/** What a commune shows its families: its town hall's contact and its own text for families without FranceConnect. */
export interface FamilyInfo {
  serviceName: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  openingHours: string | null;
  withoutFranceConnectText: string | null;
}

export interface FamilyInfoRepository {
  get(siret: string): Promise<FamilyInfo | null>;
  set(siret: string, info: FamilyInfo): Promise<void>;
}

export function hasContact(info: FamilyInfo | null): info is FamilyInfo {
  return info !== null && [info.serviceName, info.phone, info.email, info.address, info.openingHours].some((v) => v !== null);
}

export function createFamilyInfoRepository(db: Db): FamilyInfoRepository {
  const k = db.kysely;
  return {
    async get(siret) {
      const row = await k.selectFrom('collectivity_family_info').selectAll().where('collectivity_siret', '=', siret).executeTakeFirst();
      if (!row) return null;
      return {
        serviceName: row.service_name,
        phone: row.phone,
        email: row.email,
        address: row.address,
        openingHours: row.opening_hours,
        withoutFranceConnectText: row.without_franceconnect_text,
      };
    },
    async set(siret, info) {
      const values = {
        service_name: info.serviceName,
        phone: info.phone,
        email: info.email,
        address: info.address,
        opening_hours: info.openingHours,
        without_franceconnect_text: info.withoutFranceConnectText,
      };
      await k
        .insertInto('collectivity_family_info')
        .values({ collectivity_siret: siret, ...values })
        .onConflict((oc) => oc.column('collectivity_siret').doUpdateSet({ ...values, updated_at: sql`now()` }))
        .execute();
    },
  };
}
