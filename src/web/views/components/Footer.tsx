import { DEFAULT_SITE_INFO } from '../site.ts';

const INSTITUTIONAL_LINKS = [
  { label: 'info.gouv.fr', href: 'https://www.info.gouv.fr' },
  { label: 'service-public.fr', href: 'https://www.service-public.fr' },
  { label: 'legifrance.gouv.fr', href: 'https://www.legifrance.gouv.fr' },
  { label: 'data.gouv.fr', href: 'https://www.data.gouv.fr' },
] as const;

export const LEGAL_LINKS = [
  { label: 'Accessibilité : non conforme', href: '/accessibilite' },
  { label: 'Mentions légales', href: '/mentions-legales' },
  { label: 'Données personnelles', href: '/donnees-personnelles' },
  { label: 'CGU', href: '/cgu-usagers' },
  { label: 'FAQ', href: '/faq' },
  { label: 'Plan du site', href: '/plan-du-site' },
] as const;

/** DSFR footer: bloc-marque, the four institutional links (unchanged, in order), the legal links, the licence. */
export function Footer() {
  return (
    <footer class="fr-footer" role="contentinfo" id="footer">
      <div class="fr-container">
        <div class="fr-footer__body">
          <div class="fr-footer__brand fr-enlarge-link">
            <a href="/" title={`Retour à l’accueil du site - ${DEFAULT_SITE_INFO.serviceName} - République Française`}>
              <p class="fr-logo">
                République
                <br />
                Française
              </p>
            </a>
          </div>
          <div class="fr-footer__content">
            <p class="fr-footer__content-desc">
              {DEFAULT_SITE_INFO.serviceName} permet aux familles de transmettre leur quotient familial à leur commune, sans
              attestation papier. Service proposé par l’équipe API Particulier de la DINUM.
            </p>
            <ul class="fr-footer__content-list">
              {INSTITUTIONAL_LINKS.map((link) => (
                <li class="fr-footer__content-item">
                  <a
                    class="fr-footer__content-link"
                    href={link.href}
                    target="_blank"
                    rel="noopener external"
                    title={`${link.label} - nouvelle fenêtre`}
                  >
                    {link.label}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        </div>
        <div class="fr-footer__bottom">
          <ul class="fr-footer__bottom-list">
            {LEGAL_LINKS.map((link) => (
              <li class="fr-footer__bottom-item">
                <a class="fr-footer__bottom-link" href={link.href}>
                  {link.label}
                </a>
              </li>
            ))}
          </ul>
          <div class="fr-footer__bottom-copy">
            <p>
              Sauf mention explicite de propriété intellectuelle détenue par des tiers, les contenus de ce site sont proposés
              sous{' '}
              <a
                href="https://github.com/etalab/licence-ouverte/blob/master/LO.md"
                target="_blank"
                rel="noopener external"
                title="Licence etalab-2.0 - nouvelle fenêtre"
              >
                licence etalab-2.0
              </a>
            </p>
          </div>
        </div>
      </div>
    </footer>
  );
}
