/**
 * Reads replies from an IMAP mailbox (production): every 30 s, the unseen messages are recorded
 * one by one, then flagged \Seen and moved to « Traités ». A message whose processing fails stays
 * unseen for the next run. Several processes may poll the same mailbox: the unique Message-ID
 * keeps each reply once.
 */
import type { ImapFlow } from 'imapflow';
import { type InboundDeps, receiveMessage } from '../domain/inbound/receive.js';

export const DONE_FOLDER = 'Traités';

type Log = { info: (o: object, m: string) => void; warn: (o: object, m: string) => void; error: (o: object, m: string) => void };

export type ImapRun = { handled: number; failed: number };

/** `imap://user:pass@host:port/INBOX` (imaps:// for TLS) → connection settings and mailbox. */
export function imapSettings(url: string) {
  const parsed = new URL(url);
  const secure = parsed.protocol === 'imaps:';
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 993 : 143,
    secure,
    auth: { user: decodeURIComponent(parsed.username), pass: decodeURIComponent(parsed.password) },
    mailbox: decodeURIComponent(parsed.pathname.replace(/^\//, '')) || 'INBOX',
  };
}

export class InboundImapPoller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly deps: InboundDeps,
    private readonly url: string,
    private readonly log: Log,
  ) {}

  start(everyMs = 30_000) {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((error) => this.log.error({ err: error }, 'IMAP polling failed'))
        .finally(() => {
          this.running = null;
        });
    }, everyMs);
    this.timer.unref();
  }

  /** Stops polling and waits for the current run. */
  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Reads the unseen messages once. */
  async runOnce(): Promise<ImapRun> {
    const { mailbox, ...settings } = imapSettings(this.url);
    // Loaded on first use: most processes never need it, and loading it would lengthen every start.
    const { ImapFlow } = await import('imapflow');
    const client = new ImapFlow({ ...settings, logger: false });
    client.on('error', (error: Error) => this.log.warn({ err: error }, 'IMAP connection error'));
    await client.connect();
    const run: ImapRun = { handled: 0, failed: 0 };
    try {
      await ensureFolder(client, DONE_FOLDER);
      const lock = await client.getMailboxLock(mailbox);
      try {
        const uids = (await client.search({ seen: false }, { uid: true })) || [];
        for (const uid of uids) {
          if (await this.handle(client, uid)) run.handled++;
          else run.failed++;
        }
      } finally {
        lock.release();
      }
    } finally {
      await client.logout().catch(() => client.close());
    }
    return run;
  }

  /** One message: recorded, then \Seen and moved; left unseen when recording failed. */
  private async handle(client: ImapFlow, uid: number): Promise<boolean> {
    try {
      const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
      if (!message || typeof message === 'boolean' || !message.source) return false;
      const result = await receiveMessage(this.deps, message.source, { channel: 'imap' });
      this.log.info({ uid, outcome: result.outcome }, 'inbound mail');
    } catch (error) {
      this.log.error({ err: error, uid }, 'inbound mail processing failed');
      return false;
    }
    await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
    await client.messageMove(String(uid), DONE_FOLDER, { uid: true });
    return true;
  }
}

async function ensureFolder(client: ImapFlow, path: string) {
  const folders = await client.list();
  if (!folders.some((f) => f.path === path)) await client.mailboxCreate(path);
}
