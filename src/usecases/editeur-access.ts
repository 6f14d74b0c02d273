import type { OrganisationMembers } from '../db/repositories/collectivity-agents.ts';
import type { EditeurRecord, EditeurRepository } from '../db/repositories/editeurs.ts';
import type { AgentRole } from '../db/schema.ts';
import type { ProConnectUser } from '../integrations/proconnect/user.ts';

/**
 * Who may act for an éditeur (issue 14), by the same rules as a commune's agents: a ProConnect user whose
 * `siret` is the éditeur's and whose e-mail is on the éditeur's list of members. Checked at sign-in and on every
 * request. Null when the SIRET is no éditeur's: the person is then a commune's business (espace-access.ts).
 */
export type EditeurAccess =
  | { ok: true; editeur: EditeurRecord; role: AgentRole; memberId: string }
  | { ok: false; refusal: { kind: 'not_editeur_member'; editeur: EditeurRecord } };

export async function decideEditeurAccess(
  deps: { editeurs: EditeurRepository; members: OrganisationMembers },
  user: Pick<ProConnectUser, 'siret' | 'email'>,
): Promise<EditeurAccess | null> {
  const editeur = await deps.editeurs.findBySiret(user.siret);
  if (!editeur) return null;
  const member = await deps.members.findByEmail(editeur.siret, user.email);
  if (!member) return { ok: false, refusal: { kind: 'not_editeur_member', editeur } };
  return { ok: true, editeur, role: member.role, memberId: member.id };
}
