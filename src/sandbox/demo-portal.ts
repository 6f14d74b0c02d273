import type { FastifyInstance } from 'fastify';
import { seedCollectivities } from './fixtures.ts';
import { escapeHtml } from './escape-html.ts';
import type { StandInContext } from './stand-in.ts';

/**
 * A commune's own web portal, as a family would see it: a link to Formulaire QF carrying the commune's file number
 * (`external_id`) and where to come back (`redirect_uri`), and the page the family comes back to.
 */
export async function demoPortal(app: FastifyInstance, context: StandInContext): Promise<void> {
  const byS = new Map(seedCollectivities.map((c) => [c.siret, c]));
  app.get<{ Params: { siret: string }; Querystring: { dossier?: string } }>('/portail-commune/:siret/', async (request, reply) => {
    const commune = byS.get(request.params.siret);
    if (!commune) return reply.code(404).type('text/plain; charset=utf-8').send('Commune inconnue');
    const dossier = (request.query.dossier ?? 'dossier-4242').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64) || 'dossier-4242';
    const back = `${context.publicUrl}/portail-commune/${commune.siret}/retour`;
    const link = new URL(`${context.config.http.publicUrl}/collectivites/${commune.siret}`);
    link.searchParams.set('external_id', dossier);
    link.searchParams.set('redirect_uri', back);
    reply.type('text/html; charset=utf-8');
    return page(
      `Portail famille de ${commune.name}`,
      `<p>Dossier famille n° ${dossier}</p><p><a id="formulaire-qf" href="${escapeHtml(link.toString())}">Transmettre mon quotient familial</a></p>`,
    );
  });
  app.get<{ Params: { siret: string } }>('/portail-commune/:siret/retour', async (request, reply) => {
    const commune = byS.get(request.params.siret);
    if (!commune) return reply.code(404).type('text/plain; charset=utf-8').send('Commune inconnue');
    reply.type('text/html; charset=utf-8');
    return page(`Retour sur le portail de ${commune.name}`, '<p>Merci, votre quotient familial nous a été transmis.</p>');
  });
}

/** Landmarks (a header, one main) so that the page passes axe like ours (`landmark-one-main`, `region`). */
function page(title: string, body: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><header><p>Portail de démonstration d’une commune (bac à sable)</p></header><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

