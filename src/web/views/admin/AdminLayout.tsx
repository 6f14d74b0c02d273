import type { Child } from 'hono/jsx';
import type { OperatorRole } from '../../../config/operators.ts';
import { Table as ScrollingTable } from '../../collectivite/views/Table.tsx';
import { Layout } from '../layout.tsx';

/** Who is signed in, as every back office page shows it, with the logout form's CSRF token. */
export interface OperatorFrame {
  name: string;
  email: string;
  role: OperatorRole;
  csrfToken: string;
}

export const ADMIN_SECTIONS = [
  { href: '/admin', label: 'Chiffres' },
  { href: '/admin/collectivites', label: 'Collectivités' },
  { href: '/admin/transmissions', label: 'Transmissions en attente' },
  { href: '/admin/raccordements', label: 'Raccordements DataPass' },
  { href: '/admin/webhooks', label: 'Webhooks' },
  { href: '/admin/file-de-travaux', label: 'File de travaux' },
  { href: '/admin/journal', label: 'Journal des opérateurs' },
] as const;

export type AdminSection = (typeof ADMIN_SECTIONS)[number]['href'];

/** The back office's frame: the site's layout, a side menu of its sections, one h1. */
export function AdminLayout(props: { title: string; current: AdminSection; operator: OperatorFrame; children?: Child }) {
  return (
    <Layout title={`${props.title} - Administration`} variant="admin">
      <div class="fr-grid-row fr-grid-row--gutters">
        <nav class="fr-sidemenu fr-col-12 fr-col-md-3" role="navigation" aria-labelledby="admin-menu-titre">
          <div class="fr-sidemenu__inner">
            <div class="fr-sidemenu__title" id="admin-menu-titre">
              Administration
            </div>
            <ul class="fr-sidemenu__list">
              {ADMIN_SECTIONS.map((section) => (
                <li class={`fr-sidemenu__item${section.href === props.current ? ' fr-sidemenu__item--active' : ''}`}>
                  <a class="fr-sidemenu__link" href={section.href} {...(section.href === props.current ? { 'aria-current': 'page' } : {})}>
                    {section.label}
                  </a>
                </li>
              ))}
            </ul>
            <p class="fr-text--sm fr-mt-2w fr-mb-1w">
              Connecté : {props.operator.name} ({props.operator.email}),{' '}
              {props.operator.role === 'administrateur' ? 'administrateur' : 'accès en lecture seule'}
            </p>
            <form method="post" action="/admin/deconnexion">
              <input type="hidden" name="_csrf" value={props.operator.csrfToken} />
              <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">
                Se déconnecter
              </button>
            </form>
          </div>
        </nav>
        <div class="fr-col-12 fr-col-md-9">
          <h1>{props.title}</h1>
          {props.children}
        </div>
      </div>
    </Layout>
  );
}

/** A DSFR table of rows, in the espace's focusable scrolling frame (a phone scrolls it sideways). */
/** What the operator's last change did, or why it was refused, above the page's content. */
export function ChangeOutcome(props: { notice: string | null; error: string | null }) {
  return (
    <>
      {props.notice ? <p class="fr-alert fr-alert--success fr-alert--sm fr-mb-2w">{props.notice}</p> : null}
      {props.error ? (
        <p class="fr-alert fr-alert--error fr-alert--sm fr-mb-2w" role="alert">
          {props.error}
        </p>
      ) : null}
    </>
  );
}

/** One of the back office's forms: its heading, CSRF token, fields and button. */
export function OperatorForm(props: { title: string; action: string; csrfToken: string; submit: string; children?: Child; last?: boolean }) {
  return (
    <>
      <h2>{props.title}</h2>
      <form method="post" action={props.action} class={props.last ? undefined : 'fr-mb-4w'}>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        {props.children}
        <button type="submit" class="fr-btn">
          {props.submit}
        </button>
      </form>
    </>
  );
}

export function Table(props: { caption: string; headers: readonly string[]; rows: readonly (readonly Child[])[]; empty?: string }) {
  return (
    <ScrollingTable caption={props.caption}>
      <thead>
        <tr>
          {props.headers.map((h) => (
            <th scope="col">{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.length === 0 ? (
          <tr>
            <td colspan={props.headers.length}>{props.empty ?? 'Rien à afficher.'}</td>
          </tr>
        ) : (
          props.rows.map((row) => (
            <tr>
              {row.map((cell) => (
                <td>{cell}</td>
              ))}
            </tr>
          ))
        )}
      </tbody>
    </ScrollingTable>
  );
}

const dateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });

export function formatDateTime(date: Date | null): string {
  return date === null ? '—' : dateTime.format(date);
}

/** "3 h 20 min", "2 j 4 h", "45 s". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} j ${hours % 24} h`;
}
