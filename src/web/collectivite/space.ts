import type { AppContext } from '../../context.ts';
import type { Space, SpaceMember } from '../espaces/space.ts';
import type { AgentGuard } from './access.ts';
import { EspaceLayout, type EspaceFrame } from './views/EspaceLayout.tsx';

/** The espace collectivité as the pages shared with the espace éditeur see it: one commune, its journal, its frame. */
export function collectiviteSpace(context: AppContext, guard: AgentGuard): Space<SpaceMember & { frame: EspaceFrame }> {
  return {
    basePath: '/espace',
    async guard(request, reply, options) {
      const agent = await guard(request, reply, options);
      if (!agent) return null;
      return {
        owner: { kind: 'collectivity', siret: agent.collectivity.siret },
        actorEmail: agent.session.user.email,
        isAdministrator: agent.role === 'administrateur',
        communes: [{ siret: agent.collectivity.siret, name: agent.collectivity.name }],
        csrfToken: agent.frame.csrfToken,
        journal: context.espace.journal,
        frame: agent.frame,
      };
    },
    page: (member, props) => EspaceLayout({ title: props.title, section: props.section, frame: member.frame, isError: props.isError, children: props.children }),
  };
}
