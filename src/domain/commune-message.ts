/**
 * The commune's message to the family, as an agent wrote it in HubEE ("Message pour l'usager") or its software
 * sent it (`message` of a STATUS_UPDATE or SENDING_MESSAGE event). It is the commune's words, shown on the
 * family's follow-up page: kept short, without control characters (line breaks kept, they are the agent's
 * paragraphs), and never empty.
 */
export const COMMUNE_MESSAGE_MAX_LENGTH = 1000;

declare const communeMessage: unique symbol;
export type CommuneMessage = string & { readonly [communeMessage]: true };

// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** The message to keep, or null when there is nothing to show. */
export function communeMessageFrom(raw: string | null | undefined): CommuneMessage | null {
  if (!raw) return null;
  const cleaned = raw
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL_BUT_LINE_BREAKS, ' ')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  if (cleaned === '') return null;
  // Cut on a code point, never inside a surrogate pair.
  const kept = [...cleaned].slice(0, COMMUNE_MESSAGE_MAX_LENGTH).join('');
  return kept as CommuneMessage;
}
