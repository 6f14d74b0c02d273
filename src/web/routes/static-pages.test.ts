import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { staticPagesRoutes } from './static-pages.ts';

const EXPECTED: Record<string, { title: string; contains: string[] }> = {
  '/': {
    title: 'Accueil - Formulaire QF',
    contains: ['environ 4 minutes', 'Débuter la démarche', 'href="/collectivites"', 'FranceConnect', 'CAF ou la MSA'],
  },
  '/sans-franceconnect': {
    title: 'Vous n’utilisez pas FranceConnect ? - Formulaire QF',
    contains: ['caf.fr', 'Mon Compte', 'Mes attestations', 'msa.fr', 'guichet'],
  },
  '/faq': { title: 'Questions fréquentes - Formulaire QF', contains: ['quotient familial'] },
  '/cgu-usagers': { title: 'Conditions générales d’utilisation pour les usagers - Formulaire QF', contains: ['FranceConnect'] },
  '/cgu-administrations': { title: 'Conditions générales d’utilisation pour les administrations - Formulaire QF', contains: ['DataPass', 'HubEE'] },
  '/accessibilite': {
    title: 'Déclaration d’accessibilité - Formulaire QF',
    contains: ['non conforme', 'RGAA', 'version 4.1.2', 'La Direction interministérielle du numérique (DINUM) s’engage', 'article 47', '2005-102', 'Défenseur des droits', 'mailto:', 'audit'],
  },
  '/donnees-personnelles': {
    title: 'Données personnelles - Formulaire QF',
    contains: ['30 minutes', 'HubEE', 'identifiant de la démarche', 'délégué à la protection des données', 'dpo@operateur.example', 'CNIL'],
  },
  '/mentions-legales': {
    title: 'Mentions légales - Formulaire QF',
    contains: ['Direction interministérielle du numérique (DINUM)', 'Hébergement', 'Hébergeur Test SAS', 'Directeur ou directrice de la publication'],
  },
};

describe('static pages', () => {
  let app: FastifyInstance;
  before(async () => {
    app = Fastify({ logger: false });
    await app.register(staticPagesRoutes, { site: { dpoEmail: 'dpo@operateur.example', host: { name: 'Hébergeur Test SAS', address: '1 rue du Test' } } });
    await app.ready();
  });
  after(() => app.close());

  for (const [url, expected] of Object.entries(EXPECTED)) {
    it(`GET ${url} answers 200 HTML with its title`, async () => {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
      assert.ok(res.body.startsWith('<!doctype html>'));
      assert.equal(/<title>([^<]*)<\/title>/.exec(res.body)?.[1], expected.title);
      for (const fragment of expected.contains) assert.ok(res.body.includes(fragment), `${url} should contain ${fragment}`);
    });
  }

  it('has the footer links pointing to pages that exist', async () => {
    const home = (await app.inject({ method: 'GET', url: '/' })).body;
    const footerLinks = [...home.matchAll(/class="fr-footer__bottom-link" href="([^"]+)"/g)].map((m) => m[1]!);
    assert.deepEqual(footerLinks, ['/accessibilite', '/mentions-legales', '/donnees-personnelles', '/cgu-usagers', '/faq', '/plan-du-site']);
    // The families' home page speaks of their commune, not of the systems in between.
    assert.doesNotMatch(home, /HubEE|API Particulier<\/|par API Particulier/);
    for (const link of footerLinks) assert.equal((await app.inject({ method: 'GET', url: link })).statusCode, 200, link);
  });
});
