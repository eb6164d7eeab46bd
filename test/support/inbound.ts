/**
 * Replies by e-mail in tests: a portal with its inbound SMTP listener, the outbox delivering to a
 * real SMTP sink, and helpers to answer a notification as a mail client would.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { transaction } from '../../src/db/client.js';
import { mailContextOf } from '../../src/domain/notifications/request-notifications.js';
import { applyAction } from '../../src/domain/requests/commands/apply-action.js';
import { InboundSmtpListener } from '../../src/jobs/inbound-smtp.js';
import { OutboxWorker } from '../../src/jobs/outbox-worker.js';
import { actorOf, count, rows } from './factories.js';
import { MailSink, mailsTo } from './mail-sink.js';
import { createTestPortal, type DatabaseKind, type TestPortal } from './portal.js';

export const REPLY_BASE = 'reponse@assistance.localhost';
export const REQUESTER_EMAIL = 'demandeur@demo.assistance.localhost';
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

export type InboundHarness = {
  portal: TestPortal;
  sink: MailSink;
  listener: InboundSmtpListener;
  smtpPort: number;
  sinkPort: number;
  close(): Promise<void>;
};

export async function startInboundHarness(kind: DatabaseKind): Promise<InboundHarness> {
  const portal = await createTestPortal(kind, { MAIL_REPLY_TO: REPLY_BASE });
  const sink = new MailSink();
  const sinkPort = await sink.start();
  const listener = new InboundSmtpListener(
    { db: portal.database.db, files: portal.app.deps.files, config: portal.config },
    quiet,
  );
  const smtpPort = await listener.start('127.0.0.1', 0);
  return {
    portal,
    sink,
    listener,
    smtpPort,
    sinkPort,
    async close() {
      await listener.stop();
      await sink.stop();
      await portal.close();
    },
  };
}

/** Delivers the outbox to the sink, as the portal's worker does. */
export async function deliverOutbox(h: InboundHarness): Promise<number> {
  const worker = new OutboxWorker(
    h.portal.database.db,
    {
      smtpUrl: `smtp://127.0.0.1:${h.sinkPort}`,
      mailFrom: 'Assistance <ne-pas-repondre@assistance.localhost>',
      publicUrl: h.portal.config.publicUrl,
      files: h.portal.app.deps.files,
    },
    quiet,
  );
  let total = 0;
  for (let n = await worker.runOnce(); n > 0; n = await worker.runOnce()) total += n;
  return total;
}

/** An action on a request as `login`, through the command the pages use, with the portal's mail settings. */
export async function act(
  h: InboundHarness,
  login: string,
  number: number,
  action: 'ask_info' | 'resolve' | 'add_info' | 'accept',
  message = '',
) {
  const db = h.portal.database.db;
  const actor = await actorOf(db, login);
  await transaction(db, (tx) => applyAction(tx, actor, number, action, { message }, mailContextOf(h.portal.config)));
}

/** The last notification the requester received about request `number`. */
export async function lastNotification(h: InboundHarness, number: number): Promise<ParsedMail> {
  await deliverOutbox(h);
  const mails = (await mailsTo(h.sink, REQUESTER_EMAIL)).filter((m) => m.subject?.includes(`n° ${number}]`));
  const mail = mails.at(-1);
  if (!mail) throw new Error(`no notification of request ${number}`);
  return mail;
}

export const replyToOf = (mail: ParsedMail) => {
  const address = mail.replyTo?.value[0]?.address;
  if (!address) throw new Error(`no Reply-To in: ${mail.subject}`);
  return address;
};

/** Sends a message to the inbound listener, as a mail server would; `envelopeFrom: ''` is a bounce's null sender. */
export async function sendInbound(h: InboundHarness, message: Mail.Options & { envelopeFrom?: string }) {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: h.smtpPort, secure: false, ignoreTLS: true });
  const { envelopeFrom, ...options } = message;
  const envelope = envelopeFrom !== undefined ? { from: envelopeFrom, to: [String(options.to)] } : undefined;
  try {
    return await transport.sendMail({ ...options, ...(envelope ? { envelope } : {}) });
  } finally {
    transport.close();
  }
}

/** A reply to `notification` from the requester (or `from`), quoting it as mail clients do. */
export function replyTo(notification: ParsedMail, text: string, more: Mail.Options = {}): Mail.Options {
  const quoted = (notification.text ?? '')
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
  return {
    from: `Marie Demandeur <${REQUESTER_EMAIL}>`,
    to: replyToOf(notification),
    subject: `RE: ${notification.subject}`,
    inReplyTo: notification.messageId,
    references: notification.messageId,
    text: `${text}\n\nLe lun. 2 mars 2026 à 10:00, Assistance <ne-pas-repondre@assistance.localhost> a écrit :\n${quoted}\n`,
    ...more,
  };
}

export async function inboundRow(h: InboundHarness, messageId: string) {
  const [row] = await rows<{ outcome: string; reason: string | null; channel: string; request_id: unknown; event_id: unknown }>(
    h.portal.database.db,
    sql`select outcome, reason, channel, request_id, event_id from inbound_messages where message_id = ${messageId}`,
  );
  return row;
}

export const countOf = (h: InboundHarness, query: SQL) => count(h.portal.database.db, query);

/** The requester's events on a request (what a reply adds). */
export async function addedInfo(h: InboundHarness, number: number) {
  return rows<{ id: number; body: string; kind: string }>(
    h.portal.database.db,
    sql`select e.id, e.body, e.kind from request_events e join requests r on r.id = e.request_id
        where r.number = ${number} and e.kind = 'add_info' order by e.id`,
  );
}
