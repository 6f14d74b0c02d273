import type { CollectivityRecord, CollectivityRepository } from '../db/repositories/collectivities.ts';
import type { CollectivityAgents } from '../db/repositories/collectivity-agents.ts';
import type { EditeurRecord } from '../db/repositories/editeurs.ts';
import type { AgentRole } from '../db/schema.ts';
import type { ProConnectUser } from '../integrations/proconnect/user.ts';

/**
 * Who may act for a commune (issue 12): a ProConnect user whose `siret` (the organisation chosen at login) is the
 * commune's SIRET, and whose e-mail is on that commune's list of agents. Checked at sign-in and again on every
 * request, so that a removal or a deactivation takes effect at once.
 */
export type AccessRefusal =
  /** ProConnect says the organisation is private (no agent_public role): an éditeur, a company. */
  | { kind: 'private_organization'; organizationLabel: string | null; siret: string }
  /** A public organisation that is no collectivity of ours. */
  | { kind: 'unknown_organization'; organizationLabel: string | null; siret: string }
  | { kind: 'inactive_collectivity'; collectivity: CollectivityRecord }
  | { kind: 'not_on_list'; collectivity: CollectivityRecord }
  /** An employee of a known éditeur whose e-mail is not on the éditeur's list of members (editeur-access.ts). */
  | { kind: 'not_editeur_member'; editeur: EditeurRecord };

export type AccessDecision = { ok: true; collectivity: CollectivityRecord; role: AgentRole; agentId: string } | { ok: false; refusal: AccessRefusal };

export async function decideAccess(
  deps: { collectivities: CollectivityRepository; agents: CollectivityAgents },
  user: Pick<ProConnectUser, 'siret' | 'email' | 'roles' | 'organizationLabel'>,
): Promise<AccessDecision> {
  const collectivity = await deps.collectivities.findBySiret(user.siret);
  if (!collectivity) {
    const isPublic = user.roles.some((role) => role.startsWith('agent_public'));
    const refusal = { organizationLabel: user.organizationLabel, siret: user.siret };
    return { ok: false, refusal: isPublic ? { kind: 'unknown_organization', ...refusal } : { kind: 'private_organization', ...refusal } };
  }
  if (collectivity.status !== 'active') return { ok: false, refusal: { kind: 'inactive_collectivity', collectivity } };
  const agent = await deps.agents.findByEmail(collectivity.siret, user.email);
  if (!agent) return { ok: false, refusal: { kind: 'not_on_list', collectivity } };
  return { ok: true, collectivity, role: agent.role, agentId: agent.id };
}
