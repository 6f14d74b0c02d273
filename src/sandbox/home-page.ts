import { escapeHtml } from './escape-html.ts';
import { PERSONAS, displayName } from './franceconnect/personas.ts';
import { API_PARTICULIER_DATA_PROVIDER } from './franceconnect/data-provider.ts';
import { IDENTITY_PROVIDER_IDS } from './franceconnect/fc-rules.ts';
import { franceConnectOutcome } from './persona-outcomes.ts';
import { localTokenRegistry } from './api-particulier/tokens.ts';
import { STAGING_FRANCE_CONNECT_TOKENS } from './api-particulier/staging-france-connect-tokens.ts';
import { STAGING_CASES } from './api-particulier/staging-cases.ts';
import { seedCommunes, siCredentialsFor } from './hubee/seed.ts';
import { HUBEE_QUALIFICATION_PREFIX, qualificationOsl } from './hubee/qualification.ts';
import { ORGANIZATIONS, PROCONNECT_PERSONAS } from './proconnect/personas.ts';
import type { StandInContext } from './stand-in.ts';

/**
 * The sandbox's home page: every service, credential, token and persona, with what each persona triggers, so
 * that an éditeur can work from this page alone. Plain HTML in the manner of the DSFR, one main landmark, each
 * part a labelled region.
 */
