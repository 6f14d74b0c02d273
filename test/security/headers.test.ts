import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { createContext } from '../../src/context.ts';
import type { Db } from '../../src/db/database.ts';
import { createJourneyStore } from '../../src/db/repositories/journey-store.ts';
import { createJobQueue } from '../../src/jobs/queue.ts';
import { createPersonalDataCipher } from '../../src/security/personal-data-cipher.ts';
import type { Journey } from '../../src/usecases/journey.ts';
import { buildApp } from '../../src/web/app.ts';
import { journeyAccess } from '../../src/web/journey/cookie.ts';
import { securityPlugin } from '../../src/web/plugins/security.ts';
import { createTestDatabase } from '../support/database.ts';
import { productionEnv } from '../support/production-env.ts';

describe('security headers and cookies, as served in production', () => {
  let db: Db;
  let app: FastifyInstance;
  let config: Config;
  before(async () => {
    db = await createTestDatabase();
    config = loadConfig({ ...productionEnv });
    const base = createContext({ config, logger: pino({ level: 'silent' }), db, queue: createJobQueue(db) });
    await base.collectivities.upsert(
      { siret: '21040107100019', codeCog: '04107', name: 'Majastres', departement: '04', codePostal: '04270', status: 'active', editor: null, allowedRedirectPrefixes: [] },
      'majastres',
    );
    ({ app } = await buildApp(base, { logger: pino({ level: 'silent' }) }));
    await app.ready();
  });
  after(async () => {
    await app.close();
    await db.close();
  });

  for (const url of ['/', '/collectivites?q=maj', '/collectivites/21040107100019', '/suivi', '/page-inconnue', '/faq']) {
    it(`${url}: strict CSP without inline scripts, no framing, HSTS, referrer policy, nosniff`, async () => {
      const response = await app.inject({ url });
      const csp = String(response.headers['content-security-policy']);
      const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
      assert.match(scriptSrc, /'self'/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /default-src 'self'/);
      assert.match(String(response.headers['strict-transport-security']), /max-age=\d{7,}/);
      assert.equal(response.headers['referrer-policy'], 'same-origin');
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
      assert.equal(response.headers['x-frame-options'], 'SAMEORIGIN');
      const permissions = String(response.headers['permissions-policy'] ?? '');
      for (const feature of ['camera', 'microphone', 'geolocation', 'payment', 'usb']) assert.match(permissions, new RegExp(`\\b${feature}=\\(\\)`), feature);
    });
  }

  it('the CSRF cookie is Secure, HttpOnly, SameSite=Lax and host-only', async () => {
    const response = await app.inject({ url: '/collectivites/21040107100019' });
    const cookie = String(response.headers['set-cookie']);
    assert.match(cookie, /^__Host-fqf_csrf=/);
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    assert.match(cookie, /; Path=\//);
    assert.doesNotMatch(cookie, /Domain=/);
  });

  it('the journey cookie is Secure, HttpOnly, SameSite=Lax, host-only, and outlives the journey (so that an expired journey is told apart from blocked cookies)', async () => {
    const journeys = journeyAccess(config, createJourneyStore<Journey>({ db, cipher: createPersonalDataCipher(config.secrets.personalDataKey), ttlSeconds: 1800 }));
    const probe = Fastify();
    await probe.register(securityPlugin, { config });
    probe.get('/start', async (_request, reply) => {
      await journeys.save(reply, null, { stage: 'login', origin: { siret: '21040107100019', externalId: null, redirectUri: null }, state: 's'.repeat(43), nonce: 'n'.repeat(43) });
      return 'ok';
    });
    const response = await probe.inject({ url: '/start' });
    const cookie = String(response.headers['set-cookie']);
    assert.match(cookie, /^__Host-fqf_journey=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{11};/);
    assert.match(cookie, /Max-Age=86400/);
    assert.match(cookie, /; Secure/);
    assert.match(cookie, /; HttpOnly/);
    assert.match(cookie, /; SameSite=Lax/);
    await probe.close();
  });

  it('/.well-known/security.txt (RFC 9116): the configured contacts, the expiry, the canonical address, as plain text', async () => {
    const response = await app.inject({ url: '/.well-known/security.txt' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
    const lines = response.body.trim().split('\n');
    assert.deepEqual(lines.filter((l) => l.startsWith('Contact: ')), ['Contact: mailto:securite@example.gouv.fr', 'Contact: https://example.gouv.fr/securite']);
    const expires = lines.find((l) => l.startsWith('Expires: '))?.slice(9) ?? '';
    assert.match(expires, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    assert.equal(new Date(expires).toISOString().slice(0, 19), productionEnv.SECURITY_TXT_EXPIRES.slice(0, 19));
    assert.ok(lines.includes('Canonical: https://formulaire-qf.example.gouv.fr/.well-known/security.txt'));
  });

  it('no HSTS outside production (the local installation runs on plain HTTP)', async () => {
    const local = loadConfig({ APP_ENV: 'test' });
    const probe = Fastify();
    await probe.register(securityPlugin, { config: local });
    probe.get('/', async () => 'ok');
    const response = await probe.inject({ url: '/' });
    assert.equal(response.headers['strict-transport-security'], undefined);
    await probe.close();
  });
});
