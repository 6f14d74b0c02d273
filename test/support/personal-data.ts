import { personas } from '../../src/sandbox/fixtures.ts';

/**
 * Every persona's names, birth dates (as FranceConnect and as people write them) and QF values, and the lines of
 * `text` where any of them appears. A QF value counts only as a whole number (not inside a longer number or word, a
 * decimal, a timestamp or a request id's group of hex digits), so that "150" does not match a response time of 150.2 ms
 * nor "1200" a request id like 37b79113-1200-43a3-….
 */
export function personalDataIn(lines: readonly string[]): string[] {
  const needles: RegExp[] = [];
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const p of personas) {
    const names = [p.claims.family_name, p.claims.given_name, ...p.claims.given_name_array].filter((n) => n.length >= 3);
    for (const name of names) needles.push(new RegExp(`\\b${literal(name)}\\b`, 'i'));
    const [y, m, d] = p.claims.birthdate.split('-');
    needles.push(new RegExp(literal(p.claims.birthdate)), new RegExp(literal(`${d}/${m}/${y}`)));
    const value = p.qf.data?.quotient_familial?.valeur;
    if (value !== undefined) needles.push(new RegExp(`(?<![\\w.-])${value}(?![\\w.-])`));
    for (const person of [...(p.qf.data?.allocataires ?? []), ...(p.qf.data?.enfants ?? [])]) {
      needles.push(new RegExp(`\\b${literal(String(person.prenoms))}\\b`, 'i'), new RegExp(literal(String(person.date_naissance))));
    }
  }
  return lines.filter((line) => needles.some((needle) => needle.test(line)));
}
