import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import * as Sentry from '@sentry/node';
import { startSentryReceiver, type SentryReceiver } from '../../test/support/sentry-receiver.ts';
import { initErrorReporting, scrubText } from './error-reporting.ts';

describe('error reporting', () => {
  it('is a no-op without SENTRY_DSN: the SDK is never set up', async () => {
    const reporter = initErrorReporting({ dsn: null, release: 'formulaire-qf@test', environment: 'test' });
    assert.equal(reporter.enabled, false);
    reporter.requestFailed(new Error('nothing'), { method: 'GET', route: '/', status: 500 });
    reporter.jobFailed(new Error('nothing'), { queue: 'q' });
    assert.equal(Sentry.isInitialized(), false);
    assert.equal(await reporter.flush(), true);
  });

  it('scrubs what a message may quote: query strings, quoted text, tokens, addresses, dates, long numbers', () => {
    const cases: [string, string][] = [
      ['GET https://api.test/v3/qf?nomNaissance=DUBOIS&prenoms=Angela failed', 'GET https://api.test/v3/qf?[filtré] failed'],
      ['callback /auth/franceconnect/callback?code=abc&state=def refused', 'callback /auth/franceconnect/callback?[filtré] refused'],
      [`Unexpected token 'D', "{"nom":DUBOIS,"pr"... is not valid JSON`, 'Unexpected token [texte cité], [texte cité]... is not valid JSON'],
      ['Key (email)=(angela.dubois@example.test) already exists', 'Key (email)=([adresse]) already exists'],
      ['born 1962-08-24 or 24/08/1962', 'born [date] or [date]'],
      ['Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhYmMifQ.c2ln refused', 'Bearer [jeton] refused'],
      ['token 3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c expired', 'token [jeton] expired'],
      ['SIRET 21040107100019 unknown', 'SIRET [nombre] unknown'],
      ['HubEE createFolder failed (500): Internal Server Error', 'HubEE createFolder failed (500): Internal Server Error'],
    ];
    for (const [text, expected] of cases) assert.equal(scrubText(text), expected);
    assert.equal(scrubText('x'.repeat(2000)).length, 500);
  });

  describe('what brings the process down', () => {
    let receiver: SentryReceiver;
    before(async () => {
      receiver = await startSentryReceiver();
    });
    after(async () => receiver.close());

    /** A process that installs the handlers the way src/run-service.ts does, then fails; resolves to its exit code. */
    const failingProcess = (failure: string): Promise<number | null> => {
      const script = `
        import pino from 'pino';
        import { reportProcessFailures } from ${JSON.stringify(new URL('./error-reporting.ts', import.meta.url).href)};
        reportProcessFailures({ errorReporting: { dsn: ${JSON.stringify(receiver.dsn)}, release: 'formulaire-qf@test', environment: 'test' } }, pino({ level: 'silent' }));
        ${failure}
      `;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.resume();
      return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    };

    for (const [origin, failure] of [
      ['uncaughtException', `setTimeout(() => { throw new Error('crash while reading https://api.test/qf?recipient=1&nom=DUBOIS'); });`],
      ['unhandledRejection', `void Promise.reject(new TypeError('rejected with "Angela DUBOIS"'));`],
    ] as const) {
      it(`${origin}: reported as fatal, then the process exits with code 1 as Node would`, async () => {
        assert.equal(await failingProcess(failure), 1);
        const event = await receiver.waitForEvent((e) => e.tags?.origin === origin);
        assert.equal(event.level, 'fatal');
        assert.equal(event.tags?.kind, 'process');
        assert.equal(event.release, 'formulaire-qf@test');
        const text = receiver.envelopes().join('\n');
        assert.doesNotMatch(text, /DUBOIS|Angela|nom=/);
      });
    }
  });
});
