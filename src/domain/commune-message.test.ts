import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMUNE_MESSAGE_MAX_LENGTH, communeMessageFrom } from './commune-message.ts';

describe('the commune’s message to the family', () => {
  it('keeps the agent’s words and paragraphs, without control characters', () => {
    assert.equal(communeMessageFrom('  Votre QF est pris en compte.\r\n\r\n\r\nÀ bientôt\u0000 !  '), 'Votre QF est pris en compte.\n\nÀ bientôt  !');
  });

  it('is nothing when HubEE sends nothing or only blanks', () => {
    for (const raw of [null, undefined, '', '  \n\t ']) assert.equal(communeMessageFrom(raw), null);
  });

  it('is capped without cutting a character in two', () => {
    const long = '😀'.repeat(COMMUNE_MESSAGE_MAX_LENGTH + 10);
    const kept = communeMessageFrom(long)!;
    assert.equal([...kept].length, COMMUNE_MESSAGE_MAX_LENGTH);
    assert.ok(kept.endsWith('😀'));
  });
});
