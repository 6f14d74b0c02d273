import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { faultControlClient, type FaultControlClient } from '../../src/sandbox/faults/client.ts';
import { journeyOverHttp } from '../support/http-journey.ts';
import { startTestService, type TestService } from '../support/service.ts';

/**
 * FranceConnect may rotate its signing keys at any time: the next ID token and userinfo carry a kid our copy of
 * its JWKS does not hold. The app fetches the JWKS again and families keep logging in, with nothing to do on
 * our side.
 */
describe('FranceConnect rotates its signing keys: logins through the app keep working', () => {
  let service: TestService;
  let control: FaultControlClient;
  before(async () => {
    service = await startTestService();
    control = faultControlClient(service.sandboxUrl);
  });
  after(async () => service?.stop());

  const publishedKids = async () => {
    const response = await fetch(`${service.sandboxUrl}/franceconnect/api/v2/jwks`);
    return ((await response.json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
  };
  const journey = (persona: string) => journeyOverHttp(service.appUrl, { siret: '21040107100019', persona });

  it('a family logs in and transmits before, after one rotation, and after another', async () => {
    const references = [await journey('angela')];
    const kids = [await publishedKids()];
    for (const persona of ['jeanne', 'vincent']) {
      await control.rotateFranceConnectKeys();
      kids.push(await publishedKids());
      references.push(await journey(persona));
    }
    assert.equal(new Set(references).size, 3);
    assert.notDeepEqual(kids[1], kids[0], 'the first rotation published a new key');
    assert.notDeepEqual(kids[2], kids[1], 'the second rotation published a new key');
    for (const reference of references) {
      assert.equal((await service.service.context.shipments.find(reference))?.status, 'SENT', reference);
    }
  });
});
