import type { FamilyInfo, FamilyInfoRepository } from '../db/repositories/family-info.ts';
import { createRecentLookups, type RecentLookups } from './recent-lookups.ts';

/**
 * A commune's information for families as their pages show it (the collectivity's page, the follow-up): read from
 * memory rather than once per page, dropped whenever this instance saves a commune's settings, and at most
 * `maxAgeMs` old after another instance's save. The agents' own pages read the repository, so that an agent always
 * sees what was just saved.
 */
export function familyInfoShownToFamilies(repository: FamilyInfoRepository, options: { maxAgeMs: number; now?: () => number }): { repository: FamilyInfoRepository; shown: RecentLookups<FamilyInfo> } {
  const shown = createRecentLookups((siret) => repository.get(siret), options);
  return {
    repository: {
      get: (siret) => repository.get(siret),
      async set(siret, info) {
        await repository.set(siret, info);
        shown.invalidate();
      },
    },
    shown,
  };
}
