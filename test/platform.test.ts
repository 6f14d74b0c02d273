import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

describe('the runtime', () => {
  it('is Node.js 24 LTS, the version the project installs for its scripts', () => {
    const major = Number(process.versions.node.split('.')[0]);
    assert.equal(major, 24, `tests run on Node ${process.version}`);
    assert.equal(Number(manifest.devDependencies.node?.split('.')[0]), major);
    assert.equal(manifest.engines.node, '>=24');
  });
});
