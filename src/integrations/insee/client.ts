import { z } from 'zod';
import type { Config } from '../../config/config.ts';
import { httpRequest, TransportError } from '../http.ts';

/** What the onboarding needs to know of an establishment. */
export interface SireneEstablishment {
  siret: string;
  name: string;
  codeCog: string;
  codePostal: string;
  departement: string;
  active: boolean;
}

export type SireneLookup =
  | { ok: true; establishment: SireneEstablishment }
  | { ok: false; error: { kind: 'not_found' | 'unauthorized' | 'invalid' | 'unavailable' | 'unexpected'; status: number | null; message: string } };

const responseSchema = z.object({
  etablissement: z.object({
    siret: z.string(),
    etatAdministratifEtablissement: z.string().optional(),
    uniteLegale: z.object({ denominationUniteLegale: z.string().nullable() }),
    adresseEtablissement: z.object({
      codePostalEtablissement: z.string().nullable(),
      libelleCommuneEtablissement: z.string().nullable(),
      codeCommuneEtablissement: z.string().nullable(),
    }),
  }),
});

const headerSchema = z.object({ header: z.object({ message: z.string() }) });

export function createInseeClient(settings: Config['insee'], options: { timeoutMs?: number } = {}) {
  return {
    async lookupSiret(siret: string): Promise<SireneLookup> {
      let response;
      try {
        response = await httpRequest({
          system: 'INSEE Sirene',
          url: `${settings.apiUrl}/api-sirene/3.11/siret/${encodeURIComponent(siret)}`,
          headers: { 'X-INSEE-Api-Key-Integration': settings.apiKey, Accept: 'application/json' },
          timeoutMs: options.timeoutMs ?? 5000,
        });
      } catch (error) {
        if (error instanceof TransportError) return { ok: false, error: { kind: 'unavailable', status: null, message: error.message } };
        throw error;
      }
      const message = headerSchema.safeParse(response.json()).data?.header.message ?? `HTTP ${response.status}`;
      if (response.status === 200) {
        const parsed = responseSchema.safeParse(response.json());
        if (!parsed.success) return { ok: false, error: { kind: 'unexpected', status: 200, message: 'malformed Sirene answer' } };
        const e = parsed.data.etablissement;
        const codeCog = e.adresseEtablissement.codeCommuneEtablissement ?? '';
        return {
          ok: true,
          establishment: {
            siret: e.siret,
            name: e.uniteLegale.denominationUniteLegale ?? e.adresseEtablissement.libelleCommuneEtablissement ?? '',
            codeCog,
            codePostal: e.adresseEtablissement.codePostalEtablissement ?? '',
            departement: departementOf(codeCog),
            active: e.etatAdministratifEtablissement !== 'F',
          },
        };
      }
      const kind = response.status === 404 ? 'not_found' : response.status === 401 || response.status === 403 ? 'unauthorized' : response.status === 400 ? 'invalid' : response.status >= 500 ? 'unavailable' : 'unexpected';
      return { ok: false, error: { kind, status: response.status, message } };
    },
  };
}

export type InseeClient = ReturnType<typeof createInseeClient>;

/** Overseas communes (97x, 98x) carry a three-character département code. */
export function departementOf(codeCog: string): string {
  return codeCog.startsWith('97') || codeCog.startsWith('98') ? codeCog.slice(0, 3) : codeCog.slice(0, 2);
}
