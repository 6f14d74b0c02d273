import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startTestService, type TestService } from '../../support/service.ts';
import { launchBrowser, newVisitor } from './browser.ts';

export interface BrowserSuite {
  readonly test: TestService;
  readonly browser: Browser;
  /** A new visitor (own cookies, phone-sized), closed after `run`. */
  visit<T>(run: (page: Page) => Promise<T>): Promise<T>;
}

/** Inside a `describe`: the whole service and a Chromium for its tests, started once and stopped at the end. */
export function browserSuite(env: Record<string, string> = {}, options: { qualification?: boolean; now?: () => Date } = {}): BrowserSuite {
  let test: TestService | undefined;
  let browser: Browser | undefined;
  before(async () => {
    [test, browser] = await Promise.all([startTestService(env, options), launchBrowser()]);
  });
  after(async () => {
    await browser?.close();
    await test?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the suite has not started yet');
    return value;
  };
  return {
    get test() {
      return started(test);
    },
    get browser() {
      return started(browser);
    },
    async visit(run) {
      const { context, page } = await newVisitor(started(browser));
      try {
        return await run(page);
      } finally {
        await context.close();
      }
    },
  };
}
