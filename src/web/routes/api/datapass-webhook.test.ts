import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestService, type TestService } from '../../../../test/support/service.ts';
import { signDatapassBody } from '../../../integrations/datapass/signature.ts';
import { createHubeeClient, type HubeeClient } from '../../../integrations/hubee/client.ts';
import { DEMO_EDITEUR } from '../../../sandbox/insee/index.ts';
import { faultControlClient } from '../../../sandbox/faults/index.ts';

/**
 * DataPass's webhook over HTTP against the whole service: the onboarding job runs against the INSEE and HubEE
 * stand-ins, and its result shows in HubEE (ADMIN view), in our database and in the collectivity chooser.
 */

const STRASBOURG = { siret: '21670482500019', cog: '67482' };
const BELLEY = { siret: '21010034300016', cog: '01034' };
const MELGVEN = { siret: '21290146600012', cog: '29146' };

let test: TestService;
let admin: HubeeClient;
let secret: string;
let habilitation = 1000;

before(async () => {
  test = await startTestService({ ONBOARDING_RETRY_BASE_SECONDS: '1', ONBOARDING_SWEEP_SECONDS: '1' });
  const { config } = test.service.context;
  secret = config.secrets.datapassWebhook;
  admin = createHubeeClient({
    apiUrl: config.hubee.apiUrl,
    tokenUrl: config.hubee.tokenUrl,
    clientId: config.hubee.admin.clientId,
    clientSecret: config.hubee.admin.clientSecret,
    scope: 'ADMIN',
    timeoutMs: 5000,
  });
});
after(() => test.stop());

function delivery(event: string, siret: string, options: { id?: number; editor?: boolean } = {}) {
  return {
    event,
    fired_at: Math.floor(Date.now() / 1000),
    model_type: 'authorization_request/formulaire_qf',
    model_id: options.id ?? ++habilitation,
    data: {
      id: options.id ?? habilitation,
      type: 'AuthorizationRequest::FormulaireQF',
      state: event === 'approve' ? 'validated' : 'revoked',
      form_uid: 'formulaire-qf',
      organization: { id: 1, name: 'COMMUNE', siret },
      applicant: { id: 2, email: 'agent@mairie.example.test', given_name: 'Camille', family_name: 'Agent', job_title: 'Secrétaire de mairie', phone_number: '01 23 45 67 89' },
      service_provider: options.editor ? { id: 'demo-editeur', siret: DEMO_EDITEUR.siret, type: 'editor' } : null,
    },
  };
}

async function post(body: string, signature: string | null, contentType = 'application/json') {
  const response = await fetch(`${test.appUrl}/api/datapass/webhook`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...(signature === null ? {} : { 'x-hub-signature-256': signature }) },
    body,
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', json: (await response.json()) as Record<string, unknown> };
}

const signed = (payload: unknown) => {
  const body = JSON.stringify(payload);
  return post(body, signDatapassBody(body, secret));
};

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const onboarding = (id: number) => test.service.context.onboardings.find(id);
const doneOnboarding = (id: number) => until(`onboarding ${id} done`, async () => ((await onboarding(id))?.status === 'done' ? onboarding(id) : null));

async function chooserFinds(query: string, siret: string): Promise<boolean> {
  const response = await fetch(`${test.appUrl}/collectivites/recherche?q=${encodeURIComponent(query)}`);
  const body = (await response.json()) as { results: { siret: string }[] };
  return body.results.some((r) => r.siret === siret);
}

describe('DataPass webhook: signature', () => {
  const body = JSON.stringify({ test: true, timestamp: new Date().toISOString() });

  it('answers the signed test ping', async () => {
    const answer = await post(body, signDatapassBody(body, secret));
    assert.equal(answer.status, 200);
  });

  const signatures: [string, () => string | null][] = [
    ['missing', () => null],
    ['empty', () => ''],
    ['of another body', () => signDatapassBody(`${body} `, secret)],
    ['made with another secret', () => signDatapassBody(body, `${secret}-other`)],
    ['truncated', () => signDatapassBody(body, secret).slice(0, 40)],
    ['without its prefix', () => signDatapassBody(body, secret).slice('sha256='.length)],
    ['with extra characters', () => `${signDatapassBody(body, secret)}00`],
  ];
  for (const [label, signature] of signatures) {
    it(`refuses a signature ${label} with 401 JSON`, async () => {
      const answer = await post(body, signature());
      assert.equal(answer.status, 401);
      assert.match(answer.type, /application\/json/);
      assert.equal((answer.json.error as { code: string }).code, 'UNAUTHORIZED');
    });
  }

  it('refuses signed bodies that are not JSON or not a DataPass event with 400 JSON, writing nothing', async () => {
    for (const text of ['not json', '[]', '{"event":"approve"}', JSON.stringify({ ...delivery('approve', STRASBOURG.siret), data: { organization: { siret: '123' } } })]) {
      const answer = await post(text, signDatapassBody(text, secret));
      assert.equal(answer.status, 400, text);
      assert.match(answer.type, /application\/json/);
    }
    const invalidSiret = delivery('approve', '12345678901234');
    assert.equal((await signed(invalidSiret)).status, 400);
    assert.equal(await onboarding(invalidSiret.model_id), null);
  });
});

