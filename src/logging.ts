import pino, { type Logger } from 'pino';
import type { Config } from './config/config.ts';

/**
 * Structured logs that never carry personal data: we log ids, statuses and durations, never bodies, and the
 * paths below are redacted as a second line of defence in case an object slips through.
 */
export const REDACTED_PATHS = [
  'identity',
  '*.identity',
  'quotientFamilial',
  '*.quotientFamilial',
  'qf',
  '*.qf',
  'claims',
  '*.claims',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'accessToken',
  '*.accessToken',
  'idToken',
  '*.idToken',
];

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[masqué]' },
      serializers: {
        // The path only: query strings carry callback codes and the commune's own file numbers.
        req: (req: { id?: string; method?: string; url?: string }) => ({ id: req.id, method: req.method, path: (req.url ?? '').split('?')[0] }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
    destination,
  );
}
