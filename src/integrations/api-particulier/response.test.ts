import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpResponse } from '../http.ts';
import { interpretResponse } from './response.ts';

const answer = (text: string, status = 200): HttpResponse => ({
  status,
  headers: new Headers(),
  body: Buffer.from(text),
  requestId: 'req-1',
  text: () => text,
  json: () => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  },
});

describe('API Particulier’s v3 answer', () => {
  it('keeps `data` exactly as received: unknown fields, their order, odd values', () => {
    const data = {
      nouvelle_rubrique: { x: [1, 'a', null] },
      quotient_familial: { fournisseur: 'MSA', valeur: 150.5, annee: 2023, mois: 5, annee_calcul: 2024, mois_calcul: 12, inconnu: true },
      allocataires: [{ nom_naissance: 'ROUX', nom_usage: null, prenoms: null, date_naissance: '1987-6', sexe: 'F', rang: 2 }],
      enfants: [],
    };
    const result = interpretResponse(answer(JSON.stringify({ data, links: {}, meta: {} })));
    assert.ok(result.ok);
    assert.deepEqual(result.data, data);
    assert.deepEqual(Object.keys(result.data), ['nouvelle_rubrique', 'quotient_familial', 'allocataires', 'enfants']);
  });

  it('keeps a `__proto__` key as a plain field rather than letting it reach an object’s prototype', () => {
    const result = interpretResponse(answer('{"data":{"__proto__":{"polluted":1},"enfants":[]}}'));
    assert.ok(result.ok);
    assert.equal(Object.getPrototypeOf(result.data), Object.prototype);
    assert.deepEqual(Object.keys(result.data), ['__proto__', 'enfants']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses, as a malformed answer, what has not the documented shape: no data, lists that are not lists, a name that is a number', () => {
    for (const body of ['{}', '{"data":[]}', '{"data":{"enfants":{}}}', '{"data":{"allocataires":[1]}}', '{"data":{"quotient_familial":2550}}', '{"data":{"enfants":[{"prenoms":42}]}}', 'pas du json']) {
      const result = interpretResponse(answer(body));
      assert.equal(result.ok, false, body);
      if (!result.ok) assert.deepEqual([result.error.kind, result.error.kind === 'unexpected' ? result.error.reason : null], ['unexpected', 'malformed_body'], body);
    }
  });
});
