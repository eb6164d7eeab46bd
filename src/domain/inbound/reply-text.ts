/**
 * What a person wrote in a reply, without the message they replied to nor their signature:
 * the history keeps the new information only, not the portal's own notification quoted back.
 */

export const MAX_REPLY_LENGTH = 20000;

/** Lines that open the quoted message, in the usual French and English clients. */
const QUOTE_OPENERS = [/^-{2,}\s*(message d['’]origine|original message)\s*-{2,}/i, /^_{10,}\s*$/];
/** « Le lun. 2 mars 2026 à 10:00, X <x@y> a écrit : » and « On Mon, … wrote: », often wrapped on two lines. */
const ATTRIBUTION = /^(le\s.+\sa\s+[ée]crit|on\s.+\swrote)\s*:?\s*$/i;
const ATTRIBUTION_START = /^(le|on)\s/i;
/** An Outlook-style header block: `De :`/`From:` then `Envoyé :`, `Date:`, `À :`, `Objet :`… */
const HEADER_FROM = /^\*?(de|from)\s*:\s*\S/i;
const HEADER_OTHER = /^\*?(envoy[ée]|sent|date|[àa]|to|cc|objet|subject)\s*:/i;
const SIGNATURE = /^-- ?$/;

/** The new text of a reply: quoted lines, the quoted message and the trailing signature removed. */
export function replyText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (const [i, line] of lines.entries()) {
    if (opensQuote(lines, i) || SIGNATURE.test(line)) break;
    if (line.trimStart().startsWith('>')) continue;
    kept.push(line.trimEnd());
  }
  return kept
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .slice(0, MAX_REPLY_LENGTH);
}

function opensQuote(lines: string[], i: number): boolean {
  const line = (lines[i] ?? '').trim();
  if (QUOTE_OPENERS.some((re) => re.test(line))) return true;
  if (ATTRIBUTION.test(line)) return true;
  const next = lines[i + 1]?.trim() ?? '';
  if (ATTRIBUTION_START.test(line) && ATTRIBUTION.test(`${line} ${next}`)) return true;
  if (HEADER_FROM.test(line)) {
    // A header block, not a sentence starting with « De : »: another header follows within a few lines.
    return lines.slice(i + 1, i + 5).some((l) => HEADER_OTHER.test(l.trim()));
  }
  return false;
}
