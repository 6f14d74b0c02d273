import type { FastifyInstance, FastifyReply } from 'fastify';
import { AccessibilitePage } from '../views/pages/static/AccessibilitePage.tsx';
import { CguAdministrationsPage } from '../views/pages/static/CguAdministrationsPage.tsx';
import { CguUsagersPage } from '../views/pages/static/CguUsagersPage.tsx';
import { DonneesPersonnellesPage } from '../views/pages/static/DonneesPersonnellesPage.tsx';
import { FaqPage } from '../views/pages/static/FaqPage.tsx';
import { HomePage } from '../views/pages/static/HomePage.tsx';
import { MentionsLegalesPage } from '../views/pages/static/MentionsLegalesPage.tsx';
import { PlanDuSitePage } from '../views/pages/static/PlanDuSitePage.tsx';
import { SansFranceConnectPage } from '../views/pages/static/SansFranceConnectPage.tsx';
import { renderPage, type Renderable } from '../views/render.ts';
import { DEFAULT_SITE_INFO, type SiteInfo } from '../views/site.ts';

export interface StaticPagesOptions {
  /** Operator facts (hosting, contact and DPO e-mails…) overriding the placeholders of views/site.ts. */
  site?: Partial<SiteInfo>;
}

/** The informational pages, identical for everyone: rendered once, at registration. */
export function staticPagesHtml(site: SiteInfo = DEFAULT_SITE_INFO): Record<string, string> {
  const pages: Record<string, Renderable> = {
    '/': HomePage(),
    '/sans-franceconnect': SansFranceConnectPage(),
    '/faq': FaqPage(),
    '/cgu-usagers': CguUsagersPage({ site }),
    '/cgu-administrations': CguAdministrationsPage({ site }),
    '/accessibilite': AccessibilitePage({ site }),
    '/donnees-personnelles': DonneesPersonnellesPage({ site }),
    '/mentions-legales': MentionsLegalesPage({ site }),
    '/plan-du-site': PlanDuSitePage(),
  };
  return Object.fromEntries(Object.entries(pages).map(([path, page]) => [path, renderPage(page)]));
}

export const STATIC_PAGE_PATHS = [
  '/',
  '/sans-franceconnect',
  '/faq',
  '/cgu-usagers',
  '/cgu-administrations',
  '/accessibilite',
  '/donnees-personnelles',
  '/mentions-legales',
  '/plan-du-site',
] as const;

function sendHtml(reply: FastifyReply, html: string) {
  return reply
    .type('text/html; charset=utf-8')
    .header('cache-control', 'public, max-age=300')
    .send(html);
}

/**
 * GET routes of the informational pages. They carry no session data (the header shows no "Se déconnecter"), so
 * they can be cached briefly by the browser.
 */
export async function staticPagesRoutes(app: FastifyInstance, options: StaticPagesOptions = {}): Promise<void> {
  const site: SiteInfo = {
    ...DEFAULT_SITE_INFO,
    ...options.site,
    editor: { ...DEFAULT_SITE_INFO.editor, ...options.site?.editor },
    host: { ...DEFAULT_SITE_INFO.host, ...options.site?.host },
  };
  const html = staticPagesHtml(site);
  for (const path of STATIC_PAGE_PATHS) {
    const page = html[path];
    if (page === undefined) throw new Error(`static page ${path} was not rendered`);
    app.get(path, async (_request, reply) => sendHtml(reply, page));
  }
}

export default staticPagesRoutes;
