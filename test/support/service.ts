import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/config.ts';
import { createLogger } from '../../src/logging.ts';
import { qualificationStandInEnv } from '../../src/sandbox/hubee/qualification.ts';
import { startService, type RunningService } from '../../src/service.ts';
import { createPostgresDatabase } from './database.ts';
import { freePort } from './ports.ts';

export interface TestService {
  service: RunningService;
  appUrl: string;
  sandboxUrl: string;
  /** Every log line the service wrote, for tests that check no personal data leaks. */
  logs: string[];
  stop(): Promise<void>;
}

/** The app on `appPort` and the stand-ins on `sandboxPort` of 127.0.0.1, each system's client pointed at its stand-in. */
export function loopbackAddresses(appPort: number, sandboxPort: number): Record<string, string> {
  const app = `http://127.0.0.1:${appPort}`;
  const sandbox = `http://127.0.0.1:${sandboxPort}`;
  return {
    HOST: '127.0.0.1',
    PORT: String(appPort),
    APP_URL: app,
    SANDBOX_HOST: '127.0.0.1',
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_URL: sandbox,
    FRANCECONNECT_ISSUER: `${sandbox}/franceconnect/api/v2`,
    FRANCECONNECT_REDIRECT_URI: `${app}/auth/franceconnect/callback`,
    FRANCECONNECT_POST_LOGOUT_REDIRECT_URI: `${app}/auth/franceconnect/logout-callback`,
    API_PARTICULIER_URL: `${sandbox}/api-particulier`,
    HUBEE_API_URL: `${sandbox}/hubee`,
    HUBEE_TOKEN_URL: `${sandbox}/hubee/oauth2/token`,
    INSEE_API_URL: `${sandbox}/insee`,
  };
}

/**
 * The whole service as `npm start` runs it (app, stand-ins, database, queue, workers), on free loopback ports,
 * on a fresh database of the test server (test/support/database.ts). `qualification`: test dossiers go to the
 * sandbox's second HubEE, the stand-in of the qualification environment (`/hubee-qualification`).
 */
export async function startTestService(env: Record<string, string> = {}, options: { now?: () => Date; qualification?: boolean } = {}): Promise<TestService> {
  const [appPort, sandboxPort] = [await freePort(), await freePort()];
  const app = `http://127.0.0.1:${appPort}`;
  const sandbox = `http://127.0.0.1:${sandboxPort}`;
  const database = await createPostgresDatabase();
  const config = loadConfig({
    APP_ENV: 'test',
    LOG_LEVEL: 'info',
    ...loopbackAddresses(appPort, sandboxPort),
    DATA_DIR: ':memory:',
    DATABASE_URL: database.url,
    SANDBOX_ENABLED: 'true',
    SHIPMENT_RETRY_BASE_SECONDS: '1',
    SHIPMENT_SWEEP_SECONDS: '1',
    ...(options.qualification ? qualificationStandInEnv(sandbox) : {}),
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const service = await startService(config, createLogger(config, sink), options.now ? { now: options.now } : {});
  return {
    service,
    appUrl: app,
    sandboxUrl: sandbox,
    logs,
    async stop() {
      await service.stop();
      await database.drop();
    },
  };
}
