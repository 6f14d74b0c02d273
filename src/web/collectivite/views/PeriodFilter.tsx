import type { Child } from 'hono/jsx';

/**
 * The period filter of the espace's Transmissions and Figures pages: why the last one was refused, then a GET form
 * with the "Du … Au …" dates, any other criteria (`children`) and its button.
 */
export function PeriodFilter(props: { action: string; legend: string; from: string; to: string; error?: string | undefined; children?: Child }) {
  return (
    <>
      {props.error ? (
        <div class="fr-alert fr-alert--error fr-alert--sm fr-mb-3w" role="alert">
          <p>{props.error}</p>
        </div>
      ) : null}
      <form method="get" action={props.action} class="fr-mb-4w">
        <fieldset class="fr-fieldset">
          <legend class="fr-fieldset__legend">{props.legend}</legend>
          <DateField id="du" label="Du" value={props.from} />
          <DateField id="au" label="Au" value={props.to} />
          {props.children}
          <div class="fr-fieldset__element fr-fieldset__element--inline">
            <button type="submit" class="fr-btn">
              Afficher
            </button>
          </div>
        </fieldset>
      </form>
    </>
  );
}

function DateField(props: { id: 'du' | 'au'; label: string; value: string }) {
  return (
    <div class="fr-fieldset__element fr-fieldset__element--inline">
      <div class="fr-input-group">
        <label class="fr-label" for={props.id}>
          {props.label}
        </label>
        <input class="fr-input" type="date" id={props.id} name={props.id} value={props.value} />
      </div>
    </div>
  );
}
