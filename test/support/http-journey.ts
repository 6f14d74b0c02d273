import { CookieJar } from '../../src/integrations/franceconnect/testing/cookie-jar.ts';
import { FranceConnectBrowser } from '../../src/integrations/franceconnect/testing/login-as.ts';

/** The steps of journeyOverHttp, as `onStep` times them ("franceconnect": the button, then FranceConnect's pages). */
export type JourneyStep = 'collectivity' | 'franceconnect' | 'callback' | 'review' | 'transmit' | 'confirmation';

/**
 * A citizen's whole journey over plain HTTP, as a browser without JavaScript makes it: the collectivity's page,
 * "S'identifier avec FranceConnect", the persona on FranceConnect's page, the review, "Transmettre". Resolves to
 * the reference shown on the confirmation page. `onStep` is told how long each step took (load tests).
 */
export async function journeyOverHttp(
  appUrl: string,
  options: { siret: string; persona: string; externalId?: string; onStep?: (step: JourneyStep, ms: number) => void },
): Promise<string> {
  const jar = new CookieJar();
  let stepStarted = performance.now();
  const done = (step: JourneyStep) => {
    const now = performance.now();
    options.onStep?.(step, now - stepStarted);
    stepStarted = now;
  };
  const visit = async (url: URL, form?: URLSearchParams): Promise<{ status: number; location: string | null; html: string }> => {
    const headers: Record<string, string> = {};
    const cookie = jar.headerFor(url);
    if (cookie) headers.cookie = cookie;
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method: form ? 'POST' : 'GET', headers, redirect: 'manual', ...(form ? { body: form } : {}) });
    jar.store(url, response.headers);
    return { status: response.status, location: response.headers.get('location'), html: await response.text() };
  };
  const csrfOf = (html: string) => {
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (!token) throw new Error('no CSRF token on the page');
    return token;
  };

  const page = new URL(`/collectivites/${options.siret}`, appUrl);
  if (options.externalId) page.searchParams.set('external_id', options.externalId);
  const collectivity = await visit(page);
  if (collectivity.status !== 200) throw new Error(`collectivity page answered ${collectivity.status}`);
  done('collectivity');
  const start = await visit(
    new URL('/auth/franceconnect', appUrl),
    new URLSearchParams({ _csrf: csrfOf(collectivity.html), siret: options.siret, ...(options.externalId ? { external_id: options.externalId } : {}) }),
  );
  if (start.status !== 303 || !start.location) throw new Error(`login start answered ${start.status}`);
  const callback = await new FranceConnectBrowser().loginAs(options.persona, start.location);
  done('franceconnect');
  const back = await visit(callback);
  if (back.status !== 303 || !back.location?.endsWith('/verification')) throw new Error(`callback answered ${back.status} ${back.location ?? ''}`);
  done('callback');
  const review = await visit(new URL('/verification', appUrl));
  if (review.status !== 200) throw new Error(`review page answered ${review.status}`);
  done('review');
  const sent = await visit(new URL('/transmission', appUrl), new URLSearchParams({ _csrf: csrfOf(review.html) }));
  if (sent.status !== 303) throw new Error(`transmission answered ${sent.status}`);
  done('transmit');
  const confirmation = await visit(new URL('/confirmation', appUrl));
  const reference = /\b([0-9A-F]{13})\b/.exec(confirmation.html)?.[1];
  if (!reference) throw new Error('no reference on the confirmation page');
  done('confirmation');
  return reference;
}
