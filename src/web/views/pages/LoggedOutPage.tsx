import { Layout } from '../layout.tsx';

export const LOGGED_OUT_PATH = '/deconnexion';

/** Where "Se déconnecter" lands: the family must read that it is logged out, here and at FranceConnect. */
export function LoggedOutPage() {
  return (
    <Layout title="Vous êtes déconnecté">
      <div class="fr-grid-row fr-grid-row--center">
        <div class="fr-col-12 fr-col-md-10 fr-col-lg-8">
          <h1>Vous êtes déconnecté</h1>
          <div class="fr-alert fr-alert--success fr-mb-4w">
            <p>
              Vous êtes déconnecté de ce service et de FranceConnect. Les informations récupérées pendant la démarche
              ont été effacées de notre service.
            </p>
          </div>
          <p>Sur un ordinateur partagé, vous pouvez fermer votre navigateur en toute sécurité.</p>
          <ul class="fr-btns-group fr-btns-group--inline-md">
            <li>
              <a class="fr-btn" href="/collectivites">
                Faire une nouvelle démarche
              </a>
            </li>
            <li>
              <a class="fr-btn fr-btn--secondary" href="/suivi">
                Suivre une démarche
              </a>
            </li>
          </ul>
        </div>
      </div>
    </Layout>
  );
}
