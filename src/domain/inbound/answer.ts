/**
 * The one answer a person may get to a reply that could not be added: their request no longer
 * takes information by e-mail, the portal does. Marked as an automatic reply so that it is never
 * answered in turn.
 */
import { createHash } from 'node:crypto';
import type { Tx } from '../../db/client.js';
import { outbox } from '../../db/schema.js';
import { headerSafe } from '../notifications/outbox.js';

export type RefusedReply = {
  to: string;
  requestNumber: number;
  requestId: number | null;
  userId: number;
  /** The Message-ID of the person's message, for threading and to answer it once. */
  messageId: string;
};

export async function enqueueRefusalAnswer(tx: Tx, reply: RefusedReply, publicUrl: string) {
  const inReplyTo = /^<[^<>\s]+>$/.test(reply.messageId) ? { 'In-Reply-To': reply.messageId, References: reply.messageId } : {};
  await tx
    .insert(outbox)
    .values({
      kind: 'inbound_refused',
      toAddress: headerSafe(reply.to),
      subject: `[Demande n° ${reply.requestNumber}] Votre message n’a pas été ajouté`,
      body:
        'Bonjour,\n\n' +
        `Votre message n’a pas été ajouté à la demande n° ${reply.requestNumber} : ` +
        'cette demande n’accepte plus de complément par courriel.\n\n' +
        `Consultez-la sur le portail : ${publicUrl}/demandes/${reply.requestNumber}\n` +
        'Pour une nouvelle question, déposez une nouvelle demande depuis le portail.\n\n' +
        'Cordialement,\nL’assistance des Ministères sociaux\n\n' +
        '— Ce message est envoyé automatiquement ; merci de ne pas y répondre.',
      requestId: reply.requestId,
      recipientId: reply.userId,
      dedupeKey: `inbound-refused:${createHash('sha256').update(reply.messageId).digest('hex').slice(0, 32)}`,
      headers: { 'Auto-Submitted': 'auto-replied', ...inReplyTo } as Record<string, string>,
    })
    .onConflictDoNothing({ target: outbox.dedupeKey });
}
