import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { hubeeFolderExternalId, type ShipmentReference } from '../../src/domain/shipment-reference.ts';
import { personas } from '../../src/sandbox/fixtures.ts';
import { faultControlClient, type FaultControlClient } from '../../src/sandbox/faults/client.ts';
import type { FaultRule } from '../../src/sandbox/faults/plan.ts';
import { browserSuite } from './support/suite.ts';
import { referenceShownIn } from './support/reference.ts';
import { communeInbox } from './support/commune-inbox.ts';

const MAJASTRES = '21040107100019';

describe('HubEE or API Particulier failing under a family’s feet, in a real browser', () => {
  // API Particulier's wait shortened so that the silent-provider case does not take the default 5 s.
  const suite = browserSuite({ API_PARTICULIER_TIMEOUT_MS: '1500' });
  const visit = suite.visit;
  const faults = (): FaultControlClient => faultControlClient(suite.test.sandboxUrl);
  afterEach(async () => faults().clear());

  const loginAs = async (page: Page, login: string) => {
    const persona = personas.find((p) => p.login === login)!;
    await page.goto(`${suite.test.appUrl}/collectivites/${MAJASTRES}`);
    await page.getByRole('button', { name: /S’identifier avec\s*FranceConnect/ }).click();
    await page.getByRole('button', { name: new RegExp(`^${persona.claims.given_name} ${persona.claims.family_name}`) }).click();
    await page.waitForURL((url) => url.href.startsWith(suite.test.appUrl));
  };

  const followUpStatus = async (page: Page, reference: string): Promise<string> => {
    await page.goto(`${suite.test.appUrl}/suivi/${reference}`);
    return page.locator('main').innerText();
  };

  for (const [outage, rules] of [
    ['HubEE refuses every completion (500)', [{ system: 'hubee', step: 'completeFolder', kind: 'error500', times: 'always' }]],
    ['HubEE is down entirely (connections cut)', [{ system: 'hubee', kind: 'reset', times: 'always' }]],
  ] as [string, FaultRule[]][]) {
    it(`${outage}: the request is recorded, shown “en cours d’envoi”, and reaches Majastres once HubEE is back`, async () => {
      await visit(async (page) => {
        await faults().set({ rules });
        await loginAs(page, 'angela');
        await page.getByRole('button', { name: 'Transmettre les données à la collectivité' }).click();
        await page.waitForURL(/\/confirmation$/);
        const confirmation = await page.locator('main').innerText();
        assert.match(confirmation, /Votre demande est enregistrée : elle sera transmise à Majastres dès que possible/);
        const reference = referenceShownIn(confirmation) as ShipmentReference | undefined;
        assert.ok(reference, 'the confirmation shows the reference');

        assert.match(await followUpStatus(page, reference), /en cours d'envoi|en cours d’envoi/);
        const stillDown = await suite.test.service.context.shipments.find(reference);
        assert.equal(stillDown?.status, 'pending');
        assert.ok((stillDown?.attempts ?? 0) >= 1);

        await faults().clear();
        const deadline = Date.now() + 30_000;
        let text = '';
        do {
          await new Promise((resolve) => setTimeout(resolve, 500));
          text = await followUpStatus(page, reference);
        } while (!/Votre demande a été transmise/.test(text) && Date.now() < deadline);
        assert.match(text, /Votre demande a été transmise/);

        const received = (await communeInbox(suite.test, MAJASTRES)).filter((f) => f.case.externalId === `${hubeeFolderExternalId(reference)}-01`);
        assert.equal(received.length, 1, 'Majastres receives the folder exactly once');
        assert.equal(received[0]?.files.size, 3);
        // The folders of the failed attempts were deleted; none is left incomplete.
        const folders = (await faults().hubeeCensus()).byExternalId[hubeeFolderExternalId(reference)];
        assert.equal(folders?.complete, 1);
        assert.equal(folders?.incomplete, 0);
      });
    });
  }

  it('HubEE hanging on the folder creation does not keep the family waiting: the confirmation comes within seconds', async () => {
    await visit(async (page) => {
      await faults().set({ rules: [{ system: 'hubee', step: 'createFolder', kind: 'timeout', times: 1 }] });
      await loginAs(page, 'elodie');
      const clicked = Date.now();
      await page.getByRole('button', { name: 'Transmettre les données à la collectivité' }).click();
      await page.waitForURL(/\/confirmation$/);
      const waited = Date.now() - clicked;
      assert.ok(waited < 15_000, `the family waited ${waited} ms`);
      const confirmation = await page.locator('main').innerText();
      assert.match(confirmation, /Votre demande est enregistrée/);
      const reference = referenceShownIn(confirmation) as ShipmentReference | undefined;
      assert.ok(reference);
      const deadline = Date.now() + 90_000;
      let text = '';
      do {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        text = await followUpStatus(page, reference);
      } while (!/Votre demande a été transmise/.test(text) && Date.now() < deadline);
      assert.match(text, /Votre demande a été transmise/);
      const received = (await communeInbox(suite.test, MAJASTRES)).filter((f) => f.case.externalId === `${hubeeFolderExternalId(reference)}-01`);
      assert.equal(received.length, 1, 'Majastres receives the folder exactly once');
    });
  });

  for (const kind of ['error502', 'timeout'] as const) {
    it(`API Particulier ${kind === 'timeout' ? 'silent' : 'answering 502'}: the QF error page, nothing to transmit`, async () => {
      await visit(async (page) => {
        await faults().set({ rules: [{ system: 'api-particulier', kind, ...(kind === 'timeout' ? { delayMs: 4000 } : {}) }] });
        await loginAs(page, 'angela');
        assert.match(await page.title(), /^Erreur - /);
        const main = await page.locator('main').innerText();
        assert.match(main, /plus tard|indisponible|répond pas|temps|délai/i);
        assert.match(main, /attestation/i, 'the alternatives are offered');
        assert.ok(!main.includes('Transmettre les données'), 'nothing can be transmitted');
      });
    });
  }
});
