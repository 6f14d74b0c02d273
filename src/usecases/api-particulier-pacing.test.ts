import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTokenPacer, sharedPacerFor } from './api-particulier-pacing.ts';

/** A clock the test moves by hand; sleeping moves it. */
function manualClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, sleep: async (ms: number) => void (now += ms), advance: (ms: number) => void (now += ms) };
}

describe('the shared pacer of an API Particulier token', () => {
  it('spaces calls under 20 per second', async () => {
    const clock = manualClock();
    const pacer = createTokenPacer({ now: clock.now, sleep: clock.sleep });
    const starts: number[] = [];
    for (let i = 0; i < 21; i++) {
      await pacer.acquire();
      starts.push(clock.now());
    }
    assert.ok((starts[20] ?? 0) - (starts[0] ?? 0) >= 1000, 'the 21st call is at least a second after the first');
  });

  it('pauses for Retry-After at a first 429, and stops at the second one in a row until the pause ends', async () => {
    const clock = manualClock();
    const pacer = createTokenPacer({ now: clock.now, sleep: clock.sleep });
    assert.deepEqual(pacer.record429(2000), { stop: false });
    assert.equal(pacer.pausedUntil(), clock.now() + 2000);
    assert.equal(pacer.stoppedUntil(), null);
    await pacer.acquire();
    assert.ok(clock.now() >= 1_002_000, 'the next call waits for Retry-After');
    const verdict = pacer.record429(3000);
    assert.equal(verdict.stop, true);
    assert.equal(verdict.stop && verdict.resumeAt.getTime(), clock.now() + 3000);
    assert.equal(pacer.stoppedUntil()?.getTime(), clock.now() + 3000);
    clock.advance(3000);
    assert.equal(pacer.stoppedUntil(), null, 'the stop ends with the pause');
  });

  it('counts 429s in a row only: an answer in between starts the count again', () => {
    const clock = manualClock();
    const pacer = createTokenPacer({ now: clock.now, sleep: clock.sleep });
    assert.equal(pacer.record429(1000).stop, false);
    pacer.recordAnswer(null);
    assert.equal(pacer.record429(1000).stop, false);
    assert.equal(pacer.record429(1000).stop, true);
  });

  it('takes a 429 without a sensible Retry-After as at least a second, and pauses until RateLimit-Reset when none remain', () => {
    const clock = manualClock(10_500);
    const pacer = createTokenPacer({ now: clock.now, sleep: clock.sleep });
    pacer.record429(0);
    assert.equal(pacer.pausedUntil(), 11_500);
    pacer.recordAnswer({ limit: 20, remaining: 0, resetSeconds: 3 });
    assert.equal(pacer.pausedUntil(), 13_000, 'the window ends at the start of the reset second');
  });

  it('is one per token in the process', () => {
    assert.equal(sharedPacerFor('jeton-a'), sharedPacerFor('jeton-a'));
    assert.notEqual(sharedPacerFor('jeton-a'), sharedPacerFor('jeton-b'));
  });
});
