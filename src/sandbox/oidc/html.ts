import type { ServerResponse } from 'node:http';
import { escapeHtml } from '../escape-html.ts';

/** The pages a person sees on the FranceConnect and ProConnect stand-ins, in French. Every value is escaped. */

export type OpenIdService = 'FranceConnect' | 'ProConnect';

export function standInPage(service: OpenIdService, title: string, body: string): string {
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – ${service} (bac à sable)</title>
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

/** Both keep a bad request on their own side, as an error page with a code (FC contract §2.2, ProConnect §5). */
export function standInErrorPage(service: OpenIdService, error: { code: string | null; message: string; back?: string }): string {
  const codeLine = error.code === null ? '' : `\n<p>Code d’erreur : <strong>${escapeHtml(error.code)}</strong></p>`;
  const backLine = error.back ? `\n<p><a href="${escapeHtml(error.back)}">Retour au service</a></p>` : '';
  return standInPage(service, 'Erreur', `<h1>Une erreur est survenue</h1>\n<p>${escapeHtml(error.message)}</p>${codeLine}${backLine}`);
}

/**
 * Both confirm the logout on the user's behalf (FC contract §5): oidc-provider's form submits itself, and a
 * person without JavaScript gets a button to do it.
 */
export function standInLogoutPage(service: OpenIdService, form: string): string {
  return standInPage(
    service,
    'Déconnexion',
    `<h1>Déconnexion en cours…</h1>
${form}
<input type="hidden" form="op.logoutForm" name="logout" value="yes">
<noscript><p><button type="submit" form="op.logoutForm">Continuer la déconnexion</button></p></noscript>
<script>document.getElementById('op.logoutForm').submit()</script>`,
  );
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  if (res.headersSent) return;
  res.statusCode = status;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(html);
}
