/**
 * Facts about the service shown on the pages. The operator completes the placeholders (marked "à compléter")
 * before going live; static-pages.ts accepts overrides so they can come from configuration.
 */
export interface SiteInfo {
  /** Service name shown in the header and in every <title>. */
  serviceName: string;
  baseline: string;
  /** Publisher of the service. */
  editor: { name: string; address: string; publicationDirector: string };
  /** Hosting provider: to be completed by the operator. */
  host: { name: string; address: string };
  /** Where citizens can write to the team (accessibility problems included). */
  contactEmail: string;
  /** Data protection officer (délégué à la protection des données). */
  dpoEmail: string;
  /** Date of the accessibility statement, in French. */
  accessibilityStatementDate: string;
}

export const SERVICE_NAME = 'Formulaire QF';

export const DEFAULT_SITE_INFO: SiteInfo = {
  serviceName: SERVICE_NAME,
  baseline: 'Transmettre mon quotient familial à ma commune',
  editor: {
    name: 'Direction interministérielle du numérique (DINUM)',
    address: '20 avenue de Ségur, 75007 Paris',
    publicationDirector: 'La directrice ou le directeur interministériel du numérique',
  },
  host: {
    name: 'Hébergeur à compléter par l’opérateur du service',
    address: 'Adresse de l’hébergeur à compléter',
  },
  contactEmail: 'contact@formulaire-qf.example',
  dpoEmail: 'dpd@formulaire-qf.example',
  accessibilityStatementDate: '26 novembre 2026',
};
