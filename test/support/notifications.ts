/**
 * Notifications over a real SMTP server: the portal's own worker delivers to a MailSink, and the
 * tests read what each person received.
 */
import { sql } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';
import { transaction } from '../../src/db/client.js';
import { mailContextOf } from '../../src/domain/notifications/request-notifications.js';
import { type ActionInput, applyAction } from '../../src/domain/requests/commands/apply-action.js';
import { fileRequest } from '../../src/domain/requests/commands/file-request.js';
import type { NewRequestInput } from '../../src/domain/requests/input.js';
import type { Action } from '../../src/domain/vocabulary.js';
import { OutboxWorker } from '../../src/jobs/outbox-worker.js';
import { newFormToken } from '../../src/web/shared/form-token.js';
import { actorOf, applicationId } from './factories.js';
import { MailSink } from './mail-sink.js';
import { createTestPortal, type DatabaseKind, type TestPortal } from './portal.js';

export const REPLY_BASE = 'reponse@assistance.localhost';
const quiet = { info: () => {}, warn: () => {} };

export type Delivered = ParsedMail & { to_: string[]; raw: string };

/** A portal whose mails carry reply addresses, with a mail server and a worker delivering to it. */
export class MailedPortal {
  portal!: TestPortal;
  readonly sink = new MailSink();
  smtpUrl = '';

  async start(kind: DatabaseKind) {
    this.portal = await createTestPortal(kind, { MAIL_REPLY_TO: REPLY_BASE, PUBLIC_URL: 'http://localhost:3000' });
    this.smtpUrl = `smtp://127.0.0.1:${await this.sink.start()}`;
    return this;
  }

  async stop() {
    await this.sink.stop();
    await this.portal?.close();
  }

  get db() {
    return this.portal.database.db;
  }

  get context() {
    return mailContextOf(this.portal.config);
  }

  worker(smtpUrl = this.smtpUrl) {
    const { config } = this.portal;
    return new OutboxWorker(
      this.db,
      { smtpUrl, mailFrom: config.mailFrom, publicUrl: config.publicUrl, files: this.portal.app.deps.files },
      quiet,
    );
  }

  /** Forgets what earlier tests left: pending rows and received mails. */
  async reset() {
    await this.db.execute(sql`update outbox set status = 'kept' where status = 'pending'`);
    this.sink.messages.length = 0;
  }

  /** Runs the worker until nothing is due; returns every mail received since the last reset, parsed. */
  async deliver(): Promise<Delivered[]> {
    const worker = this.worker();
    while ((await worker.runOnce()) > 0) {}
    return Promise.all(this.sink.messages.map(async (m) => Object.assign(await simpleParser(m.raw), { to_: m.to, raw: m.raw })));
  }

  /** Files a request as `login` through the domain command, with the portal's mail settings. */
  async file(login: string, fields: Partial<NewRequestInput> & { app?: string } = {}): Promise<number> {
    const actor = await actorOf(this.db, login);
    const { app = 'CERES', ...rest } = fields;
    const input: NewRequestInput = {
      subject: 'Connexion impossible',
      blocking: false,
      applicationId: await applicationId(this.db, app),
      themeId: null,
      problemTypeId: null,
      businessReference: null,
      description: 'Le bouton « Se connecter » ne répond pas.',
      ...rest,
    };
    const created = await transaction(this.db, (tx) =>
      fileRequest(tx, actor, input, { ...this.context, submissionToken: newFormToken() }),
    );
    return created.number;
  }

  async act(login: string, number: number, action: Action, input: ActionInput = {}) {
    const actor = await actorOf(this.db, login);
    return transaction(this.db, (tx) => applyAction(tx, actor, number, action, input, this.context));
  }
}

/** Mails received by `address`. */
export const to = (mails: Delivered[], address: string) => mails.filter((m) => m.to_.includes(address));

/** The path of the first portal link of a mail (to GET it as a person). */
export function linkPath(mail: ParsedMail): string {
  const match = /https?:\/\/[^\s/]+(\/[^\s]*)/.exec(mail.text ?? '');
  if (!match?.[1]) throw new Error(`no link in: ${mail.text}`);
  return match[1];
}

/** A header's raw value (mailparser keeps the structured ones as objects). */
export function header(mail: Delivered, name: string): string {
  const line = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(mail.raw.split('\r\n\r\n')[0] ?? '');
  return line?.[1]?.trim() ?? '';
}
