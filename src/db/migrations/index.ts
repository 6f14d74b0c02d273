import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m0001 from './0001-collectivities.ts';
import * as m0002 from './0002-journeys-and-shipments.ts';
import * as m0003 from './0003-follow-up-and-onboarding.ts';
import * as m0004 from './0004-metrics.ts';
import * as m0005 from './0005-webhooks.ts';
import * as m0006 from './0006-espace-collectivite.ts';
import { sealWebhookSecrets } from './0007-webhook-secrets-sealed.ts';
import * as m0008 from './0008-operator-sessions.ts';
import * as m0011 from './0011-editeurs-and-api-keys.ts';
import * as m0013 from './0013-commune-message-repeats-collectivity-id.ts';
import * as m0009 from './0009-commune-api-particulier-tokens.ts';
import * as m0010 from './0010-qf-refresh-batches.ts';
import * as m0012 from './0012-webhook-rotation-and-test-dossiers.ts';
import * as m0014 from './0014-shipment-hubee-environment.ts';
import * as m0015 from './0015-retention-indexes.ts';
import * as m0016 from './0016-shipment-previous-transmission.ts';
import type { PersonalDataCipher } from '../../security/personal-data-cipher.ts';

/**
 * Listed by hand so that the order is reviewed and no file system scan happens at start-up. A migration that
 * rewrites sealed data (0007) takes the personal-data cipher; null where none is given (tests' fresh databases).
 */
export function migrationProviderFor(options: { cipher: PersonalDataCipher | null }): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001-collectivities': m0001,
    '0002-journeys-and-shipments': m0002,
    '0003-follow-up-and-onboarding': m0003,
    '0004-metrics': m0004,
    '0005-webhooks': m0005,
    '0006-espace-collectivite': m0006,
    '0007-webhook-secrets-sealed': sealWebhookSecrets(options.cipher),
    '0008-operator-sessions': m0008,
    '0011-editeurs-and-api-keys': m0011,
    '0013-commune-message-repeats-collectivity-id': m0013,
    '0009-commune-api-particulier-tokens': m0009,
    '0010-qf-refresh-batches': m0010,
    '0012-webhook-rotation-and-test-dossiers': m0012,
    '0014-shipment-hubee-environment': m0014,
    '0015-retention-indexes': m0015,
    '0016-shipment-previous-transmission': m0016,
  };
  return { getMigrations: async () => migrations };
}
