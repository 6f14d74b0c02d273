import type { FastifyInstance } from 'fastify';
import { formulaireQfSchema } from '../../editeur/formulaire-qf-schema.ts';

/** The JSON Schema of FormulaireQF.json, for éditeurs (the same file as docs/schemas/). */
export async function schemaRoutes(app: FastifyInstance): Promise<void> {
  const body = JSON.stringify(formulaireQfSchema, null, 2);
  app.get('/schemas/formulaire-qf.json', async (_request, reply) =>
    reply
      .type('application/schema+json; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .header('access-control-allow-origin', '*')
      .send(body),
  );
}
