/**
 * A reply by e-mail becomes « J'ajoute une information » from the person the notification was
 * sent to — the same command as the web form, so notifications and service levels follow.
 * Whatever the channel (SMTP listener, IMAP mailbox), every message goes through `receiveMessage`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { AddressObject, ParsedMail } from 'mailparser';
import { type Db, type Tx, transaction } from '../../db/client.js';
import { requests, users } from '../../db/schema.js';
import { loadActor } from '../accounts/actors.js';
import { stageFiles } from '../attachments/staging.js';
import type { FileStore } from '../attachments/store.js';
import { parseReplyAddress, type ReplyTarget } from '../notifications/reply-address.js';
import { mailContextOf } from '../notifications/request-notifications.js';
import { applyAction } from '../requests/commands/apply-action.js';
import { can } from '../requests/policy.js';
import { lockRequest } from '../requests/repository.js';
import { enqueueRefusalAnswer } from './answer.js';
import { discard, type SavedAttachments, saveAttachments } from './attachments.js';
import { automaticReason } from './automatic.js';
import { auditRefusal, type Channel, claimMessage, type InboundRow, isRecorded, settleMessage } from './record.js';
import { replyText } from './reply-text.js';

export type InboundDeps = {
  db: Db;
  files: FileStore;
  config: {
    publicUrl: string;
    sessionSecret: string;
    mailReplyTo?: string;
    upload: { maxFileBytes: number; maxFiles: number };
  };
};

/** How the message arrived: the SMTP envelope when there is one. */
export type Delivery = { channel: Channel; envelopeFrom?: string; envelopeTo?: string[] };

export type Received =
  | { outcome: 'duplicate' }
  | { outcome: 'ignored' | 'refused' | 'added'; reason: string | null; requestNumber?: number };

export const REASONS = {
  unknownAddress: 'adresse de réponse inconnue ou altérée',
  unknownUser: 'compte inconnu ou désactivé',
  wrongSender: 'l’expéditeur n’est pas le destinataire de la notification',
  empty: 'message vide',
  closed: 'la demande n’accepte plus de complément de cette personne',
} as const;

/**
 * Reads one raw message and records what becomes of it, once. Throws only on a fault (database,
 * disk): then nothing is recorded and the channel delivers the message again later.
 */
export async function receiveMessage(deps: InboundDeps, raw: Buffer, delivery: Delivery): Promise<Received> {
  // Loaded on first use: most processes never need it, and loading it would lengthen every start.
  const { simpleParser } = await import('mailparser');
  const mail = await simpleParser(raw);
  const row: InboundRow = {
    messageId: messageKey(mail, raw),
    fromAddress: senderOf(mail),
    subject: mail.subject ?? null,
    channel: delivery.channel,
  };
  if (await isRecorded(deps.db, row.messageId)) return { outcome: 'duplicate' };

  const automatic = automaticReason({
    headerLines: mail.headerLines,
    from: row.fromAddress ?? '',
    subject: mail.subject ?? '',
    partTypes: mail.attachments.map((a) => a.contentType),
    envelopeFrom: delivery.envelopeFrom,
  });
  if (automatic) return record(deps.db, row, 'ignored', automatic);

  const target = targetOf(deps.config, mail, delivery);
  if (!target) return refuse(deps.db, row, REASONS.unknownAddress, {});
  const [user] = await deps.db.select().from(users).where(eq(users.id, target.userId));
  const [request] = await deps.db.select({ id: requests.id }).from(requests).where(eq(requests.number, target.requestNumber));
  const context = { userId: user?.id, requestNumber: target.requestNumber, requestId: request?.id };
  if (!user?.active) return refuse(deps.db, row, REASONS.unknownUser, context);
  if (!row.fromAddress || row.fromAddress !== user.email.toLowerCase()) return refuse(deps.db, row, REASONS.wrongSender, context);
  const text = replyText(mail.text ?? '');
  if (!text) return refuse(deps.db, row, REASONS.empty, context);

  const saved = await saveAttachments(deps.files, mail.attachments, deps.config.upload);
  try {
    const result = await transaction(deps.db, (tx) => addInformation(tx, deps, row, target, text, saved, user.email));
    if (result.outcome !== 'added') await discard(deps.files, saved.stored);
    return result;
  } catch (error) {
    await discard(deps.files, saved.stored);
    throw error;
  }
}

