/**
 * URLs of our own static files (src/web/assets, served at /assets/ by plugins/assets.ts).
 * Each URL carries a short hash of the file's content, so that the files can be cached for a long time
 * and still change on the next deployment.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ASSETS_DIR = fileURLToPath(new URL('../assets/', import.meta.url));

const cache = new Map<string, string>();

export function assetUrl(name: 'app.css' | 'search.js' | 'copy-link.js' | 'mise-a-jour.js'): string {
  let url = cache.get(name);
  if (!url) {
    let version = 'dev';
    try {
      version = createHash('sha256').update(readFileSync(new URL(`../assets/${name}`, import.meta.url))).digest('hex').slice(0, 10);
    } catch {
      // A missing file is reported by the 404 of the browser's request; the page still renders.
    }
    url = `/assets/${name}?v=${version}`;
    cache.set(name, url);
  }
  return url;
}
