import { escapeHtml } from '../../escape-html.ts';
import type { Hub } from '../hub.ts';

/** Minimal server-side HTML: every interpolated value is escaped unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = string | number | null | undefined | Html | readonly Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

const STYLE = `
body{font-family:system-ui,Arial,sans-serif;margin:0;color:#161616;background:#f6f6f6}
header{background:#000091;color:#fff;padding:1rem 2rem}header a{color:#fff}
main{max-width:60rem;margin:0 auto;padding:1.5rem 2rem;background:#fff;min-height:80vh}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ddd;padding:.5rem;text-align:left;vertical-align:top}
.statut{display:inline-block;padding:.1rem .5rem;border-radius:.25rem;background:#e3e3fd;font-size:.9rem}
.avis{background:#e8f5e9;border-left:4px solid #18753c;padding:.75rem 1rem}
.erreur{background:#fdecea;border-left:4px solid #ce0500;padding:.75rem 1rem}
button{background:#000091;color:#fff;border:0;padding:.5rem 1rem;cursor:pointer;margin:.25rem 0}
textarea{width:100%;max-width:40rem}`;

export function page(hub: Pick<Hub, 'prefix'>, title: string, body: Html): string {
  return html`<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — Portail HubEE (bac à sable)</title><style>${new Html(STYLE)}</style></head>
<body>
<header><strong><a href="${hub.prefix}/portail">Portail HubEE${hub.prefix === '/hubee' ? '' : ` (${hub.prefix.slice(1)})`}</a></strong> — bac à sable local, aucune donnée réelle</header>
<main>${body}</main>
</body></html>`.value;
}

const dateFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });

export function frenchDate(iso: string | null): string {
  return iso ? dateFormat.format(new Date(iso)) : '—';
}
