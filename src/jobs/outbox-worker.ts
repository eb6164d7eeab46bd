/**
 * Delivers the outbox. Rows are claimed in a short transaction (FOR UPDATE SKIP LOCKED, so
 * several processes never take the same one), sent outside any transaction, and the outcome
 * recorded in another. A failed send is retried with a growing delay, then marked failed.
 */
import { sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../db/client.js';

const BATCH = 20;
const LEASE_S = 300;
const MAX_ATTEMPTS = 8;

type Claimed = { id: number; to_address: string; subject: string; body: string; attempts: number; request_id: number | null };

export type OutboxOptions = { smtpUrl?: string; mailFrom: string; publicUrl: string };

export class OutboxWorker {
  private readonly transport: Transporter | null;

  constructor(
    private readonly db: Db,
    private readonly options: OutboxOptions,
    private readonly log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void } = console,
  ) {
    this.transport = options.smtpUrl ? nodemailer.createTransport(options.smtpUrl) : null;
  }

  /** Delivers what is due; returns how many rows were handled. */
  async runOnce(): Promise<number> {
    if (!this.transport) return this.keepAll();
    const batch = await this.claim();
    for (const row of batch) await this.deliver(row);
    return batch.length;
  }

  private async claim(): Promise<Claimed[]> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.execute(sql`
        select id, to_address, subject, body, attempts, request_id from outbox
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

  private async deliver(row: Claimed) {
    try {
      const info = await this.transport!.sendMail({
        from: this.options.mailFrom,
        to: row.to_address,
        subject: row.subject,
        text: row.body,
        headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
      });
      await this.db.execute(sql`
        update outbox set status = 'sent', sent_at = now(), message_id = ${info.messageId ?? null}, last_error = null
        where id = ${row.id}`);
    } catch (error) {
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
