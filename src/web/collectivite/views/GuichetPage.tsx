import type { CommuneEntry } from '../../../domain/places/communes.ts';
import { communeLabel, countryChoices } from '../../../domain/places/place-search.ts';
import { monthName, monthYear, qfAmount } from '../../../domain/qf-in-words.ts';
import { fundShort } from '../../../domain/recapitulatif/guichet-summary.ts';
import type { QuotientFamilialReading } from '../../../domain/quotient-familial.ts';
import type { IdentityFields } from '../../../usecases/identity-input.ts';
import type { LookupField } from '../../../usecases/identity-lookup.ts';
import { Alert } from '../../views/components/Alert.tsx';
import { PeopleList } from '../../views/pages/ReviewPage.tsx';
import { frenchDateTime } from '../../views/format.ts';
import { EspaceLayout, type EspaceFrame } from './EspaceLayout.tsx';

/**
 * Guichet QF (issue 13): a family without FranceConnect at the counter. The agent types the identité pivot from
 * the ID card; the page shows API Particulier's answer and offers a printable summary. Works without JavaScript:
 * places are typed by name and resolved on the server, homonyms and arrondissements offered as a choice.
 */
export const GUICHET_PATH = '/espace/guichet';
export const GUICHET_PDF_PATH = '/espace/guichet/recapitulatif.pdf';

export interface GuichetResult {
  reading: QuotientFamilialReading;
  answeredAt: Date;
  /** The sealed answer the PDF form carries back (see guichet-ticket.ts). */
  ticket: string;
}

export interface GuichetPageProps {
  frame: EspaceFrame;
  /** The commune has registered its API Particulier token. */
  hasToken: boolean;
  values: IdentityFields;
  errors?: Partial<Record<LookupField, string>>;
  /** Homonyms or arrondissements for the commune of birth. */
  communeChoices?: CommuneEntry[];
  alert?: { title: string; text: string };
  result?: GuichetResult;
}

const ERROR_ID = (field: string) => `${field}-messages`;

function Messages(props: { field: string; error: string | undefined }) {
  return (
    <div class="fr-messages-group" id={ERROR_ID(props.field)} aria-live="polite">
      {props.error ? <p class="fr-message fr-message--error">{props.error}</p> : null}
    </div>
  );
}

function Input(props: { name: keyof IdentityFields; label: string; hint?: string; values: IdentityFields; error: string | undefined; required?: boolean; list?: string; inputmode?: 'numeric'; autocomplete?: string; width?: 'small' }) {
  return (
    <div class={props.error ? 'fr-input-group fr-input-group--error' : 'fr-input-group'}>
      <label class="fr-label" for={`champ-${props.name}`}>
        {props.label}
        {props.hint ? <span class="fr-hint-text">{props.hint}</span> : null}
      </label>
      <input
        class={props.error ? 'fr-input fr-input--error' : 'fr-input'}
        id={`champ-${props.name}`}
        name={props.name}
        type="text"
        value={props.values[props.name] ?? ''}
        required={props.required}
        list={props.list}
        inputmode={props.inputmode}
        autocomplete={props.autocomplete ?? 'off'}
        spellcheck={false}
        aria-describedby={ERROR_ID(props.name)}
        aria-invalid={props.error ? 'true' : undefined}
      />
      <Messages field={props.name} error={props.error} />
    </div>
  );
}

function Radios(props: { name: keyof IdentityFields; legend: string; options: [string, string][]; values: IdentityFields; error: string | undefined; errorField: string }) {
  return (
    <fieldset class={props.error ? 'fr-fieldset fr-fieldset--error' : 'fr-fieldset'} aria-labelledby={`${props.name}-legend ${ERROR_ID(props.errorField)}`} role="group">
      <legend class="fr-fieldset__legend" id={`${props.name}-legend`}>
        {props.legend}
      </legend>
      {props.options.map(([value, label]) => (
        <div class="fr-fieldset__element fr-fieldset__element--inline">
          <div class="fr-radio-group">
            <input type="radio" id={`champ-${props.name}-${value}`} name={props.name} value={value} checked={props.values[props.name] === value} />
            <label class="fr-label" for={`champ-${props.name}-${value}`}>
              {label}
            </label>
          </div>
        </div>
      ))}
      <Messages field={props.errorField} error={props.error} />
    </fieldset>
  );
}

