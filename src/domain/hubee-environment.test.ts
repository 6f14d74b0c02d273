import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testDossierDestination, testDossierEnvironment } from './hubee-environment.ts';

describe('where a test dossier goes', () => {
  it('to qualification when configured; else to the one HubEE outside production; never to production’s', () => {
    assert.deepEqual(
      (['local', 'test', 'production'] as const).map((env) => [env, testDossierEnvironment(env, true), testDossierEnvironment(env, false)]),
      [
        ['local', 'qualification', 'production'],
        ['test', 'qualification', 'production'],
        ['production', 'qualification', null],
      ],
    );
    assert.equal(testDossierDestination('qualification'), 'qualification');
    assert.equal(testDossierDestination('production'), 'bac_a_sable');
  });
});
