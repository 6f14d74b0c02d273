import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { productionEnv } from '../../test/support/production-env.ts';
import { ConfigError, loadConfig } from './config.ts';



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

  it('reports errors only with SENTRY_DSN, named by the package version unless SENTRY_RELEASE says otherwise, https in production', () => {
    assert.equal(loadConfig({}).errorReporting.dsn, null);
    assert.match(loadConfig({}).errorReporting.release, /^formulaire-qf@\d+\.\d+\.\d+/);
    const config = loadConfig({ APP_ENV: 'test', SENTRY_DSN: 'http://public@127.0.0.1:9/1', SENTRY_RELEASE: 'formulaire-qf@abc123' });
    assert.deepEqual(config.errorReporting, { dsn: 'http://public@127.0.0.1:9/1', release: 'formulaire-qf@abc123', environment: 'test' });
    assert.equal(loadConfig({ ...productionEnv, SENTRY_DSN: 'https://key@sentry.example.gouv.fr/4' }).errorReporting.environment, 'production');
    assert.throws(() => loadConfig({ ...productionEnv, SENTRY_DSN: 'http://key@sentry.example.gouv.fr/4' }), /SENTRY_DSN must be an https/);
  });

  it('names every invalid variable in one readable error', () => {
    assert.throws(() => loadConfig({ PORT: 'abc', APP_URL: 'not a url' }), (error: unknown) => error instanceof ConfigError && /PORT/.test(error.message) && /APP_URL/.test(error.message));
  });
});
