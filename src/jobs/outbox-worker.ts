/**
 * Delivers the outbox. Rows are claimed in a short transaction (FOR UPDATE SKIP LOCKED, so
 * several processes never take the same one), sent outside any transaction, and the outcome
 * recorded in another. A failed send is retried with a growing delay, then marked failed.
 */
import { join } from 'node:path';
import { inArray, sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import type { Attachment } from 'nodemailer/lib/mailer/index.js';
import { type Db, transaction } from '../db/client.js';
import { attachments } from '../db/schema.js';
import { FileStore } from '../domain/attachments/store.js';

const BATCH = 20;
const LEASE_S = 300;
const MAX_ATTEMPTS = 8;

type Claimed = {
  id: number;
  to_address: string;
  subject: string;
  body: string;
  attempts: number;
  request_id: number | null;
  reply_to: string | null;
  headers: Record<string, string> | null;
  attachment_ids: number[] | null;
};

/** `files` (or the store under `dataDir`) holds the attachments some messages carry. */
export type OutboxOptions = { smtpUrl?: string; mailFrom: string; publicUrl: string; dataDir?: string; files?: FileStore };

export class OutboxWorker {
  private transport: Transporter | null = null;
  private readonly files: FileStore | null;
  /**
   * Messages the SMTP server accepted whose « sent » could not be recorded (database unreachable):
   * recorded first at the next run, and never sent again meanwhile, even when their lease expires.
   */
  private readonly accepted = new Map<number, string | null>();

  constructor(
    private readonly db: Db,
    private readonly options: OutboxOptions,
    private readonly log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void } = console,
  ) {
    this.files = options.files ?? (options.dataDir ? new FileStore(join(options.dataDir, 'files')) : null);
  }

  /** Delivers what is due; returns how many rows were handled. */
  async runOnce(): Promise<number> {
    if (!this.options.smtpUrl) return this.keepAll();
    // nodemailer is loaded by the first delivery, not with the portal: without SMTP it is never needed.
    this.transport ??= (await import('nodemailer')).default.createTransport(this.options.smtpUrl);
    const transport = this.transport;
    for (const [id, messageId] of this.accepted) {
      await this.recordSent(id, messageId);
      this.accepted.delete(id);
    }
    const batch = await this.claim();
    // Each row on its own: one failure neither stops nor delays the others.
    for (const row of batch) await this.deliver(transport, row);
    return batch.length;
  }

  private async claim(): Promise<Claimed[]> {
    return transaction(this.db, async (tx) => {
      const rows = await tx.execute(sql`
        select id, to_address, subject, body, attempts, request_id, reply_to, headers, attachment_ids from outbox
        where status = 'pending' and next_attempt_at <= now()
        order by id limit ${BATCH}
        for update skip locked`);
      const claimed = rows.rows as Claimed[];
      if (claimed.length) {
        // The lease: if this process dies mid-send, another takes the row after it expires.
        await tx.execute(sql`
          update outbox set attempts = attempts + 1, next_attempt_at = now() + make_interval(secs => ${LEASE_S})
          where id in (${sql.join(
            claimed.map((r) => sql`${r.id}`),
            sql`, `,
          )})`);
      }
      return claimed;
    });
  }

  private async deliver(transport: Transporter, row: Claimed) {
    const { 'Message-ID': messageId, ...threading } = row.headers ?? {};
    let info: { messageId?: string };
    try {
      info = await transport.sendMail({
        from: this.options.mailFrom,
        to: row.to_address,
        replyTo: row.reply_to ?? undefined,
        subject: row.subject,
        text: row.body,
        messageId,
        // A row may name its own Auto-Submitted value (auto-replied for an answer to a person's mail).
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All', ...threading },
        attachments: await this.attachmentsOf(row),
      });
    } catch (error) {
      await this.recordFailure(row, error).catch((e: Error) =>
        // Not sent and not recorded: the lease runs out and the row is tried again.
        this.log.warn({ outboxId: row.id, error: e.message }, 'mail failure not recorded'),
      );
      return;
    }
    const sentId = info.messageId ?? messageId ?? null;
    await this.recordSent(row.id, sentId).catch((e: Error) => {
      this.accepted.set(row.id, sentId);
      this.log.warn({ outboxId: row.id, messageId: sentId, error: e.message }, 'mail sent, not yet recorded');
    });
  }

  private async recordSent(id: number, messageId: string | null) {
    await this.db.execute(sql`
      update outbox set status = 'sent', sent_at = now(), message_id = ${messageId}, last_error = null
      where id = ${id}`);
  }

  private async recordFailure(row: Claimed, error: unknown) {
    const attempts = row.attempts + 1;
    const message = (error as Error).message.slice(0, 500);
    const permanent = attempts >= MAX_ATTEMPTS || isPermanent(error);
    // 30 s, 1 min, 2 min … between attempts.
    const delayS = 30 * 2 ** (attempts - 1);
    await this.db.execute(sql`
      update outbox set
        status = ${permanent ? 'failed' : 'pending'},
        last_error = ${message},
        next_attempt_at = now() + make_interval(secs => ${delayS})
      where id = ${row.id}`);
    this.log.warn({ outboxId: row.id, attempts, permanent, error: message }, 'mail delivery failed');
  }

  /** The files a message carries, streamed from the store while it is sent. */
  private async attachmentsOf(row: Claimed): Promise<Attachment[] | undefined> {
    const ids = row.attachment_ids ?? [];
    if (!ids.length) return undefined;
    const store = this.files;
    if (!store) throw new Error('no file store to read attachments from');
    const files = await this.db
      .select({ key: attachments.storageKey, name: attachments.originalName, type: attachments.mediaType })
      .from(attachments)
      .where(inArray(attachments.id, ids))
      .orderBy(attachments.id);
    return files.map((f) => ({ filename: f.name, contentType: f.type, content: store.open(f.key) }));
  }

  /** With no SMTP server configured, messages are kept for administrators to read. */
  private async keepAll(): Promise<number> {
    const rows = await this.db.execute(sql`update outbox set status = 'kept' where status = 'pending' returning id`);
    return rows.rows.length;
  }
}

/** SMTP 5xx answers (unknown recipient, refused) will not get better by retrying. */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}
