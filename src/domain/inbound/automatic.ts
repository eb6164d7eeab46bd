/**
 * Messages no person wrote: auto-replies, bounces, lists. They are recorded but never added to a
 * request and never answered, so two robots can never write to each other forever (RFC 3834).
 */

/** What the checks need of a message: its raw header lines, sender and parts' types. */
export type MailFacts = {
  /** Header lines as received, `Name: value` (folded lines joined). */
  headerLines: readonly { key: string; line: string }[];
  /** The header sender's address, lower-case. */
  from: string;
  subject: string;
  /** Media types of the attachments (a delivery report travels as one). */
  partTypes: string[];
  /** The SMTP envelope sender: '' is the null sender of bounces; undefined when unknown (IMAP). */
  envelopeFrom?: string;
};

const LIST_HEADERS = ['list-id', 'list-unsubscribe'];
// X-Auto-Response-Suppress is left out: Outlook sets it on messages people write, too.
const AUTO_REPLY_HEADERS = ['x-autoreply', 'x-autorespond'];
const BULK_PRECEDENCE = ['bulk', 'junk', 'list', 'auto_reply'];
const ROBOT_SENDERS = /^(mailer-daemon|postmaster)$/i;
const AUTO_SUBJECT = /absence du bureau|r[ée]ponse automatique|out of (the )?office|automatic reply|auto-?reply/i;

/** The value of the first header `name` (lower-case), or undefined. */
export function headerValue(facts: Pick<MailFacts, 'headerLines'>, name: string): string | undefined {
  const found = facts.headerLines.find((h) => h.key === name);
  if (!found) return undefined;
  const colon = found.line.indexOf(':');
  return found.line
    .slice(colon + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

/** Why the message is automatic (French, for the administrators' list), or null for a person's message. */
export function automaticReason(facts: MailFacts): string | null {
  const autoSubmitted = headerValue(facts, 'auto-submitted');
  if (autoSubmitted !== undefined && (autoSubmitted.split(';')[0] ?? '').trim().toLowerCase() !== 'no') {
    return `réponse automatique (Auto-Submitted: ${autoSubmitted.slice(0, 40)})`;
  }
  if (isBounce(facts)) return 'avis de non-remise';
  const precedence = headerValue(facts, 'precedence')?.toLowerCase();
  if (precedence && BULK_PRECEDENCE.includes(precedence)) return `envoi automatique (Precedence: ${precedence})`;
  const autoHeader = AUTO_REPLY_HEADERS.find((name) => headerValue(facts, name) !== undefined);
  if (autoHeader) return `réponse automatique (en-tête ${canonical(autoHeader)})`;
  const listHeader = LIST_HEADERS.find((name) => headerValue(facts, name) !== undefined);
  if (listHeader) return `liste de diffusion (en-tête ${canonical(listHeader)})`;
  if (AUTO_SUBJECT.test(facts.subject)) return 'réponse automatique (objet du message)';
  return null;
}

function isBounce(facts: MailFacts): boolean {
  if (facts.envelopeFrom === '') return true;
  const returnPath = headerValue(facts, 'return-path');
  if (returnPath !== undefined && /^<?\s*>?$/.test(returnPath)) return true;
  if (ROBOT_SENDERS.test(facts.from.split('@')[0] ?? '')) return true;
  const contentType = headerValue(facts, 'content-type')?.toLowerCase() ?? '';
  if (contentType.startsWith('multipart/report')) return true;
  return facts.partTypes.some((t) => t.toLowerCase() === 'message/delivery-status');
}

const canonical = (name: string) => name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
