import type { HubeeEnvironment } from '../../domain/hubee-environment.ts';
import { Alert } from '../views/components/Alert.tsx';

/**
 * The test dossier's pieces, shared by the espace collectivité (Transmissions) and the espace éditeur (each client
 * commune's block): the "test" tag of a row, the button (or why there is none), and the answer once sent.
 */
export function TestDossierBadge() {
  return <p class="fr-badge fr-badge--sm fr-badge--purple-glycine fr-badge--no-icon">Test</p>;
}

export interface TestDossierFormProps {
  /** Where the form posts (the espace's own route). */
  action: string;
  csrfToken: string;
  collectivityName: string;
  /** Why no test dossier can be sent here (production without HubEE's qualification environment), or null. */
  unavailable: string | null;
  /** Where it would go, said before the click. */
  environment: HubeeEnvironment | null;
}

/** Where a test dossier goes, in the words of the espaces. */
export function destinationLabel(environment: HubeeEnvironment): string {
  return environment === 'qualification' ? 'l’environnement de qualification de HubEE' : 'le bac à sable de HubEE (hors production)';
}

export function TestDossierForm(props: TestDossierFormProps) {
  if (props.unavailable !== null || props.environment === null) {
    return <Alert type="info" small title={`Dossier de test : ${props.unavailable ?? ''}`} />;
  }
  return (
    <form method="post" action={props.action} class="fr-mb-4w">
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <p class="fr-text--sm fr-mb-1w">
        Pour vérifier la réception sans attendre une famille : un télédossier ordinaire sur une personne fictive (TEST Dossier
        Fictif), envoyé à {props.collectivityName} par {destinationLabel(props.environment)}, marqué « test » partout et jamais
        compté dans les chiffres.
      </p>
      <button type="submit" class="fr-btn fr-btn--secondary">
        Envoyer un dossier de test
      </button>
    </form>
  );
}

/** The answer once a test dossier is recorded: its reference, where it went, and its follow-up page. */
export function TestDossierSent(props: { reference: string; environment: HubeeEnvironment; collectivityName: string }) {
  return (
    <Alert type="success" small live>
      <p>
        Dossier de test {props.reference} envoyé à {props.collectivityName} par {destinationLabel(props.environment)} : il y apparaît
        dans quelques instants. <a href={`/suivi/${props.reference}`}>Suivre le dossier de test {props.reference}</a>
      </p>
    </Alert>
  );
}