export function GuichetPage(props: GuichetPageProps) {
  const errors = props.errors ?? {};
  const hasErrors = Object.keys(errors).length > 0;
  const values: IdentityFields = { 'lieu-naissance': 'france', ...props.values };
  return (
    <EspaceLayout title="Guichet QF" section="guichet" frame={props.frame} isError={hasErrors || props.alert !== undefined}>
      {props.alert ? (
        <Alert type="error" live title={props.alert.title} headingLevel={2}>
          <p>{props.alert.text}</p>
        </Alert>
      ) : hasErrors ? (
        <Alert type="error" small live title="Le formulaire contient des erreurs : corrigez les champs signalés, puis relancez la recherche." />
      ) : null}
      {props.result ? <Answer result={props.result} csrfToken={props.frame.csrfToken} /> : null}
      {!props.hasToken ? (
        <Alert type="warning" title="Le jeton API Particulier de la commune n’est pas enregistré" headingLevel={2}>
          <p>
            Le guichet interroge API Particulier avec le jeton que l’habilitation DataPass de la commune a délivré.{' '}
            {props.frame.isAdministrator ? (
              <>
                Enregistrez-le dans <a href="/espace/parametres#jeton-api-particulier">Paramètres</a>.
              </>
            ) : (
              'Demandez à un administrateur de l’espace de l’enregistrer dans Paramètres.'
            )}
          </p>
        </Alert>
      ) : (
        <>
          <p>
            Pour une famille sans FranceConnect, reçue au guichet : saisissez l’identité de l’allocataire telle qu’elle figure sur sa
            pièce d’identité. Rien de ce que vous saisissez ni de la réponse n’est conservé ; chaque consultation est inscrite au
            journal de la commune (agent, date, code de réponse).
          </p>
          <form method="post" action={GUICHET_PATH} novalidate>
            <input type="hidden" name="_csrf" value={props.frame.csrfToken} />
            <fieldset class="fr-fieldset">
              <legend class="fr-fieldset__legend">Identité de l’allocataire</legend>
              <div class="fr-fieldset__element">
                <Input name="nom-naissance" label="Nom de naissance" values={values} error={errors['nom-naissance']} required />
              </div>
              <div class="fr-fieldset__element">
                <Input name="prenoms" label="Prénoms" hint="Dans l’ordre de la pièce d’identité, séparés par des espaces ; trois au plus." values={values} error={errors.prenoms} required />
              </div>
              <div class="fr-fieldset__element">
                <Input name="nom-usage" label="Nom d’usage (facultatif)" values={values} error={errors['nom-usage']} />
              </div>
              <div class="fr-fieldset__element">
                <Radios name="sexe" legend="Sexe à l’état civil" options={[['F', 'Féminin'], ['M', 'Masculin']]} values={values} error={errors.sexe} errorField="sexe" />
              </div>
            </fieldset>
            <fieldset class={errors['date-naissance'] ? 'fr-fieldset fr-fieldset--error' : 'fr-fieldset'} role="group" aria-labelledby={`date-naissance-legend ${ERROR_ID('date-naissance')}`}>
              <legend class="fr-fieldset__legend" id="date-naissance-legend">
                Date de naissance
                <span class="fr-hint-text">Le jour est facultatif. Par exemple : 27 / 6 / 1987.</span>
              </legend>
              <div class="fr-fieldset__element fr-fieldset__element--inline fr-fieldset__element--number">
                <Input name="jour-naissance" label="Jour" values={values} error={undefined} inputmode="numeric" />
              </div>
              <div class="fr-fieldset__element fr-fieldset__element--inline fr-fieldset__element--number">
                <Input name="mois-naissance" label="Mois" values={values} error={undefined} inputmode="numeric" />
              </div>
              <div class="fr-fieldset__element fr-fieldset__element--inline fr-fieldset__element--year">
                <Input name="annee-naissance" label="Année" values={values} error={undefined} inputmode="numeric" />
              </div>
              <Messages field="date-naissance" error={errors['date-naissance']} />
            </fieldset>
            <fieldset class="fr-fieldset">
              <legend class="fr-fieldset__legend">Lieu de naissance</legend>
              <div class="fr-fieldset__element">
                <Radios name="lieu-naissance" legend="Née ou né" options={[['france', 'En France'], ['etranger', 'À l’étranger']]} values={values} error={undefined} errorField="lieu-naissance" />
              </div>
              <div class="fr-fieldset__element">
                <Input
                  name="commune-naissance"
                  label="Commune de naissance (en France)"
                  hint="Son nom, avec le département s’il y a des homonymes : « Saint-Martin (04) ». À Paris, Lyon et Marseille, l’arrondissement : « Paris 7e Arrondissement »."
                  values={values}
                  error={errors['commune-naissance']}
                  list="communes-proposees"
                />
                <datalist id="communes-proposees">
                  {(props.communeChoices ?? []).map((c) => (
                    <option value={communeLabel(c)}>{`code ${c.code}`}</option>
                  ))}
                </datalist>
                {props.communeChoices && props.communeChoices.length > 0 ? (
                  <div class="fr-mt-1w">
                    <p class="fr-text--sm fr-mb-1w">Communes possibles (recopiez celle de la pièce d’identité) :</p>
                    <ul class="fr-text--sm">
                      {props.communeChoices.slice(0, 25).map((c) => (
                        <li>{`${communeLabel(c)} — code ${c.code}`}</li>
                      ))}
                    </ul>
                  </div>
                ) : null}
              </div>
              <div class="fr-fieldset__element">
                <Input name="pays-naissance" label="Pays de naissance (à l’étranger)" hint="Son nom en français, par exemple « Algérie »." values={values} error={errors['pays-naissance']} list="pays-proposes" />
                <datalist id="pays-proposes">
                  {countryChoices().map((c) => (
                    <option value={c.name}></option>
                  ))}
                </datalist>
              </div>
            </fieldset>
            <fieldset class="fr-fieldset">
              <legend class="fr-fieldset__legend">
                Période du quotient familial (facultatif)
                <span class="fr-hint-text">Par défaut, le mois en cours. API Particulier remonte jusqu’à deux ans en arrière.</span>
              </legend>
              <div class="fr-fieldset__element fr-fieldset__element--inline">
                <div class={errors.mois ? 'fr-select-group fr-select-group--error' : 'fr-select-group'}>
                  <label class="fr-label" for="champ-mois">
                    Mois
                  </label>
                  <select class="fr-select" id="champ-mois" name="mois" aria-describedby={ERROR_ID('mois')}>
                    <option value="" selected={!values.mois}>
                      Mois en cours
                    </option>
                    {Array.from({ length: 12 }, (_, i) => String(i + 1)).map((m) => (
                      <option value={m} selected={values.mois === m}>
                        {monthName(Number(m))}
                      </option>
                    ))}
                  </select>
                  <Messages field="mois" error={errors.mois} />
                </div>
              </div>
              <div class="fr-fieldset__element fr-fieldset__element--inline fr-fieldset__element--year">
                <Input name="annee" label="Année" values={values} error={errors.annee} inputmode="numeric" />
              </div>
            </fieldset>
            <button type="submit" class="fr-btn">
              Rechercher le quotient familial
            </button>
          </form>
        </>
      )}
    </EspaceLayout>
  );
}

