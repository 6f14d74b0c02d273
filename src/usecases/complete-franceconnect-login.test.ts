import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pino from 'pino';
import type { IdentitePivot } from '../domain/identite-pivot.ts';
import type { QuotientFamilialData } from '../domain/quotient-familial.ts';
import type { ApiParticulierClient } from '../integrations/api-particulier/client.ts';
import { parseIdentitePivot } from '../integrations/franceconnect/identity.ts';
import type { FranceConnectClient } from '../integrations/franceconnect/client.ts';
import { completeFranceConnectLogin } from './complete-franceconnect-login.ts';

const IDENTITY: IdentitePivot = {
  given_name: 'Angela Claire Louise',
  given_name_array: ['Angela', 'Claire', 'Louise'],
  family_name: 'DUBOIS',
  birthdate: '1962-08-24',
  gender: 'female',
  birthplace: '75107',
  birthcountry: '99100',
};
const JOURNEY = { stage: 'login' as const, origin: { siret: '21040107100019', externalId: null, redirectUri: null }, state: 's', nonce: 'n' };

/** The use case against FranceConnect and API Particulier answering as given (the clients have their own tests). */
async function loginWith(data: QuotientFamilialData, identity: IdentitePivot = IDENTITY) {
  const recorded: string[] = [];
  const franceConnect: FranceConnectClient = {
    startLogin: () => Promise.reject(new Error('not used')),
    logoutUrl: () => Promise.reject(new Error('not used')),
    completeLogin: async () => ({ ok: true, identity, accessToken: 'at', idToken: 'it', sub: 'sub' }),
  };
  const apiParticulier: ApiParticulierClient = {
    fetchQuotientFamilialByIdentity: () => Promise.reject(new Error('not used')),
    fetchQuotientFamilialWithFranceConnect: async () => ({ ok: true, data, requestId: 'r' }),
  };
  const outcome = await completeFranceConnectLogin(
    { franceConnect, apiParticulier, logger: pino({ level: 'silent' }), metrics: { record: (event) => recorded.push(`${event.kind}:${'code' in event ? event.code : ''}`) } },
    JOURNEY,
    new URL('http://localhost/auth/franceconnect/callback?code=c&state=s'),
  );
  return { outcome, recorded };
}

const QF = { fournisseur: 'CNAF', valeur: 2550, annee: 2024, mois: 2, annee_calcul: 2024, mois_calcul: 12 };

describe('completing the FranceConnect login', () => {
  it('goes to the review with an odd but usable QF, kept exactly as received', async () => {
    const data: QuotientFamilialData = {
      quotient_familial: { ...QF, valeur: 2550.5, champ_inconnu: 'x' },
      allocataires: [{ nom_naissance: 'DUBOIS', nom_usage: null, prenoms: null, date_naissance: '1962-08', sexe: 'F' }],
      enfants: [],
    };
    const { outcome } = await loginWith(data);
    assert.equal(outcome.kind, 'review');
    if (outcome.kind === 'review') assert.deepEqual(outcome.journey.quotientFamilial, data);
  });

  it('goes to the review with a QF value written as text ("2550"), kept as text', async () => {
    for (const valeur of ['2550', ' 2550.75 ', '2550,75']) {
      const data: QuotientFamilialData = { quotient_familial: { ...QF, valeur }, allocataires: [], enfants: [] };
      const { outcome } = await loginWith(data);
      assert.equal(outcome.kind, 'review', valeur);
      if (outcome.kind === 'review') assert.equal(outcome.journey.quotientFamilial.quotient_familial?.valeur, valeur, 'forwarded exactly as received');
    }
  });

  it('refuses an answer without a usable QF value, and tells the family why', async () => {
    for (const data of [{ allocataires: [], enfants: [] }, { quotient_familial: { ...QF, valeur: null } }, { quotient_familial: { ...QF, valeur: 'deux mille' } }, { quotient_familial: { ...QF, valeur: '' } }, { quotient_familial: { ...QF, valeur: true } }] as QuotientFamilialData[]) {
      const { outcome, recorded } = await loginWith(data);
      assert.equal(outcome.kind, 'qf_error', JSON.stringify(data));
      if (outcome.kind === 'qf_error') assert.equal(outcome.journey.problem, 'qf_unusable');
      assert.ok(recorded.includes('qf.failed:qf_unusable'));
    }
  });

  it('accepts an identity whose birthplace FranceConnect sent as null, and keeps it null', async () => {
    const claims = { ...IDENTITY, birthplace: null, aud: 'x' };
    const identity = parseIdentitePivot(claims);
    assert.ok(identity, 'the userinfo claims are accepted');
    assert.equal(identity.birthplace, null);
    const { outcome } = await loginWith({ quotient_familial: QF, allocataires: [], enfants: [] }, identity);
    assert.equal(outcome.kind, 'review');
    if (outcome.kind === 'review') assert.equal(outcome.journey.identity.birthplace, null);
  });
});
