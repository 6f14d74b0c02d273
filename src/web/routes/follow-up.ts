import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.ts';
import { parseTypedShipmentReference } from '../../domain/shipment-reference.ts';
import { FollowUpLookupPage, FollowUpNotFoundPage, FollowUpPage } from '../views/pages/FollowUpPage.tsx';
import { sendPage } from './send-page.ts';

/** `/suivi/{reference}`: the status of a transmission, with dates, and nothing personal. */
export async function followUpRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  app.get<{ Querystring: { reference?: unknown } }>('/suivi', async (request, reply) => {
    const raw = typeof request.query.reference === 'string' ? request.query.reference.trim() : undefined;
    if (raw === undefined || raw === '') return sendPage(reply, FollowUpLookupPage({}));
    const parsed = parseTypedShipmentReference(raw.slice(0, 40));
    if (!parsed.ok) {
      return sendPage(reply.code(400), FollowUpLookupPage({ reference: raw.slice(0, 40), error: 'L’identifiant est composé de 13 caractères : des chiffres et des lettres de A à F (les espaces et les tirets ne comptent pas).' }));
    }
    return reply.redirect(`/suivi/${parsed.value}`, 303);
  });

  app.get<{ Params: { reference: string } }>('/suivi/:reference', async (request, reply) => {
    const typed = request.params.reference.slice(0, 40);
    const parsed = parseTypedShipmentReference(typed);
    if (!parsed.ok) return sendPage(reply.code(404), FollowUpNotFoundPage({ reference: typed }));
    // One address per démarche: a typed spelling (lower case, groups) leads to it.
    if (parsed.value !== typed) return reply.redirect(`/suivi/${parsed.value}`, 301);
    const found = await context.shipments.findWithHistory(parsed.value);
    if (!found) return sendPage(reply.code(404), FollowUpNotFoundPage({ reference: parsed.value }));
    const { shipment, history, communeMessage } = found;
    const collectivity = await context.collectivities.findBySiret(shipment.collectivitySiret);
    const familyInfo = await context.espace.familyInfoShownToFamilies.get(shipment.collectivitySiret);
    return sendPage(
      reply,
      FollowUpPage({
        reference: parsed.value,
        collectivityName: collectivity?.name ?? 'la collectivité',
        collectivityPostalCode: collectivity?.codePostal ?? null,
        status: shipment.status,
        history,
        familyInfo,
        communeMessage,
      }),
    );
  });
}
