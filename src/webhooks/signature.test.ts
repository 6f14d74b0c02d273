import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkWebhook, isWebhookSecret, verifyWebhook, webhookHeaders } from './signature.ts';

const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
const body = '{"type":"transmission.sent"}';
const now = 1_767_340_443;
const signed = () => webhookHeaders({ id: 'msg_0123456789abcdef0123456789abcdef', timestamp: now, body, secrets: [secret] });

describe('verifyWebhook', () => {
  it('returns a boolean: `if (!verifyWebhook(…))` refuses a forgery', () => {
    assert.equal(verifyWebhook(signed(), body, secret, { nowSeconds: now }), true);
    const forged = verifyWebhook({ ...signed(), 'webhook-signature': 'v1,AAAA' }, body, secret, { nowSeconds: now });
    assert.equal(forged, false);
    assert.equal(typeof forged, 'boolean');
    assert.deepEqual(checkWebhook({ ...signed(), 'webhook-signature': 'v1,AAAA' }, body, secret, { nowSeconds: now }), { ok: false, reason: 'bad_signature' });
  });

  it('accepts only the canonical base64 of the signature', () => {
    const value = signed()['webhook-signature']!.slice(3);
    const variants = [
      `${value.slice(0, 10)}*${value.slice(10)}`, // a character the decoder skips
      `${value.slice(0, 20)}\n${value.slice(20)}`,
      value.slice(0, -1), // without padding
      `${value}=`,
      // The last character's unused bits set: decodes to the same bytes.
      `${value.slice(0, 42)}${String.fromCharCode(value.charCodeAt(42) + 1)}=`,
      value.replace(/\+/g, '-').replace(/\//g, '_'),
    ].filter((v) => v !== value);
    for (const variant of variants) {
      assert.equal(verifyWebhook({ ...signed(), 'webhook-signature': `v1,${variant}` }, body, secret, { nowSeconds: now }), false, JSON.stringify(variant));
    }
    assert.equal(verifyWebhook({ ...signed(), 'webhook-signature': `v1,AAAA v1,${value}` }, body, secret, { nowSeconds: now }), true, 'several signatures while a secret rotates');
  });

  it('refuses stale timestamps and missing headers', () => {
    assert.deepEqual(checkWebhook(signed(), body, secret, { nowSeconds: now + 301 }), { ok: false, reason: 'timestamp_out_of_tolerance' });
    assert.deepEqual(checkWebhook({ ...signed(), 'webhook-id': undefined }, body, secret, { nowSeconds: now }), { ok: false, reason: 'missing_headers' });
  });

  it('during a rotation, signs with both secrets and accepts a receiver holding either, or both', () => {
    const next = `whsec_${Buffer.alloc(32, 4).toString('base64')}`;
    const other = `whsec_${Buffer.alloc(32, 5).toString('base64')}`;
    const headers = webhookHeaders({ id: 'msg_0123456789abcdef0123456789abcdef', timestamp: now, body, secrets: [next, secret] });
    assert.equal(String(headers['webhook-signature']).split(' ').length, 2);
    assert.equal(verifyWebhook(headers, body, secret, { nowSeconds: now }), true, 'old secret');
    assert.equal(verifyWebhook(headers, body, next, { nowSeconds: now }), true, 'new secret');
    assert.equal(verifyWebhook(headers, body, [other, next], { nowSeconds: now }), true, 'a receiver holding several');
    assert.equal(verifyWebhook(headers, body, [other], { nowSeconds: now }), false, 'none of its secrets signed it');
    assert.equal(verifyWebhook(signed(), body, [next, other], { nowSeconds: now }), false);
  });

  it('takes only canonical secrets', () => {
    assert.equal(isWebhookSecret(secret), true);
    assert.equal(isWebhookSecret(`${secret.slice(0, -2)}F=`), false, 'trailing bits set');
  });
});
