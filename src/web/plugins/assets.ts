import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { ASSETS_DIR } from '../views/assets.ts';

/** node_modules/@gouvfr/dsfr/dist, found by module resolution (works wherever node_modules is). */
export function dsfrDistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@gouvfr/dsfr/package.json')), 'dist');
}

const ONE_YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/**
 * Static files:
 * - /dsfr/   the whole DSFR dist folder (its CSS refers to fonts/ and icons/ relatively). The version is pinned in
 *            package.json, so the files are cached for a year as immutable.
 * - /assets/ our own CSS and JavaScript (src/web/assets). The views reference them with a content hash
 *            (`?v=`), so they can be cached for a year too.
 * No directory listing, no index files, no dotfiles.
 */
export async function assetsPlugin(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: dsfrDistDir(),
    prefix: '/dsfr/',
    list: false,
    index: false,
    dotfiles: 'deny',
    cacheControl: true,
    maxAge: ONE_YEAR_MS,
    immutable: true,
    decorateReply: false,
  });
  await app.register(fastifyStatic, {
    root: ASSETS_DIR,
    prefix: '/assets/',
    list: false,
    index: false,
    dotfiles: 'deny',
    cacheControl: true,
    maxAge: ONE_YEAR_MS,
    immutable: true,
    decorateReply: false,
    // Only the files meant for the browser: never the tests that may sit beside them.
    allowedPath: (pathName) => /^\/[\w-]+\.(css|js)$/.test(pathName),
  });
}

export default assetsPlugin;
