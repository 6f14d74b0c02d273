import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { assetUrl } from '../views/assets.ts';
import { assetsPlugin } from './assets.ts';

describe('assets plugin', () => {
  let app: FastifyInstance;
  before(async () => {
    app = Fastify({ logger: false });
    await app.register(assetsPlugin);
    await app.ready();
  });
  after(() => app.close());

  it('serves the DSFR CSS, cached for a year as immutable', async () => {
    const res = await app.inject({ method: 'GET', url: '/dsfr/dsfr.min.css' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/css/);
    assert.match(String(res.headers['cache-control']), /max-age=31536000/);
    assert.match(String(res.headers['cache-control']), /immutable/);
    assert.ok(res.body.includes('.fr-header'));
  });

  it('serves the fonts and icons the CSS refers to relatively', async () => {
    const font = await app.inject({ method: 'GET', url: '/dsfr/fonts/Marianne-Regular.woff2' });
    assert.equal(font.statusCode, 200);
    assert.match(String(font.headers['content-type']), /font\/woff2/);
    assert.ok(font.rawPayload.length > 10_000);
    const css = (await app.inject({ method: 'GET', url: '/dsfr/dsfr.min.css' })).body;
    assert.ok(css.includes('fonts/Marianne-Regular.woff2'));
  });

  it('serves the DSFR scripts and favicons', async () => {
    for (const url of ['/dsfr/dsfr.module.min.js', '/dsfr/dsfr.nomodule.min.js', '/dsfr/favicon/favicon.svg', '/dsfr/favicon/apple-touch-icon.png']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
    }
  });

  it('serves our own assets at the URLs the views use', async () => {
    for (const name of ['app.css', 'search.js', 'copy-link.js'] as const) {
      const url = assetUrl(name);
      assert.match(url, new RegExp(`^/assets/${name.replace('.', '\\.')}\\?v=[0-9a-f]{10}$`));
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(String(res.headers['cache-control']), /immutable/);
    }
  });

  it('lists no directory and serves nothing outside the folders', async () => {
    for (const url of ['/dsfr/', '/dsfr/fonts/', '/assets/', '/dsfr/../package.json', '/dsfr/%2e%2e/package.json', '/assets/../views/layout.tsx', '/assets/assets.test.ts']) {
      const res = await app.inject({ method: 'GET', url });
      assert.ok(res.statusCode === 404 || res.statusCode === 403 || res.statusCode === 400, `${url}: ${res.statusCode}`);
    }
  });
});
