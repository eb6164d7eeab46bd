/**
 * Every inbound message is recorded once, by its Message-ID, with what became of it; refusals
 * also go to the audit trail. The list is what administrators read under « Courriels reçus ».
 */
import { desc, eq, sql } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/client.js';
import { inboundMessages, requests } from '../../db/schema.js';
import { audit } from '../audit/audit.js';
import { isBigId } from '../validation.js';

export type Channel = 'smtp' | 'imap';
export type Outcome = 'added' | 'refused' | 'ignored';

export type InboundRow = {
  messageId: string;
  fromAddress: string | null;
  subject: string | null;
  channel: Channel;
};

export async function isRecorded(db: Executor, messageId: string): Promise<boolean> {
  const [row] = await db.select({ id: inboundMessages.id }).from(inboundMessages).where(eq(inboundMessages.messageId, messageId));
  return row !== undefined;
}

/**
 * Claims the message: inserts its row, or returns null when it was already recorded (delivered
 * twice, or by two processes at once: the unique Message-ID lets one of them through).
 */
export async function claimMessage(
  tx: Tx,
  row: InboundRow,
  outcome: Outcome,
  reason: string | null,
  requestId: number | null = null,
): Promise<number | null> {
  const [inserted] = await tx
    .insert(inboundMessages)
    .values({
      ...row,
      requestId,
      fromAddress: row.fromAddress?.slice(0, 320) ?? null,
      subject: row.subject?.slice(0, 500) ?? null,
      outcome,
      reason,
    })
    .onConflictDoNothing({ target: inboundMessages.messageId })
    .returning({ id: inboundMessages.id });
  return inserted?.id ?? null;
}

export async function settleMessage(
  tx: Tx,
  id: number,
  values: { outcome: Outcome; reason: string | null; requestId?: number | null; eventId?: number | null },
) {
  await tx.update(inboundMessages).set(values).where(eq(inboundMessages.id, id));
}

/** A refusal in the audit trail: who the token named (if anyone), which request, why. No address tokens. */
export async function auditRefusal(
  tx: Tx,
  row: InboundRow,
  reason: string,
  context: { userId?: number | null; requestNumber?: number | null },
) {
  await audit(tx, {
    action: 'inbound.refused',
    actorId: context.userId ?? null,
    target: context.requestNumber ? `demande ${context.requestNumber}` : undefined,
    details: { reason, from: row.fromAddress, messageId: row.messageId.slice(0, 200), channel: row.channel },
  });
}

/** Received messages, newest first, keyset-paginated by id. */
export async function listInbound(db: Executor, beforeId: number | undefined, limit: number) {
  const rows = await db
    .select({
      id: inboundMessages.id,
      fromAddress: inboundMessages.fromAddress,
      subject: inboundMessages.subject,
      channel: inboundMessages.channel,
      outcome: inboundMessages.outcome,
      reason: inboundMessages.reason,
      receivedAt: inboundMessages.receivedAt,
      requestNumber: requests.number,
    })
    .from(inboundMessages)
    .leftJoin(requests, eq(requests.id, inboundMessages.requestId))
    .where(isBigId(beforeId) ? sql`${inboundMessages.id} < ${beforeId}` : undefined)
    .orderBy(desc(inboundMessages.id))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), next: rows.length > limit ? rows[limit - 1]?.id : undefined };
}
