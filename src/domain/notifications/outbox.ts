/**
 * E-mails are written to the outbox in the same transaction as the change they tell of;
 * the worker delivers them afterwards (jobs/outbox-worker.ts).
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { outbox } from '../../db/schema.js';

export type Mail = {
  to: string;
  subject: string;
  body: string;
  kind: string;
  requestId?: number;
  /** Names the event, the kind and the recipient: a second enqueue with it sends nothing more. */
  dedupeKey?: string;
  recipientId?: number;
  replyTo?: string;
  /** Files of the store sent along (read at send time). */
  attachmentIds?: number[];
  /** Threading: mails of one request share a reference, so mail clients show them together. */
  thread?: { requestNumber: number; domain: string };
};

/** CR and LF never reach a header: they would let a value inject headers. */
export const headerSafe = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();

/** The reference every mail of a request points to. */
export const requestReference = (requestNumber: number, domain: string) => `<demande-${requestNumber}@${domain}>`;

/** Writes the mail to the outbox; false when its dedupe key was already there (nothing written). */
export async function enqueueMail(tx: Tx, mail: Mail): Promise<boolean> {
  const id = mail.thread ? await nextOutboxId(tx) : undefined;
  const headers =
    mail.thread && id !== undefined
      ? {
          'Message-ID': `<outbox-${id}.${randomBytes(6).toString('hex')}@${mail.thread.domain}>`,
          'In-Reply-To': requestReference(mail.thread.requestNumber, mail.thread.domain),
          References: requestReference(mail.thread.requestNumber, mail.thread.domain),
        }
      : null;
  const inserted = await tx
    .insert(outbox)
    .values({
      ...(id !== undefined ? { id } : {}),
      kind: mail.kind,
      toAddress: headerSafe(mail.to),
      subject: headerSafe(mail.subject),
      body: mail.body,
      requestId: mail.requestId ?? null,
      dedupeKey: mail.dedupeKey ?? null,
      recipientId: mail.recipientId ?? null,
      replyTo: mail.replyTo ? headerSafe(mail.replyTo) : null,
      headers,
      attachmentIds: mail.attachmentIds?.length ? mail.attachmentIds : null,
    })
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id });
  return inserted.length > 0;
}

/** The row's id before insertion, so that its Message-ID can name it. */
async function nextOutboxId(tx: Tx): Promise<number> {
  const result = await tx.execute(sql`select nextval(pg_get_serial_sequence('outbox', 'id')) as id`);
  return Number((result.rows[0] as { id: string | number }).id);
}
