import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.ts';

export const SECURITY_TXT_PATH = '/.well-known/security.txt';

/** RFC 9116: where and how to report a vulnerability; Contact and Expires come from the configuration. */
export function securityTxt(config: Pick<Config, 'securityTxt' | 'http'>): string {
  return [
    ...config.securityTxt.contacts.map((contact) => `Contact: ${contact}`),
    `Expires: ${config.securityTxt.expires.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    'Preferred-Languages: fr, en',
    `Canonical: ${config.http.publicUrl}${SECURITY_TXT_PATH}`,
    '',
  ].join('\n');
}

export async function securityTxtRoutes(app: FastifyInstance, config: Config): Promise<void> {
  const body = securityTxt(config);
  app.get(SECURITY_TXT_PATH, async (_request, reply) => reply.type('text/plain; charset=utf-8').header('cache-control', 'public, max-age=86400').send(body));
}
