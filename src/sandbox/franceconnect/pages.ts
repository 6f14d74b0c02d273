import { escapeHtml } from '../escape-html.ts';
import { standInErrorPage, standInPage } from '../oidc/html.ts';
import { franceConnectOutcome } from '../persona-outcomes.ts';
import { displayName, type Persona } from './personas.ts';

/** The FranceConnect stand-in's own pages, in French like FranceConnect's. Every value is escaped. */

export function loginPage(actions: { login: string; abort: string }, personas: readonly Persona[]): string {
  const items = personas
    .map(
      (p) =>
        `<li><button type="submit" name="login" value="${escapeHtml(p.login)}">${escapeHtml(displayName(p))}</button>` +
        ` <span class="aide">identifiant « ${escapeHtml(p.login)} » — API Particulier : ${escapeHtml(franceConnectOutcome(p.claims))}</span></li>`,
    )
    .join('\n');
  return standInPage(
    'FranceConnect',
    'Connexion',
    `<h1>Connexion avec FranceConnect</h1>
<p>Ceci est une doublure locale de FranceConnect, pour les essais. Choisissez la personne de test avec laquelle vous connecter. À côté de chacune : ce que répond ensuite API Particulier (route FranceConnect) pour elle.</p>
<form method="post" action="${escapeHtml(actions.login)}">
<ul>
${items}
</ul>
</form>
<form method="post" action="${escapeHtml(actions.abort)}">
<button type="submit" class="secondaire">Annuler</button>
</form>`,
  );
}

/** FranceConnect keeps a bad request on its own side, as an error page with a code (contract §2.2). */
export function errorPage(code: string | null, message: string): string {
  return standInErrorPage('FranceConnect', { code, message });
}

export const TECHNICAL_ERROR_MESSAGE =
  "Une erreur technique est survenue, fermez l'onglet de votre navigateur et reconnectez-vous.";
