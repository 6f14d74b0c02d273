import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OrganisationJournal } from '../../db/repositories/espace-journal.ts';
import type { Organisation } from '../../domain/api-key.ts';
import type { Child } from 'hono/jsx';
import type { Renderable } from '../views/render.ts';

/**
 * What the pages both spaces share (API keys, webhooks) need of the space they are shown in: the signed-in
 * person's organisation, the communes it acts for, its journal, and the space's own frame around a page.
 */
export type SpaceSection = 'cles' | 'webhooks';

export interface SpaceMember {
  owner: Organisation;
  actorEmail: string;
  isAdministrator: boolean;
  /** The communes whose webhooks it manages: a commune itself, or an éditeur's clients. */
  communes: readonly { siret: string; name: string }[];
  csrfToken: string;
  journal: OrganisationJournal;
}

export interface Space<M extends SpaceMember = SpaceMember> {
  /** `/espace` or `/editeur`. */
  basePath: string;
  /** Null when a page (a redirection, a refusal) was already sent. */
  guard(request: FastifyRequest, reply: FastifyReply, options: { administrator?: boolean }): Promise<M | null>;
  page(member: M, props: { title: string; section: SpaceSection; isError?: boolean; children: Child }): Renderable;
}
