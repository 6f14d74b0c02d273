import type { Child } from 'hono/jsx';

/**
 * A DSFR table (1.15 markup). On a phone its container scrolls sideways, so it is a named, focusable region:
 * a keyboard user can reach and scroll it (RGAA, axe's scrollable-region-focusable).
 */
export function Table(props: { caption: string; hideCaption?: boolean; children?: Child }) {
  return (
    <div class={props.hideCaption ? 'fr-table fr-table--no-caption' : 'fr-table'}>
      <div class="fr-table__wrapper">
        <div class="fr-table__container" tabindex={0} role="region" aria-label={props.caption}>
          <div class="fr-table__content">
            <table>
              <caption>{props.caption}</caption>
              {props.children}
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}
