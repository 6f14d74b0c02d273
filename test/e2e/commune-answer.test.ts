/**
 * Issue 16 point 3 / issue 14 point 6: the commune's answer reaches the family. An agent sets a status with a
 * "Message pour l'usager" in the HubEE portal (or a commune's software through the kit's `setCaseStatus`, what
 * `formulaire-qf hubee status --message` runs); the follow-up job reads it; the family's /suivi page shows it
 * beside the status, with the commune's contact.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setCaseStatus } from '../../src/editeur/hubee-status.ts';
import { connectHubee } from '../../src/editeur/hubee.ts';
import { siCredentialsFor } from '../../src/sandbox/hubee/index.ts';
import { journeyOverHttp } from '../support/http-journey.ts';
import { sentCaseId as sentCase } from '../support/sent-case.ts';
import { accessibilityProblems, axeBrowser } from './support/accessibility.ts';
import { browserSuite } from './support/suite.ts';

const MAJASTRES = '21040107100019';
const BELLEY = '21010034300016';

describe('the commune’s answer on the family’s follow-up page, in a real browser', () => {
  const suite = browserSuite();

  const sentCaseId = (reference: string) => sentCase(suite.test, reference);

  it('an agent of Majastres refuses in the HubEE portal with a message: the family reads it beside the status, with where to reach the town hall', async () => {
    const reference = await journeyOverHttp(suite.test.appUrl, { siret: MAJASTRES, persona: 'angela' });
    const caseId = await sentCaseId(reference);
    const message = 'Votre quotient familial date de février 2024.\n\nMerci d’apporter votre attestation CAF récente <b>en mairie</b>.';

    await suite.visit(async (portal) => {
      await portal.goto(`${suite.test.sandboxUrl}/hubee/portail/dossiers/${caseId}`);
      await portal.getByRole('button', { name: 'Accuser réception' }).click();
      await portal.getByRole('status').filter({ hasText: 'Statut mis à jour' }).waitFor();
      await portal.getByLabel(/Message pour l'usager/).fill(message);
      await portal.getByRole('button', { name: 'Refuser' }).click();
      await portal.getByRole('status').filter({ hasText: 'Refusé' }).waitFor();
    });
    // What the follow-up job runs every HUBEE_POLL_SECONDS.
    const summary = await suite.test.service.context.followUpHubee();
    assert.ok(summary.statusesStored >= 1);

    const problems: string[] = [];
    for (const width of [360, 1280]) {
      const { context, page } = await axeBrowser(suite.browser, width);
      try {
        await page.goto(`${suite.test.appUrl}/suivi/${reference}`);
        const main = page.locator('main');
        const text = await main.innerText();
        assert.match(text, /refusée/);
        assert.match(text, /Message de Majastres/);
        const block = main.locator('section', { has: page.getByRole('heading', { name: 'Message de Majastres' }) });
        const paragraphs = await block.locator('p').allInnerTexts();
        assert.equal(paragraphs[0], 'Votre quotient familial date de février 2024.');
        assert.equal(paragraphs[1], 'Merci d’apporter votre attestation CAF récente <b>en mairie</b>.', 'shown as written, never as markup');
        assert.match(paragraphs[2] ?? '', /^Écrit le \d{1,2} \S+ \d{4} à \d{2}:\d{2}$/);
        // Majastres has set no contact in its espace: the family is told where to find its town hall.
        assert.match(text, /Contacter Majastres/);
        assert.match(text, /Adressez-vous à la mairie de Majastres \(04270\)/);
        problems.push(...(await accessibilityProblems(page, width)));
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(problems, []);
  });

  it('a commune’s software closes the case with a message (the kit’s hubee status --message): the family reads it, with the contact set in the espace', async () => {
    const reference = await journeyOverHttp(suite.test.appUrl, { siret: BELLEY, persona: 'jeanne' });
    const caseId = await sentCaseId(reference);
    await suite.test.service.context.espace.familyInfo.set(BELLEY, {
      serviceName: 'Service enfance de Belley', phone: '04 79 81 00 00', email: null, address: null, openingHours: null, withoutFranceConnectText: null,
    });
    const { hubee } = suite.test.service.context.config;
    const credentials = siCredentialsFor(BELLEY);
    const software = connectHubee({ apiUrl: hubee.apiUrl, tokenUrl: hubee.tokenUrl, clientId: credentials.clientId, clientSecret: credentials.clientSecret });
    await setCaseStatus(software, caseId, 'DONE', { message: 'Votre tarif de cantine est mis à jour à compter de janvier.' });
    await suite.test.service.context.followUpHubee();

    await suite.visit(async (page) => {
      await page.goto(`${suite.test.appUrl}/suivi/${reference}`);
      const text = await page.locator('main').innerText();
      assert.match(text, /traitée/);
      assert.match(text, /Message de Belley\s+Votre tarif de cantine est mis à jour à compter de janvier\./);
      assert.match(text, /Service enfance de Belley/);
      assert.match(text, /04 79 81 00 00/);
      assert.doesNotMatch(text, /Annuaire de l’administration/, 'the commune’s own contact, not the directory');
    });
  });
});
