import { loadConfig, type Config } from '../../src/config/config.ts';

/**
 * A configuration for tests: the app's clients pointed at a sandbox on `sandboxPort`; the database of a test
 * file comes from test/support/database.ts.
 */
export function testConfig(sandboxPort: number, overrides: Record<string, string> = {}): Config {
  const sandbox = `http://127.0.0.1:${sandboxPort}`;
  return loadConfig({
    APP_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: ':memory:',
    SANDBOX_URL: sandbox,
    SANDBOX_PORT: String(sandboxPort),
    FRANCECONNECT_ISSUER: `${sandbox}/franceconnect/api/v2`,
    API_PARTICULIER_URL: `${sandbox}/api-particulier`,
    HUBEE_API_URL: `${sandbox}/hubee`,
    HUBEE_TOKEN_URL: `${sandbox}/hubee/oauth2/token`,
    INSEE_API_URL: `${sandbox}/insee`,
    ...overrides,
  });
}
