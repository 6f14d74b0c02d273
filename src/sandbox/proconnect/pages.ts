import { escapeHtml } from '../escape-html.ts';
import { standInErrorPage, standInPage } from '../oidc/html.ts';
import type { ProConnectPersona } from './personas.ts';

/** The ProConnect stand-in's own pages, in French like ProConnect's. Every value is escaped. */

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
  return standInPage(
    'ProConnect',
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
  return standInErrorPage('ProConnect', { code, message, ...(back ? { back } : {}) });
}
