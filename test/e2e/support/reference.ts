/** The reference a page shows in groups ("3F9A 0C12 B7E4D"), back in one piece; undefined when there is none. */
export function referenceShownIn(text: string): string | undefined {
  const match = /\b([0-9A-F]{4})[\s\u00a0]([0-9A-F]{4})[\s\u00a0]([0-9A-F]{5})\b/.exec(text);
  return match ? `${match[1]}${match[2]}${match[3]}` : undefined;
}
