import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createTestDatabase } from '../../test/support/database.ts';
import { startSandbox, type RunningSandbox } from '../../test/support/sandbox.ts';
import type { Db } from '../db/database.ts';
import { createCollectivityRepository } from '../db/repositories/collectivities.ts';
import { createOnboardingRepository } from '../db/repositories/onboardings.ts';
import { clientAs } from '../integrations/hubee/testing.ts';
import { createInseeClient } from '../integrations/insee/client.ts';
import { createPersonalDataCipher } from '../security/personal-data-cipher.ts';
import { displayName, onboardCollectivity, onboardingPayloadContext, type OnboardingDeps, type OnboardingPayload } from './onboard-collectivity.ts';

/** The onboarding use case against the INSEE and HubEE stand-ins over HTTP, with upstreams that fail first. */

const STRASBOURG = '21670482500019';
const UNREACHABLE = 'http://127.0.0.1:9';

let sandbox: RunningSandbox;
let db: Db;

before(async () => {
  sandbox = await startSandbox({ only: ['hubee', 'insee'] });
  db = await createTestDatabase();
});
after(async () => {
  await db.close();
  await sandbox.close();
});

function deps(overrides: Partial<OnboardingDeps> = {}): OnboardingDeps {
  return {
    onboardings: createOnboardingRepository(db),
    collectivities: createCollectivityRepository(db),
    insee: createInseeClient(sandbox.config.insee),
    hubee: clientAs(sandbox, 'ADMIN'),
    cipher: createPersonalDataCipher(sandbox.config.secrets.personalDataKey),
    logger: pino({ level: 'silent' }),
    retryBaseSeconds: 30,
    ...overrides,
  };
}

async function approve(habilitationId: number, siret: string) {
  const d = deps();
  const payload: OnboardingPayload = { applicant: { email: 'agent@mairie.example.test' }, editor: null };
  await d.onboardings.recordApproval({ habilitationId, siret, editor: null, payload: d.cipher.encrypt(payload, onboardingPayloadContext(habilitationId)) });
}

/** Makes the onboarding due now, as the sweep would find it once its delay is over. */
async function dueNow(habilitationId: number) {
  await db.kysely.updateTable('onboardings').set({ next_attempt_at: new Date(Date.now() - 1000) }).where('habilitation_id', '=', habilitationId).execute();
}

describe('onboarding a collectivity', () => {
  it('retries while INSEE, then HubEE, cannot be reached, keeping the failure visible, then succeeds', async () => {
    await approve(1, STRASBOURG);
    const inseeDown = await onboardCollectivity(deps({ insee: createInseeClient({ ...sandbox.config.insee, apiUrl: UNREACHABLE }) }), 1);
    assert.equal(inseeDown.kind, 'retry_scheduled');
    const first = await deps().onboardings.find(1);
    assert.equal(first?.status, 'pending');
    assert.equal(first?.step, 'insee');
    assert.match(first?.lastError ?? '', /^insee: INSEE Sirene: unavailable/);
    assert.ok(first && first.nextAttemptAt.getTime() > Date.now() + 20_000, 'not before its delay');
    assert.equal((await onboardCollectivity(deps(), 1)).kind, 'not_claimed', 'nothing runs before the delay is over');

    await dueNow(1);
    const hubeeDown = await onboardCollectivity(deps({ hubee: clientAs({ config: { ...sandbox.config, hubee: { ...sandbox.config.hubee, apiUrl: UNREACHABLE } } }, 'ADMIN') }), 1);
    assert.equal(hubeeDown.kind, 'retry_scheduled');
    if (hubeeDown.kind === 'retry_scheduled') assert.equal(hubeeDown.inSeconds, 60, 'the delay doubles');
    assert.equal((await deps().onboardings.find(1))?.step, 'hubee_organization');

    await dueNow(1);
    assert.equal((await onboardCollectivity(deps(), 1)).kind, 'done');
    const done = await deps().onboardings.find(1);
    assert.equal(done?.status, 'done');
    assert.equal(done?.attempts, 3);
    assert.equal(done?.lastError, null);
    const payload = await db.kysely.selectFrom('onboardings').select('payload').where('habilitation_id', '=', 1).executeTakeFirstOrThrow();
    assert.equal(payload.payload, null, 'the applicant’s contact is erased once done');
    const collectivity = await deps().collectivities.findActiveBySiret(STRASBOURG);
    assert.equal(collectivity?.status, 'active');
  });

  it('runs again without harm: a second approval of the same habilitation changes nothing', async () => {
    const d = deps();
    const payload = d.cipher.encrypt({ applicant: { email: 'x@example.test' }, editor: null }, onboardingPayloadContext(1));
    assert.equal(await d.onboardings.recordApproval({ habilitationId: 1, siret: STRASBOURG, editor: null, payload }), 'unchanged');
    assert.equal((await onboardCollectivity(d, 1)).kind, 'not_claimed');
  });

  it('names a new collectivity from Sirene’s capitals', () => {
    assert.equal(displayName('COMMUNE DE SAINT-DENIS-LES-BAINS'), 'Commune de Saint-Denis-les-Bains');
    assert.equal(displayName("COMMUNE D'ALLEVARD"), "Commune d'Allevard");
    assert.equal(displayName('LA ROCHELLE'), 'La Rochelle');
  });
});
