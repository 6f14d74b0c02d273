import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCollectivityNames } from './collectivity-names.ts';

describe('the collectivity names kept in memory', () => {
  const setup = (options: { maxEntries?: number } = {}) => {
    let clock = 0;
    const asked: string[] = [];
    const names = new Map([['21040107100019', 'Majastres']]);
    let failing = false;
    const cache = createCollectivityNames(
      async (siret) => {
        asked.push(siret);
        if (failing) throw new Error('database down');
        const name = names.get(siret);
        return name ? { name } : null;
      },
      { maxAgeMs: 30_000, now: () => clock, ...options },
    );
    return { cache, asked, names, advance: (ms: number) => (clock += ms), fail: (on: boolean) => (failing = on) };
  };

  it('asks the database once per collectivity within the maximum age, unknown ones included', async () => {
    const { cache, asked } = setup();
    assert.equal(await cache.nameOf('21040107100019'), 'Majastres');
    assert.equal(await cache.nameOf('21040107100019'), 'Majastres');
    assert.equal(await cache.nameOf('00000000000000'), null);
    assert.equal(await cache.nameOf('00000000000000'), null);
    assert.deepEqual(asked, ['21040107100019', '00000000000000']);
  });

  it('sees another instance\'s change once the maximum age is past', async () => {
    const { cache, names, advance } = setup();
    assert.equal(await cache.nameOf('21040107100019'), 'Majastres');
    names.set('21040107100019', 'Majastres (renamed)');
    advance(30_000);
    assert.equal(await cache.nameOf('21040107100019'), 'Majastres');
    advance(1);
    assert.equal(await cache.nameOf('21040107100019'), 'Majastres (renamed)');
  });

  it('sees this instance\'s change at once when invalidated', async () => {
    const { cache, names } = setup();
    assert.equal(await cache.nameOf('21040107100019'), 'Majastres');
    names.set('21040107100019', 'Majastres (renamed)');
    cache.invalidate();
    assert.equal(await cache.nameOf('21040107100019'), 'Majastres (renamed)');
  });

  it('does not keep a failed query', async () => {
    const { cache, asked, fail } = setup();
    fail(true);
    await assert.rejects(cache.nameOf('21040107100019'));
    fail(false);
    assert.equal(await cache.nameOf('21040107100019'), 'Majastres');
    assert.equal(asked.length, 2);
  });

  it('stays within its bound', async () => {
    const { cache, asked } = setup({ maxEntries: 2 });
    await cache.nameOf('1');
    await cache.nameOf('2');
    await cache.nameOf('3');
    await cache.nameOf('3');
    await cache.nameOf('1');
    assert.deepEqual(asked, ['1', '2', '3', '1']);
  });
});