export function sandboxHomePage(context: StandInContext, running: readonly string[]): string {
  const base = context.publicUrl;
  const { config } = context;
  const has = (name: string) => running.includes(name);
  const code = (value: string) => `<code>${escapeHtml(value)}</code>`;
  const row = (...cells: string[]) => `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
  const table = (caption: string, head: string[], rows: string[]) =>
    `<div class="table"><table><caption>${escapeHtml(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
  const region = (id: string, title: string, body: string) => `<section aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(title)}</h2>${body}</section>`;

  const services = [
    has('franceconnect') && row('FranceConnect v2 (eidas1)', code(`${base}/franceconnect/api/v2`), `<a href="${base}/franceconnect/api/v2/.well-known/openid-configuration">découverte</a>`),
    has('api-particulier') && row('API Particulier (quotient familial v3)', code(`${base}/api-particulier`), `${code('/v3/dss/quotient_familial/identite')}, ${code('/v3/dss/quotient_familial/france_connect')}, ${code('/introspect?token=…')}`),
    has('hubee') && row('HubEE (télédossiers, référentiel)', code(`${base}/hubee`), `jeton : ${code(`${base}/hubee/oauth2/token`)} ; <a href="${base}/hubee/portail">portail HubEE</a>`),
    has('hubee-qualification') &&
      row(
        'HubEE, environnement de qualification (dossiers de test)',
        code(`${base}${HUBEE_QUALIFICATION_PREFIX}`),
        `jeton : ${code(`${base}${HUBEE_QUALIFICATION_PREFIX}/oauth2/token`)} ; <a href="${base}${HUBEE_QUALIFICATION_PREFIX}/portail">portail</a> ; reçoit les dossiers de test quand les variables ${code('HUBEE_QUALIFICATION_*')} du service y pointent`,
      ),
    has('proconnect') && row('ProConnect (agents et professionnels)', code(`${base}/proconnect/api/v2`), `<a href="${base}/proconnect/api/v2/.well-known/openid-configuration">découverte</a>`),
    has('insee') && row('INSEE Sirene', code(`${base}/insee/api-sirene/3.11`), code('/siret/{siret}')),
    row('Portail d’une commune (démonstration)', `<a href="${base}/portail-commune/21040107100019/">Majastres</a>`, ''),
  ].filter((r): r is string => typeof r === 'string');

  const credentials = [
    row('FranceConnect : fournisseur de service', `client_id ${code(config.franceConnect.clientId)}<br>client_secret ${code(config.franceConnect.clientSecret)}`, `redirect_uri ${code(config.franceConnect.redirectUri)}, client_secret_post, ES256 ; idp_hint : ${[...IDENTITY_PROVIDER_IDS].map(code).join(', ')}`),
    row('FranceConnect : fournisseur de données (API Particulier)', `client_id ${code(API_PARTICULIER_DATA_PROVIDER.clientId)}<br>client_secret ${code(API_PARTICULIER_DATA_PROVIDER.clientSecret)}`, `POST ${code('/checktoken')}, 30 par minute et 600 par heure par IP`),
    row('HubEE : OSL (Formulaire QF)', `${code(config.hubee.osl.clientId)}<br>${code(config.hubee.osl.clientSecret)}`, `scope ${code('OSL')}`),
    ...(has('hubee-qualification') ? [row('HubEE qualification : OSL (Formulaire QF)', `${code(qualificationOsl(config).clientId)}<br>${code(qualificationOsl(config).clientSecret)}`, `scope ${code('OSL')} ; les SI des communes y sont les mêmes`)] : []),
    row('HubEE : ADMIN', `${code(config.hubee.admin.clientId)}<br>${code(config.hubee.admin.clientSecret)}`, `scope ${code('ADMIN')}`),
    ...seedCommunes().map((commune) => {
      const si = siCredentialsFor(commune.siret, commune.code_cog);
      return row(`HubEE : SI de ${escapeHtml(commune.name)} (SIRET ${commune.siret})`, `${code(si.clientId)}<br>${code(si.clientSecret)}`, `scope ${code('SI')}${commune.status === 'active' ? '' : ' (abonnement inactif)'}`);
    }),
    row('INSEE Sirene', code(config.insee.apiKey), 'en-tête X-INSEE-Api-Key-Integration'),
  ];

  const apTokens = [
    ...[...localTokenRegistry].map(([token, info]) =>
      row(code(token), escapeHtml(info.name), info.expiresAt === null ? escapeHtml(info.scopes.join(' ')) : 'expiré : 401 00103'),
    ),
    ...[...STAGING_FRANCE_CONNECT_TOKENS].map(([token, info]) =>
      row(code(token), `jeton FranceConnect factice d’API Particulier (staging) : ${escapeHtml(`${info.identity.given_name} ${info.identity.family_name}`)}`, escapeHtml(franceConnectOutcome(info.identity))),
    ),
    row('tout autre jeton', '', '401 00101'),
  ];

  const agents = PROCONNECT_PERSONAS.map((p) => row(code(p.email), escapeHtml(`${p.given_name} ${p.usual_name}`), escapeHtml(`${ORGANIZATIONS[p.siret]?.label ?? ''} (SIRET ${p.siret})`), escapeHtml(p.note)));
  const personas = PERSONAS.map((p) => row(code(p.login), escapeHtml(displayName(p)), escapeHtml(`${p.claims.birthdate}, ${p.claims.birthplace || 'né(e) à l’étranger'} (${p.claims.birthcountry})`), escapeHtml(franceConnectOutcome(p.claims))));
  const staging = STAGING_CASES.identite.map((c) =>
    row(code(c.file), escapeHtml(Object.entries(c.params).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ')), String(c.status)),
  );

  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bac à sable Formulaire QF</title>
<style>
body{font-family:Marianne,system-ui,sans-serif;margin:0;color:#161616;line-height:1.5}
header,footer{background:#f6f6f6;padding:1rem 2rem;border-bottom:1px solid #ddd}footer{border-top:1px solid #ddd;border-bottom:0}
main{padding:1rem 2rem;max-width:80rem}h1{color:#000091}h2{margin-top:2rem;border-bottom:2px solid #000091}
.table{overflow-x:auto}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}caption{text-align:left;font-weight:700;padding:.25rem 0}
th,td{border:1px solid #ddd;padding:.4rem .6rem;text-align:left;vertical-align:top}th{background:#eee}code{background:#f0f0f0;padding:0 .2rem;word-break:break-all}
a{color:#000091}.avis{background:#e8edff;padding:.75rem 1rem;border-left:4px solid #000091}
</style>
</head>
<body>
<header><p><strong>Formulaire QF</strong> — bac à sable des services partenaires</p></header>
<main>
<h1>Bac à sable Formulaire QF</h1>
<p class="avis">Doublures locales de FranceConnect, API Particulier, HubEE et INSEE, qui parlent le protocole des vrais services.
Les identités de test sont celles de l’environnement de recette (staging) d’API Particulier, plus les nôtres.
Rien ici n’est un vrai secret : ne les utilisez jamais ailleurs.</p>
${region('services', 'Services', table('Adresses des doublures', ['Service', 'Adresse', 'Routes'], services))}
${region('identifiants', 'Identifiants', table('Identifiants des clients', ['Client', 'Identifiant et secret', 'Utilisation'], credentials))}
${region('jetons', 'Jetons API Particulier', table('Jetons acceptés', ['Jeton', 'Ce que c’est', 'Droits ou réponse'], apTokens))}
${region('personnes', 'Personnes de test', `<p>Se connecter avec FranceConnect sous l’une de ces personnes ; la dernière colonne dit ce que répond alors API Particulier (route FranceConnect).
Le jeton d’accès FranceConnect vit 60 s (et ce qu’en dit ${code('/checktoken')}) ; userinfo ne répond que 30 s après la connexion (durée de l’autorisation, comme chez FranceConnect) : appelez-le aussitôt.</p>
${table('Personnes FranceConnect', ['Identifiant', 'Nom', 'Naissance', 'Réponse d’API Particulier'], personas)}
${table('Cas de test d’API Particulier (route identité)', ['Cas', 'Paramètres', 'Statut'], staging)}
${table('Personnes ProConnect (espace collectivité)', ['Adresse e-mail', 'Nom', 'Organisation', 'À quoi elle sert'], agents)}`)}
</main>
<footer><p>Remise à zéro : ${code('formulaire-qf sandbox --reset')}. Guide : docs/guide-editeurs.md.</p></footer>
</body>
</html>`;
}

