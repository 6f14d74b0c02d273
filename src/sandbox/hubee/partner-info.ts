import type { FastifyRequest } from 'fastify';
import type { PartnerInfo } from './model.ts';

/** Optional tracing headers that HubEE stores as `partnerInfo` on folders and events (contracts/hubee.md §1.5). */
export function partnerInfoFrom(request: FastifyRequest): PartnerInfo {
  const header = (name: string): string | null => {
    const value = request.headers[name.toLowerCase()];
    return typeof value === 'string' && value !== '' ? value.slice(0, 50) : null;
  };
  return {
    editorName: header('editorName'),
    applicationName: header('applicationName'),
    softwareVersion: header('softwareVersion'),
  };
}
