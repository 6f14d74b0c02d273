import { z } from 'zod';

/**
 * Who may enter the back office (/admin) once signed in with ProConnect: an allowlist of e-mails, each with its
 * role. `administrateur` may change things (collectivities, retries, webhooks, agents); `lecture` sees the figures
 * and the failures but every change is refused on the server.
 */
export const OPERATOR_ROLES = ['administrateur', 'lecture'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

export interface AllowedOperator {
  /** Lower-cased, as ProConnect's e-mail is compared. */
  email: string;
  role: OperatorRole;
}

/** The stand-in's operators (src/sandbox/proconnect/personas.ts), so that `npm start` lets a developer in. */
export const LOCAL_OPERATORS = 'exploitation@formulaire-qf.beta.gouv.fr:administrateur,suivi@formulaire-qf.beta.gouv.fr:lecture';

const entry = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const colon = value.lastIndexOf(':');
    const email = z.email().max(320).safeParse(value.slice(0, colon).trim().toLowerCase());
    const role = z.enum(OPERATOR_ROLES).safeParse(value.slice(colon + 1).trim());
    if (colon < 0 || !email.success || !role.success) {
      ctx.addIssue({ code: 'custom', message: 'must be e-mail:role entries separated by commas, role administrateur or lecture' });
      return z.NEVER;
    }
    return { email: email.data, role: role.data };
  });

/** `OPERATORS`: `alice@example.gouv.fr:administrateur,bob@example.gouv.fr:lecture`; one e-mail once. */
export const operatorsFromEnv = z
  .string()
  .transform((value) => value.split(','))
  .pipe(z.array(entry).min(1).max(200))
  .refine((list) => new Set(list.map((o) => o.email)).size === list.length, 'an e-mail appears twice');

export function roleOf(operators: readonly AllowedOperator[], email: string): OperatorRole | null {
  const wanted = email.trim().toLowerCase();
  return operators.find((o) => o.email === wanted)?.role ?? null;
}
