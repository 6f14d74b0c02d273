import type { Child } from 'hono/jsx';
import { Layout } from '../views/layout.tsx';

/**
 * The frame of both spaces (collectivité, éditeur): who is signed in for which organisation, the space's
 * sections (the administrators' ones shown to administrators only), and the logout.
 */
export interface SpaceSectionLink<S extends string> {
  id: S;
  label: string;
  href: string;
  adminOnly?: boolean;
}

export function SpaceLayout<S extends string>(props: {
  /** "Espace collectivité", "Espace éditeur". */
  spaceName: string;
  organisationName: string;
  personName: string;
  isAdministrator: boolean;
  csrfToken: string;
  sections: readonly SpaceSectionLink<S>[];
  section: S;
  title: string;
  isError?: boolean | undefined;
  /** What a page adds to <head>, and its scripts (progressive enhancement). */
  head?: Child;
  scripts?: string[] | undefined;
  children?: Child;
}) {
  return (
    <Layout title={`${props.title} - ${props.spaceName} ${props.organisationName}`} isError={props.isError} head={props.head} scripts={props.scripts}>
      <div class="fqf-espace-bar fr-mb-3w">
        <p class="fr-mb-1w">
          {props.spaceName} de <strong>{props.organisationName}</strong> — {props.personName}
          {props.isAdministrator ? ' (administrateur)' : ''}
        </p>
        <form method="post" action="/espace/deconnexion">
          <input type="hidden" name="_csrf" value={props.csrfToken} />
          <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">
            Se déconnecter
          </button>
        </form>
      </div>
      <nav aria-label={`Sections de l’${props.spaceName.toLowerCase()}`} class="fr-mb-4w">
        <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">
          {props.sections
            .filter((s) => !s.adminOnly || props.isAdministrator)
            .map((s) => (
              <li>
                <a class={s.id === props.section ? 'fr-btn fr-btn--sm' : 'fr-btn fr-btn--sm fr-btn--secondary'} href={s.href} aria-current={s.id === props.section ? 'page' : undefined}>
                  {s.label}
                </a>
              </li>
            ))}
        </ul>
      </nav>
      <h1>{props.title}</h1>
      {props.children}
    </Layout>
  );
}
