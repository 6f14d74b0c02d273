import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { productionEnv } from '../../test/support/production-env.ts';
import { ConfigError, loadConfig } from './config.ts';

describe('the ProConnect configuration', () => {
  it('points at the local stand-in and at our /espace callbacks when nothing is set', () => {
    const config = loadConfig({ SANDBOX_URL: 'http://127.0.0.1:4001', APP_URL: 'http://127.0.0.1:4000' });
    assert.equal(config.proConnect.issuer, 'http://127.0.0.1:4001/proconnect/api/v2');
    assert.equal(config.proConnect.redirectUri, 'http://127.0.0.1:4000/espace/connexion/retour');
    assert.equal(config.proConnect.postLogoutRedirectUri, 'http://127.0.0.1:4000/espace/deconnexion/retour');
    assert.deepEqual(config.proConnect.admin, { redirectUri: 'http://127.0.0.1:4000/admin/connexion/retour', postLogoutRedirectUri: 'http://127.0.0.1:4000/admin/deconnexion/retour' });
  });

  it('refuses in production back office callbacks in plain HTTP or on this machine', () => {
    assert.throws(() => loadConfig({ ...productionEnv, PROCONNECT_ADMIN_REDIRECT_URI: 'http://formulaire-qf.example.gouv.fr/admin/connexion/retour' }), /PROCONNECT_ADMIN_REDIRECT_URI must be an https/);
    assert.throws(() => loadConfig({ ...productionEnv, PROCONNECT_ADMIN_POST_LOGOUT_REDIRECT_URI: 'https://localhost/admin/deconnexion/retour' }), /PROCONNECT_ADMIN_POST_LOGOUT_REDIRECT_URI points at this machine/);
    assert.equal(loadConfig({ ...productionEnv }).proConnect.admin.redirectUri, 'https://formulaire-qf.example.gouv.fr/admin/connexion/retour');
  });

  it('refuses production without its own issuer, client id and secret, or with plain HTTP', () => {
    for (const name of ['PROCONNECT_ISSUER', 'PROCONNECT_CLIENT_ID', 'PROCONNECT_CLIENT_SECRET']) {
      const env: Record<string, string> = { ...productionEnv };
      delete env[name];
      assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && error.message.includes(name), name);
    }
    assert.throws(() => loadConfig({ ...productionEnv, PROCONNECT_ISSUER: 'http://auth.agentconnect.gouv.fr/api/v2' }), /PROCONNECT_ISSUER/);
    assert.equal(loadConfig({ ...productionEnv }).proConnect.redirectUri, 'https://formulaire-qf.example.gouv.fr/espace/connexion/retour');
  });
});
