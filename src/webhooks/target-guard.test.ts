import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkWebhookTarget, isForbiddenAddress } from './target-guard.ts';

describe('webhook targets (SSRF)', () => {
  it('refuses loopback, private, link-local, CGNAT and reserved IPv4 addresses', () => {
    for (const address of ['127.0.0.1', '127.8.9.10', '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '198.18.0.1']) {
      assert.equal(isForbiddenAddress(address), true, address);
    }
  });

  it('refuses loopback, unique-local, link-local and IPv4-in-IPv6 forms of private addresses', () => {
    for (const address of ['::1', '::', 'fd00::1', 'fc12:3456::1', 'fe80::1', 'fe80::1%eth0', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '::127.0.0.1', '64:ff9b::a00:1', '2002:c0a8:0101::1', '2001:db8::1']) {
      assert.equal(isForbiddenAddress(address), true, address);
    }
  });

  it('refuses 3fff::/20 (documentation, RFC 9637) and 5f00::/16 (SRv6, RFC 9602), and only them', () => {
    for (const address of ['3fff::1', '3fff:fff:ffff::1', '5f00::1', '5f00:1234::5']) assert.equal(isForbiddenAddress(address), true, address);
    for (const address of ['3fff:1000::1', '3ffe:ffff::1', '5f01::1', '5eff::1']) assert.equal(isForbiddenAddress(address), false, address);
  });

  it('accepts public addresses, including public IPv4 seen through IPv6', () => {
    for (const address of ['8.8.8.8', '172.32.0.1', '193.51.24.1', '2a01:e0a::1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808']) {
      assert.equal(isForbiddenAddress(address), false, address);
    }
  });

  it('checks every address a name resolves to, and the literal addresses of a URL', async () => {
    const resolve = async (host: string) =>
      host === 'mixed.example' ? [{ address: '93.184.216.34', family: 4 as const }, { address: '::1', family: 6 as const }] : [{ address: '93.184.216.34', family: 4 as const }];
    const strict = { allowPrivate: false, allowHttp: false, resolve };
    assert.deepEqual(await checkWebhookTarget('https://mixed.example/hook', strict), { ok: false, reason: 'private_address', host: 'mixed.example' });
    assert.equal((await checkWebhookTarget('https://public.example/hook', strict)).ok, true);
    const real = { allowPrivate: false, allowHttp: true };
    assert.deepEqual(await checkWebhookTarget('http://127.0.0.1:8080/', real), { ok: false, reason: 'private_address', host: '127.0.0.1' });
    assert.deepEqual(await checkWebhookTarget('http://[::ffff:127.0.0.1]/', real), { ok: false, reason: 'private_address', host: '::ffff:7f00:1' });
    assert.deepEqual(await checkWebhookTarget('http://localhost:9/', real), { ok: false, reason: 'private_address', host: 'localhost' });
  });

  it('refuses plain http in production, credentials in the URL and non-URLs', async () => {
    const production = { allowPrivate: false, allowHttp: false, resolve: async () => [{ address: '93.184.216.34', family: 4 as const }] };
    assert.deepEqual(await checkWebhookTarget('http://public.example/', production), { ok: false, reason: 'scheme_not_allowed', scheme: 'http' });
    assert.deepEqual(await checkWebhookTarget('ftp://public.example/', production), { ok: false, reason: 'scheme_not_allowed', scheme: 'ftp' });
    assert.deepEqual(await checkWebhookTarget('https://u:p@public.example/', production), { ok: false, reason: 'credentials_in_url' });
    assert.deepEqual(await checkWebhookTarget('not a url', production), { ok: false, reason: 'invalid_url' });
  });

  it('lets the local installation reach a receiver on the same machine when allowed', async () => {
    assert.equal((await checkWebhookTarget('http://127.0.0.1:8080/', { allowPrivate: true, allowHttp: true })).ok, true);
  });
});
