import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createPersonalDataCipher } from './personal-data-cipher.ts';

describe('the personal data cipher', () => {
  const cipher = createPersonalDataCipher('a-secret-of-at-least-thirty-two-characters');
  const identity = { family_name: 'DUBOIS', given_name: 'Angela Claire Louise' };

  it('gives back what it encrypted, for the same row', () => {
    const blob = cipher.encrypt(identity, 'journey:1');
    assert.deepEqual(cipher.decrypt(blob, 'journey:1'), identity);
  });

  it('never shows the data in clear', () => {
    const blob = cipher.encrypt(identity, 'journey:1');
    assert.equal(blob.toString('utf8').includes('DUBOIS'), false);
    assert.equal(blob.toString('latin1').includes('DUBOIS'), false);
  });

  it('refuses a blob moved to another row', () => {
    const blob = cipher.encrypt(identity, 'journey:1');
    assert.throws(() => cipher.decrypt(blob, 'journey:2'));
  });

  it('refuses a tampered blob and one made with another key', () => {
    const blob = cipher.encrypt(identity, 'journey:1');
    const tampered = Buffer.from(blob);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    assert.throws(() => cipher.decrypt(tampered, 'journey:1'));
    assert.throws(() => createPersonalDataCipher('another-secret-of-at-least-thirty-two-chars').decrypt(blob, 'journey:1'));
  });
});
