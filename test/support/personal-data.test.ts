import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { personalDataIn } from './personal-data.ts';

describe('the personal data detector used on captured logs', () => {
  it('finds a name, a birth date in either form and a QF value', () => {
    const lines = ['{"msg":"hello DUBOIS"}', '{"b":"1962-08-24"}', '{"b":"24/08/1962"}', '{"qf":2550}', '{"who":"Angela Claire Louise"}'];
    assert.deepEqual(personalDataIn(lines), lines);
  });

  it('does not mistake ids, durations and timestamps for QF values', () => {
    const lines = ['{"reqId":"45d37764-eb4c-411a-b03c-2b9a5209e420"}', '{"responseTime":150.25}', '{"time":1795694908932}', '{"port":16500}'];
    assert.deepEqual(personalDataIn(lines), []);
  });
});
