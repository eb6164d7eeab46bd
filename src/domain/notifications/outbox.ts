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
  return (await enqueueMails(tx, [mail])) > 0;
}

/** Writes mails to the outbox in one statement; returns how many were new (dedupe keys). */
export async function enqueueMails(tx: Tx, mails: Mail[]): Promise<number> {
  if (!mails.length) return 0;
  const ids = await nextOutboxIds(tx, mails.filter((m) => m.thread).length);
  const rows = mails.map((mail) => {
    const id = mail.thread ? ids.shift() : undefined;
    const headers =
      mail.thread && id !== undefined
        ? {
            'Message-ID': `<outbox-${id}.${randomBytes(6).toString('hex')}@${mail.thread.domain}>`,
            'In-Reply-To': requestReference(mail.thread.requestNumber, mail.thread.domain),
            References: requestReference(mail.thread.requestNumber, mail.thread.domain),
          }
        : null;
    return {
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
    };
  });
  // Rows with and without a chosen id go apart: a multi-row insert takes one column list.
  let written = 0;
  for (const batch of [rows.filter((r) => 'id' in r), rows.filter((r) => !('id' in r))]) {
    if (!batch.length) continue;
    const inserted = await tx
      .insert(outbox)
      .values(batch)
      .onConflictDoNothing({ target: outbox.dedupeKey })
      .returning({ id: outbox.id });
    written += inserted.length;
  }
  return written;
}

/** The rows' ids before insertion, so that their Message-IDs can name them. */
async function nextOutboxIds(tx: Tx, count: number): Promise<number[]> {
  if (!count) return [];
  const result = await tx.execute(
    sql`select nextval(pg_get_serial_sequence('outbox', 'id')) as id from generate_series(1, ${count}::int)`,
  );
  return (result.rows as { id: string | number }[]).map((r) => Number(r.id));
}
