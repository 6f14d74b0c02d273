import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const productionEnv = {
  APP_ENV: 'production',
  APP_URL: 'https://formulaire-qf.example.gouv.fr',
  DATABASE_URL: 'postgres://fqf@db.internal:5432/fqf',
  SESSION_SECRET: 's'.repeat(40),
  PERSONAL_DATA_KEY: 'k'.repeat(40),
  DATAPASS_WEBHOOK_SECRET: 'd'.repeat(40),
  API_TOKEN: 't'.repeat(40),
  FRANCECONNECT_ISSUER: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2',
  FRANCECONNECT_CLIENT_SECRET: 'f'.repeat(64),
  FRANCECONNECT_REDIRECT_URI: 'https://formulaire-qf.example.gouv.fr/auth/franceconnect/callback',
  FRANCECONNECT_POST_LOGOUT_REDIRECT_URI: 'https://formulaire-qf.example.gouv.fr/auth/franceconnect/logout-callback',
  API_PARTICULIER_URL: 'https://particulier.api.gouv.fr/api',
  HUBEE_API_URL: 'https://api.hubee.numerique.gouv.fr',
  HUBEE_TOKEN_URL: 'https://auth.hubee.numerique.gouv.fr/oauth2/token',
  HUBEE_OSL_CLIENT_SECRET: 'o'.repeat(40),
  HUBEE_ADMIN_CLIENT_SECRET: 'a'.repeat(40),
  INSEE_API_URL: 'https://api.insee.fr',
  INSEE_API_KEY: 'i'.repeat(40),
  ADMIN_USERS: 'exploitation:scrypt$16384$8$1$c2VsLWRlLXRlc3Q$aGFjaGUtZGUtdGVzdA',
} as const;

describe('the configuration', () => {
  it('works with nothing set: the local installation, its stand-ins and the embedded database', () => {
    const config = loadConfig({});
    assert.equal(config.env, 'local');
    assert.equal(config.http.publicUrl, 'http://localhost:3000');
    assert.equal(config.sandbox.enabled, true);
    assert.equal(config.franceConnect.issuer, 'http://localhost:3001/franceconnect/api/v2');
    assert.equal(config.apiParticulier.baseUrl, 'http://localhost:3001/api-particulier');
    assert.equal(config.hubee.apiUrl, 'http://localhost:3001/hubee');
    assert.equal(config.hubee.tokenUrl, 'http://localhost:3001/hubee/oauth2/token');
    assert.equal(config.insee.apiUrl, 'http://localhost:3001/insee');
    assert.deepEqual(config.database, { kind: 'embedded', dataDir: './data' });
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    assert.deepEqual(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }).database, { kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test' });
  });

  it('starts in production when every secret and URL is given', () => {
    const config = loadConfig({ ...productionEnv });
    assert.equal(config.env, 'production');
    assert.equal(config.sandbox.enabled, false);
  });

  it('refuses to start in production with a default secret', () => {
    for (const name of ['SESSION_SECRET', 'PERSONAL_DATA_KEY', 'API_TOKEN', 'FRANCECONNECT_CLIENT_SECRET', 'HUBEE_OSL_CLIENT_SECRET', 'DATAPASS_WEBHOOK_SECRET']) {
      const env: Record<string, string> = { ...productionEnv };
      delete env[name];
      assert.throws(() => loadConfig(env), (error: unknown) => error instanceof ConfigError && error.message.includes(name), name);
    }
  });

  it('refuses to start in production with the stand-ins, plain HTTP or without PostgreSQL', () => {
    assert.throws(() => loadConfig({ ...productionEnv, SANDBOX_ENABLED: 'true' }), /SANDBOX_ENABLED/);
    assert.throws(() => loadConfig({ ...productionEnv, HUBEE_API_URL: 'http://api.hubee.numerique.gouv.fr' }), /HUBEE_API_URL/);
    const env: Record<string, string> = { ...productionEnv };
    delete env.DATABASE_URL;
    assert.throws(() => loadConfig(env), /DATABASE_URL/);
  });

  it('names every invalid variable in one readable error', () => {
    assert.throws(() => loadConfig({ PORT: 'abc', APP_URL: 'not a url' }), (error: unknown) => error instanceof ConfigError && /PORT/.test(error.message) && /APP_URL/.test(error.message));
  });
});
