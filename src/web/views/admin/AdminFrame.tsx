import { DEFAULT_SITE_INFO } from '../site.ts';

/** The back office's own header: the bloc-marque and "Administration", with a way to the public site. */
export function AdminHeader() {
  return (
    <header role="banner" class="fr-header">
      <div class="fr-header__body">
        <div class="fr-container">
          <div class="fr-header__body-row">
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
                <a href="/admin" title={`Administration - ${DEFAULT_SITE_INFO.serviceName} - République Française`}>
                  <p class="fr-header__service-title">{DEFAULT_SITE_INFO.serviceName} – Administration</p>
                </a>
                <p class="fr-header__service-tagline">Le suivi du service, réservé aux opérateurs</p>
              </div>
            </div>
          </div>
        </div>
      </div>
    </header>
  );
}

/** A short footer: the operator needs the public site and the documentation, not the citizens' legal links. */
export function AdminFooter() {
  return (
    <footer class="fr-footer" role="contentinfo" id="footer">
      <div class="fr-container">
        <div class="fr-footer__bottom">
          <ul class="fr-footer__bottom-list">
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/">
                Site public
              </a>
            </li>
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/api/documentation">
                Documentation de l’API
              </a>
            </li>
            <li class="fr-footer__bottom-item">
              <a class="fr-footer__bottom-link" href="/metrics">
                Métriques (Prometheus)
              </a>
            </li>
          </ul>
        </div>
      </div>
    </footer>
  );
}
