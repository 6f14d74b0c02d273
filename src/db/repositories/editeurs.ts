import { sql } from 'kysely';
import type { Db } from '../database.ts';
import type { ClientLinkSource } from '../schema.ts';

/** An éditeur as an organisation: its SIRET, its name, DataPass's identifier of it. */
export interface EditeurRecord {
  siret: string;
  name: string;
  datapassId: string | null;
}

export interface EditeurRepository {
  findBySiret(siret: string): Promise<EditeurRecord | null>;
  list(): Promise<EditeurRecord[]>;
  /** Creates the éditeur, or completes a known one (a DataPass identifier it had not yet); the name is kept. */
  ensure(editeur: EditeurRecord): Promise<EditeurRecord>;
  /** True when the link is new. */
  linkClient(editeurSiret: string, collectivitySiret: string, linkedBy: ClientLinkSource): Promise<boolean>;
  unlinkClient(editeurSiret: string, collectivitySiret: string): Promise<boolean>;
  /** The SIRETs of the éditeur's client communes, in order. */
  clientSirets(editeurSiret: string): Promise<string[]>;
  isClient(editeurSiret: string, collectivitySiret: string): Promise<boolean>;
}

export function createEditeurRepository(db: Db): EditeurRepository {
  const k = db.kysely;
  const toRecord = (row: { siret: string; name: string; datapass_id: string | null }): EditeurRecord => ({ siret: row.siret, name: row.name, datapassId: row.datapass_id });
  return {
    async findBySiret(siret) {
      const row = await k.selectFrom('editeurs').select(['siret', 'name', 'datapass_id']).where('siret', '=', siret).executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async list() {
      return (await k.selectFrom('editeurs').select(['siret', 'name', 'datapass_id']).orderBy('name').orderBy('siret').execute()).map(toRecord);
    },
    async ensure(editeur) {
      const row = await k
        .insertInto('editeurs')
        .values({ siret: editeur.siret, name: editeur.name, datapass_id: editeur.datapassId })
        .onConflict((oc) => oc.column('siret').doUpdateSet({ datapass_id: sql`coalesce(editeurs.datapass_id, excluded.datapass_id)` }))
        .returning(['siret', 'name', 'datapass_id'])
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },
    async linkClient(editeurSiret, collectivitySiret, linkedBy) {
      const row = await k
        .insertInto('editeur_clients')
        .values({ editeur_siret: editeurSiret, collectivity_siret: collectivitySiret, linked_by: linkedBy })
        .onConflict((oc) => oc.columns(['editeur_siret', 'collectivity_siret']).doNothing())
        .returning('editeur_siret')
        .executeTakeFirst();
      return row !== undefined;
    },
    async unlinkClient(editeurSiret, collectivitySiret) {
      const result = await k.deleteFrom('editeur_clients').where('editeur_siret', '=', editeurSiret).where('collectivity_siret', '=', collectivitySiret).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async clientSirets(editeurSiret) {
      const rows = await k.selectFrom('editeur_clients').select('collectivity_siret').where('editeur_siret', '=', editeurSiret).orderBy('collectivity_siret').execute();
      return rows.map((r) => r.collectivity_siret);
    },
    async isClient(editeurSiret, collectivitySiret) {
      const row = await k.selectFrom('editeur_clients').select('editeur_siret').where('editeur_siret', '=', editeurSiret).where('collectivity_siret', '=', collectivitySiret).executeTakeFirst();
      return row !== undefined;
    },
  };
}

/** What the espace éditeur shows of one client commune: nothing personal, only states and counts. */
export interface ClientSummary {
  siret: string;
  name: string;
  codeCog: string;
  status: 'active' | 'inactive';
  onboarding: { status: string; step: string | null; delegatedToEditeur: boolean; updatedAt: Date; lastError: boolean } | null;
  /** Over the last 30 days, by current status. */
  counts: { status: string; count: number }[];
  /** Waiting for HubEE (pending, failed), or received by HubEE more than two days ago with no move of the commune. */
  waiting: number;
}

export async function clientSummaries(db: Db, collectivitySirets: readonly string[]): Promise<ClientSummary[]> {
  if (collectivitySirets.length === 0) return [];
  const k = db.kysely;
  const sirets = [...collectivitySirets];
  const [communes, onboardings, counts, waiting] = await Promise.all([
    k.selectFrom('collectivities').select(['siret', 'name', 'code_cog', 'status']).where('siret', 'in', sirets).orderBy('name').execute(),
    k
      .selectFrom('onboardings')
      .select(['siret', 'status', 'step', 'editor', 'updated_at', 'last_error'])
      .distinctOn('siret')
      .where('siret', 'in', sirets)
      .orderBy('siret')
      .orderBy('updated_at', 'desc')
      .execute(),
    k
      .selectFrom('shipments')
      .select(['collectivity_siret', 'status', sql<number>`count(*)::int`.as('count')])
      .where('collectivity_siret', 'in', sirets)
      .where('created_at', '>=', sql<Date>`now() - interval '30 days'`)
      .groupBy(['collectivity_siret', 'status'])
      .orderBy('status')
      .execute(),
    k
      .selectFrom('shipments')
      .select(['collectivity_siret', sql<number>`count(*)::int`.as('count')])
      .where('collectivity_siret', 'in', sirets)
      .where((eb) => eb.or([eb('status', 'in', ['pending', 'failed']), eb.and([eb('status', '=', 'SENT'), eb('sent_at', '<', sql<Date>`now() - interval '2 days'`)])]))
      .groupBy('collectivity_siret')
      .execute(),
  ]);
  return communes.map((c) => {
    const onboarding = onboardings.find((o) => o.siret === c.siret);
    return {
      siret: c.siret,
      name: c.name,
      codeCog: c.code_cog,
      status: c.status,
      onboarding: onboarding
        ? { status: onboarding.status, step: onboarding.step, delegatedToEditeur: onboarding.editor !== null, updatedAt: onboarding.updated_at, lastError: onboarding.last_error !== null }
        : null,
      counts: counts.filter((n) => n.collectivity_siret === c.siret).map((n) => ({ status: n.status, count: n.count })),
      waiting: waiting.find((w) => w.collectivity_siret === c.siret)?.count ?? 0,
    };
  });
}
