import { escapeHtml } from '../franceconnect/pages.ts';
import type { ProConnectPersona } from './personas.ts';

/** The pages a person sees on the ProConnect stand-in, in French like ProConnect's. Every value is escaped. */

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – ProConnect (bac à sable)</title>
<style>
body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#161616}
ul{list-style:none;padding:0}li{margin:.5rem 0}
button{font:inherit;padding:.5rem 1rem;cursor:pointer;border:1px solid #000091;background:#000091;color:#fff}
button.secondaire{background:#fff;color:#000091}
input{font:inherit;padding:.4rem;width:20rem;max-width:100%}
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

/** ProConnect's first page asks for the professional e-mail; here each test person is one button away too. */
export function emailPage(actions: { login: string; abort: string }, personas: readonly ProConnectPersona[], notice?: string): string {
  const items = personas
    .map(
      (p) =>
        `<li><button type="submit" name="login" value="${escapeHtml(p.email)}">${escapeHtml(`${p.given_name} ${p.usual_name}`)}</button>` +
        ` <span class="aide">${escapeHtml(p.email)} — ${escapeHtml(p.note)}</span></li>`,
    )
    .join('\n');
  const noticeLine = notice ? `<p role="alert"><strong>${escapeHtml(notice)}</strong></p>\n` : '';
  return layout(
    'Connexion',
    `<h1>S’identifier avec ProConnect</h1>
<p>Ceci est une doublure locale de ProConnect, pour les essais. Saisissez votre adresse e-mail professionnelle ou choisissez une personne de test.</p>
${noticeLine}<form method="post" action="${escapeHtml(actions.login)}">
<p><label for="email">Adresse e-mail professionnelle</label><br><input id="email" name="login" type="email" autocomplete="email"> <button type="submit">Continuer</button></p>
</form>
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

/** ProConnect keeps some errors on its own page, with a code (contract §5) and a link back to the service. */
export function errorPage(code: string, message: string, back?: string): string {
  const backLine = back ? `\n<p><a href="${escapeHtml(back)}">Retour au service</a></p>` : '';
  return layout('Erreur', `<h1>Une erreur est survenue</h1>\n<p>${escapeHtml(message)}</p>\n<p>Code d’erreur : <strong>${escapeHtml(code)}</strong></p>${backLine}`);
}

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
  return layout('Déconnexion', '<h1>Vous êtes bien déconnecté.</h1>');
}
