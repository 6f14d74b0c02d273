import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { toCsv } from '../../../editeur/csv.ts';
import { CSV_COLUMNS } from '../../../editeur/identities.ts';
import { batchResultCsv } from '../../../usecases/mise-a-jour/batch-result.ts';
import { BATCH_LIFETIME_MS } from '../../../usecases/mise-a-jour/mise-a-jour.ts';
import { checkUpload } from '../../../usecases/mise-a-jour/upload-check.ts';
import { sendPage } from '../../routes/send-page.ts';
import type { Agent, AgentGuard } from '../access.ts';
import { BatchPage, MiseAJourPage, type BatchView } from '../views/MiseAJourPages.tsx';

const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;
const MAX_FILES = 500;
const INVALID_SHOWN = 200;
const BATCH_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

type Params = { Params: { id: string } };

/**
 * The Mise à jour annuelle at /espace/mise-a-jour: any agent of the commune uploads, checks, confirms, follows,
 * pauses, resumes, cancels and downloads; every batch is looked up with the session's commune, so that an id of
 * another commune's batch answers 404 like an id that does not exist. Each action is journaled, without families.
 */
export async function miseAJourRoutes(app: FastifyInstance, context: AppContext, guard: AgentGuard): Promise<void> {
  const { batches, tokens } = context.miseAJour;
  const { journal } = context.espace;
  const log = (agent: Agent, detail: string) =>
    journal.record({ siret: agent.collectivity.siret, actorKind: 'agent', actor: agent.session.user.email, action: 'mise_a_jour', detail });
  const currentMonth = () => new Date().toISOString().slice(0, 7);

  const indexPage = async (agent: Agent, extra: { month?: string; errors?: { where: string; message: string }[]; deleted?: boolean } = {}) =>
    MiseAJourPage({ frame: agent.frame, token: await tokens.describe(agent.collectivity.siret), batches: await batches.list(agent.collectivity.siret), month: extra.month ?? currentMonth(), ...extra });

  const batchView = async (agent: Agent, id: string): Promise<BatchView | null> => {
    if (!BATCH_ID.test(id)) return null;
    const batch = await batches.find(agent.collectivity.siret, id);
    if (!batch) return null;
    return { batch, counts: await batches.counts(id), invalid: batch.state === 'checked' ? await batches.invalidFamilies(id, INVALID_SHOWN) : [], token: await tokens.describe(agent.collectivity.siret) };
  };

  /** The agent and their batch, or null when a page (sign-in, 404) was already sent. */
  const agentAndBatch = async (request: FastifyRequest<Params>, reply: FastifyReply) => {
    const agent = await guard(request, reply);
    if (!agent) return null;
    const view = await batchView(agent, request.params.id);
    if (!view) {
      await context.renderError(request, reply, 404, 'MISE_A_JOUR_UNKNOWN');
      return null;
    }
    return { agent, view };
  };

  app.get<{ Querystring: { supprime?: unknown } }>('/espace/mise-a-jour', async (request, reply) => {
    const agent = await guard(request, reply);
    if (!agent) return reply;
    return sendPage(reply, await indexPage(agent, { deleted: request.query.supprime === '1' }));
  });

  app.get('/espace/mise-a-jour/modele.csv', async (request, reply) => {
    const agent = await guard(request, reply);
    if (!agent) return reply;
    return reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="modele-mise-a-jour-qf.csv"')
      .send(`\uFEFF${toCsv(CSV_COLUMNS, [])}`);
  });

  // The upload alone reads multipart bodies: registered in a scope of its own, nothing else accepts files.
  await app.register(async (scope) => {
    await scope.register(fastifyMultipart, {
      attachFieldsToBody: 'keyValues',
      limits: { fileSize: MAX_UPLOAD_BYTES, files: MAX_FILES, fields: 5, parts: MAX_FILES + 5, fieldSize: 1024 },
    });
    // A body that is not well-formed multipart (cut short, no closing boundary) fails in the parser with no status of
    // its own: it is the sender's error, a 400, never a 500. Every other error goes on to the application's handler.
    scope.setErrorHandler((error: { statusCode?: number; code?: string }, request, reply) => {
      if (error.statusCode === undefined && error.code === undefined) return context.renderError(request, reply, 400, 'MULTIPART_MALFORMED');
      throw error;
    });
    scope.post<{ Body: Record<string, unknown> | undefined }>(
      '/espace/mise-a-jour',
      { preHandler: scope.csrfProtection, bodyLimit: MAX_UPLOAD_BYTES + 1024 * 1024, config: { rateLimit: { max: 20, timeWindow: '1 minute' } } },
      async (request, reply) => {
        const agent = await guard(request, reply);
        if (!agent) return reply;
        const body = request.body ?? {};
        const rawMonth = typeof body.mois === 'string' ? body.mois.trim().slice(0, 7) : '';
        const period = readMonth(rawMonth);
        const files = [body.fichiers].flat().filter((f): f is Buffer => Buffer.isBuffer(f)).map((content) => ({ content }));
        const errors: { where: string; message: string }[] = [];
        if (!period.ok) errors.push({ where: 'le mois', message: period.message });
        if (files.length === 0 || files.every((f) => f.content.length === 0)) errors.push({ where: 'le fichier', message: 'Choisissez un fichier à déposer.' });
        const check = errors.length === 0 ? checkUpload(files) : { families: [], fileErrors: [] };
        errors.push(...check.fileErrors);
        if (errors.length === 0 && !check.families.some((f) => f.identity.params)) {
          errors.push({ where: 'le fichier', message: 'Aucune famille du fichier ne peut être demandée :' });
          for (const f of check.families.slice(0, INVALID_SHOWN)) errors.push({ where: f.where, message: f.identity.messages.join(' ') });
        }
        if (errors.length > 0 || !period.ok) return sendPage(reply.code(400), await indexPage(agent, { month: rawMonth || currentMonth(), errors }));
        const id = await batches.create({
          siret: agent.collectivity.siret,
          agentId: agent.agentId,
          agentEmail: agent.session.user.email,
          annee: period.annee,
          mois: period.mois,
          families: check.families,
          expiresAt: new Date(Date.now() + BATCH_LIFETIME_MS),
        });
        await log(agent, `fichier déposé ${id} : ${check.families.length} lignes`);
        return reply.redirect(`/espace/mise-a-jour/${id}`, 303);
      },
    );
  });

  app.get<Params>('/espace/mise-a-jour/:id', async (request, reply) => {
    const found = await agentAndBatch(request, reply);
    if (!found) return reply;
    return sendPage(reply, BatchPage({ frame: found.agent.frame, ...found.view }));
  });

  // The progress bar's script asks this every few seconds: counts only, no family.
  app.get<Params>('/espace/mise-a-jour/:id/etat', async (request, reply) => {
    const found = await agentAndBatch(request, reply);
    if (!found) return reply;
    const { batch, counts } = found.view;
    return reply.header('cache-control', 'no-store').send({ state: batch.state, done: counts.done, total: counts.toSend });
  });

  const act = (path: string, run: (agent: Agent, view: BatchView, reply: FastifyReply) => Promise<string | FastifyReply>) =>
    app.post<Params>(`/espace/mise-a-jour/:id/${path}`, { preHandler: app.csrfProtection }, async (request, reply) => {
      const found = await agentAndBatch(request, reply);
      if (!found) return reply;
      const outcome = await run(found.agent, found.view, reply);
      if (typeof outcome !== 'string') return outcome;
      return reply.redirect(outcome, 303);
    });
  const refuse = async (agent: Agent, view: BatchView, reply: FastifyReply, message: string) =>
    sendPage(reply.code(409), BatchPage({ frame: agent.frame, ...(await batchView(agent, view.batch.id) ?? view), message }));

  act('confirmer', async (agent, view, reply) => {
    const { batch } = view;
    if (!(await tokens.describe(agent.collectivity.siret))) return refuse(agent, view, reply, 'Aucun jeton API Particulier n’est enregistré pour la commune : rien n’a été envoyé.');
    if (view.counts.toSend === 0) return refuse(agent, view, reply, 'Aucune famille de ce fichier ne peut être demandée.');
    if (!(await batches.transition(agent.collectivity.siret, batch.id, ['checked'], 'running'))) return refuse(agent, view, reply, 'Cette mise à jour est déjà confirmée.');
    await context.miseAJour.enqueue(batch.id);
    await log(agent, `confirmée ${batch.id}`);
    return `/espace/mise-a-jour/${batch.id}`;
  });

  act('pause', async (agent, view, reply) => {
    if (!(await batches.transition(agent.collectivity.siret, view.batch.id, ['running'], 'paused', { pauseReason: 'agent', resumeAt: null }))) return refuse(agent, view, reply, 'Cette mise à jour n’est pas en cours.');
    await log(agent, `mise en pause ${view.batch.id}`);
    return `/espace/mise-a-jour/${view.batch.id}`;
  });

  act('reprendre', async (agent, view, reply) => {
    const { batch } = view;
    if (batch.resumeAt && batch.resumeAt.getTime() > Date.now()) {
      return refuse(agent, view, reply, 'API Particulier a demandé d’attendre : la mise à jour ne peut pas encore reprendre. Réessayez à l’heure indiquée.');
    }
    if (!(await tokens.describe(agent.collectivity.siret))) return refuse(agent, view, reply, 'Aucun jeton API Particulier n’est enregistré pour la commune : la mise à jour ne peut pas reprendre.');
    if (!(await batches.transition(agent.collectivity.siret, batch.id, ['paused'], 'running'))) return refuse(agent, view, reply, 'Cette mise à jour n’est pas en pause.');
    await context.miseAJour.enqueue(batch.id);
    await log(agent, `reprise ${batch.id}`);
    return `/espace/mise-a-jour/${batch.id}`;
  });

  act('annuler', async (agent, view, reply) => {
    if (!(await batches.transition(agent.collectivity.siret, view.batch.id, ['running', 'paused'], 'cancelled'))) return refuse(agent, view, reply, 'Cette mise à jour n’est ni en cours ni en pause.');
    await log(agent, `annulée ${view.batch.id}`);
    return `/espace/mise-a-jour/${view.batch.id}`;
  });

  act('supprimer', async (agent, view, reply) => {
    const { batch } = view;
    // A checked file is abandoned at once; a result goes once downloaded (the agent confirms they have it).
    const deletable = batch.state === 'checked' || ((batch.state === 'done' || batch.state === 'cancelled') && batch.downloadedAt !== null);
    if (!deletable) return refuse(agent, view, reply, batch.state === 'running' || batch.state === 'paused' ? 'Annulez d’abord la mise à jour en cours.' : 'Téléchargez d’abord le résultat.');
    await batches.delete(agent.collectivity.siret, batch.id);
    await log(agent, `supprimée ${batch.id}`);
    return '/espace/mise-a-jour?supprime=1';
  });

  app.get<Params>('/espace/mise-a-jour/:id/resultat.csv', async (request, reply) => {
    const found = await agentAndBatch(request, reply);
    if (!found) return reply;
    const { agent, view } = found;
    const { batch } = view;
    if (batch.state !== 'done' && batch.state !== 'cancelled') return refuse(agent, view, reply, 'Le résultat sera prêt à la fin de la mise à jour.');
    const csv = await batchResultCsv(batches, batch.id, batch.state === 'cancelled');
    await batches.markDownloaded(agent.collectivity.siret, batch.id, new Date());
    await log(agent, `résultat téléchargé ${batch.id}`);
    return reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="mise-a-jour-qf-${batch.createdAt.toISOString().slice(0, 10)}.csv"`)
      .send(csv);
  });
}

type Month = { ok: true; annee: number; mois: number } | { ok: false; message: string };

function readMonth(raw: string, today: Date = new Date()): Month {
  const match = /^(\d{4})-(\d{2})$/.exec(raw);
  if (!match) return { ok: false, message: 'Indiquez le mois du QF au format AAAA-MM, par exemple 2026-01.' };
  const annee = Number(match[1]);
  const mois = Number(match[2]);
  if (mois < 1 || mois > 12) return { ok: false, message: 'Le mois du QF va de 1 à 12.' };
  if (annee > today.getFullYear() || annee < today.getFullYear() - 2) return { ok: false, message: `L’année du QF va de ${today.getFullYear() - 2} à ${today.getFullYear()}.` };
  if (annee === today.getFullYear() && mois > today.getMonth() + 1) return { ok: false, message: 'Le mois du QF ne peut pas être dans le futur.' };
  return { ok: true, annee, mois };
}
