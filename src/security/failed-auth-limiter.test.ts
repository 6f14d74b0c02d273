import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFailedAuthLimiter, loggableAccount } from './failed-auth-limiter.ts';

describe('the failed-authentication limiter', () => {
  const limits = { perAddress: 3, perAccount: 5, windowSeconds: 60 };

  it('refuses an address past its failures until the window ends, with the seconds left', () => {
    let t = 0;
    const limiter = createFailedAuthLimiter('test', limits, () => t);
    const attempt = { address: '192.0.2.1', account: 'alice' };
    assert.equal(limiter.retryAfter(attempt), 0);
    assert.equal(limiter.recordFailure(attempt), 0);
    assert.equal(limiter.recordFailure(attempt), 0);
    assert.equal(limiter.recordFailure(attempt), 60);
    t = 20_500;
    assert.equal(limiter.retryAfter(attempt), 40);
    assert.equal(limiter.retryAfter({ address: '192.0.2.1', account: 'bob' }), 40, 'another name from the same address');
    assert.equal(limiter.retryAfter({ address: '192.0.2.2', account: 'alice' }), 0, 'the account is still under its own limit');
    t = 60_000;
    assert.equal(limiter.retryAfter(attempt), 0);
  });

  it('refuses an account guessed from many addresses', () => {
    const limiter = createFailedAuthLimiter('test', limits, () => 0);
    for (let i = 0; i < 5; i++) limiter.recordFailure({ address: `198.51.100.${i}`, account: 'alice' });
    assert.equal(limiter.retryAfter({ address: '203.0.113.9', account: 'alice' }), 60);
    assert.equal(limiter.retryAfter({ address: '203.0.113.9', account: 'bob' }), 0);
  });

  it('keeps a bounded number of keys, however many addresses an attacker rotates through', () => {
    const limiter = createFailedAuthLimiter('test', { ...limits, perAddress: 1 }, () => 0);
    for (let i = 0; i < 25_000; i++) limiter.recordFailure({ address: `a${i}`, account: null });
    assert.equal(limiter.retryAfter({ address: 'a24999', account: null }), 60, 'the newest are kept');
  });

  it('logs a plausible user name, never something that looks like a typed password', () => {
    assert.equal(loggableAccount('operateur'), 'operateur');
    assert.equal(loggableAccount('mon mot de passe!'), '(illisible)');
    assert.equal(loggableAccount(null), null);
  });
});
