import type { FastifyInstance } from 'fastify';
import { seedCollectivities, type SeedCollectivity } from '../../../sandbox/fixtures.ts';
import type { StandIn, StandInContext } from '../../../sandbox/stand-in.ts';

/**
 * INSEE Sirene 3.11, the one route the onboarding uses: `GET /api-sirene/3.11/siret/{siret}` with the
 * integration key header. Answers for the seeded communes, 404 otherwise, in Sirene's `header` envelope.
 */
export const inseeStandIn: StandIn = async (app: FastifyInstance, context: StandInContext) => {
  const bySiret = new Map(seedCollectivities.map((c) => [c.siret, c]));
  app.get<{ Params: { siret: string } }>('/insee/api-sirene/3.11/siret/:siret', async (request, reply) => {
    if (request.headers['x-insee-api-key-integration'] !== context.config.insee.apiKey) {
      return reply.code(401).send({ header: { statut: 401, message: "Clé d'API absente ou invalide" } });
    }
    const { siret } = request.params;
    if (!/^[0-9]{14}$/.test(siret)) {
      return reply.code(400).send({ header: { statut: 400, message: `Le paramètre siret est invalide : ${siret}` } });
    }
    const commune = bySiret.get(siret);
    if (!commune) {
      return reply.code(404).send({ header: { statut: 404, message: `Aucun élément trouvé pour le siret ${siret}` } });
    }
    return { header: { statut: 200, message: 'ok' }, etablissement: etablissementOf(commune) };
  });
};

function etablissementOf(commune: SeedCollectivity) {
  return {
    siren: commune.siret.slice(0, 9),
    nic: commune.siret.slice(9),
    siret: commune.siret,
    etatAdministratifEtablissement: commune.status === 'active' ? 'A' : 'F',
    uniteLegale: {
      denominationUniteLegale: `COMMUNE DE ${commune.name.toUpperCase()}`,
      categorieJuridiqueUniteLegale: '7210',
      etatAdministratifUniteLegale: 'A',
    },
    adresseEtablissement: {
      codePostalEtablissement: commune.code_postal,
      libelleCommuneEtablissement: commune.name.toUpperCase(),
      codeCommuneEtablissement: commune.code_cog,
    },
    periodesEtablissement: [{ dateFin: null, etatAdministratifEtablissement: 'A', enseigne1Etablissement: null }],
  };
}
