import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { LOCAL_SECRET_PREFIX } from '../../config/config.ts';
import type { Hub } from './hub.ts';
import { organizationId, type OrganizationIdentifier } from './model.ts';

/**
 * The stand-in's fixed actors and the communes it knows at start.
 *
 * SI credentials: the real HubEE hands each commune one client id/secret per démarche on its portal. The stand-in
 * only runs the FormulaireQF démarche, so each organization gets one deterministic, documented pair:
 *   client id     = the organization id, `SI-{siret}-{cog}`   (e.g. `SI-21040107100019-04107`)
 *   client secret = `local-only-hubee-si-{siret}-{cog}`
 * valid with `scope=SI` for every organization in the referential (seeded or created through the API), so that a
 * commune's éditeur and our tests can log in without any setup.
 */

/** DINUM (SIRET 13002526500013), the operator of Formulaire QF, is the OSL of the FormulaireQF démarche. */
export const OSL_ORGANIZATION: OrganizationIdentifier = { type: 'OSL', companyRegister: '13002526500013', branchCode: '75107' };
export const ADMIN_ORGANIZATION: OrganizationIdentifier = { type: 'ADMIN', companyRegister: '13002526500013', branchCode: '75107' };

export const FORMULAIRE_QF_PROCESS = 'FormulaireQF';

export interface SiCredentials {
  clientId: string;
  clientSecret: string;
}

export function siClientSecret(companyRegister: string, branchCode: string): string {
  return `${LOCAL_SECRET_PREFIX}hubee-si-${companyRegister}-${branchCode}`;
}

/** The SI credentials of a seeded commune (pass `branchCode` for an organization created through the API). */
export function siCredentialsFor(siret: string, branchCode?: string): SiCredentials {
  const cog = branchCode ?? SEED_COMMUNES.find((c) => c.siret === siret)?.code_cog;
  if (cog === undefined) throw new Error(`No seeded commune with SIRET ${siret}: pass its branchCode`);
  return { clientId: `SI-${siret}-${cog}`, clientSecret: siClientSecret(siret, cog) };
}

const communeSchema = z.object({
  siret: z.string().regex(/^[0-9]{14}$/),
  code_cog: z.string(),
  name: z.string(),
  departement: z.string(),
  code_postal: z.string(),
  status: z.enum(['active', 'inactive']),
});
export type SeedCommune = z.infer<typeof communeSchema>;

const fixturePath = new URL('../fixtures/collectivites.json', import.meta.url);
const SEED_COMMUNES: SeedCommune[] = z
  .object({ collectivites: z.array(communeSchema) })
  .parse(JSON.parse(await readFile(fixturePath, 'utf8'))).collectivites;

export function seedCommunes(): readonly SeedCommune[] {
  return SEED_COMMUNES;
}

/**
 * Adds an organization and an active FormulaireQF subscription for each active commune that has none yet.
 * Idempotent: a restart with persisted state changes nothing, and what tests or the API changed is kept.
 */
export function seed(hub: Hub): boolean {
  let changed = false;
  const now = hub.nowIso();
  for (const commune of SEED_COMMUNES) {
    if (commune.status !== 'active') continue;
    const subscriber: OrganizationIdentifier = { type: 'SI', companyRegister: commune.siret, branchCode: commune.code_cog };
    const id = organizationId(subscriber);
    if (!hub.state.organizations[id]) {
      hub.state.organizations[id] = {
        ...subscriber,
        name: commune.name.startsWith('Commune') ? commune.name : `Commune de ${commune.name}`,
        code: null,
        country: 'France',
        postalCode: commune.code_postal,
        territory: commune.departement,
        email: `mairie-${commune.code_cog}@example.test`,
        phoneNumber: null,
        status: 'Actif',
        createDateTime: now,
        updateDateTime: now,
      };
      changed = true;
    }
    const hasSubscription = Object.values(hub.state.subscriptions).some(
      (s) => s.processCode === FORMULAIRE_QF_PROCESS && organizationId(s.subscriber) === id,
    );
    if (!hasSubscription) {
      const subscriptionId = randomUUID();
      hub.state.subscriptions[subscriptionId] = {
        id: subscriptionId,
        datapassId: Number.parseInt(commune.code_cog.replace(/\D/g, '0'), 10),
        processCode: FORMULAIRE_QF_PROCESS,
        subscriber,
        accessMode: 'PORTAIL',
        notificationFrequency: 'Unitaire',
        activateDateTime: now,
        validateDateTime: now,
        rejectDateTime: null,
        endDateTime: null,
        updateDateTime: now,
        creationDateTime: now,
        delegationActor: { type: null, companyRegister: null, branchCode: null },
        rejectionReason: null,
        status: 'Actif',
        email: `mairie-${commune.code_cog}@example.test`,
        localAdministrator: {
          email: `mairie-${commune.code_cog}@example.test`,
          firstName: null,
          lastName: null,
          function: null,
          phoneNumber: null,
          mobileNumber: null,
        },
      };
      changed = true;
    }
  }
  return changed;
}
