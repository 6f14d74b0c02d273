/**
 * Test helpers (not shipped to browsers): every page rendered with realistic data from the personas of the
 * local stand-ins, so that the tests can scan them all.
 */
import { readFileSync } from 'node:fs';
import type { IdentitePivot } from '../../domain/identite-pivot.ts';
import type { QuotientFamilialData } from '../../domain/quotient-familial.ts';
import { ChooseCollectivityPage } from './pages/ChooseCollectivityPage.tsx';
import { CollectivityNotFoundPage } from './pages/CollectivityNotFoundPage.tsx';
import { CollectivityPage } from './pages/CollectivityPage.tsx';
import { ConfirmationPage } from './pages/ConfirmationPage.tsx';
import { ErrorPage } from './pages/ErrorPage.tsx';
import { FollowUpLookupPage, FollowUpNotFoundPage, FollowUpPage } from './pages/FollowUpPage.tsx';
import { LOGIN_ERROR_TEXTS, LoginErrorPage, type LoginErrorKind } from './pages/LoginErrorPage.tsx';
import { QF_ERROR_TEXTS, QfErrorPage, type QfErrorKind } from './pages/QfErrorPage.tsx';
import { ReviewPage } from './pages/ReviewPage.tsx';
import { LoggedOutPage } from './pages/LoggedOutPage.tsx';
import { SansFranceConnectPage } from './pages/static/SansFranceConnectPage.tsx';
import { renderPage } from './render.ts';
import { staticPagesHtml } from '../routes/static-pages.ts';

interface Persona {
  login: string;
  claims: IdentitePivot & Record<string, unknown>;
  qf: { status: number; data?: QuotientFamilialData };
}

export const personas: Persona[] = (
  JSON.parse(readFileSync(new URL('../../sandbox/fixtures/personas.json', import.meta.url), 'utf8')) as { personas: Persona[] }
).personas;

export function persona(login: string): Persona {
  const found = personas.find((p) => p.login === login);
  if (!found) throw new Error(`no persona ${login}`);
  return found;
}

export function identityOf(p: Persona): IdentitePivot {
  const c = p.claims;
  return {
    given_name: c.given_name,
    given_name_array: c.given_name_array,
    family_name: c.family_name,
    birthdate: c.birthdate,
    gender: c.gender,
    birthplace: c.birthplace,
    birthcountry: c.birthcountry,
  };
}

export const belley = { siret: '21010034300016', name: 'Belley', codePostal: '01300', departement: '01' };

export interface RenderedPage {
  name: string;
  html: string;
  /** The page shows an error: its <title> must start with "Erreur - ". */
  isError: boolean;
}

export function allRenderedPages(): RenderedPage[] {
  const pages: RenderedPage[] = [];
  const add = (name: string, node: Parameters<typeof renderPage>[0], isError = false) =>
    pages.push({ name, html: renderPage(node), isError });

  for (const [path, html] of Object.entries(staticPagesHtml())) pages.push({ name: `static ${path}`, html, isError: false });

  add('choose: empty', ChooseCollectivityPage({ query: '', results: [], total: 0 }));
  add(
    'choose: results',
    ChooseCollectivityPage({
      query: 'bel',
      results: Array.from({ length: 25 }, (_, i) => ({ ...belley, name: `Belley ${i + 1}` })),
      total: 42,
    }),
  );
  add('choose: nothing', ChooseCollectivityPage({ query: 'zzz', results: [], total: 0 }));
  add('choose: too short', ChooseCollectivityPage({ query: 'b', results: [], total: 0, tooShort: true }), true);
  add(
    'collectivity',
    CollectivityPage({
      collectivity: belley,
      csrfToken: 'csrf-token',
      externalId: 'DOSSIER-42',
      redirectUri: 'https://www.belley.fr/retour',
    }),
  );
  add('collectivity not found', CollectivityNotFoundPage({ siret: '12345678901234' }), true);
  add('collectivity gone', CollectivityNotFoundPage({ siret: '21670482500019', name: 'Strasbourg' }), true);
  add('collectivity sans FranceConnect', SansFranceConnectPage({ commune: { name: 'Belley', siret: '21010034300016', info: null } }));
  add(
    'collectivity sans FranceConnect, own words',
    SansFranceConnectPage({
      commune: {
        name: 'Belley',
        siret: '21010034300016',
        info: { serviceName: 'Service enfance', phone: '04 79 42 23 00', email: 'enfance@belley.fr', address: null, openingHours: null, withoutFranceConnectText: 'Apportez votre attestation au service enfance.' },
      },
    }),
  );
  add('logged out', LoggedOutPage());
  for (const login of ['angela', 'jeanne', 'cindy', 'vincent', 'olivier']) {
    const p = persona(login);
    add(`review ${login}`, ReviewPage({ collectivityName: 'Belley', identity: identityOf(p), qf: p.qf.data ?? {}, csrfToken: 'csrf-token', firstName: p.claims.given_name.split(' ')[0] }));
  }
  add(
    'review camille (unspecified, no QF data)',
    ReviewPage({ collectivityName: 'Belley', identity: identityOf(persona('camille')), qf: {}, csrfToken: 't' }),
  );
  for (const kind of Object.keys(QF_ERROR_TEXTS) as QfErrorKind[]) {
    add(`qf error ${kind}`, QfErrorPage({ kind, collectivityName: 'Belley', restartUrl: '/collectivites/21010034300016', session: { loggedIn: true, logoutCsrfToken: 'csrf-token', firstName: 'Angela' } }), true);
  }
  for (const kind of Object.keys(LOGIN_ERROR_TEXTS) as LoginErrorKind[]) {
    add(`login error ${kind}`, LoginErrorPage({ kind }), true);
  }
  add(
    'confirmation',
    ConfirmationPage({
      collectivityName: 'Belley',
      reference: '3F9A0C12B7E4D',
      followUpUrl: '/suivi/3F9A0C12B7E4D',
      redirectUri: 'https://www.belley.fr/retour',
      queued: false,
    }),
  );
  add(
    'confirmation queued',
    ConfirmationPage({ collectivityName: 'Belley', reference: '3F9A0C12B7E4D', followUpUrl: '/suivi/3F9A0C12B7E4D', queued: true }),
  );
  for (const status of ['pending', 'failed', 'SENT', 'SI_RECEIVED', 'IN_PROGRESS', 'DONE', 'REFUSED'] as const) {
    add(
      `follow-up ${status}`,
      FollowUpPage({
        reference: '3F9A0C12B7E4D',
        collectivityName: 'Belley',
        status,
        history: [
          { status: 'pending', at: new Date('2024-03-12T13:05:00Z') },
          { status, at: new Date('2024-03-13T09:30:00Z') },
        ],
        collectivityPostalCode: '01300',
        ...(status === 'REFUSED' ? { communeMessage: { text: 'Votre dossier est incomplet.\n\nPassez en mairie.', at: new Date('2024-03-13T09:30:00Z') } } : {}),
      }),
    );
  }
  add('follow-up lookup', FollowUpLookupPage({}));
  add('follow-up lookup error', FollowUpLookupPage({ error: 'Saisissez l’identifiant de votre démarche.', reference: '' }), true);
  add('follow-up not found', FollowUpNotFoundPage({ reference: 'ABCDEF1234567' }), true);
  for (const status of [400, 403, 404, 429, 500]) add(`error ${status}`, ErrorPage({ status }), true);
  return pages;
}
