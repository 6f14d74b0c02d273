/** The "Du … Au …" dates of a period filter (the espace's transmissions and figures), inside the form's fieldset. */
export function PeriodFields(props: { from: string; to: string }) {
  return (
    <>
      <div class="fr-fieldset__element fr-fieldset__element--inline">
        <div class="fr-input-group">
          <label class="fr-label" for="du">
            Du
          </label>
          <input class="fr-input" type="date" id="du" name="du" value={props.from} />
        </div>
      </div>
      <div class="fr-fieldset__element fr-fieldset__element--inline">
        <div class="fr-input-group">
          <label class="fr-label" for="au">
            Au
          </label>
          <input class="fr-input" type="date" id="au" name="au" value={props.to} />
        </div>
      </div>
    </>
  );
}
