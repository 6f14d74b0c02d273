import type { Child } from 'hono/jsx';

export type AlertType = 'error' | 'success' | 'info' | 'warning';

/**
 * DSFR alert, without the close button (it needs an inline script, forbidden by our CSP).
 * `role="alert"` only for errors shown after a submission (`live`), so that screen readers announce them.
 */
export function Alert(props: {
  type: AlertType;
  title?: string;
  headingLevel?: 2 | 3;
  small?: boolean;
  live?: boolean;
  id?: string;
  children?: Child;
}) {
  const classes = ['fr-alert', `fr-alert--${props.type}`, props.small ? 'fr-alert--sm' : '', 'fr-mb-4w']
    .filter(Boolean)
    .join(' ');
  const Heading = props.headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div class={classes} role={props.live ? 'alert' : undefined} id={props.id}>
      {props.title && !props.small ? <Heading class="fr-alert__title">{props.title}</Heading> : null}
      {props.small && props.title ? <p>{props.title}</p> : null}
      {props.children}
    </div>
  );
}
