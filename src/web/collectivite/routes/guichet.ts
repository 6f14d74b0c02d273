import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { buildGuichetSummaryPdf } from '../../../domain/recapitulatif/guichet-summary.ts';
import { readQuotientFamilial } from '../../../domain/quotient-familial.ts';
import type { ApiParticulierError } from '../../../integrations/api-particulier/client.ts';
import { sharedPacerFor } from '../../../usecases/api-particulier-pacing.ts';
import { IDENTITY_FIELD_NAMES, readIdentityFields, type IdentityFields } from '../../../usecases/identity-input.ts';
import { describeLookupError, describePacingStop, isUnidentifiedPerson, lookupPaced, problemsOfRefusal, type LookupField, type LookupProblem } from '../../../usecases/identity-lookup.ts';
import { journalTokenUse, resultCodeOf } from '../../../usecases/journal-token-use.ts';
import { sendPage } from '../../routes/send-page.ts';
import type { Agent, AgentGuard } from '../access.ts';
import { openGuichetAnswer, sealGuichetAnswer } from '../guichet-ticket.ts';
import { GUICHET_PATH, GUICHET_PDF_PATH, GuichetPage, type GuichetPageProps } from '../views/GuichetPage.tsx';

type Body = Record<string, unknown> | undefined;

/** A page waits this long at most for API Particulier's Retry-After before telling the agent when to come back. */
const MAX_WAIT_MS = 5_000;
/** Per agent's address: a counter serves one family at a time; this only stops a runaway script. */
const LIMITS = { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } };

const TITLES: Record<ApiParticulierError['kind'], string> = {
  not_found: 'Personne inconnue de la CAF et de la MSA',
  invalid_request: 'API Particulier refuse la demande',
  unauthorized: 'Le jeton API Particulier de la commune est refusé',
  forbidden: 'Le jeton de la commune n’a pas accès au quotient familial',
  rate_limited: 'Trop de demandes à API Particulier',
  provider_unavailable: 'La CAF ou la MSA ne répond pas',
  provider_timeout: 'La CAF ou la MSA ne répond pas',
  timeout: 'API Particulier ne répond pas',
  unreachable: 'API Particulier ne répond pas',
  unexpected: 'Réponse inattendue d’API Particulier',
};

/** Guichet QF (issue 13, part 2): any agent of the commune; the commune is the session's, the token the commune's. */
export async function guichetRoutes(app: FastifyInstance, context: AppContext, guard: AgentGuard): Promise<void> {
  const { apiParticulierTokens: tokens, journal } = context.espace;

  const page = async (agent: Agent, props: Omit<GuichetPageProps, 'frame' | 'hasToken'>) =>
    GuichetPage({ frame: agent.frame, hasToken: (await tokens.describe(agent.collectivity.siret)) !== null, ...props });

  app.get(GUICHET_PATH, LIMITS, async (request, reply) => {
    const agent = await guard(request, reply);
    if (!agent) return reply;
    return sendPage(reply, await page(agent, { values: {} }));
  });

  app.post<{ Body: Body }>(GUICHET_PATH, { preHandler: app.csrfProtection, ...LIMITS }, async (request, reply) => {
    const agent = await guard(request, reply);
    if (!agent) return reply;
    const siret = agent.collectivity.siret;
    const values = fieldsOf(request.body);
    const token = await tokens.reveal(siret);
    if (token === null) {
      const unreadable = { title: 'Le jeton API Particulier de la commune ne peut pas être lu', text: 'Il a été enregistré avant un changement de clé de chiffrement du service. Un administrateur de l’espace doit l’enregistrer de nouveau dans Paramètres.' };
      return sendPage(reply.code(409), await page(agent, { values, ...((await tokens.describe(siret)) ? { alert: unreadable } : {}) }));
    }

    const reading = readIdentityFields(values, { requireBirthYearAndMonth: true });
    if (!reading.ok) return sendPage(reply.code(400), await page(agent, { values, errors: errorsByField(reading.problems), communeChoices: reading.communeChoices }));

    const outcome = await lookupPaced(
      {
        client: context.apiParticulier,
        pacer: sharedPacerFor(token),
        maxWaitMs: MAX_WAIT_MS,
        onCall: (result) => journalTokenUse(journal, { siret, actor: { kind: 'agent', email: agent.session.user.email }, kind: 'guichet', resultCode: resultCodeOf(result) }),
      },
      { ...reading.identity, token, recipient: siret },
    );
    if (outcome.kind !== 'answer') {
      const retryAfter = Math.max(1, Math.ceil(((outcome.kind === 'stopped' ? outcome.resumeAt : outcome.retryAt).getTime() - Date.now()) / 1000));
      const title = outcome.kind === 'stopped' ? 'Recherches arrêtées : trop de demandes à API Particulier' : 'API Particulier demande d’attendre';
      return sendPage(reply.code(503).header('retry-after', String(retryAfter)), await page(agent, { values, alert: { title, text: describePacingStop(outcome) } }));
    }
    const { result } = outcome;
    if (!result.ok) {
      const error = result.error;
      const status = isUnidentifiedPerson(error) ? 404 : error.kind === 'invalid_request' ? 422 : 502;
      const title = isUnidentifiedPerson(error) ? TITLES.not_found : TITLES[error.kind];
      return sendPage(reply.code(status), await page(agent, { values, alert: { title, text: describeLookupError(error) }, errors: errorsByField(problemsOfRefusal(error)) }));
    }
    const answeredAt = new Date();
    const ticket = sealGuichetAnswer(context.cipher, { siret, agentId: agent.agentId }, { data: result.data, answeredAt, requestId: result.requestId });
    return sendPage(reply, await page(agent, { values, result: { reading: readQuotientFamilial(result.data), answeredAt, ticket } }));
  });

  app.post<{ Body: Body }>(GUICHET_PDF_PATH, { preHandler: app.csrfProtection, ...LIMITS }, async (request, reply) => {
    const agent = await guard(request, reply);
    if (!agent) return reply;
    const raw = request.body?.reponse;
    const answer = typeof raw === 'string' ? openGuichetAnswer(context.cipher, { siret: agent.collectivity.siret, agentId: agent.agentId }, raw) : null;
    if (!answer) {
      return sendPage(
        reply.code(410),
        await page(agent, { values: {}, alert: { title: 'Ce récapitulatif n’est plus disponible', text: 'La réponse n’est gardée que dans la page, un quart d’heure au plus. Refaites la recherche pour obtenir un nouveau récapitulatif.' } }),
      );
    }
    const pdf = await buildGuichetSummaryPdf({
      collectivityName: agent.collectivity.name,
      agentName: agent.frame.agentName,
      answeredAt: answer.answeredAt,
      requestId: answer.requestId,
      reading: readQuotientFamilial(answer.data),
    });
    const day = answer.answeredAt.toISOString().slice(0, 10);
    return reply
      .type('application/pdf')
      .headers({ 'cache-control': 'no-store', 'content-disposition': `attachment; filename="quotient-familial-${day}.pdf"` })
      .send(pdf);
  });
}

/** The form's fields, as text, each cut short: anything else in the body is ignored. */
function fieldsOf(body: Body): IdentityFields {
  const fields: IdentityFields = {};
  for (const name of IDENTITY_FIELD_NAMES) {
    const value = body?.[name];
    if (typeof value === 'string') fields[name] = value.slice(0, 200);
  }
  return fields;
}

function errorsByField(problems: LookupProblem[]): Partial<Record<LookupField, string>> {
  const errors: Partial<Record<LookupField, string>> = {};
  for (const p of problems) errors[p.field] ??= p.message;
  return errors;
}
