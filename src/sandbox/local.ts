import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { CollectivityRepository } from '../db/repositories/collectivities.ts';
import { seedCollectivities } from '../db/repositories/collectivity-seed.ts';
import { normalizeSearchText } from '../domain/collectivity.ts';
import { seedCollectivities as seedData } from './fixtures.ts';
import { buildSandbox } from './server.ts';
import { addAdministrators, type AgentsDeps } from '../usecases/manage-agents.ts';
import type { OrganisationMembers } from '../db/repositories/collectivity-agents.ts';
import type { EditeurRepository } from '../db/repositories/editeurs.ts';
import type { EspaceJournal } from '../db/repositories/espace-journal.ts';

/**
 * The administrators of the seeded communes: personas of the ProConnect stand-in (src/sandbox/proconnect/personas.ts).
 * accueil@majastres.fr is left out on purpose: an agent of Majastres that an administrator has not added yet.
 */
const SEEDED_ADMINISTRATORS: Readonly<Record<string, readonly string[]>> = {
  '21040107100019': ['secretariat@majastres.fr'],
  '21010034300016': ['enfance@belley.fr'],
  '21670482500019': ['periscolaire@strasbourg.eu'],
};

/**
 * The éditeurs of the local installation, from the ProConnect stand-in's private organisations: each with its
 * client communes and its first administrator.
 */
const SEEDED_EDITEURS = [
  { siret: '41816609600069', name: 'OCTO Technology', datapassId: 'octo-technology', clients: ['21040107100019', '21010034300016'], administrator: 'dev@octo.com' },
  { siret: '52345678000015', name: 'Logiciels Territoires', datapassId: 'logiciels-territoires', clients: ['21290146600012'], administrator: 'integration@logiciels-territoires.fr' },
] as const;

/** What the seed writes of the espaces: communes' agents, éditeurs and their members. */
export type SeedEspace = AgentsDeps & { editeurs: EditeurRepository; editeurMembers: OrganisationMembers; editeurJournal: EspaceJournal };

export interface LocalSandbox {
  /**
   * Gives the app's database the communes the stand-ins know, each allowed to return to the demo portal, and
   * (with `agents`) the ProConnect stand-in's agents as administrators of their communes.
   */
  seed(collectivities: CollectivityRepository, logger: Logger, agents?: SeedEspace): Promise<void>;
  close(): Promise<void>;
}

/**
 * The stand-ins of the local installation, listening where the configuration says. Loaded by `startService` with a
 * dynamic import only when SANDBOX_ENABLED is on, so that production never loads a module of this tree.
 */
export async function startLocalSandbox(config: Config): Promise<LocalSandbox> {
  const sandbox = await buildSandbox({ config });
  await sandbox.listen({ host: config.sandbox.host, port: config.sandbox.port });
  return {
    async seed(collectivities, logger, agents) {
      const created = await seedCollectivities(collectivities, seedData, normalizeSearchText, {
        demoPortalPrefix: `${config.sandbox.publicUrl}/portail-commune`,
      });
      if (created > 0) logger.info({ created }, 'local collectivities seeded');
      if (agents) {
        let seeded = 0;
        for (const [siret, emails] of Object.entries(SEEDED_ADMINISTRATORS)) seeded += await addAdministrators(agents, siret, { kind: 'seed', name: null }, emails);
        if (seeded > 0) logger.info({ seeded }, 'local agents seeded');
        for (const editeur of SEEDED_EDITEURS) {
          await agents.editeurs.ensure({ siret: editeur.siret, name: editeur.name, datapassId: editeur.datapassId });
          for (const client of editeur.clients) await agents.editeurs.linkClient(editeur.siret, client, 'seed');
          await addAdministrators({ agents: agents.editeurMembers, journal: agents.editeurJournal }, editeur.siret, { kind: 'seed', name: null }, [editeur.administrator]);
        }
      }
    },
    close: () => sandbox.close(),
  };
}
