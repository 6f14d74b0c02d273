/**
 * The éditeurs' and communes' library (the `formulaire-qf` command runs on it):
 *
 *   const hubee = connectHubee({ apiUrl, tokenUrl, clientId, clientSecret });     // the commune's SI credentials
 *   await pullCases({ hubee, directory: './dossiers' });                           // step 3: collect the folders
 *   await setCaseStatus(hubee, caseId, 'DONE', { message: 'Tarif appliqué.' });
 *   const rows = await identitiesFromPulledCases('./dossiers');                    // step 4: refresh the QFs
 *   await refreshQuotientsFamiliaux({ rows, token, recipient: siret, apiUrl, out: './qf-2026' });
 *   await lookupQuotientFamilial({ token, recipient: siret, apiUrl, nomNaissance, prenoms, … }); // step 5
 *   if (!verifyWebhook(headers, rawBody, 'whsec_…')) refuse();                      // our webhooks (a boolean)
 */
export { connectHubee, FORMULAIRE_QF_PROCESS, type HubeeSiClient, type HubeeSiCredentials } from './hubee.ts';
export { listPulledCases, pullCases, readPulledCase, NOTIFICATION_BATCH, PullIntegrityError, type PulledCase, type PulledFile, type PullOptions, type PullStep, type PullSummary } from './hubee-pull.ts';
export { COMMUNE_STATUSES, setCaseStatus, type CommuneStatus, type StatusOutcome } from './hubee-status.ts';
export { CSV_COLUMNS, identitiesFromCsv, identitiesFromPulledCases, type IdentityRow } from './identities.ts';
export { refreshQuotientsFamiliaux, REFRESH_COLUMNS, REFRESH_STATUS_LABELS, type RefreshStatus, type RefreshOptions, type RefreshProgress, type RefreshResult, type RefreshSummary } from './qf-refresh.ts';
export { birthplaceHint, checkLookupQuery, describeLookupError, describePacingStop, lookupQuotientFamilial, problemsOfRefusal, type LookupProblem, type LookupQuery, type PacedLookup } from './qf-lookup.ts';
export { readIdentityFields, IDENTITY_FIELD_NAMES, type IdentityFields, type IdentityReading } from '../usecases/identity-input.ts';
export { createTokenPacer, sharedPacerFor, type TokenPacer } from '../usecases/api-particulier-pacing.ts';
export { createPacer, type Pacer } from './pacer.ts';
export { checkFormulaireQfJson, formulaireQfSchema, FORMULAIRE_QF_SCHEMA_URL, type SchemaCheck } from './formulaire-qf-schema.ts';
export { checkWebhook, verifyWebhook, type WebhookSecrets, type WebhookVerification } from '../webhooks/signature.ts';
export { describeHubeeError, HubeeError } from './hubee-errors.ts';
export { UnusableDirectoryError } from './atomic-files.ts';
export type { IdentityParams, QuotientFamilialResult, ApiParticulierError } from '../integrations/api-particulier/client.ts';
