import { prerendered } from '../render.ts';
import { DEFAULT_SITE_INFO } from '../site.ts';
import { LogoutButton } from './LogoutButton.tsx';

export interface HeaderSession {
  loggedIn: boolean;
  logoutCsrfToken?: string | undefined;
  /** The first given name of who is logged in, shown beside "Se déconnecter" (never logged). */
  firstName?: string | undefined;
}

function WhoIsLoggedIn(props: { firstName: string | undefined }) {
  return props.firstName ? (
    <p class="fqf-header-who fr-text--sm fr-mb-0">
      Connecté(e) : {props.firstName}
    </p>
  ) : null;
}

/** The bloc-marque and the service's name: the same on every page, rendered once. */
const BRAND = prerendered(
  <div class="fr-header__brand fr-enlarge-link">
    <div class="fr-header__brand-top">
      <div class="fr-header__logo">
        <p class="fr-logo">
          République
          <br />
          Française
        </p>
      </div>
    </div>
    <div class="fr-header__service">
      <a href="/" title={`Accueil - ${DEFAULT_SITE_INFO.serviceName} - République Française`}>
        <p class="fr-header__service-title">{DEFAULT_SITE_INFO.serviceName}</p>
      </a>
      <p class="fr-header__service-tagline">{DEFAULT_SITE_INFO.baseline}</p>
    </div>
  </div>
);

/**
 * DSFR header: the mandatory bloc-marque, the service name and its baseline.
 * When the citizen is logged in, "Se déconnecter" sits in the header tools (large screens) and, since the DSFR
 * hides those tools on small screens until its JavaScript copies them into a menu, a second copy is shown
 * under the brand on small screens: the button stays reachable without JavaScript on a phone.
 */
export function Header(props: { session?: HeaderSession | undefined }) {
  const loggedIn = props.session?.loggedIn === true;
  const token = props.session?.logoutCsrfToken;
  return (
    <header role="banner" class="fr-header">
      <div class="fr-header__body">
        <div class="fr-container">
          <div class="fr-header__body-row">
            {BRAND}
            {loggedIn ? (
              <div class="fr-header__tools">
                <div class="fr-header__tools-links">
                  <WhoIsLoggedIn firstName={props.session?.firstName} />
                  <ul class="fr-btns-group">
                    <li>
                      <LogoutButton csrfToken={token} className="fr-btn" />
                    </li>
                  </ul>
                </div>
              </div>
            ) : null}
          </div>
          {loggedIn ? (
            <div class="fr-hidden-lg fqf-header-mobile-tools">
              <WhoIsLoggedIn firstName={props.session?.firstName} />
              <LogoutButton csrfToken={token} className="fr-btn fr-btn--sm fr-btn--tertiary" />
            </div>
          ) : null}
        </div>
      </div>
    </header>
  );
}
