/**
 * API Particulier's v3 quotient familial `data`, as both routes return it (`contracts/api-particulier-qf.md` §2).
 * Keys masked by the token's scopes may be absent.
 */
export type Fournisseur = 'CNAF' | 'MSA';
export type Sexe = 'F' | 'M';

export interface Personne {
  nom_naissance: string;
  nom_usage: string | null;
  prenoms: string;
  /** YYYY-MM-DD */
  date_naissance: string;
  sexe: Sexe;
}

export interface Adresse {
  destinataire: string;
  complement_information: string | null;
  complement_information_geographique: string | null;
  numero_libelle_voie: string | null;
  lieu_dit: string | null;
  code_postal_ville: string;
  pays: string;
}

export interface QuotientFamilialValue {
  fournisseur: Fournisseur;
  valeur: number;
  annee: number;
  mois: number;
  annee_calcul: number;
  mois_calcul: number;
}

export interface QuotientFamilialData {
  allocataires?: Personne[];
  enfants?: Personne[];
  adresse?: Adresse;
  quotient_familial?: QuotientFamilialValue;
}

/** Why no QF could be shown, as the citizen is told (each has its own explanation). */
export type QfProblem =
  | 'not_found'
  | 'dossier_absent_cnaf'
  | 'dossier_absent_msa'
  | 'not_found_other'
  | 'provider_unavailable'
  | 'rate_limited'
  | 'timeout'
  | 'unexpected';
