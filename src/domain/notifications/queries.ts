import { desc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { outbox } from '../../db/schema.js';
import { isBigId } from '../validation.js';

/** The outbox, newest first, keyset-paginated by id. */
export async function listOutbox(db: Executor, beforeId: number | undefined, limit: number) {
  const rows = await db
    .select({
      id: outbox.id,
      toAddress: outbox.toAddress,
      subject: outbox.subject,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
      sentAt: outbox.sentAt,
    })
    .from(outbox)
    .where(isBigId(beforeId) ? sql`${outbox.id} < ${beforeId}` : undefined)
    .orderBy(desc(outbox.id))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), next: rows.length > limit ? rows[limit - 1]?.id : undefined };
}

export async function getOutboxMessage(db: Executor, id: number) {
  if (!isBigId(id)) return null;
  const [row] = await db.select().from(outbox).where(eq(outbox.id, id));
  return row ?? null;
}

/**
 * Notifications of a request that could not be delivered, for the staff who handle it; a
 * requester never reads them (deny unless staff).
 */
export async function mailFailuresOf(db: Executor, actor: { role: string } | null, requestId: number) {
  if (!actor || !['agent', 'expert', 'admin'].includes(actor.role)) return [];
  return db
    .select({ id: outbox.id, kind: outbox.kind, toAddress: outbox.toAddress, lastError: outbox.lastError })
    .from(outbox)
    .where(sql`${outbox.requestId} = ${requestId} and ${outbox.status} = 'failed'`)
    .orderBy(desc(outbox.id))
    .limit(20);
}

export type MailFailure = Awaited<ReturnType<typeof mailFailuresOf>>[number];
