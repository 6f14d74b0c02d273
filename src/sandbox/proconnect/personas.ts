/**
 * The people the ProConnect stand-in can log in, as its test identity provider would return them (contract §2
 * "Scopes → claims", §7). `sub` is fixed per person, as ProConnect's UUID per (FI, FI sub) is the same for every
 * service provider. `roles` and `organization_label` come from the SIRET, as ProConnect derives them (§2).
 */
export interface ProConnectPersona {
  /** The e-mail typed on the stand-in's e-mail page (and the `login_hint` that skips it). */
  email: string;
  sub: string;
  given_name: string;
  usual_name: string;
  uid: string;
  siret: string;
  phone_number?: string;
  /** Why a tester picks this one. */
  note: string;
}

export interface Organization {
  label: string;
  roles: string[];
}

/** What ProConnect knows of the SIRETs our personas work for (its cached Sirene data). */
export const ORGANIZATIONS: Readonly<Record<string, Organization>> = {
  '21040107100019': { label: 'Commune de Majastres', roles: ['agent_public', 'agent_public_territorial'] },
  '21010034300016': { label: 'Commune de Belley', roles: ['agent_public', 'agent_public_territorial'] },
  '21670482500019': { label: 'Commune de Strasbourg', roles: ['agent_public', 'agent_public_territorial'] },
  '13002526500013': { label: 'Direction interministérielle du numérique (DINUM)', roles: ['agent_public', 'agent_public_etat'] },
  '41816609600069': { label: 'OCTO Technology', roles: [] },
  '52345678000015': { label: 'Logiciels Territoires', roles: [] },
  '80123456700015': { label: 'Boulangerie Exemple', roles: [] },
};

export const PROCONNECT_PERSONAS: readonly ProConnectPersona[] = [
  {
    email: 'secretariat@majastres.fr', sub: '6f1b4c2e-2d9a-4c1e-9a51-0a7c3f0e2b11', given_name: 'Camille', usual_name: 'MARTIN',
    uid: 'majastres-1', siret: '21040107100019', note: 'administratrice de l’espace de Majastres',
  },
  {
    email: 'accueil@majastres.fr', sub: '0c5d8e3a-7b41-4f2a-8d6e-5b9f1c2a3d44', given_name: 'Lucas', usual_name: 'ROUX',
    uid: 'majastres-2', siret: '21040107100019', note: 'agent de Majastres qui n’est pas (encore) sur la liste',
  },
  {
    email: 'enfance@belley.fr', sub: '9a2e7f1c-3b5d-4e8a-b6c1-2d4f6a8c0e22', given_name: 'Inès', usual_name: 'BERNARD',
    uid: 'belley-1', siret: '21010034300016', note: 'administratrice de l’espace de Belley',
  },
  {
    email: 'periscolaire@strasbourg.eu', sub: '3e8c1a5f-9d2b-4a7e-8c3f-1b5d7e9a2c33', given_name: 'Hugo', usual_name: 'KLEIN',
    uid: 'strasbourg-1', siret: '21670482500019', note: 'agent d’une commune qui n’utilise plus le service',
  },
  {
    email: 'agent@numerique.gouv.fr', sub: '7d4a2c6e-1f3b-4d9a-a5e7-3c1b9d2f4e55', given_name: 'Nora', usual_name: 'PETIT',
    uid: 'dinum-1', siret: '13002526500013', note: 'agent public dont l’organisation n’est pas une collectivité du service',
  },
  {
    email: 'dev@octo.com', sub: '2b9f4d1a-6c3e-4b8d-9f2a-4e6c8a1b3d66', given_name: 'Théo', usual_name: 'GIRARD',
    uid: 'octo-1', siret: '41816609600069', note: 'administrateur de l’espace éditeur d’OCTO Technology (clients : Majastres, Belley)',
  },
  {
    email: 'stagiaire@octo.com', sub: '8e1c3a5b-7d9f-4b2e-a4c6-8f0b2d4e6a88', given_name: 'Léa', usual_name: 'FONTAINE',
    uid: 'octo-2', siret: '41816609600069', note: 'salariée d’OCTO Technology qui n’est pas membre de son espace éditeur',
  },
  {
    email: 'integration@logiciels-territoires.fr', sub: '4a6c8e0b-2d4f-4a6c-9e1b-3d5f7a9c1e99', given_name: 'Yanis', usual_name: 'MOREL',
    uid: 'lt-1', siret: '52345678000015', note: 'administrateur d’un autre éditeur, Logiciels Territoires (client : Melgven)',
  },
  {
    email: 'contact@boulangerie-exemple.fr', sub: '1d3f5b7c-9e2a-4c6e-8a0d-2f4b6d8e0a10', given_name: 'Zoé', usual_name: 'FAURE',
    uid: 'boulangerie-1', siret: '80123456700015', note: 'salariée d’une entreprise qui n’est ni une commune ni un éditeur',
  },
  {
    email: 'exploitation@formulaire-qf.beta.gouv.fr', sub: '5c7e9a1b-4d2f-4c6a-8e1b-6f3a5c7e9d77', given_name: 'Sacha', usual_name: 'LEROY',
    uid: 'operateur-1', siret: '13002526500013', note: 'opérateur du service : administrateur du back office (/admin)',
  },
  {
    email: 'suivi@formulaire-qf.beta.gouv.fr', sub: '8e2a4c6f-5b1d-4f3a-9c7e-7a4b6d8f0e88', given_name: 'Maël', usual_name: 'FOURNIER',
    uid: 'operateur-2', siret: '13002526500013', note: 'opératrice du service en lecture seule au back office (/admin)',
  },
];

export function personaByEmail(email: string): ProConnectPersona | undefined {
  const wanted = email.trim().toLowerCase();
  return PROCONNECT_PERSONAS.find((p) => p.email === wanted);
}

export function personaBySub(sub: string): ProConnectPersona | undefined {
  return PROCONNECT_PERSONAS.find((p) => p.sub === sub);
}

export function organizationOf(siret: string): Organization {
  return ORGANIZATIONS[siret] ?? { label: `Établissement ${siret}`, roles: siret.startsWith('2') || siret.startsWith('1') ? ['agent_public'] : [] };
}

/** The userinfo claims of a persona (contract §2: the ID token carries none of them). */
export function userinfoClaims(persona: ProConnectPersona): Record<string, unknown> {
  const organization = organizationOf(persona.siret);
  return {
    sub: persona.sub,
    given_name: persona.given_name,
    usual_name: persona.usual_name,
    email: persona.email,
    uid: persona.uid,
    siret: persona.siret,
    idp_id: 'fia1v2',
    organization_label: organization.label,
    roles: organization.roles,
    ...(persona.phone_number ? { phone_number: persona.phone_number } : {}),
    custom: {},
  };
}
