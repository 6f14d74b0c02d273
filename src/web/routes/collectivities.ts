import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { isRedirectUriAllowed, normalizeSearchText } from '../../domain/collectivity.ts';
import { ChooseCollectivityPage, MAX_RESULTS } from '../views/pages/ChooseCollectivityPage.tsx';
import { CollectivityNotFoundPage } from '../views/pages/CollectivityNotFoundPage.tsx';
import { CollectivityPage } from '../views/pages/CollectivityPage.tsx';
import { sendPage } from './send-page.ts';

const MAX_QUERY_LENGTH = 100;
const MAX_EXTERNAL_ID_LENGTH = 255;

/** Step 1 (choose the collectivity) and its own page, where the journey starts. */
export async function collectivityRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  const search = async (raw: unknown) => {
    const query = typeof raw === 'string' ? raw.slice(0, MAX_QUERY_LENGTH) : '';
    const normalized = normalizeSearchText(query);
    if (normalized.length < 2 && !/^[0-9]$/.test(normalized)) return { query, tooShort: query.trim().length > 0, results: [], total: 0 };
    const found = await context.collectivitySearch.search(query, MAX_RESULTS);
    return { query, tooShort: false, ...found };
  };

  app.get<{ Querystring: { q?: unknown } }>('/collectivites', async (request, reply) => {
    const found = await search(request.query.q);
    return sendPage(
      reply,
      ChooseCollectivityPage({ query: found.query, results: found.results, total: found.total, tooShort: found.tooShort, suggestion: 'suggestion' in found ? found.suggestion : undefined }),
    );
  });

  app.get<{ Querystring: { q?: unknown } }>('/collectivites/recherche', async (request, reply) => {
    const found = await search(request.query.q);
    reply.header('cache-control', 'public, max-age=60');
    return { results: found.results, total: found.total, ...('suggestion' in found && found.suggestion ? { suggestion: found.suggestion } : {}) };
  });

  app.get<{ Params: { siret: string }; Querystring: { external_id?: unknown; redirect_uri?: unknown } }>(
    '/collectivites/:siret',
    async (request, reply) => {
      const { siret } = request.params;
      // From memory, at most 30 s stale (AppContext.activeCollectivities says why that is acceptable here).
      const collectivity = /^[0-9]{14}$/.test(siret) ? await context.activeCollectivities.get(siret) : null;
      if (!collectivity) {
        // A commune that left the service is named: the family knows it, not its SIRET.
        const known = /^[0-9]{14}$/.test(siret) ? await context.collectivities.findBySiret(siret) : null;
        return sendPage(reply.code(404), CollectivityNotFoundPage({ siret: siret.slice(0, 40), name: known?.name }));
      }

      const externalId = acceptExternalId(request.query.external_id);
      if (request.query.external_id !== undefined && externalId === undefined) {
        request.log.warn({ event: 'journey.external_id_ignored', siret }, 'external_id ignored: not a short printable string (no control, format or separator character)');
      }
      const redirectUri = acceptRedirectUri(context, collectivity.allowedRedirectPrefixes, request.query.redirect_uri);
      if (request.query.redirect_uri !== undefined && redirectUri === undefined) {
        request.log.warn({ event: 'journey.redirect_uri_refused', siret }, 'redirect_uri ignored: not allowed for this collectivity');
      }
      const familyInfo = await context.espace.familyInfoShownToFamilies.get(collectivity.siret);
      return sendPage(
        reply,
        CollectivityPage({
          collectivity: { siret: collectivity.siret, name: collectivity.name, codePostal: collectivity.codePostal, departement: collectivity.departement },
          familyInfo,
          csrfToken: reply.generateCsrf(),
          externalId,
          redirectUri,
        }),
      );
    },
  );
}

/**
 * A commune's own file number: printable, short; anything else is dropped rather than forwarded. It is forwarded
 * exactly as the portal sent it, spaces included, as the old form did: the commune's software matches it as is.
 */
export function acceptExternalId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.length === 0 || value.length > MAX_EXTERNAL_ID_LENGTH) return undefined;
  // It reaches the commune's JSON, XML and PDF, the webhooks and the éditeurs' CSV: no control character (C0, C1),
  // no format character (bidi overrides and isolates, zero-width joiners, BOM), no line or paragraph separator,
  // nothing private-use, unassigned or half a surrogate pair. Otherwise forwarded exactly as sent, spaces included.
  if (/[\p{C}\p{Zl}\p{Zp}]/u.test(value)) return undefined;
  return value;
}

export function acceptRedirectUri(context: Pick<AppContext, 'config'>, prefixes: readonly string[], value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return isRedirectUriAllowed(value, prefixes, { allowHttpLocalhost: context.config.env !== 'production' }) ? value : undefined;
}