function Answer(props: { result: GuichetResult; csrfToken: string }) {
  const { reading } = props.result;
  const qf = reading.qf;
  return (
    <section class="fr-mb-6w" aria-labelledby="reponse-titre">
      <h2 id="reponse-titre">Réponse d’API Particulier</h2>
      <p class="fr-text--sm">Reçue le {frenchDateTime(props.result.answeredAt)}. Elle n’est pas conservée : imprimez le récapitulatif pour votre dossier.</p>
      {qf ? (
        <div class="fr-callout fr-mb-3w">
          <h3 class="fr-callout__title">Quotient familial : {qfAmount(qf.valeur)}</h3>
          <p class="fr-callout__text">
            Pour {monthYear(qf.mois, qf.annee)}, calculé par la {fundShort(qf.fournisseur)} en {monthYear(qf.moisCalcul, qf.anneeCalcul)}.
          </p>
        </div>
      ) : (
        <Alert type="warning" small title="API Particulier n’a pas communiqué de valeur de quotient familial pour cette personne." />
      )}
      <PeopleList heading="Allocataires" people={reading.allocataires} emptyLabel="Aucun allocataire communiqué." />
      <PeopleList heading="Enfants" people={reading.enfants} emptyLabel="Aucun enfant rattaché au dossier." />
      <form method="post" action={GUICHET_PDF_PATH} class="fr-mt-3w">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <input type="hidden" name="reponse" value={props.result.ticket} />
        <button type="submit" class="fr-btn fr-btn--secondary">
          Télécharger le récapitulatif (PDF)
        </button>
      </form>
      <p class="fr-mt-2w">
        <a href={GUICHET_PATH}>Nouvelle recherche</a>
      </p>
    </section>
  );
}
