import { z } from 'zod';
import type { CollectivityAgents } from '../db/repositories/collectivity-agents.ts';
import type { EspaceJournal } from '../db/repositories/espace-journal.ts';
import type { AgentRole, AgentSource, JournalActorKind } from '../db/schema.ts';

/**
 * Changes of a commune's list of agents, each journaled (who, when, what). A commune always keeps an
 * administrator: the last one can be neither removed nor made a plain agent, or nobody could manage the list.
 */
export interface AgentsDeps {
  agents: CollectivityAgents;
  journal: EspaceJournal;
}

/** Who makes the change: an agent (by e-mail) or an operator (by name), or the system. */
export interface Actor {
  kind: Exclude<JournalActorKind, 'job'>; // a job never changes a list of agents
  name: string | null;
}

export type AgentChange =
  | { ok: true; kind: 'added' | 'already_listed' | 'removed' | 'role_changed' | 'unchanged' }
  | { ok: false; reason: 'invalid_email' | 'unknown_agent' | 'last_administrator' };

const emailSchema = z.email().max(320);
export const AGENT_ROLES: readonly AgentRole[] = ['administrateur', 'agent'];

export function isAgentRole(value: unknown): value is AgentRole {
  return typeof value === 'string' && (AGENT_ROLES as readonly string[]).includes(value);
}

const sourceOf = (actor: Actor): AgentSource => (actor.kind === 'agent' ? 'agent' : actor.kind === 'operator' ? 'operator' : actor.kind);

export async function addAgent(deps: AgentsDeps, siret: string, actor: Actor, email: string, role: AgentRole): Promise<AgentChange> {
  const normalized = email.trim().toLowerCase();
  if (!emailSchema.safeParse(normalized).success) return { ok: false, reason: 'invalid_email' };
  const { created } = await deps.agents.add(siret, normalized, role, sourceOf(actor));
  if (!created) return { ok: true, kind: 'already_listed' };
  await deps.journal.record({ siret, actorKind: actor.kind, actor: actor.name, action: 'agent_added', target: normalized, detail: role });
  return { ok: true, kind: 'added' };
}

export async function removeAgent(deps: AgentsDeps, siret: string, actor: Actor, agentId: string): Promise<AgentChange> {
  const agent = await deps.agents.findById(siret, agentId);
  if (!agent) return { ok: false, reason: 'unknown_agent' };
  if (agent.role === 'administrateur' && (await deps.agents.countAdministrators(siret)) <= 1) return { ok: false, reason: 'last_administrator' };
  if (!(await deps.agents.remove(siret, agentId))) return { ok: false, reason: 'unknown_agent' };
  await deps.journal.record({ siret, actorKind: actor.kind, actor: actor.name, action: 'agent_removed', target: agent.email, detail: agent.role });
  return { ok: true, kind: 'removed' };
}

export async function changeAgentRole(deps: AgentsDeps, siret: string, actor: Actor, agentId: string, role: AgentRole): Promise<AgentChange> {
  const agent = await deps.agents.findById(siret, agentId);
  if (!agent) return { ok: false, reason: 'unknown_agent' };
  if (agent.role === role) return { ok: true, kind: 'unchanged' };
  if (agent.role === 'administrateur' && (await deps.agents.countAdministrators(siret)) <= 1) return { ok: false, reason: 'last_administrator' };
  await deps.agents.setRole(siret, agentId, role);
  await deps.journal.record({ siret, actorKind: actor.kind, actor: actor.name, action: 'agent_role_changed', target: agent.email, detail: `${agent.role} → ${role}` });
  return { ok: true, kind: 'role_changed' };
}

/** DataPass's applicant and contacts, or the sandbox's seeded agents: administrators, each journaled once. */
export async function addAdministrators(deps: AgentsDeps, siret: string, actor: Actor, emails: readonly string[]): Promise<number> {
  let added = 0;
  for (const email of emails) {
    const change = await addAgent(deps, siret, actor, email, 'administrateur');
    if (change.ok && change.kind === 'added') added += 1;
  }
  return added;
}
