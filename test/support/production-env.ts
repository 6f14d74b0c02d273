/** A complete production environment (made-up secrets and the real services' URLs), for tests of production behaviour. */
export const productionEnv = {
  APP_ENV: 'production',
  APP_URL: 'https://formulaire-qf.example.gouv.fr',
  DATABASE_URL: 'postgres://fqf@db.internal:5432/fqf',
  SESSION_SECRET: 's'.repeat(40),
  PERSONAL_DATA_KEY: 'k'.repeat(40),
  DATAPASS_WEBHOOK_SECRET: 'd'.repeat(40),
  API_TOKEN: 't'.repeat(40),
  FRANCECONNECT_ISSUER: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2',
  FRANCECONNECT_CLIENT_SECRET: 'f'.repeat(64),
  FRANCECONNECT_REDIRECT_URI: 'https://formulaire-qf.example.gouv.fr/auth/franceconnect/callback',
  FRANCECONNECT_POST_LOGOUT_REDIRECT_URI: 'https://formulaire-qf.example.gouv.fr/auth/franceconnect/logout-callback',
  API_PARTICULIER_URL: 'https://particulier.api.gouv.fr/api',
  HUBEE_API_URL: 'https://api.hubee.numerique.gouv.fr',
  HUBEE_TOKEN_URL: 'https://auth.hubee.numerique.gouv.fr/oauth2/token',
  HUBEE_OSL_CLIENT_SECRET: 'o'.repeat(40),
  HUBEE_ADMIN_CLIENT_SECRET: 'a'.repeat(40),
  INSEE_API_URL: 'https://api.insee.fr',
  INSEE_API_KEY: 'i'.repeat(40),
  TRUST_PROXY: '1',
  // Password `mot-de-passe-de-test-exploitation`, at the production cost floor.
  ADMIN_USERS: 'exploitation:scrypt$32768$8$4$K4WcUkaNMDwkD-9IpBVgOA$jfTkJvYNPAkPqXjocjxSzkmmar-AfmSu0HnDaICII5M',
} as const;
