import type { SeedCollectivity } from '../../sandbox/fixtures.ts';
import { departementOf } from '../../integrations/insee/client.ts';
import type { CollectivityRepository } from './collectivities.ts';

/**
 * Seeds the local installation's collectivities (from the sandbox fixtures), each allowed to send citizens back
 * to the local sandbox's demo portal. Existing rows are left as they are, so an operator's changes survive.
 */
export async function seedCollectivities(
  repository: CollectivityRepository,
  seeds: readonly SeedCollectivity[],
  normalize: (name: string) => string,
  options: { demoPortalPrefix: string },
): Promise<number> {
  let created = 0;
  for (const seed of seeds) {
    if (await repository.findBySiret(seed.siret)) continue;
    await repository.upsert(
      {
        siret: seed.siret,
        codeCog: seed.code_cog,
        name: seed.name,
        departement: seed.departement || departementOf(seed.code_cog),
        codePostal: seed.code_postal,
        status: seed.status,
        editor: null,
        allowedRedirectPrefixes: [`${options.demoPortalPrefix}/${seed.siret}/`],
      },
      normalize(seed.name),
    );
    created += 1;
  }
  return created;
}
