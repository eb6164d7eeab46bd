/**
 * Replies read from a real IMAP mailbox (a private Dovecot): each unseen message is recorded,
 * then flagged \Seen and moved to « Traités »; a message whose processing fails stays unseen and
 * is read again on the next run. Skipped, with the reason, when Dovecot is not installed.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ImapFlow } from 'imapflow';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { FileStore } from '../src/domain/attachments/store.js';
import { DONE_FOLDER, InboundImapPoller } from '../src/jobs/inbound-imap.js';
import { type Dovecot, dovecotMissing, startDovecot } from './support/dovecot.js';
import { fileAs } from './support/factories.js';
import { PNG } from './support/http.js';
import {
  act,
  addedInfo,
  type InboundHarness,
  inboundRow,
  lastNotification,
  replyTo,
  replyToOf,
  startInboundHarness,
} from './support/inbound.js';
import { DATABASE_KINDS } from './support/portal.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
let sequence = 0;
const newMessageId = () => `<imap-${Date.now()}-${++sequence}@exemple.fr>`;

for (const kind of DATABASE_KINDS) {
  describe(`replies read by IMAP (${kind})`, { skip: dovecotMissing }, () => {
    let h: InboundHarness;
    let dovecot: Dovecot;
    let mailbox: ImapFlow;

    before(async () => {
      dovecot = await startDovecot();
      h = await startInboundHarness(kind);
      mailbox = imapClient();
      await mailbox.connect();
    });
    after(async () => {
      await mailbox?.logout().catch(() => {});
      await h?.close();
      await dovecot?.stop();
    });

    const imapClient = () =>
      new ImapFlow({
        host: '127.0.0.1',
        port: dovecot.port,
        secure: false,
        auth: { user: dovecot.user, pass: dovecot.pass },
        logger: false,
      });

    const poller = (files = h.portal.app.deps.files) =>
      new InboundImapPoller({ db: h.portal.database.db, files, config: h.portal.config }, dovecot.url, quiet);

    /** Delivers a message into the INBOX, as the mail server would, with the Delivered-To it adds. */
    async function deliver(message: Mail.Options) {
      const raw = await new MailComposer(message).compile().build();
      const delivered = Buffer.concat([Buffer.from(`Delivered-To: ${String(message.to)}\r\n`), raw]);
      await mailbox.append('INBOX', delivered);
    }

    /** Messages in a folder, seen from a new connection (another session's moves are not pushed to ours). */
    const count = async (path: string, query: { seen?: boolean } = {}) => {
      const client = imapClient();
      await client.connect();
      try {
        const lock = await client.getMailboxLock(path);
        try {
          return ((await client.search(query)) || []).length;
        } finally {
          lock.release();
        }
      } finally {
        await client.logout();
      }
    };

    async function awaitingInfo(subject: string) {
      const number = await fileAs(h.portal, 'demandeur', { subject });
      await act(h, 'agent', number, 'ask_info', 'Quel est votre numéro de SIRET ?');
      return { number, notification: await lastNotification(h, number) };
    }

    test('a reply in the mailbox is added once, then marked read and moved to « Traités »', async () => {
      const { number, notification } = await awaitingInfo('Réponse lue par IMAP');
      const messageId = newMessageId();
      const message = { ...replyTo(notification, 'Mon SIRET est 123 456 789 00012.'), messageId };
      await deliver(message);
      await deliver(message);
      await deliver({
        ...replyTo(notification, 'Je suis absente.'),
        messageId: newMessageId(),
        headers: { 'Auto-Submitted': 'auto-replied' },
      });
      assert.equal(await count('INBOX', { seen: false }), 3);

      assert.deepEqual(await poller().runOnce(), { handled: 3, failed: 0 });
      const added = await addedInfo(h, number);
      assert.deepEqual(
        added.map((e) => e.body),
        ['Mon SIRET est 123 456 789 00012.'],
      );
      const row = await inboundRow(h, messageId);
      assert.equal(row?.outcome, 'added');
      assert.equal(row?.channel, 'imap');
      assert.equal(await count('INBOX'), 0);
      assert.equal(await count(DONE_FOLDER, { seen: true }), 3);
      assert.deepEqual(await poller().runOnce(), { handled: 0, failed: 0 });
    });

    test('a message whose processing fails stays unseen and is read on the next run', async () => {
      const { number, notification } = await awaitingInfo('Disque en panne');
      const messageId = newMessageId();
      await deliver({
        ...replyTo(notification, 'Voici la capture.'),
        to: replyToOf(notification),
        messageId,
        attachments: [{ filename: 'capture.png', content: PNG, contentType: 'image/png' }],
      });
      // A file store whose folder is a plain file: saving the attachment fails, as on a broken disk.
      const broken = join(h.portal.config.dataDir, 'not-a-folder');
      writeFileSync(broken, '');
      assert.deepEqual(await poller(new FileStore(broken)).runOnce(), { handled: 0, failed: 1 });
      assert.equal(await count('INBOX', { seen: false }), 1);
      assert.equal(await inboundRow(h, messageId), undefined);
      assert.equal((await addedInfo(h, number)).length, 0);

      assert.deepEqual(await poller().runOnce(), { handled: 1, failed: 0 });
      assert.equal((await addedInfo(h, number)).length, 1);
      assert.equal(await count('INBOX'), 0);
    });
  });
}
