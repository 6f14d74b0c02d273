/** DSFR notice (bandeau d'information importante), without the close button (inline script forbidden by CSP). */
export function Notice(props: {
  title: string;
  description?: string;
  type?: 'info' | 'warning' | 'alert';
  link?: { href: string; label: string };
}) {
  return (
    <div class={`fr-notice fr-notice--${props.type ?? 'info'}`}>
      <div class="fr-container">
        <div class="fr-notice__body">
          <div>
            <p class="fr-notice__title">{props.title}</p>
            {props.description ? <p class="fr-notice__desc">{props.description}</p> : null}
            {props.link ? (
              <a class="fr-notice__link" href={props.link.href}>
                {props.link.label}
              </a>
            ) : null}
          </div>
        </div>
      </div>
    </div>
  );
}
