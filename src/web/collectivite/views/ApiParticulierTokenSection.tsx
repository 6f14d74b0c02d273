import { frenchDateTime } from '../../views/format.ts';

/**
 * The commune's API Particulier token in the settings (issue 13): never shown again once saved, only its last
 * four characters and when it was saved. Administrators replace or delete it; agents only see whether it is there.
 */
export const TOKEN_PATH = '/espace/parametres/jeton-api-particulier';
export const TOKEN_DELETE_PATH = '/espace/parametres/jeton-api-particulier/suppression';

export interface TokenSectionProps {
  saved: { lastFour: string; savedAt: Date } | null;
  isAdministrator: boolean;
  csrfToken: string;
  error?: string;
  notice?: 'enregistre' | 'supprime';
}

export function ApiParticulierTokenSection(props: TokenSectionProps) {
  return (
    <section aria-labelledby="jeton-api-particulier" class="fr-mb-6w">
      <h2 id="jeton-api-particulier">Jeton API Particulier</h2>
      <p>
        Le Guichet QF et la mise à jour annuelle interrogent API Particulier avec le jeton que l’habilitation DataPass de la commune a
        délivré (droit « quotient familial »). Il est vérifié auprès d’API Particulier à l’enregistrement, conservé chiffré et n’est
        plus jamais affiché. Chaque utilisation est inscrite au journal de la commune.
      </p>
      {props.notice === 'enregistre' ? <p class="fr-alert fr-alert--success fr-alert--sm fr-mb-2w" role="status">Le jeton est vérifié et enregistré.</p> : null}
      {props.notice === 'supprime' ? <p class="fr-alert fr-alert--success fr-alert--sm fr-mb-2w" role="status">Le jeton est supprimé.</p> : null}
      <p>
        {props.saved ? (
          <>
            Jeton enregistré : se termine par <strong>…{props.saved.lastFour}</strong>, enregistré le {frenchDateTime(props.saved.savedAt)}.
          </>
        ) : (
          'Aucun jeton enregistré : le Guichet QF ne peut pas interroger API Particulier.'
        )}
      </p>
      {props.isAdministrator ? (
        <>
          <form method="post" action={TOKEN_PATH} class="fr-mb-2w">
            <input type="hidden" name="_csrf" value={props.csrfToken} />
            <div class={props.error ? 'fr-input-group fr-input-group--error' : 'fr-input-group'}>
              <label class="fr-label" for="champ-jeton">
                {props.saved ? 'Nouveau jeton (remplace l’actuel)' : 'Jeton'}
                <span class="fr-hint-text">Copiez-le depuis l’espace API Particulier de la commune.</span>
              </label>
              <input
                class={props.error ? 'fr-input fr-input--error' : 'fr-input'}
                id="champ-jeton"
                name="token"
                type="password"
                autocomplete="off"
                spellcheck={false}
                required
                aria-describedby="jeton-messages"
                aria-invalid={props.error ? 'true' : undefined}
              />
              <div class="fr-messages-group" id="jeton-messages" aria-live="polite">
                {props.error ? <p class="fr-message fr-message--error">{props.error}</p> : null}
              </div>
            </div>
            <button type="submit" class="fr-btn">
              Vérifier et enregistrer le jeton
            </button>
          </form>
          {props.saved ? (
            <form method="post" action={TOKEN_DELETE_PATH}>
              <input type="hidden" name="_csrf" value={props.csrfToken} />
              <button type="submit" class="fr-btn fr-btn--tertiary">
                Supprimer le jeton
              </button>
            </form>
          ) : null}
        </>
      ) : (
        <p class="fr-text--sm">Seul un administrateur de l’espace peut enregistrer, remplacer ou supprimer le jeton.</p>
      )}
    </section>
  );
}
