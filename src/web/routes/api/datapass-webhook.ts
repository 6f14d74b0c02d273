import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.ts';
import { parseDatapassDelivery } from '../../../integrations/datapass/payload.ts';
import { isDatapassSignatureValid, SIGNATURE_HEADER } from '../../../integrations/datapass/signature.ts';
import { sendApiError } from './errors.ts';

export const DATAPASS_WEBHOOK_PATH = '/api/datapass/webhook';

/**
 * DataPass's webhook (contracts/hubee.md §6). The signature covers the exact bytes sent, so this route reads the
 * raw body itself (any content type) and parses the JSON only once the signature holds. The answer comes at
 * once: the onboarding runs in a job.
 */
export async function datapassWebhookRoutes(app: FastifyInstance, context: AppContext): Promise<void> {
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 512 * 1024 }, (_request, body, done) => done(null, body));

    scope.post(DATAPASS_WEBHOOK_PATH, async (request, reply) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      if (!isDatapassSignatureValid(raw, request.headers[SIGNATURE_HEADER], context.config.secrets.datapassWebhook)) {
        request.log.info({ event: 'datapass.unauthorized' }, 'DataPass webhook refused: bad signature');
        return sendApiError(reply, 401, 'UNAUTHORIZED', 'Signature absente ou invalide.');
      }
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        return sendApiError(reply, 400, 'INVALID_JSON', 'Le corps n’est pas du JSON valide.');
      }
      const delivery = parseDatapassDelivery(json);
      if (!delivery.ok) return sendInvalid(reply, delivery.error);
      if (delivery.value.kind === 'ping') return reply.code(200).send({ received: true });

      const outcome = await context.receiveDatapass({
        bodyDigest: createHash('sha256').update(raw).digest('hex'),
        event: delivery.value.event,
        data: delivery.value.data,
      });
      if (outcome.kind === 'invalid') return sendInvalid(reply, outcome.issues);
      return reply.code(200).send({ received: true, outcome: outcome.kind });
    });
  });
}

function sendInvalid(reply: Parameters<typeof sendApiError>[0], issues: { path: string; message: string }[]) {
  const fields = Object.fromEntries(issues.map((i) => [i.path || '(corps)', i.message]));
  return sendApiError(reply, 400, 'INVALID_PAYLOAD', 'Cet événement DataPass est incomplet ou mal formé.', fields);
}