/** In one transaction: claim the message, check the request still takes information, add it. */
async function addInformation(
  tx: Tx,
  deps: InboundDeps,
  row: InboundRow,
  target: ReplyTarget,
  text: string,
  saved: SavedAttachments,
  email: string,
): Promise<Received> {
  const inboundId = await claimMessage(tx, row, 'refused', REASONS.closed);
  if (inboundId === null) return { outcome: 'duplicate' };
  const request = await lockRequest(tx, target.requestNumber);
  const actor = await loadActor(tx, target.userId);
  if (!request || !actor || !can(actor, 'add_info', request)) {
    // A person wrote to a request that no longer takes information: tell them, once, where to go.
    await settleMessage(tx, inboundId, { outcome: 'refused', reason: REASONS.closed, requestId: request?.id ?? null });
    await auditRefusal(tx, row, REASONS.closed, { userId: target.userId, requestNumber: target.requestNumber });
    const answer = { to: email, requestNumber: target.requestNumber, requestId: request?.id ?? null, userId: target.userId };
    await enqueueRefusalAnswer(tx, { ...answer, messageId: row.messageId }, deps.config.publicUrl);
    return { outcome: 'refused', reason: REASONS.closed, requestNumber: target.requestNumber };
  }
  const submissionToken = `courriel-${createHash('sha256').update(row.messageId).digest('hex').slice(0, 40)}`;
  const stagingToken = randomBytes(18).toString('base64url');
  await stageFiles(tx, actor.id, stagingToken, saved.stored);
  const message = saved.dropped.length
    ? `${text}\n\nPièces jointes non retenues :\n${saved.dropped.map((d) => `- ${d}`).join('\n')}`
    : text;
  const added = await applyAction(
    tx,
    actor,
    request.number,
    'add_info',
    { message, stagingToken, submissionToken },
    mailContextOf(deps.config),
  );
  const reason = saved.dropped.length ? `pièces jointes non retenues : ${saved.dropped.join(' ')}` : null;
  await settleMessage(tx, inboundId, { outcome: 'added', reason, requestId: request.id, eventId: added.eventId });
  return { outcome: 'added', reason, requestNumber: request.number };
}

async function record(db: Db, row: InboundRow, outcome: 'ignored' | 'refused', reason: string): Promise<Received> {
  const id = await transaction(db, (tx) => claimMessage(tx, row, outcome, reason));
  return id === null ? { outcome: 'duplicate' } : { outcome, reason };
}

async function refuse(
  db: Db,
  row: InboundRow,
  reason: string,
  context: { userId?: number; requestNumber?: number; requestId?: number },
): Promise<Received> {
  const id = await transaction(db, async (tx) => {
    const claimed = await claimMessage(tx, row, 'refused', reason, context.requestId ?? null);
    if (claimed !== null) await auditRefusal(tx, row, reason, context);
    return claimed;
  });
  return id === null ? { outcome: 'duplicate' } : { outcome: 'refused', reason };
}

/** The Message-ID, or a hash of the whole message when it has none. */
function messageKey(mail: ParsedMail, raw: Buffer): string {
  const id = mail.messageId?.trim();
  return id ? id.slice(0, 900) : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

const senderOf = (mail: ParsedMail) => mail.from?.value[0]?.address?.trim().toLowerCase() || null;

/** The first recipient that is one of our reply addresses with a valid token. */
function targetOf(config: InboundDeps['config'], mail: ParsedMail, delivery: Delivery): ReplyTarget | null {
  if (!config.mailReplyTo) return null;
  for (const address of recipientsOf(mail, delivery)) {
    const target = parseReplyAddress(address, config.mailReplyTo, config.sessionSecret);
    if (target) return target;
  }
  return null;
}

/** The envelope's recipients first, then the headers that name them (To, Cc, and those delivery agents add). */
function recipientsOf(mail: ParsedMail, delivery: Delivery): string[] {
  const listed = (field: AddressObject | AddressObject[] | undefined) =>
    (Array.isArray(field) ? field : field ? [field] : []).flatMap((o) => o.value.map((v) => v.address ?? ''));
  const delivered = mail.headerLines
    .filter((h) => h.key === 'delivered-to' || h.key === 'x-original-to')
    .map((h) =>
      h.line
        .slice(h.line.indexOf(':') + 1)
        .trim()
        .replace(/^<|>$/g, ''),
    );
  return [...(delivery.envelopeTo ?? []), ...listed(mail.to), ...listed(mail.cc), ...delivered].filter(Boolean);
}
