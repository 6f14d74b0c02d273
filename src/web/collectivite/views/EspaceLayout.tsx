import type { Child } from 'hono/jsx';
import { Layout } from '../../views/layout.tsx';

/** The pages of the espace collectivité: who is signed in for which commune, the sections, and the logout. */
export type EspaceSection = 'transmissions' | 'mise-a-jour' | 'kit' | 'parametres' | 'chiffres' | 'agents';

export interface EspaceFrame {
  collectivityName: string;
  agentName: string;
  isAdministrator: boolean;
  csrfToken: string;
}

const SECTIONS: { id: EspaceSection; label: string; href: string; adminOnly?: boolean }[] = [
  { id: 'transmissions', label: 'Transmissions', href: '/espace/transmissions' },
  { id: 'mise-a-jour', label: 'Mise à jour annuelle', href: '/espace/mise-a-jour' },
  { id: 'kit', label: 'Kit de diffusion', href: '/espace/kit' },
  { id: 'parametres', label: 'Paramètres', href: '/espace/parametres' },
  { id: 'chiffres', label: 'Chiffres', href: '/espace/chiffres' },
  { id: 'agents', label: 'Agents', href: '/espace/agents', adminOnly: true },
];

export function EspaceLayout(props: { title: string; section: EspaceSection; frame: EspaceFrame; isError?: boolean; head?: Child; scripts?: string[]; children?: Child }) {
  const { frame } = props;
  return (
    <Layout title={`${props.title} - Espace ${frame.collectivityName}`} isError={props.isError} head={props.head} scripts={props.scripts}>
      <div class="fqf-espace-bar fr-mb-3w">
        <p class="fr-mb-1w">
          Espace collectivité de <strong>{frame.collectivityName}</strong> — {frame.agentName}
          {frame.isAdministrator ? ' (administrateur)' : ''}
        </p>
        <form method="post" action="/espace/deconnexion">
          <input type="hidden" name="_csrf" value={frame.csrfToken} />
          <button type="submit" class="fr-btn fr-btn--sm fr-btn--tertiary">
            Se déconnecter
          </button>
        </form>
      </div>
      <nav aria-label="Sections de l’espace collectivité" class="fr-mb-4w">
        <ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">
          {SECTIONS.filter((s) => !s.adminOnly || frame.isAdministrator).map((s) => (
            <li>
              <a
                class={s.id === props.section ? 'fr-btn fr-btn--sm' : 'fr-btn fr-btn--sm fr-btn--secondary'}
                href={s.href}
                aria-current={s.id === props.section ? 'page' : undefined}
              >
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
