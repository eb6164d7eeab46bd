/**
 * E-mails are written to the outbox in the same transaction as the change they tell of;
 * the worker delivers them afterwards (jobs/outbox-worker.ts).
 */
import type { Tx } from '../../db/client.js';
import { outbox } from '../../db/schema.js';

export type Mail = { to: string; subject: string; body: string; kind: string; requestId?: number };

/** CR and LF never reach a header: they would let a value inject headers. */
export const headerSafe = (value: string) => value.replace(/[\r\n]+/g, ' ').trim();

export async function enqueueMail(tx: Tx, mail: Mail): Promise<void> {
  await tx.insert(outbox).values({
    kind: mail.kind,
    toAddress: headerSafe(mail.to),
    subject: headerSafe(mail.subject),
    body: mail.body,
    requestId: mail.requestId ?? null,
  });
}
