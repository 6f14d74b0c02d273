/** "Se déconnecter": a POST form (it also ends the FranceConnect session), protected by the CSRF token. */
export const LOGOUT_ACTION = '/auth/franceconnect/logout';

export function LogoutButton(props: { csrfToken?: string | undefined; label?: string; className?: string }) {
  return (
    <form method="post" action={LOGOUT_ACTION} class="fqf-inline-form">
      {props.csrfToken ? <input type="hidden" name="_csrf" value={props.csrfToken} /> : null}
      <button type="submit" class={props.className ?? 'fr-btn fr-btn--tertiary'}>
        {props.label ?? 'Se déconnecter'}
      </button>
    </form>
  );
}
