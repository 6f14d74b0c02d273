/**
 * DSFR breadcrumb. On small screens the DSFR folds the list behind a button that needs JavaScript; app.css
 * unfolds it when the DSFR script is not running (`:root:not([data-fr-js])`).
 */
export interface BreadcrumbItem {
  label: string;
  href?: string;
}

export function Breadcrumb(props: { items: BreadcrumbItem[]; id?: string }) {
  const id = props.id ?? 'fil-ariane';
  const items: BreadcrumbItem[] = [{ label: 'Accueil', href: '/' }, ...props.items];
  return (
    <nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">
      <button type="button" class="fr-breadcrumb__button" aria-expanded="false" aria-controls={id}>
        Voir le fil d’Ariane
      </button>
      <div class="fr-collapse" id={id}>
        <ol class="fr-breadcrumb__list">
          {items.map((item, index) =>
            index === items.length - 1 ? (
              <li>
                <a class="fr-breadcrumb__link" aria-current="page">
                  {item.label}
                </a>
              </li>
            ) : (
              <li>
                <a class="fr-breadcrumb__link" href={item.href ?? '/'}>
                  {item.label}
                </a>
              </li>
            ),
          )}
        </ol>
      </div>
    </nav>
  );
}
