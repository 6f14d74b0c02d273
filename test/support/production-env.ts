/** A complete production environment (made-up secrets and the real services' URLs), for tests of production behaviour. */
export const productionEnv = {
  APP_ENV: 'production',
  APP_URL: 'https://formulaire-qf.example.gouv.fr',
  DATABASE_URL: 'postgres://fqf@db.internal:5432/fqf',
  SESSION_SECRET: 'Q7vN2kLp9xWm4rTb8cZf3hJd6sYg1aUe',
  PERSONAL_DATA_KEY: 'mK3pX9vR2tL8wQ5nB7cF4jH6dS1gZ0aY',
  DATAPASS_WEBHOOK_SECRET: 'dP4sW8kN2vQ6xR9mT3bL7cJ5hF1gZ0aY',
  API_TOKEN: 'tA9kQ2mX7vR4pL8wN3bC6jF5hS1dZ0gY',
  FRANCECONNECT_ISSUER: 'https://fcp-low.sbx.dev-franceconnect.fr/api/v2',
  FRANCECONNECT_CLIENT_SECRET: 'fC8xK2vN9mQ4rL7pW3tB6jH5dS1gZ0aYfC8xK2vN9mQ4rL7pW3tB6jH5dS1gZ0aY',
  FRANCECONNECT_REDIRECT_URI: 'https://formulaire-qf.example.gouv.fr/auth/franceconnect/callback',
  FRANCECONNECT_POST_LOGOUT_REDIRECT_URI: 'https://formulaire-qf.example.gouv.fr/auth/franceconnect/logout-callback',
  API_PARTICULIER_URL: 'https://particulier.api.gouv.fr/api',
  HUBEE_API_URL: 'https://api.hubee.numerique.gouv.fr',
  HUBEE_TOKEN_URL: 'https://auth.hubee.numerique.gouv.fr/oauth2/token',
  HUBEE_OSL_CLIENT_SECRET: 'oS3lK8vN2mQ9rL4pW7tB6jH5dX1gZ0aY',
  HUBEE_ADMIN_CLIENT_SECRET: 'aD7mK3vN9xQ2rL8pW4tB6jH5dS1gZ0eY',
  INSEE_API_URL: 'https://api.insee.fr',
  INSEE_API_KEY: 'iN5sK9vN2mQ7rL3pW8tB6jH4dX1gZ0aY',
  TRUST_PROXY: '1',
  // Password `mot-de-passe-de-test-exploitation`, at the production cost floor.
  ADMIN_USERS: 'exploitation:scrypt$32768$8$4$K4WcUkaNMDwkD-9IpBVgOA$jfTkJvYNPAkPqXjocjxSzkmmar-AfmSu0HnDaICII5M',
} as const;
