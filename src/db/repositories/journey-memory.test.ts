import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createJourneyMemory } from './journey-memory.ts';

describe('the memory of the journeys an instance saved', () => {
  let now = new Date('2026-12-01T10:00:00Z');
  const sealed = (text: string) => new TextEncoder().encode(text);
  const inHalfAnHour = () => new Date(now.getTime() + 1800 * 1000);
  const trustedMemory = (maxEntries = 10) => {
    const memory = createJourneyMemory({ maxEntries, now: () => now });
    memory.trust();
    return memory;
  };

  it('answers only the version that was saved, and only until the row would expire', () => {
    const memory = trustedMemory();
    memory.put('h1', { version: 'v1', payload: sealed('a'), expiresAt: inHalfAnHour() });
    assert.deepEqual(memory.get('h1', 'v1'), sealed('a'));
    assert.equal(memory.get('h1', 'v0'), null);
    now = new Date(now.getTime() + 1800 * 1000);
    assert.equal(memory.get('h1', 'v1'), null);
  });

  it('keeps at most its number of entries, dropping the oldest saved', () => {
    const memory = trustedMemory(2);
    for (const name of ['h1', 'h2', 'h3']) memory.put(name, { version: 'v', payload: sealed(name), expiresAt: inHalfAnHour() });
    assert.equal(memory.size, 2);
    assert.equal(memory.get('h1', 'v'), null);
    assert.deepEqual(memory.get('h3', 'v'), sealed('h3'));
  });

  it('keeps nothing until trusted, and forgets everything when distrusted', () => {
    const memory = createJourneyMemory({ maxEntries: 10, now: () => now });
    memory.put('h1', { version: 'v', payload: sealed('a'), expiresAt: inHalfAnHour() });
    assert.equal(memory.size, 0);
    memory.trust();
    memory.put('h1', { version: 'v', payload: sealed('a'), expiresAt: inHalfAnHour() });
    memory.distrust();
    assert.equal(memory.size, 0);
    assert.equal(memory.get('h1', 'v'), null);
  });

  it('sweeps the entries nobody read before they expired', () => {
    const memory = trustedMemory();
    memory.put('old', { version: 'v', payload: sealed('a'), expiresAt: new Date(now.getTime() + 1000) });
    memory.put('new', { version: 'v', payload: sealed('b'), expiresAt: inHalfAnHour() });
    now = new Date(now.getTime() + 2000);
    memory.sweep();
    assert.equal(memory.size, 1);
  });
});
