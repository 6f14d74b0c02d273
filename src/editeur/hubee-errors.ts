import { HubeeError } from '../integrations/hubee/client.ts';
import { redact } from '../integrations/hubee/errors.ts';

/**
 * A HubEE failure in the words of whoever runs `hubee pull` or `hubee status`: what HubEE said, the address that
 * was called (so that a wrong HUBEE_API_URL or environment shows at once) and what to do about it.
 */
export function describeHubeeError(error: HubeeError): string {
  const status = error.status === null ? '' : ` (HTTP ${error.status}${error.code !== null && String(error.code) !== String(error.status) ? `, code ${String(error.code)}` : ''})`;
  const said = error.hubeeMessage ? ` HubEE répond : « ${redact(error.hubeeMessage)} ».` : '';
  const lines = [`${WHAT[error.kind]}${status}.${said}`, `Adresse appelée : ${error.url ?? 'inconnue'}`, `À faire : ${TO_DO[error.kind]}`];
  if (error.requestId) lines.push(`Identifiant de la requête (à donner au support de HubEE) : ${error.requestId}`);
  return lines.join('\n');
}

const WHAT: Record<HubeeError['kind'], string> = {
  unauthorized: 'HubEE refuse les identifiants',
  forbidden: 'HubEE interdit cette opération à ces identifiants',
  not_found: 'HubEE ne trouve pas ce qui est demandé',
  conflict: 'HubEE refuse ce changement dans l’état actuel du télédossier',
  bad_request: 'HubEE refuse la demande',
  server: 'HubEE est en erreur',
  timeout: 'HubEE n’a pas répondu à temps',
  unreachable: 'HubEE est injoignable',
};

const TO_DO: Record<HubeeError['kind'], string> = {
  unauthorized:
    'vérifiez HUBEE_CLIENT_ID et HUBEE_CLIENT_SECRET (les identifiants SI de la démarche FormulaireQF de la commune, portail HubEE, « Gestion des abonnements ») et que HUBEE_TOKEN_URL est du même environnement (bac à sable, qualification ou production).',
  forbidden: 'vérifiez que l’abonnement de la commune à la démarche FormulaireQF est actif et que ce télédossier lui est adressé.',
  not_found: 'vérifiez l’identifiant du télédossier (caseId de case.json, écrit par hubee pull) et que HUBEE_API_URL est l’environnement où il a été reçu.',
  conflict: 'relisez le statut du télédossier dans le portail HubEE ; un télédossier clos ne change plus.',
  bad_request: 'corrigez la demande (statut, message) ; si elle vous semble juste, signalez-le avec l’identifiant de la requête.',
  server: 'réessayez dans quelques minutes : relancer la même commande reprend où elle en était, sans rien perdre ni doubler.',
  timeout: 'réessayez dans quelques minutes : relancer la même commande reprend où elle en était, sans rien perdre ni doubler.',
  unreachable: 'vérifiez HUBEE_API_URL et HUBEE_TOKEN_URL (en local, le bac à sable tourne-t-il ? npm run sandbox) et la connexion réseau.',
};

export { HubeeError };
