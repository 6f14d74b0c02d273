import { franceConnectOutcome } from '../persona-outcomes.ts';
import { displayName, type Persona } from './personas.ts';

/** The few pages a person sees on the stand-in, in French like FranceConnect's. Every value is escaped. */

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – FranceConnect (bac à sable)</title>
<style>
body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#161616}
ul{list-style:none;padding:0}li{margin:.5rem 0}
button{font:inherit;padding:.5rem 1rem;cursor:pointer;border:1px solid #000091;background:#000091;color:#fff}
button.secondaire{background:#fff;color:#000091}
.aide{color:#666;font-size:.9rem}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export function loginPage(actions: { login: string; abort: string }, personas: readonly Persona[]): string {
  const items = personas
    .map(
      (p) =>
        `<li><button type="submit" name="login" value="${escapeHtml(p.login)}">${escapeHtml(displayName(p))}</button>` +
        ` <span class="aide">identifiant « ${escapeHtml(p.login)} » — API Particulier : ${escapeHtml(franceConnectOutcome(p.claims))}</span></li>`,
    )
    .join('\n');
  return layout(
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
  const codeLine = code === null ? '' : `\n<p>Code d'erreur : <strong>${escapeHtml(code)}</strong></p>`;
  return layout('Erreur', `<h1>Une erreur est survenue</h1>\n<p>${escapeHtml(message)}</p>${codeLine}`);
}

export const TECHNICAL_ERROR_MESSAGE =
  "Une erreur technique est survenue, fermez l'onglet de votre navigateur et reconnectez-vous.";

/**
 * FC confirms the logout on the user's behalf (contract §5): the form submits itself, and a person without
 * JavaScript gets a button to do it.
 */
export function logoutPage(form: string): string {
  return layout(
    'Déconnexion',
    `<h1>Déconnexion en cours…</h1>
${form}
<input type="hidden" form="op.logoutForm" name="logout" value="yes">
<noscript><p><button type="submit" form="op.logoutForm">Continuer la déconnexion</button></p></noscript>
<script>document.getElementById('op.logoutForm').submit()</script>`,
  );
}

export function logoutSuccessPage(): string {
  return layout('Déconnexion', '<h1>Vous êtes déconnecté(e) de FranceConnect.</h1>');
}