describe('DataPass webhook: onboarding', () => {
  it('onboards a new commune in portal mode: HubEE organization and active subscription, active in the chooser', async () => {
    assert.equal(await chooserFinds('strasbourg', STRASBOURG.siret), false);
    const approve = delivery('approve', STRASBOURG.siret);
    const started = Date.now();
    const answer = await signed(approve);
    assert.equal(answer.status, 200);
    assert.ok(Date.now() - started < 2000, 'answered at once');

    const done = await doneOnboarding(approve.model_id);
    assert.equal(done?.lastError, null);
    const organization = await admin.getOrganization(`SI-${STRASBOURG.siret}-${STRASBOURG.cog}`);
    assert.equal(organization.postalCode, '67000');
    const [subscription, ...others] = await admin.listSubscriptions({ companyRegister: STRASBOURG.siret, processCode: 'FormulaireQF' });
    assert.equal(others.length, 0);
    assert.equal(subscription?.status, 'Actif');
    assert.equal(subscription?.accessMode, 'PORTAIL');
    assert.equal(subscription?.notificationFrequency, 'Unitaire');
    assert.equal(subscription?.localAdministrator.email, 'agent@mairie.example.test');
    assert.equal(subscription?.localAdministrator.phoneNumber, '0123456789');
    assert.equal(subscription?.delegationActor?.type ?? null, null);
    assert.equal(done?.hubeeSubscriptionId, subscription?.id);

    const collectivity = await test.service.context.collectivities.findActiveBySiret(STRASBOURG.siret);
    assert.equal(collectivity?.codeCog, STRASBOURG.cog);
    assert.equal(collectivity?.editor, null);
    assert.ok(await chooserFinds('strasbourg', STRASBOURG.siret));
    assert.equal((await fetch(`${test.appUrl}/collectivites/${STRASBOURG.siret}`)).status, 200);

    // The same delivery again changes nothing.
    const before = { subscription, onboarding: await onboarding(approve.model_id) };
    const again = await signed(approve);
    assert.equal(again.status, 200);
    assert.equal(again.json.outcome, 'duplicate');
    // A new delivery of the same approval (DataPass fired it again) changes nothing either.
    const refired = await signed({ ...approve, fired_at: approve.fired_at + 1 });
    assert.equal(refired.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(await onboarding(approve.model_id), before.onboarding);
    assert.deepEqual(await admin.getSubscription(subscription!.id), before.subscription);

    // No personal data of the applicant in the logs.
    const logs = test.logs.join('');
    for (const value of ['agent@mairie.example.test', 'Camille', '0123456789', '01 23 45 67 89']) assert.ok(!logs.includes(value), value);
  });

  it('makes the applicant and the contacts of the form the commune’s first administrators, journaled, and nobody twice', async () => {
    const LYON = '21690123100011';
    const { agents, journal } = test.service.context.espace;
    const listed = async () => (await agents.list(LYON)).map((a) => [a.email, a.role]).sort();
    const journaled = async () => (await journal.list(LYON, 50)).filter((e) => e.action === 'agent_added').map((e) => [e.actorKind, e.target, e.detail]).sort();
    assert.deepEqual(await listed(), [], 'nobody before the onboarding');
    const base = delivery('approve', LYON);
    // The form's contacts step: every `…_email` field holding an e-mail; the applicant's own listed once.
    const form = { contact_metier_email: ' Periscolaire@Lyon.example.test ', contact_technique_email: 'dsi@lyon.example.test', contact_technique_phone_number: '0102030405', autre_email: 'pas un e-mail', responsable_email: 'AGENT@mairie.example.test' };
    const approve = { ...base, data: { ...base.data, data: form } };
    assert.equal((await signed(approve)).status, 200);
    await doneOnboarding(approve.model_id);
    const first = [
      ['agent@mairie.example.test', 'administrateur'],
      ['dsi@lyon.example.test', 'administrateur'],
      ['periscolaire@lyon.example.test', 'administrateur'],
    ];
    assert.deepEqual(await listed(), first);
    assert.deepEqual(await journaled(), first.map(([email]) => ['datapass', email, 'administrateur']));

    // Delivered again, fired again, or approved again with one more contact: only the new contact is added.
    assert.equal((await signed(approve)).json.outcome, 'duplicate');
    assert.equal((await signed({ ...approve, fired_at: approve.fired_at + 1 })).status, 200);
    const renewal = delivery('approve', LYON);
    assert.equal((await signed({ ...renewal, data: { ...renewal.data, data: { ...form, contact_rgpd_email: 'dpo@lyon.example.test' } } })).status, 200);
    await doneOnboarding(renewal.model_id);
    const all = [...first, ['dpo@lyon.example.test', 'administrateur']].sort();
    assert.deepEqual(await listed(), all);
    assert.deepEqual(await journaled(), all.map(([email]) => ['datapass', email, 'administrateur']), 'each journaled once');
    // The administrator can sign in to the espace at once.
    assert.ok(await agents.findByEmail(LYON, 'dsi@lyon.example.test'));
  });

  it('delegates to the éditeur DataPass names: API mode, delegationActor EDT, the éditeur on the collectivity', async () => {
    const approve = delivery('approve', BELLEY.siret, { editor: true });
    assert.equal((await signed(approve)).status, 200);
    await doneOnboarding(approve.model_id);
    const [subscription, ...others] = await admin.listSubscriptions({ companyRegister: BELLEY.siret, processCode: 'FormulaireQF' });
    assert.equal(others.length, 0, 'the existing subscription was found, not doubled');
    assert.equal(subscription?.status, 'Actif');
    assert.equal(subscription?.accessMode, 'API');
    assert.deepEqual(subscription?.delegationActor, { type: 'EDT', companyRegister: DEMO_EDITEUR.siret, branchCode: DEMO_EDITEUR.code_cog });
    assert.equal((await test.service.context.collectivities.findActiveBySiret(BELLEY.siret))?.editor, 'demo-editeur');
    // The éditeur is an organisation of ours now, Belley its client: its espace shows Belley.
    const { editeurs } = test.service.context.espace;
    assert.equal((await editeurs.findBySiret(DEMO_EDITEUR.siret))?.datapassId, 'demo-editeur');
    assert.ok(await editeurs.isClient(DEMO_EDITEUR.siret, BELLEY.siret));
  });

  it('retries a step HubEE fails with a growing delay, shows the failure meanwhile, then succeeds', async () => {
    const faults = faultControlClient(test.sandboxUrl);
    await faults.set({ rules: [{ system: 'hubee', step: 'getOrganization', kind: 'error500', times: 2 }] });
    try {
      const approve = delivery('approve', MELGVEN.siret);
      assert.equal((await signed(approve)).status, 200);
      const failing = await until('a visible failure', async () => {
        const o = await onboarding(approve.model_id);
        return o?.lastError ? o : null;
      });
      assert.equal(failing.status, 'pending');
      assert.equal(failing.step, 'hubee_organization');
      assert.match(failing.lastError ?? '', /hubee_organization: HubEE getOrganization failed \(500\)/);
      assert.ok((await test.service.context.onboardings.listOnboardings()).some((o) => o.habilitationId === approve.model_id));
      const done = await doneOnboarding(approve.model_id);
      assert.ok((done?.attempts ?? 0) >= 3);
      assert.equal(done?.lastError, null);
    } finally {
      await faults.clear();
    }
  });

  it('waits for the operator when INSEE does not know the SIRET', async () => {
    // Luhn-valid, but no establishment has it.
    const valid = delivery('approve', '21670482500027');
    assert.equal((await signed(valid)).status, 200);
    const failed = await until('the failure', async () => ((await onboarding(valid.model_id))?.status === 'failed' ? onboarding(valid.model_id) : null));
    assert.equal(failed?.step, 'insee');
    assert.match(failed?.lastError ?? '', /unknown to INSEE Sirene/);
  });

  it('deactivates the collectivity when the habilitation is revoked', async () => {
    const id = ++habilitation;
    const approve = delivery('approve', STRASBOURG.siret, { id });
    // Strasbourg may already be onboarded by another habilitation in this file: revoke that one first.
    for (const o of await test.service.context.onboardings.listOnboardings()) {
      if (o.siret === STRASBOURG.siret && o.status !== 'ended') await signed(delivery('revoke', STRASBOURG.siret, { id: o.habilitationId }));
    }
    await signed(approve);
    await doneOnboarding(id);
    assert.ok(await test.service.context.collectivities.findActiveBySiret(STRASBOURG.siret));

    const other = await signed(delivery('update', STRASBOURG.siret, { id }));
    assert.equal(other.status, 200);
    assert.equal(other.json.outcome, 'recorded');
    assert.ok(await test.service.context.collectivities.findActiveBySiret(STRASBOURG.siret), 'other events change nothing');

    const revoked = await signed(delivery('revoke', STRASBOURG.siret, { id }));
    assert.equal(revoked.status, 200);
    assert.equal(revoked.json.outcome, 'deactivated');
    assert.equal((await onboarding(id))?.status, 'ended');
    assert.equal(await test.service.context.collectivities.findActiveBySiret(STRASBOURG.siret), null);
    await until('the chooser to forget it', async () => !(await chooserFinds('strasbourg', STRASBOURG.siret)));
    const page = await fetch(`${test.appUrl}/collectivites/${STRASBOURG.siret}`);
    assert.equal(page.status, 404);
    assert.match(await page.text(), /Collectivité non trouvée/);
  });
});
