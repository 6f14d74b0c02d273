import type { Child } from 'hono/jsx';
import { assetUrl } from './assets.ts';
import { AdminFooter, AdminHeader } from './admin/AdminFrame.tsx';
import { Footer } from './components/Footer.tsx';
import { Header, type HeaderSession } from './components/Header.tsx';
import { SkipLinks } from './components/SkipLinks.tsx';
import { prerendered } from './render.ts';
import { SERVICE_NAME } from './site.ts';

export type LayoutSession = HeaderSession;

export interface LayoutProps {
  /** The page's own name; the layout adds " - Formulaire QF" (and "Erreur - " when isError). */
  title: string;
  isError?: boolean;
  session?: LayoutSession | undefined;
  /** Our own extra scripts (progressive enhancement only), e.g. assetUrl('search.js'). */
  scripts?: string[];
  /** Extra elements of <head>, e.g. a <noscript> refresh for a page that follows a job without JavaScript. */
  head?: Child;
  /** The back office has its own header and footer: nothing in them is for families. */
  variant?: 'citizen' | 'admin';
  children?: Child;
}

/** "<Page> - Formulaire QF", prefixed "Erreur - " on a page that shows an error (RGAA 8.6). */
export function pageTitle(title: string, isError?: boolean): string {
  return `${isError ? 'Erreur - ' : ''}${title} - ${SERVICE_NAME}`;
}

// The same on every page: rendered once (see prerendered).
const HEAD_START = prerendered(
  <>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1, shrink-to-fit=no" />
    <meta name="format-detection" content="telephone=no" />
  </>,
);
const HEAD_LINKS = prerendered(
  <>
    <link rel="stylesheet" href="/dsfr/dsfr.min.css" />
    <link rel="stylesheet" href={assetUrl('app.css')} />
    <link rel="apple-touch-icon" href="/dsfr/favicon/apple-touch-icon.png" />
    <link rel="icon" href="/dsfr/favicon/favicon.svg" type="image/svg+xml" />
    <link rel="shortcut icon" href="/dsfr/favicon/favicon.ico" type="image/x-icon" />
    <link rel="manifest" href="/dsfr/favicon/manifest.webmanifest" crossorigin="use-credentials" />
  </>,
);
const SKIP_LINKS = prerendered(<SkipLinks />);
const CITIZEN_FOOTER = prerendered(<Footer />);
const ADMIN_HEADER = prerendered(<AdminHeader />);
const ADMIN_FOOTER = prerendered(<AdminFooter />);
const DSFR_SCRIPTS = prerendered(
  <>
    <script type="module" src="/dsfr/dsfr.module.min.js"></script>
    <script nomodule src="/dsfr/dsfr.nomodule.min.js"></script>
  </>,
);

export function Layout(props: LayoutProps) {
  return (
    <html lang="fr" data-fr-scheme="system">
      <head>
        {HEAD_START}
        <title>{pageTitle(props.title, props.isError)}</title>
        {HEAD_LINKS}
        {props.head}
      </head>
      <body>
        {SKIP_LINKS}
        {props.variant === 'admin' ? ADMIN_HEADER : <Header session={props.session} />}
        <main role="main" id="contenu" tabindex={-1}>
          <div class="fr-container fr-py-4w fr-py-md-6w">{props.children}</div>
        </main>
        {props.variant === 'admin' ? ADMIN_FOOTER : CITIZEN_FOOTER}
        {DSFR_SCRIPTS}
        {(props.scripts ?? []).map((src) => (
          <script type="module" src={src}></script>
        ))}
      </body>
    </html>
  );
}
