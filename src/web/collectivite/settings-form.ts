import { z } from 'zod';
import { isRedirectUriAllowed } from '../../domain/redirect-uri.ts';
import type { FamilyInfo } from '../../db/repositories/family-info.ts';

/**
 * The Paramètres forms, read and checked. Return-link prefixes follow the same rules as the allowlist itself
 * (src/domain/redirect-uri.ts): a prefix is accepted only when it would allow itself, i.e. https (http only for
 * localhost outside production), a plain host, no query nor fragment, no tricks in the path.
 */
export const MAX_PREFIXES = 10;

export function readRedirectPrefixes(raw: unknown, options: { allowHttpLocalhost: boolean }): { ok: true; prefixes: string[] } | { ok: false; error: string } {
  const text = typeof raw === 'string' ? raw.slice(0, 20_000) : '';
  const lines = [...new Set(text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))];
  if (lines.length > MAX_PREFIXES) return { ok: false, error: `${MAX_PREFIXES} adresses au plus.` };
  const bad = lines.find((line) => {
    if (!isRedirectUriAllowed(line, [line], options)) return true;
    const url = new URL(line);
    return url.search !== '' || url.hash !== '' || line.includes('?') || line.includes('#');
  });
  if (bad !== undefined) {
    return { ok: false, error: `Adresse refusée : « ${bad.slice(0, 100)} ». Chaque adresse doit commencer par https://, sans paramètre (?…) ni ancre (#…).` };
  }
  return { ok: true, prefixes: lines };
}

const optionalText = (max: number) =>
  z
    .string()
    .transform((v) => v.trim())
    .pipe(z.string().max(max))
    .transform((v) => (v === '' ? null : v));

const contactSchema = z.object({
  service_name: optionalText(200),
  phone: optionalText(40).refine((v) => v === null || /^[0-9+().\s-]{6,40}$/.test(v), 'phone'),
  email: optionalText(320).refine((v) => v === null || z.email().safeParse(v).success, 'email'),
  address: optionalText(500),
  opening_hours: optionalText(500),
  without_franceconnect_text: optionalText(2000),
});

const FIELD_ERRORS: Record<string, string> = {
  service_name: 'Le nom du service fait 200 caractères au plus.',
  phone: 'Le téléphone ne contient que des chiffres, espaces, points, tirets, parenthèses ou « + ».',
  email: 'L’adresse e-mail n’est pas valide.',
  address: 'L’adresse fait 500 caractères au plus.',
  opening_hours: 'Les horaires font 500 caractères au plus.',
  without_franceconnect_text: 'Le texte fait 2 000 caractères au plus.',
};

export function readFamilyInfo(body: unknown): { ok: true; info: FamilyInfo } | { ok: false; errors: Record<string, string> } {
  // A field left out of the form is an empty field.
  const form = (body ?? {}) as Record<string, unknown>;
  const input = Object.fromEntries(Object.keys(FIELD_ERRORS).map((name) => [name, typeof form[name] === 'string' ? form[name] : '']));
  const parsed = contactSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      if (FIELD_ERRORS[field]) errors[field] = FIELD_ERRORS[field];
    }
    return { ok: false, errors };
  }
  const c = parsed.data;
  return {
    ok: true,
    info: {
      serviceName: c.service_name,
      phone: c.phone,
      email: c.email,
      address: c.address,
      openingHours: c.opening_hours,
      withoutFranceConnectText: c.without_franceconnect_text,
    },
  };
}
