import type { Child } from 'hono/jsx';
import { SpaceLayout, type SpaceSectionLink } from '../../espaces/SpaceLayout.tsx';

/** The pages of the espace collectivité: who is signed in for which commune, the sections, and the logout. */
export type EspaceSection = 'transmissions' | 'guichet' | 'mise-a-jour' | 'kit' | 'parametres' | 'chiffres' | 'agents' | 'cles' | 'webhooks';

export interface EspaceFrame {
  collectivityName: string;
  agentName: string;
  isAdministrator: boolean;
  csrfToken: string;
}

const SECTIONS: readonly SpaceSectionLink<EspaceSection>[] = [
  { id: 'transmissions', label: 'Transmissions', href: '/espace/transmissions' },
  { id: 'guichet', label: 'Guichet QF', href: '/espace/guichet' },
  { id: 'mise-a-jour', label: 'Mise à jour annuelle', href: '/espace/mise-a-jour' },
  { id: 'kit', label: 'Kit de diffusion', href: '/espace/kit' },
  { id: 'parametres', label: 'Paramètres', href: '/espace/parametres' },
  { id: 'chiffres', label: 'Chiffres', href: '/espace/chiffres' },
  { id: 'agents', label: 'Agents', href: '/espace/agents', adminOnly: true },
  { id: 'webhooks', label: 'Webhooks', href: '/espace/webhooks', adminOnly: true },
  { id: 'cles', label: 'Clés d’API', href: '/espace/cles', adminOnly: true },
];

export function EspaceLayout(props: { title: string; section: EspaceSection; frame: EspaceFrame; isError?: boolean | undefined; head?: Child; scripts?: string[]; children?: Child }) {
  const { frame } = props;
  return SpaceLayout({
    spaceName: 'Espace collectivité',
    organisationName: frame.collectivityName,
    personName: frame.agentName,
    isAdministrator: frame.isAdministrator,
    csrfToken: frame.csrfToken,
    sections: SECTIONS,
    section: props.section,
    title: props.title,
    isError: props.isError,
    head: props.head,
    scripts: props.scripts,
    children: props.children,
  });
}
