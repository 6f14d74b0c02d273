import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { acceptExternalId, acceptRedirectUri } from '../../routes/collectivities.ts';
import { sendPage } from '../../routes/send-page.ts';
import type { AgentGuard } from '../access.ts';
import { posterPdf, qrPng, qrSvg, websiteSnippet } from '../kit.ts';
import { KitPage } from '../views/KitPage.tsx';

/** The kit de diffusion: link, QR code, poster, snippet, and the link builder for portals. */
export async function kitRoutes(app: FastifyInstance, context: AppContext, guard: AgentGuard): Promise<void> {
  const directUrl = (siret: string) => `${context.config.http.publicUrl}/collectivites/${siret}`;
  const download = (name: string) => ({ 'cache-control': 'no-store', 'content-disposition': `attachment; filename="${name}"` });

  app.get<{ Querystring: { external_id?: unknown; redirect_uri?: unknown } }>('/espace/kit', async (request, reply) => {
    const agent = await guard(request, reply);
    if (!agent) return reply;
    const { collectivity } = agent;
    const rawExternalId = typeof request.query.external_id === 'string' ? request.query.external_id.slice(0, 300) : '';
    const rawRedirect = typeof request.query.redirect_uri === 'string' ? request.query.redirect_uri.slice(0, 2100) : '';
    const externalId = acceptExternalId(rawExternalId);
    const redirectUri = rawRedirect === '' ? undefined : acceptRedirectUri(context, collectivity.allowedRedirectPrefixes, rawRedirect);
    const error =
      rawRedirect !== '' && redirectUri === undefined
        ? 'Cette adresse n’est pas autorisée : elle doit être en https et commencer par une des adresses de retour des paramètres.'
        : rawExternalId.trim() !== '' && externalId === undefined
          ? 'Le numéro de dossier doit faire 255 caractères au plus, sans caractère de contrôle.'
          : null;
    const asked = rawExternalId !== '' || rawRedirect !== '';
    let link: string | null = null;
    if (asked && error === null) {
      const url = new URL(directUrl(collectivity.siret));
      if (externalId) url.searchParams.set('external_id', externalId);
      if (redirectUri) url.searchParams.set('redirect_uri', redirectUri);
      link = url.href;
    }
    return sendPage(
      reply.code(error ? 400 : 200),
      KitPage({
        frame: agent.frame,
        directUrl: directUrl(collectivity.siret),
        snippet: websiteSnippet(directUrl(collectivity.siret), collectivity.name),
        builder: { externalId: rawExternalId, redirectUri: rawRedirect, link, error },
        allowedPrefixes: collectivity.allowedRedirectPrefixes,
      }),
    );
  });

  app.get('/espace/kit/qr.png', async (request, reply) => {
    const agent = await guard(request, reply);
    if (!agent) return reply;
    return reply.type('image/png').headers(download(`qr-code-${agent.collectivity.siret}.png`)).send(await qrPng(directUrl(agent.collectivity.siret)));
  });

  app.get('/espace/kit/qr.svg', async (request, reply) => {
    const agent = await guard(request, reply);
    if (!agent) return reply;
    // Shown in the page too: inline, and downloadable through the link's `download` attribute.
    return reply
      .type('image/svg+xml; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-disposition', `inline; filename="qr-code-${agent.collectivity.siret}.svg"`)
      .send(await qrSvg(directUrl(agent.collectivity.siret)));
  });

  app.get('/espace/kit/affiche.pdf', async (request, reply) => {
    const agent = await guard(request, reply);
    if (!agent) return reply;
    const pdf = await posterPdf(directUrl(agent.collectivity.siret), agent.collectivity.name);
    return reply.type('application/pdf').headers(download(`affiche-${agent.collectivity.siret}.pdf`)).send(pdf);
  });
}
