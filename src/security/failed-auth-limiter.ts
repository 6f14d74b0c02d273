import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Failed authentications, counted per client address AND per account, whatever the way in (the back office's
 * ProConnect sign-in, the API's bearer token, and any way in added later: each creates its own limiter with a
 * `scope`). Past either limit, further attempts are refused before their credentials are even examined, until the
 * window of the oldest counted failure is over (`Retry-After`). Only failures count, so that a legitimate
 * operator's browsing is never limited; a success does not reset the counts (an attacker holding one valid
 * account cannot buy fresh guesses with it).
 *
 * The counts live in the process: behind several instances an attacker gets at most one budget per instance,
 * which still caps guessing at a few attempts per window instead of thousands.
 */
export interface FailedAuthLimits {
  /** Failures allowed per client address within the window. */
  perAddress: number;
  /** Failures allowed per account (user name, token, …) within the window, whatever the addresses. */
  perAccount: number;
  windowSeconds: number;
}

export interface AuthAttempt {
  /** The client address (request.ip, which honours TRUST_PROXY). */
  address: string;
  /** The account tried: a user name, or a fixed name for a shared secret such as the API token; null when unknown. */
  account: string | null;
}

export interface FailedAuthLimiter {
  readonly scope: string;
  /** Seconds before this attempt may be examined, 0 when it may be now. */
  retryAfter(attempt: AuthAttempt): number;
  /** Counts a failure; returns the seconds to wait before the next attempt (0 while under both limits). */
  recordFailure(attempt: AuthAttempt): number;
}

interface Window {
  count: number;
  /** When the window that began with the first failure ends (ms). */
  endsAt: number;
}

/** Above this many keys the expired ones are dropped, then the oldest: an attacker rotating addresses cannot exhaust memory. */
const MAX_KEYS = 10_000;

export function createFailedAuthLimiter(scope: string, limits: FailedAuthLimits, now: () => number = Date.now): FailedAuthLimiter {
  const windows = new Map<string, Window>();
  const keysOf = (attempt: AuthAttempt): { key: string; max: number }[] => [
    { key: `a:${attempt.address}`, max: limits.perAddress },
    ...(attempt.account === null ? [] : [{ key: `u:${attempt.account}`, max: limits.perAccount }]),
  ];
  const live = (key: string): Window | null => {
    const window = windows.get(key);
    if (!window) return null;
    if (window.endsAt <= now()) {
      windows.delete(key);
      return null;
    }
    return window;
  };
  const prune = () => {
    if (windows.size < MAX_KEYS) return;
    const t = now();
    for (const [key, window] of windows) if (window.endsAt <= t) windows.delete(key);
    // Still full: the oldest entries go first (a Map keeps insertion order).
    for (const key of windows.keys()) {
      if (windows.size < MAX_KEYS) break;
      windows.delete(key);
    }
  };
  const retryAfter = (attempt: AuthAttempt): number => {
    let wait = 0;
    for (const { key, max } of keysOf(attempt)) {
      const window = live(key);
      if (window && window.count >= max) wait = Math.max(wait, Math.ceil((window.endsAt - now()) / 1000));
    }
    return wait;
  };
  return {
    scope,
    retryAfter,
    recordFailure(attempt) {
      for (const { key } of keysOf(attempt)) {
        const window = live(key);
        if (window) window.count += 1;
        else {
          prune();
          windows.set(key, { count: 1, endsAt: now() + limits.windowSeconds * 1000 });
        }
      }
      return retryAfter(attempt);
    },
  };
}

/** An account name fit for a log line: a plausible user name as given, anything else (a password typed as the name…) withheld. */
export function loggableAccount(account: string | null): string | null {
  if (account === null) return null;
  return /^[A-Za-z0-9._@-]{1,64}$/.test(account) ? account : '(illisible)';
}

/**
 * For a Fastify route: when the attempt is over a limit, sets `Retry-After`, logs one line (scope, address,
 * account; never a password or token) and returns the seconds to wait, for the caller to answer 429 its own
 * way (a page or JSON). Returns 0 when the credentials may be examined.
 */
export function throttledFor(limiter: FailedAuthLimiter, request: FastifyRequest, reply: FastifyReply, account: string | null): number {
  const wait = limiter.retryAfter({ address: request.ip, account });
  if (wait > 0) {
    reply.header('retry-after', String(wait));
    request.log.warn({ event: 'auth.throttled', scope: limiter.scope, address: request.ip, account: loggableAccount(account), retryAfterSeconds: wait }, 'authentication refused: too many failures');
  }
  return wait;
}

/** Counts a failed attempt of a request and logs it (without the credentials). */
export function recordFailedAuth(limiter: FailedAuthLimiter, request: FastifyRequest, account: string | null): void {
  const wait = limiter.recordFailure({ address: request.ip, account });
  request.log.info({ event: 'auth.failed', scope: limiter.scope, address: request.ip, account: loggableAccount(account), locked: wait > 0 }, 'authentication failed');
}
