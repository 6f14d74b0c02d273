/** The three steps of the journey, as a DSFR stepper. */
export const JOURNEY_STEPS: readonly string[] = ['Choisir ma collectivité', 'Me connecter', 'Vérifier et transmettre'];

export function Stepper(props: { current: 1 | 2 | 3 }) {
  const total = JOURNEY_STEPS.length;
  const title = JOURNEY_STEPS[props.current - 1];
  const next = JOURNEY_STEPS[props.current];
  return (
    <div class="fr-stepper">
      {/* Not a heading: the page's h1 already names the step, a second heading would repeat it. */}
      <p class="fr-stepper__title">
        {title}
        <span class="fr-stepper__state">
          Étape {props.current} sur {total}
        </span>
      </p>
      <div class="fr-stepper__steps" data-fr-current-step={props.current} data-fr-steps={total}></div>
      {next ? (
        <p class="fr-stepper__details">
          <span class="fr-text--bold">Étape suivante :</span> {next}
        </p>
      ) : null}
    </div>
  );
}
