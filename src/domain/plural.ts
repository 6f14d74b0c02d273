/** "1 télédossier", "2 télédossiers", "10 000 personnes": French takes the singular for 0 and 1. */
export function plural(count: number, singular: string, pluralForm: string): string {
  return `${count.toLocaleString('fr-FR')} ${count > 1 ? pluralForm : singular}`;
}
