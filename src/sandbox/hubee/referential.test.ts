import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type RunningSandbox } from '../../../test/support/sandbox.ts';
import { createHubeeClient, HubeeError, type SubscriptionInput } from '../../integrations/hubee/client.ts';
import { clientAs, sampleFolder, tokenFor, transmit } from '../../integrations/hubee/testing.ts';
import { seedCommunes, siCredentialsFor } from './seed.ts';

const EDITOR = { type: 'EDT', companyRegister: '12345678901234', branchCode: '35238' };

describe('HubEE referential (stand-in)', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox({ only: ['hubee'] });
  });
  after(() => sandbox.close());

  it('is seeded with every active commune of the fixtures, each with an active FormulaireQF subscription', async () => {
    const admin = clientAs(sandbox, 'ADMIN');
    const active = seedCommunes().filter((c) => c.status === 'active');
    const subscriptions = await admin.listSubscriptions({ processCode: 'FormulaireQF', status: 'Actif', maxResult: 5000 });
    assert.equal(subscriptions.length, active.length);
    const majastres = await admin.getOrganization('SI-21040107100019-04107');
    assert.equal(majastres.name, 'Commune de Majastres');
    assert.equal(majastres.postalCode, '04270');
    // The OSL may read subscriptions (FQF's sandbox seeding job does), not write them.
    const osl = clientAs(sandbox, 'OSL');
    assert.equal((await osl.listSubscriptions({ processCode: 'FormulaireQF', status: 'Actif' })).length, active.length);
    await assert.rejects(osl.getOrganization('SI-21040107100019-04107'), (e: unknown) => e instanceof HubeeError && e.kind === 'forbidden');
  });

  it('onboards a commune the way Formulaire QF does: organization, subscription, activation with an éditeur', async () => {
    const admin = clientAs(sandbox, 'ADMIN');
    const id = 'SI-21670482500019-67482';
    await assert.rejects(admin.getOrganization(id), (e: unknown) => e instanceof HubeeError && e.kind === 'not_found' && e.hubeeMessage === 'Organization is not found');
    const organization = {
      type: 'SI',
      companyRegister: '21670482500019',
      branchCode: '67482',
      name: 'COMMUNE DE STRASBOURG',
      country: 'France',
      postalCode: '67000',
      territory: '67482',
      email: 'qf@strasbourg.example',
      status: 'Actif',
    };
    const created = await admin.createOrganization(organization);
    assert.equal(created.name, 'COMMUNE DE STRASBOURG');
    assert.ok(created.createDateTime);
    assert.equal((await admin.getOrganization(id)).email, 'qf@strasbourg.example');
    await assert.rejects(admin.createOrganization(organization), (e: unknown) => {
      assert.ok(e instanceof HubeeError);
      assert.equal(e.status, 400);
      assert.equal(e.kind, 'conflict');
      assert.equal(e.hubeeMessage, `Organization ${id} already exists`);
      return true;
    });

    const request: SubscriptionInput = {
      datapassId: 4242,
      notificationFrequency: 'Unitaire',
      processCode: 'FormulaireQF',
      subscriber: { type: 'SI', companyRegister: '21670482500019', branchCode: '67482' },
      email: 'qf@strasbourg.example',
      status: 'Inactif',
      localAdministrator: { email: 'agent@strasbourg.example', firstName: 'Jeanne', lastName: 'Martin', function: 'DGS', phoneNumber: '0388000000' },
      validateDateTime: new Date().toISOString(),
      updateDateTime: new Date().toISOString(),
    };
    const subscription = await admin.createSubscription(request);
    assert.equal(subscription.status, 'Inactif');
    assert.equal(subscription.subscriber.name, 'COMMUNE DE STRASBOURG');
    await assert.rejects(admin.createSubscription(request), (e: unknown) => {
      assert.ok(e instanceof HubeeError);
      assert.equal(e.kind, 'conflict');
      assert.equal(e.hubeeMessage, `Subscription FormulaireQF for organization ${id} already exists`);
      return true;
    });

    // Inactive: folders for Strasbourg are refused.
    const osl = clientAs(sandbox, 'OSL');
    await assert.rejects(osl.createFolder(sampleFolder({ siret: '21670482500019', cog: '67482' }).input), (e: unknown) =>
      e instanceof HubeeError && e.hubeeMessage === `Case recipient ${id} does not suscribed to FormulaireQF`,
    );

    const [found] = await admin.listSubscriptions({ companyRegister: '21670482500019', processCode: 'FormulaireQF' });
    assert.ok(found);
    const { id: subscriptionId, creationDateTime: _c, ...rest } = found;
    const activated = await admin.updateSubscription(subscriptionId, {
      ...rest,
      status: 'Actif',
      activateDateTime: new Date().toISOString(),
      accessMode: 'API',
      notificationFrequency: 'Unitaire',
      delegationActor: EDITOR,
    });
    assert.equal(activated.status, 'Actif');
    assert.equal(activated.accessMode, 'API');
    assert.deepEqual(activated.delegationActor, EDITOR);
    assert.equal(activated.creationDateTime, subscription.creationDateTime);
    assert.deepEqual(await admin.getSubscription(subscriptionId), activated);

    // Now the commune (or its éditeur, with the commune's SI credentials) receives folders.
    const { caseId } = await transmit(osl, sampleFolder({ siret: '21670482500019', cog: '67482' }));
    const credentials = siCredentialsFor('21670482500019', '67482');
    assert.equal(credentials.clientId, id);
    const strasbourg = createHubeeClient({ ...sandbox.config.hubee, ...credentials, scope: 'SI' });
    assert.equal((await strasbourg.listNotifications()).some((n) => n.caseId === caseId), true);
  });

  it('filters and pages subscriptions, with a Content-Range header', async () => {
    const admin = clientAs(sandbox, 'ADMIN');
    const page = await admin.listSubscriptions({ processCode: 'FormulaireQF', offSet: 1, maxResult: 2 });
    assert.equal(page.length, 2);
    const byDatapass = await admin.listSubscriptions({ datapassId: 4107 });
    assert.ok(byDatapass.every((s) => s.datapassId === 4107));
    const none = await admin.listSubscriptions({ processCode: 'EtatCivil' });
    assert.deepEqual(none, []);
    const token = await tokenFor(sandbox, 'ADMIN');
    const response = await fetch(`${sandbox.config.hubee.apiUrl}/referential/v1/subscriptions?maxResult=2`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.match(response.headers.get('content-range') ?? '', /^Subscriptions 0-1\/\d+$/);
  });
});
