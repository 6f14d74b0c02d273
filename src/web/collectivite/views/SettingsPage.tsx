import type { FamilyInfo } from '../../../db/repositories/family-info.ts';
import { Alert } from '../../views/components/Alert.tsx';
import { EspaceLayout, type EspaceFrame } from './EspaceLayout.tsx';
import { MAX_PREFIXES } from '../settings-form.ts';
import { ApiParticulierTokenSection, type TokenSectionProps } from './ApiParticulierTokenSection.tsx';

export interface SettingsPageProps {
  frame: EspaceFrame;
  prefixesText: string;
  prefixesError?: string;
  info: Record<keyof typeof CONTACT_FIELDS, string>;
  infoErrors?: Record<string, string>;
  saved?: 'contact' | 'retours';
  token?: Omit<TokenSectionProps, 'isAdministrator' | 'csrfToken'>;
}

const CONTACT_FIELDS = {
  service_name: { label: 'Nom du service', hint: 'Par exemple « Service enfance de la mairie ».', multiline: false, type: 'text', autocomplete: 'organization' },
  phone: { label: 'Téléphone', hint: 'Par exemple 04 92 00 00 00.', multiline: false, type: 'tel', autocomplete: 'tel' },
  email: { label: 'Adresse e-mail', hint: 'Une adresse de service plutôt que personnelle.', multiline: false, type: 'email', autocomplete: 'email' },
  address: { label: 'Adresse', hint: 'Où les familles peuvent venir.', multiline: true, type: 'text', autocomplete: 'street-address' },
  opening_hours: { label: 'Horaires d’ouverture', hint: 'Par exemple « Lundi et jeudi, 9 h – 12 h ».', multiline: true, type: 'text', autocomplete: 'off' },
} as const;

export type ContactFieldName = keyof typeof CONTACT_FIELDS | 'without_franceconnect_text';

export function familyInfoForm(info: FamilyInfo | null): SettingsPageProps['info'] & { without_franceconnect_text: string } {
  return {
    service_name: info?.serviceName ?? '',
    phone: info?.phone ?? '',
    email: info?.email ?? '',
    address: info?.address ?? '',
    opening_hours: info?.openingHours ?? '',
    without_franceconnect_text: info?.withoutFranceConnectText ?? '',
  };
}

function TextField(props: { name: string; label: string; hint: string; value: string; error: string | undefined; multiline: boolean; type: string; autocomplete: string; rows?: number }) {
  const id = `champ-${props.name}`;
  const messages = `${id}-messages`;
  const inputClass = props.error ? 'fr-input fr-input--error' : 'fr-input';
  return (
    <div class={props.error ? 'fr-input-group fr-input-group--error' : 'fr-input-group'}>
      <label class="fr-label" for={id}>
        {props.label}
        <span class="fr-hint-text">{props.hint}</span>
      </label>
      {props.multiline ? (
        <textarea class={inputClass} id={id} name={props.name} rows={props.rows ?? 3} aria-describedby={messages} aria-invalid={props.error ? 'true' : undefined} autocomplete={props.autocomplete}>
          {props.value}
        </textarea>
      ) : (
        <input class={inputClass} id={id} name={props.name} type={props.type} value={props.value} aria-describedby={messages} aria-invalid={props.error ? 'true' : undefined} autocomplete={props.autocomplete} />
      )}
      <div class="fr-messages-group" id={messages} aria-live="polite">
        {props.error ? <p class="fr-message fr-message--error">{props.error}</p> : null}
      </div>
    </div>
  );
}

export function SettingsPage(props: SettingsPageProps & { withoutFranceConnectText: string }) {
  const errors = props.infoErrors ?? {};
  const hasError = props.prefixesError !== undefined || Object.keys(errors).length > 0 || props.token?.error !== undefined;
  return (
    <EspaceLayout title="Paramètres" section="parametres" frame={props.frame} isError={hasError}>
      {props.saved === 'contact' ? <Alert type="success" small live title="Ce que voient les familles est enregistré." /> : null}
      {props.saved === 'retours' ? <Alert type="success" small live title="Les adresses de retour sont enregistrées." /> : null}
      {hasError ? (
        <Alert type="error" small live title="Le formulaire contient des erreurs : rien n’a été enregistré. Corrigez les champs signalés." />
      ) : null}

      {props.token ? <ApiParticulierTokenSection {...props.token} isAdministrator={props.frame.isAdministrator} csrfToken={props.frame.csrfToken} /> : null}

      <h2>Ce que voient les familles</h2>
      <p>
        Ce contact et ce texte s’affichent sur la page de la démarche de {props.frame.collectivityName}, sur sa page « Vous
        n’utilisez pas FranceConnect ? » et sur la page de suivi de chaque démarche. Tous les champs sont facultatifs.
      </p>
      <form method="post" action="/espace/parametres/contact" class="fr-mb-6w">
        <input type="hidden" name="_csrf" value={props.frame.csrfToken} />
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">Contact de la mairie</legend>
          {Object.entries(CONTACT_FIELDS).map(([name, f]) => (
            <div class="fr-fieldset__element">
              <TextField name={name} label={f.label} hint={f.hint} value={props.info[name as keyof typeof CONTACT_FIELDS]} error={errors[name]} multiline={f.multiline} type={f.type} autocomplete={f.autocomplete} />
            </div>
          ))}
        </fieldset>
        <TextField
          name="without_franceconnect_text"
          label="Texte pour les familles sans FranceConnect"
          hint="Comment venir au guichet : documents à apporter, rendez-vous… 2 000 caractères au plus."
          value={props.withoutFranceConnectText}
          error={errors.without_franceconnect_text}
          multiline
          rows={6}
          type="text"
          autocomplete="off"
        />
        <button type="submit" class="fr-btn">
          Enregistrer ce que voient les familles
        </button>
      </form>

      <h2>Adresses de retour autorisées</h2>
      <p>
        À la fin de la démarche, une famille venue de votre portail peut revenir sur votre site (le paramètre redirect_uri du
        lien). Seules les adresses qui commencent par l’une de celles-ci sont acceptées ; les autres sont ignorées, pour
        qu’aucun lien piégé ne renvoie les familles ailleurs. Une adresse par ligne, en https, {MAX_PREFIXES} au plus.
      </p>
      <form method="post" action="/espace/parametres/retours">
        <input type="hidden" name="_csrf" value={props.frame.csrfToken} />
        <TextField
          name="prefixes"
          label="Adresses de retour"
          hint="Par exemple https://portail-famille.majastres.fr/retour"
          value={props.prefixesText}
          error={props.prefixesError}
          multiline
          rows={4}
          type="url"
          autocomplete="off"
        />
        <button type="submit" class="fr-btn">
          Enregistrer les adresses de retour
        </button>
      </form>
    </EspaceLayout>
  );
}
