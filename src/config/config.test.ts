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

  it('trusts no proxy by default, and only the hops or ranges TRUST_PROXY names; never every hop', () => {
    assert.equal(loadConfig({}).http.trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: 'false' }).http.trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).http.trustProxy, 2);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.0.2.7,2001:db8::/32' }).http.trustProxy, ['10.0.0.0/8', '192.0.2.7', '2001:db8::/32']);
    for (const value of ['true', 'yes', '10.0.0.0/33', 'proxy.internal', '', '1.2.3.4/8/2']) {
      assert.throws(() => loadConfig({ TRUST_PROXY: value }), /TRUST_PROXY/, value);
    }
    const env: Record<string, string> = { ...productionEnv };
    delete env.TRUST_PROXY;
    assert.throws(() => loadConfig(env), /TRUST_PROXY must be set in production/);
  });

  it('reads the operators and their roles from OPERATORS, and refuses in production none, a malformed one or the stand-in’s', () => {
    assert.deepEqual(loadConfig({ ...productionEnv }).operators, [
      { email: 'exploitation@example.gouv.fr', role: 'administrateur' },
      { email: 'tableaux@example.gouv.fr', role: 'lecture' },
    ]);
    assert.deepEqual(loadConfig({ OPERATORS: ' Alice@Example.gouv.fr:lecture ' }).operators, [{ email: 'alice@example.gouv.fr', role: 'lecture' }]);
    assert.deepEqual(loadConfig({}).operators.map((o) => o.email), ['exploitation@formulaire-qf.beta.gouv.fr', 'suivi@formulaire-qf.beta.gouv.fr'], 'the stand-in’s operators locally');
    for (const value of ['alice@example.gouv.fr', 'alice@example.gouv.fr:chef', 'pas-un-email:lecture', 'a@example.gouv.fr:lecture,a@example.gouv.fr:administrateur', '']) {
      assert.throws(() => loadConfig({ OPERATORS: value }), /OPERATORS/, value);
    }
    const env: Record<string, string> = { ...productionEnv };
    delete env.OPERATORS;
    assert.throws(() => loadConfig(env), /OPERATORS must be set in production/);
    assert.throws(() => loadConfig({ ...productionEnv, OPERATORS: `${productionEnv.OPERATORS},exploitation@formulaire-qf.beta.gouv.fr:administrateur` }), /without the local operators/);
  });

  it('refuses in production redirect URIs off APP_URL, shared or guessable secrets, a case-changed default and loopback upstreams', () => {
    const refused = (overrides: Record<string, string>, message: RegExp) => assert.throws(() => loadConfig({ ...productionEnv, ...overrides }), message, JSON.stringify(overrides));
    refused({ FRANCECONNECT_REDIRECT_URI: 'http://formulaire-qf.example.gouv.fr/auth/franceconnect/callback' }, /FRANCECONNECT_REDIRECT_URI must be an https:\/\/ URL on APP_URL/);
    refused({ FRANCECONNECT_REDIRECT_URI: 'https://evil.example/auth/franceconnect/callback' }, /FRANCECONNECT_REDIRECT_URI/);
    refused({ FRANCECONNECT_POST_LOGOUT_REDIRECT_URI: 'https://autre.example.gouv.fr/auth/franceconnect/logout-callback' }, /FRANCECONNECT_POST_LOGOUT_REDIRECT_URI/);
    refused({ PERSONAL_DATA_KEY: productionEnv.SESSION_SECRET, API_TOKEN: productionEnv.SESSION_SECRET }, /SESSION_SECRET, PERSONAL_DATA_KEY, API_TOKEN must be different secrets/);
    refused({ API_TOKEN: '0'.repeat(32) }, /API_TOKEN is not random enough/);
    refused({ SESSION_SECRET: 'Local-only-session-do-not-use-in-production-0123456789' }, /SESSION_SECRET must be set/);
    refused({ HUBEE_API_URL: 'https://localhost/hubee' }, /HUBEE_API_URL points at this machine/);
    refused({ INSEE_API_URL: 'https://127.0.0.1:8443' }, /INSEE_API_URL points at this machine/);
    refused({ API_PARTICULIER_URL: 'https://[::1]/api' }, /API_PARTICULIER_URL points at this machine/);
  });

  it('takes security.txt’s contact and expiry from SECURITY_CONTACT and SECURITY_TXT_EXPIRES, required and checked in production', () => {
    const config = loadConfig({ ...productionEnv });
    assert.deepEqual(config.securityTxt.contacts, ['mailto:securite@example.gouv.fr', 'https://example.gouv.fr/securite']);
    assert.equal(config.securityTxt.expires.toISOString(), productionEnv.SECURITY_TXT_EXPIRES);
    for (const name of ['SECURITY_CONTACT', 'SECURITY_TXT_EXPIRES']) {
      const env: Record<string, string> = { ...productionEnv };
      delete env[name];
      assert.throws(() => loadConfig(env), new RegExp(`${name} must be set in production`));
    }
    assert.throws(() => loadConfig({ ...productionEnv, SECURITY_TXT_EXPIRES: '2020-01-01T00:00:00Z' }), /SECURITY_TXT_EXPIRES is in the past/);
    assert.throws(() => loadConfig({ ...productionEnv, SECURITY_TXT_EXPIRES: new Date(Date.now() + 800 * 86400_000).toISOString() }), /less than a year away/);
    assert.throws(() => loadConfig({ SECURITY_CONTACT: 'securite@example.gouv.fr' }), /SECURITY_CONTACT/);
    assert.throws(() => loadConfig({ SECURITY_TXT_EXPIRES: 'demain' }), /SECURITY_TXT_EXPIRES/);
    assert.ok(loadConfig({}).securityTxt.expires.getTime() > Date.now(), 'a local installation serves a valid file');
  });

  it('links HubEE’s qualification environment with all four variables or none, checked like the main HubEE in production', () => {
    assert.equal(loadConfig({}).hubee.qualification, null, 'none by default, even locally');
    const qualification = {
      HUBEE_QUALIFICATION_API_URL: 'https://api.qualif.hubee.numerique.gouv.fr/',
      HUBEE_QUALIFICATION_TOKEN_URL: 'https://auth.qualif.hubee.numerique.gouv.fr/oauth2/token',
      HUBEE_QUALIFICATION_OSL_CLIENT_ID: 'formulaire-qf-qualif',
      HUBEE_QUALIFICATION_OSL_CLIENT_SECRET: 'qU4lK8vN2mQ9rL4pW7tB6jH5dX1gZ0aY',
    };
    assert.deepEqual(loadConfig({ ...productionEnv, ...qualification }).hubee.qualification, {
      apiUrl: 'https://api.qualif.hubee.numerique.gouv.fr',
      tokenUrl: 'https://auth.qualif.hubee.numerique.gouv.fr/oauth2/token',
      osl: { clientId: 'formulaire-qf-qualif', clientSecret: 'qU4lK8vN2mQ9rL4pW7tB6jH5dX1gZ0aY' },
    });
    // A partial set names what is missing, in every environment.
    for (const env of [{}, { ...productionEnv }]) {
      const partial: Record<string, string> = { ...env, ...qualification };
      delete partial.HUBEE_QUALIFICATION_OSL_CLIENT_SECRET;
      delete partial.HUBEE_QUALIFICATION_TOKEN_URL;
      assert.throws(
        () => loadConfig(partial),
        (error: unknown) => error instanceof ConfigError && /all four variables or none; missing: HUBEE_QUALIFICATION_TOKEN_URL, HUBEE_QUALIFICATION_OSL_CLIENT_SECRET/.test(error.message),
      );
    }
    assert.throws(() => loadConfig({ ...productionEnv, ...qualification, HUBEE_QUALIFICATION_API_URL: 'http://api.qualif.hubee.numerique.gouv.fr' }), /HUBEE_QUALIFICATION_API_URL must be an https/);
    assert.throws(() => loadConfig({ ...productionEnv, ...qualification, HUBEE_QUALIFICATION_TOKEN_URL: 'https://localhost/oauth2/token' }), /HUBEE_QUALIFICATION_TOKEN_URL points at this machine/);
    assert.throws(() => loadConfig({ ...productionEnv, ...qualification, HUBEE_QUALIFICATION_OSL_CLIENT_SECRET: 'local-only-hubee-qualification-osl' }), /HUBEE_QUALIFICATION_OSL_CLIENT_SECRET must be set in production/);
    assert.throws(
      () => loadConfig({ ...productionEnv, ...qualification, HUBEE_QUALIFICATION_OSL_CLIENT_SECRET: productionEnv.HUBEE_OSL_CLIENT_SECRET }),
      /HUBEE_OSL_CLIENT_SECRET, HUBEE_QUALIFICATION_OSL_CLIENT_SECRET must be different secrets/,
    );
  });

  it('names every invalid variable in one readable error', () => {
    assert.throws(() => loadConfig({ PORT: 'abc', APP_URL: 'not a url' }), (error: unknown) => error instanceof ConfigError && /PORT/.test(error.message) && /APP_URL/.test(error.message));
  });
});
