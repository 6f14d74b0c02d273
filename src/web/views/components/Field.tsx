/**
 * A DSFR text field with its label, optional hint and error message. The error is tied to the input with
 * aria-describedby and aria-invalid, as RGAA asks.
 */
export interface FieldProps {
  id: string;
  name: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  value?: string | undefined;
  type?: 'text' | 'search' | 'url' | 'email';
  autocomplete?: string;
  required?: boolean;
  readonly?: boolean;
  inputMode?: 'text' | 'numeric' | 'search' | 'url';
  spellcheck?: boolean;
  minLength?: number;
  maxLength?: number;
}

export function Field(props: FieldProps) {
  const messagesId = `${props.id}-messages`;
  const groupClass = props.error ? 'fr-input-group fr-input-group--error' : 'fr-input-group';
  return (
    <div class={groupClass}>
      <label class="fr-label" for={props.id}>
        {props.label}
        {props.hint ? <span class="fr-hint-text">{props.hint}</span> : null}
      </label>
      <input
        class={props.error ? 'fr-input fr-input--error' : 'fr-input'}
        id={props.id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        required={props.required ? true : undefined}
        readonly={props.readonly ? true : undefined}
        inputmode={props.inputMode}
        spellcheck={props.spellcheck}
        minlength={props.minLength}
        maxlength={props.maxLength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={messagesId}
      />
      <div class="fr-messages-group" id={messagesId} aria-live="polite">
        {props.error ? (
          <p class="fr-message fr-message--error" id={`${props.id}-message-error`}>
            {props.error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
