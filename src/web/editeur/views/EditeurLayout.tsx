import type { Child } from 'hono/jsx';
import { SpaceLayout, type SpaceSectionLink } from '../../espaces/SpaceLayout.tsx';

/** The pages of the espace éditeur. */
export type EditeurSection = 'clients' | 'webhooks' | 'cles' | 'membres';

export interface EditeurFrame {
  editeurName: string;
  memberName: string;
  isAdministrator: boolean;
  csrfToken: string;
}

const SECTIONS: readonly SpaceSectionLink<EditeurSection>[] = [
  { id: 'clients', label: 'Communes clientes', href: '/editeur/clients' },
  { id: 'webhooks', label: 'Webhooks', href: '/editeur/webhooks', adminOnly: true },
  { id: 'cles', label: 'Clés d’API', href: '/editeur/cles', adminOnly: true },
  { id: 'membres', label: 'Membres', href: '/editeur/membres', adminOnly: true },
];

export function EditeurLayout(props: { title: string; section: EditeurSection; frame: EditeurFrame; isError?: boolean | undefined; children?: Child }) {
  const { frame } = props;
  return SpaceLayout({
    spaceName: 'Espace éditeur',
    organisationName: frame.editeurName,
    personName: frame.memberName,
    isAdministrator: frame.isAdministrator,
    csrfToken: frame.csrfToken,
    sections: SECTIONS,
    section: props.section,
    title: props.title,
    isError: props.isError,
    children: props.children,
  });
}
