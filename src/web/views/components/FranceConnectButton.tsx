/**
 * The official DSFR FranceConnect button (`connect` component, @gouvfr/dsfr 1.15), wrapped in a POST form so the
 * redirection to FranceConnect starts from a CSRF-protected request. The login text and the link text must not
 * be altered (DSFR rule): they are kept byte for byte, typographic apostrophes included.
 */
export interface FranceConnectButtonProps {
  action: string;
  csrfToken: string;
  /** Extra hidden fields (siret, external_id, redirect_uri…); undefined values are left out. */
  hiddenFields?: Record<string, string | undefined>;
}

export function FranceConnectButton(props: FranceConnectButtonProps) {
  const fields = Object.entries(props.hiddenFields ?? {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return (
    <div class="fr-connect-group">
      <form method="post" action={props.action}>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        {fields.map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button class="fr-connect" type="submit">
          <span class="fr-connect__login">S’identifier avec</span>{' '}
          <span class="fr-connect__brand">FranceConnect</span>
        </button>
        <p>
          <a
            href="https://franceconnect.gouv.fr/"
            target="_blank"
            rel="noopener"
            title="Qu’est-ce que FranceConnect ? - nouvelle fenêtre"
          >
            Qu’est-ce que FranceConnect ?
          </a>
        </p>
      </form>
    </div>
  );
}
