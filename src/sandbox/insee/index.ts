import type { FastifyInstance } from 'fastify';
import { seedCollectivities, type SeedCollectivity } from '../fixtures.ts';
import type { StandIn, StandInContext } from '../stand-in.ts';

/**
 * INSEE Sirene 3.11, the one route the onboarding uses: `GET /api-sirene/3.11/siret/{siret}` with the
 * integration key header. Answers for the seeded communes, 404 otherwise, in Sirene's `header` envelope.
 */
/**
 * A fictitious commune-software éditeur (the SIRET is Luhn-valid but belongs to nobody), so that the onboarding of
 * a commune delegating HubEE to its éditeur can be tried locally.
 */
export const DEMO_EDITEUR = { siret: '99999900100012', name: 'LOGICIELS COMMUNAUX DE DEMONSTRATION', code_cog: '69123', code_postal: '69002' } as const;

export const inseeStandIn: StandIn = async (app: FastifyInstance, context: StandInContext) => {
  const bySiret = new Map(seedCollectivities.map((c) => [c.siret, etablissementOf(c)]));
  bySiret.set(DEMO_EDITEUR.siret, editeurEtablissement());
  app.get<{ Params: { siret: string } }>('/insee/api-sirene/3.11/siret/:siret', async (request, reply) => {
    if (request.headers['x-insee-api-key-integration'] !== context.config.insee.apiKey) {
      return reply.code(401).send({ header: { statut: 401, message: "Clé d'API absente ou invalide" } });
    }
    const { siret } = request.params;
    if (!/^[0-9]{14}$/.test(siret)) {
      return reply.code(400).send({ header: { statut: 400, message: `Le paramètre siret est invalide : ${siret}` } });
    }
    const etablissement = bySiret.get(siret);
    if (!etablissement) {
      return reply.code(404).send({ header: { statut: 404, message: `Aucun élément trouvé pour le siret ${siret}` } });
    }
    return { header: { statut: 200, message: 'ok' }, etablissement };
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

function editeurEtablissement() {
  return {
    siren: DEMO_EDITEUR.siret.slice(0, 9),
    nic: DEMO_EDITEUR.siret.slice(9),
    siret: DEMO_EDITEUR.siret,
    etatAdministratifEtablissement: 'A',
    uniteLegale: { denominationUniteLegale: DEMO_EDITEUR.name, categorieJuridiqueUniteLegale: '5710', etatAdministratifUniteLegale: 'A' },
    adresseEtablissement: {
      codePostalEtablissement: DEMO_EDITEUR.code_postal,
      libelleCommuneEtablissement: 'LYON',
      codeCommuneEtablissement: DEMO_EDITEUR.code_cog,
    },
    periodesEtablissement: [{ dateFin: null, etatAdministratifEtablissement: 'A', enseigne1Etablissement: null }],
  };
}
