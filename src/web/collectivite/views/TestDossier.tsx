/**
 * The test dossier's pieces, for any espace that lists transmissions or offers to send one (the espace
 * collectivité today, the espace éditeur can mount the same): the "test" tag of a row, and the button.
 */
export function TestDossierBadge() {
  return <p class="fr-badge fr-badge--sm fr-badge--purple-glycine fr-badge--no-icon">Test</p>;
}

export interface TestDossierFormProps {
  /** Where the form posts (the espace's own route). */
  action: string;
  csrfToken: string;
  collectivityName: string;
}

export function TestDossierForm(props: TestDossierFormProps) {
  return (
    <form method="post" action={props.action} class="fr-mb-4w">
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <p class="fr-text--sm fr-mb-1w">
        Pour vérifier la réception sans attendre une famille : un télédossier ordinaire sur une personne fictive (TEST Dossier
        Fictif), envoyé par HubEE à {props.collectivityName}, marqué « test » partout et jamais compté dans les chiffres.
      </p>
      <button type="submit" class="fr-btn fr-btn--secondary">
        Envoyer un dossier de test
      </button>
    </form>
  );
}
