import { assetUrl } from '../assets.ts';
import { Stepper } from '../components/Stepper.tsx';
import { plural } from '../format.ts';
import { Layout, type LayoutSession } from '../layout.tsx';

export interface CollectivitySummary {
  siret: string;
  name: string;
  codePostal: string;
  departement: string;
}

export interface ChooseCollectivityPageProps {
  /** What the citizen typed ("" before any search). */
  query: string;
  /** At most MAX_RESULTS are shown, whatever the lead passes. */
  results: CollectivitySummary[];
  /** How many collectivities matched in all. */
  total: number;
  /** The query was too short to search (under 2 characters, for example). */
  tooShort?: boolean;
  /** The name the search understood when the query had a typo: the results are for it. */
  suggestion?: string | undefined;
  session?: LayoutSession;
}

export const MAX_RESULTS = 20;
export const SEARCH_INPUT_ID = 'recherche-collectivite';

export function collectivityMeta(c: CollectivitySummary): string {
  // A collectivity moved over from the old form may have no postal code yet.
  return c.codePostal === '' ? `Département ${c.departement}` : `${c.codePostal} – département ${c.departement}`;
}

/** Step 1: search among the active collectivities (server-rendered GET form; /assets/search.js only enhances it). */
export function ChooseCollectivityPage(props: ChooseCollectivityPageProps) {
  const query = props.query.trim();
  const searched = query !== '' && !props.tooShort;
  const shown = props.results.slice(0, MAX_RESULTS);
  const error = props.tooShort ? 'Saisissez au moins 2 caractères : le début du nom, un code postal ou un numéro de département.' : undefined;
  return (
    <Layout title={searched ? `Recherche « ${query} » - Choisir ma collectivité` : 'Choisir ma collectivité'} isError={Boolean(error)} session={props.session} scripts={[assetUrl('search.js')]}>
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>Choisir ma collectivité</h1>
          <Stepper current={1} />
          <p>
            Cherchez la commune (ou l’intercommunalité) à laquelle vous voulez transmettre votre quotient familial. Seules
            les collectivités qui ont adhéré au service apparaissent.
          </p>
          <form method="get" action="/collectivites" class="fr-mb-4w" id="form-recherche-collectivite">
            <div class={error ? 'fr-input-group fr-input-group--error' : 'fr-input-group'}>
              <div class="fr-search-bar fr-search-bar--labelled" role="search">
                <label class="fr-label" for={SEARCH_INPUT_ID}>
                  Nom, code postal ou département
                </label>
                <input
                  class={error ? 'fr-input fr-input--error' : 'fr-input'}
                  id={SEARCH_INPUT_ID}
                  name="q"
                  type="search"
                  value={props.query}
                  autocomplete="off"
                  spellcheck={false}
                  maxlength={100}
                  aria-describedby={`${SEARCH_INPUT_ID}-messages`}
                  aria-invalid={error ? 'true' : undefined}
                  aria-controls="resultats-collectivites"
                />
                <button class="fr-btn" type="submit" title="Rechercher une collectivité">
                  Rechercher
                </button>
              </div>
              <div class="fr-messages-group" id={`${SEARCH_INPUT_ID}-messages`} aria-live="polite">
                {error ? (
                  <p class="fr-message fr-message--error" id={`${SEARCH_INPUT_ID}-message-error`}>
                    {error}
                  </p>
                ) : null}
              </div>
            </div>
          </form>

          <div id="resultats-collectivites" data-max-results={MAX_RESULTS}>
            <p id="resultats-collectivites-statut" role="status" class="fr-text--bold">
              {searched ? resultSummary(props.total, shown.length, props.suggestion) : ''}
            </p>
            {props.suggestion ? (
              <p id="resultats-collectivites-suggestion">
                Vouliez-vous dire{' '}
                <a href={`/collectivites?q=${encodeURIComponent(props.suggestion)}`}>{props.suggestion}</a> ?
              </p>
            ) : null}
            {searched && props.total === 0 ? (
              <div id="resultats-collectivites-aide">
                <p class="fr-mb-1w">Essayez :</p>
                <ul>
                  <li>seulement le début du nom, sans « Saint » ni article (par exemple « Etienne » ou « Rochelle ») ;</li>
                  <li>le code postal à 5 chiffres, ou le numéro du département (par exemple 69 ou 2A) ;</li>
                  <li>le nom de l’intercommunalité, si c’est elle qui gère la cantine ou le centre de loisirs.</li>
                </ul>
              </div>
            ) : null}
            <ul class="fqf-results" id="resultats-collectivites-liste" hidden={shown.length === 0 ? true : undefined}>
              {shown.map((c) => (
                <li>
                  <a href={`/collectivites/${encodeURIComponent(c.siret)}`}>
                    {c.name}
                    <span class="fqf-results__meta">{collectivityMeta(c)}</span>
                  </a>
                </li>
              ))}
            </ul>
          </div>

          <div class={searched && props.total === 0 ? 'fr-callout' : 'fr-callout fr-callout--blue-ecume'} id="collectivite-absente">
            <h2 class="fr-callout__title">Votre collectivité n’apparaît pas ?</h2>
            <p class="fr-callout__text">
              Elle n’a peut-être pas encore adhéré au service. Vous pouvez tout de même lui transmettre votre quotient
              familial autrement, par exemple avec une attestation de la CAF ou de la MSA.
            </p>
            <a class="fr-link" href="/sans-franceconnect">
              Voir les autres solutions
            </a>
          </div>
        </div>
      </div>
    </Layout>
  );
}

/** The sentence announced after a search (also rebuilt by /assets/search.js, keep the two in step). */
export function resultSummary(total: number, shown: number, suggestion?: string): string {
  if (total === 0) return 'Aucune collectivité ne correspond à votre recherche.';
  if (suggestion) return `Aucune collectivité ne porte exactement ce nom. Résultats pour « ${suggestion} » :`;
  const matched = `${plural(total, 'collectivité correspond', 'collectivités correspondent')} à votre recherche.`;
  if (total > shown) return `${matched} Voici les ${shown} premières : précisez votre recherche pour trouver la vôtre.`;
  return matched;
}
