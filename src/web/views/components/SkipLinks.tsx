/** DSFR skip links: to the main content and to the footer (there is no menu nor search in the header). */
export function SkipLinks() {
  return (
    <div class="fr-skiplinks">
      <nav role="navigation" aria-label="Accès rapide" class="fr-container">
        <ul class="fr-skiplinks__list">
          <li>
            <a class="fr-link" href="#contenu">
              Contenu
            </a>
          </li>
          <li>
            <a class="fr-link" href="#footer">
              Pied de page
            </a>
          </li>
        </ul>
      </nav>
    </div>
  );
}
