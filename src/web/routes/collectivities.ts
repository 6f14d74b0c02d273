import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
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
    return sendPage(reply, ChooseCollectivityPage({ query: found.query, results: found.results, total: found.total, tooShort: found.tooShort }));
  });

  app.get<{ Querystring: { q?: unknown } }>('/collectivites/recherche', async (request, reply) => {
    const found = await search(request.query.q);
    reply.header('cache-control', 'public, max-age=60');
    return { results: found.results, total: found.total };
  });

  app.get<{ Params: { siret: string }; Querystring: { external_id?: unknown; redirect_uri?: unknown } }>(
    '/collectivites/:siret',
    async (request, reply) => {
      const { siret } = request.params;
      const collectivity = /^[0-9]{14}$/.test(siret) ? await context.collectivities.findActiveBySiret(siret) : null;
      if (!collectivity) return sendPage(reply.code(404), CollectivityNotFoundPage({ siret: siret.slice(0, 40) }));

      const externalId = acceptExternalId(request.query.external_id);
      if (request.query.external_id !== undefined && externalId === undefined) {
        request.log.warn({ event: 'journey.external_id_ignored', siret }, 'external_id ignored: not a short printable string (no control, format or separator character)');
      }
      const redirectUri = acceptRedirectUri(context, collectivity.allowedRedirectPrefixes, request.query.redirect_uri);
      if (request.query.redirect_uri !== undefined && redirectUri === undefined) {
        request.log.warn({ event: 'journey.redirect_uri_refused', siret }, 'redirect_uri ignored: not allowed for this collectivity');
      }
      const shareUrl = `${context.config.http.publicUrl}/collectivites/${collectivity.siret}`;
      const qrCodeSvg = await QRCode.toString(shareUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      return sendPage(
        reply,
        CollectivityPage({
          collectivity: { siret: collectivity.siret, name: collectivity.name, codePostal: collectivity.codePostal, departement: collectivity.departement },
          shareUrl,
          qrCodeSvg,
          csrfToken: reply.generateCsrf(),
          externalId,
          redirectUri,
        }),
      );
    },
  );
}

/** A commune's own file number: printable, short; anything else is dropped rather than forwarded. */
export function acceptExternalId(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_EXTERNAL_ID_LENGTH) return undefined;
  // It reaches the commune's JSON, XML and PDF, the webhooks and the éditeurs' CSV: no control character (C0, C1),
  // no format character (bidi overrides and isolates, zero-width joiners, BOM), no line or paragraph separator,
  // nothing private-use, unassigned or half a surrogate pair.
  // On the value as sent: trim() would silently drop a BOM or a line separator at either end.
  if (/[\p{C}\p{Zl}\p{Zp}]/u.test(value)) return undefined;
  return trimmed;
}

export function acceptRedirectUri(context: Pick<AppContext, 'config'>, prefixes: readonly string[], value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return isRedirectUriAllowed(value, prefixes, { allowHttpLocalhost: context.config.env !== 'production' }) ? value : undefined;
}
