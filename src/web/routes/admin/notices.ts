import type { FastifyRequest } from 'fastify';

/**
 * The green banner after an operator's action. The redirect carries a code and the object acted on, never text:
 * the message is written here, and a code or object that is not one of ours shows nothing, so that a link to
 * `/admin/…?fait=<any text>` cannot put words in the back office's mouth.
 */
const SIRET = /^[0-9]{14}$/;
const REFERENCE = /^[0-9A-F]{13}$/;
const HABILITATION = /^[0-9]{1,12}$/;
const DELIVERY = /^msg_[0-9a-f]{32}$/;

const NOTICES = {
  'collectivite-activee': { object: SIRET, text: (siret: string) => `Collectivité ${siret} activée.` },
  'collectivite-desactivee': { object: SIRET, text: (siret: string) => `Collectivité ${siret} désactivée.` },
  'transmission-relancee': { object: REFERENCE, text: (reference: string) => `Transmission ${reference} relancée.` },
  'transmission-plus-en-attente': { object: REFERENCE, text: (reference: string) => `La transmission ${reference} n’est plus en attente.` },
  'raccordement-relance': { object: HABILITATION, text: (id: string) => `Raccordement ${id} relancé.` },
  'raccordement-pas-en-echec': { object: HABILITATION, text: (id: string) => `Le raccordement ${id} n’est pas en échec.` },
  'webhook-remis-en-service': { object: null, text: () => 'Webhook remis en service.' },
  'webhook-desactive': { object: null, text: () => 'Webhook désactivé.' },
  'livraison-remise-en-file': { object: DELIVERY, text: (id: string) => `Livraison ${id} remise en file.` },
  'rejeu-webhook-desactive': { object: null, text: () => 'Ce webhook est désactivé : remettez-le en service avant de rejouer.' },
} as const satisfies Record<string, { object: RegExp | null; text: (object: string) => string }>;

export type NoticeCode = keyof typeof NOTICES;

/** The query parameters of a redirect that shows a notice. */
export function noticeParams(code: NoticeCode, object?: string): Record<string, string> {
  return object === undefined ? { fait: code } : { fait: code, objet: object };
}

/** The message of the request's notice, or null when there is none or it is not one of ours. */
export function noticeOf(request: FastifyRequest): string | null {
  const { fait, objet } = (request.query ?? {}) as { fait?: unknown; objet?: unknown };
  if (typeof fait !== 'string' || !Object.hasOwn(NOTICES, fait)) return null;
  const notice: { object: RegExp | null; text: (object: string) => string } = NOTICES[fait as NoticeCode];
  if (notice.object === null) return notice.text('');
  return typeof objet === 'string' && notice.object.test(objet) ? notice.text(objet) : null;
}
