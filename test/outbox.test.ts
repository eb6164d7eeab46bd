/**
 * The outbox against a real SMTP server in the test process: each message is delivered once;
 * with the server down, requests are still saved and messages wait, then go once it is back;
 * two workers never send one row twice; with no SMTP configured, messages are kept for the admin.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { transaction } from '../src/db/client.js';
import { enqueueMail } from '../src/domain/notifications/outbox.js';
import { OutboxWorker } from '../src/jobs/outbox-worker.js';
import { count, fileAs, readForm, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { MailSink } from './support/mail-sink.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

/** A port nothing listens on (yet). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const quiet = { info: () => {}, warn: () => {} };
const MAIL_FROM = 'Assistance <ne-pas-repondre@assistance.localhost>';

for (const kind of DATABASE_KINDS) {
  describe(`outbox delivery (${kind})`, () => {
    let portal: TestPortal;
    const sink = new MailSink();
    let smtpUrl: string;

    before(async () => {
      portal = await createTestPortal(kind);
      smtpUrl = `smtp://127.0.0.1:${await sink.start()}`;
      // Only the requester's receipt here: agents' new-request mails are tested in notifications.test.ts.
      await portal.database.db.execute(sql`update users set notify_new_requests = 'none'`);
    });
    after(async () => {
      await sink.stop();
      await portal?.close();
    });

    /** A worker sending to the test server, to another address, or (null) with no SMTP configured. */
    const worker = (url: string | null = smtpUrl) =>
      new OutboxWorker(
        portal.database.db,
        { smtpUrl: url ?? undefined, mailFrom: MAIL_FROM, publicUrl: 'http://localhost' },
        quiet,
      );

    /** Delivers everything due (other tests' leftovers included) before a test starts. */
    async function drain() {
      await portal.database.db.execute(sql`update outbox set status = 'kept' where status = 'pending'`);
      sink.messages.length = 0;
    }

    test('a receipt is delivered exactly once', async () => {
      await drain();
      const number = await fileAs(portal, 'demandeur', { subject: 'Accusé attendu' });
      const w = worker();
      assert.equal(await w.runOnce(), 1);
      assert.equal(await w.runOnce(), 0);
      assert.equal(await worker().runOnce(), 0);
      assert.equal(sink.messages.length, 1);
      const [message] = sink.messages;
      assert.deepEqual(message?.to, ['demandeur@demo.assistance.localhost']);
      assert.equal(message?.from, 'ne-pas-repondre@assistance.localhost');
      assert.match(message?.raw ?? '', /^Auto-Submitted: auto-generated/m);
      assert.match(message?.raw ?? '', new RegExp(String(number)));
      const [row] = await rows<{ status: string; attempts: number; sent_at: Date | null; message_id: string | null }>(
        portal.database.db,
        sql`select o.status, o.attempts, o.sent_at, o.message_id from outbox o join requests r on r.id = o.request_id where r.number = ${number}`,
      );
      assert.equal(row?.status, 'sent');
      assert.equal(Number(row?.attempts), 1);
      assert.ok(row?.sent_at);
      assert.ok(row?.message_id);
    });

    test('with the SMTP server down, the request is saved and its receipt waits, then goes once the server is back', async () => {
      await drain();
      const db = portal.database.db;
      const port = await closedPort();
      const downUrl = `smtp://127.0.0.1:${port}`;
      // The requester files through the page: nothing fails for them.
      const demandeur = await new Visitor(portal.app).login('demandeur');
      const form = readForm((await demandeur.get('/demandes/nouvelle')).body);
      const created = await demandeur.postMultipart(`/demandes/nouvelle`, {
        _csrf: form.csrf,
        token: form.token,
        subject: 'Envoyée pendant la panne',
        blocking: 'non',
        applicationId: form.option('CERES'),
        description: 'Le serveur de courrier est en panne.',
      });
      assert.equal(created.statusCode, 303);
      const number = Number(/\/demandes\/(\d+)/.exec(String(created.headers.location))?.[1]);

      const w = worker(downUrl);
      assert.equal(await w.runOnce(), 1);
      const outboxRow = () =>
        rows<{ id: string; status: string; attempts: number; last_error: string | null; wait_s: number }>(
          db,
          sql`select o.id, o.status, o.attempts, o.last_error,
                extract(epoch from (o.next_attempt_at - now()))::int as wait_s
              from outbox o join requests r on r.id = o.request_id where r.number = ${number}`,
        ).then((r) => r[0]!);
      let row = await outboxRow();
      assert.equal(row.status, 'pending');
      assert.equal(Number(row.attempts), 1);
      assert.match(row.last_error ?? '', /ECONNREFUSED|connect/i);
      assert.ok(row.wait_s > 0, 'retried later, with a delay');
      // Not retried before its time.
      assert.equal(await w.runOnce(), 0);

      // The server comes back on the same address; skip the wait.
      const back = new MailSink();
      await back.start(port);
      try {
        await db.execute(sql`update outbox set next_attempt_at = now() where id = ${Number(row.id)}`);
        assert.equal(await w.runOnce(), 1);
        assert.equal(await w.runOnce(), 0);
        assert.equal(back.messages.length, 1);
        row = await outboxRow();
        assert.equal(row.status, 'sent');
        assert.equal(Number(row.attempts), 2);
      } finally {
        await back.stop();
      }
    });

    test('a permanent refusal (5xx) is marked failed and visible to the admin', async () => {
      await drain();
      const db = portal.database.db;
      sink.reject.add('refuse@test.localhost');
      try {
        await transaction(db, (tx) =>
          enqueueMail(tx, { kind: 'test', to: 'refuse@test.localhost', subject: 'Adresse refusée', body: 'Bonjour.' }),
        );
        assert.equal(await worker().runOnce(), 1);
        const [row] = await rows<{ status: string; last_error: string }>(
          db,
          sql`select status, last_error from outbox where to_address = 'refuse@test.localhost'`,
        );
        assert.equal(row?.status, 'failed');
        assert.match(row?.last_error ?? '', /550/);
        const admin = await new Visitor(portal.app).login('admin');
        const page = await admin.get('/admin/courriels');
        assert.match(page.body, /Adresse refusée[\s\S]*?Échec définitif/);
      } finally {
        sink.reject.clear();
      }
    });

    test('two workers running together never send the same row twice (FOR UPDATE SKIP LOCKED)', async () => {
      await drain();
      const db = portal.database.db;
      const total = 30;
      await transaction(db, async (tx) => {
        for (let i = 0; i < total; i++) {
          await enqueueMail(tx, { kind: 'test', to: `lot-${i}@test.localhost`, subject: `Lot ${i}`, body: `Message ${i}` });
        }
      });
      try {
        const workers = [worker(), worker()];
        const handled = [0, 0];
        await Promise.all(
          workers.map(async (w, i) => {
            for (;;) {
              const n = await w.runOnce();
              handled[i]! += n;
              if (n === 0) break;
            }
          }),
        );
        assert.equal(handled[0]! + handled[1]!, total);
        if (kind === 'postgres') assert.ok(handled[0]! > 0 && handled[1]! > 0, `both workers took rows: ${handled}`);
      } finally {
        sink.delayMs = 0;
      }
      const recipients = sink.messages.flatMap((m) => m.to);
      assert.equal(recipients.length, total);
      assert.equal(new Set(recipients).size, total);
      assert.equal(await count(db, sql`select count(*) as n from outbox where kind = 'test' and status = 'pending'`), 0);
      assert.equal(
        await count(db, sql`select count(*) as n from outbox where kind = 'test' and attempts <> 1 and status = 'sent'`),
        0,
      );
    });

    test('a mail enqueued twice under one dedupe key is written and sent once', async () => {
      await drain();
      const db = portal.database.db;
      const mail = {
        kind: 'test',
        to: 'une-fois@test.localhost',
        subject: 'Une seule fois',
        body: 'Bonjour.',
        dedupeKey: 'test:1:u1',
      };
      assert.equal(await transaction(db, (tx) => enqueueMail(tx, mail)), true);
      // A second transaction (a retry) and a second call in one transaction.
      await transaction(db, async (tx) => {
        assert.equal(await enqueueMail(tx, mail), false);
        assert.equal(await enqueueMail(tx, { ...mail, subject: 'Autre objet' }), false);
      });
      assert.equal(await worker().runOnce(), 1);
      assert.equal(await worker().runOnce(), 0);
      assert.deepEqual(
        sink.messages.flatMap((m) => m.to),
        ['une-fois@test.localhost'],
      );
    });

    test('a value with line breaks cannot add a header or a recipient', async () => {
      await drain();
      await fileAs(portal, 'demandeur', { subject: 'Sujet\r\nBcc: espion@evil.example\r\nX-Injecte: oui' });
      assert.equal(await worker().runOnce(), 1);
      const [message] = sink.messages;
      assert.deepEqual(message?.to, ['demandeur@demo.assistance.localhost']);
      const headers = (message?.raw ?? '').split('\r\n\r\n')[0] ?? '';
      assert.match(headers, /^Subject:/m);
      assert.doesNotMatch(headers, /^Bcc:/im);
      assert.doesNotMatch(headers, /^X-Injecte:/im);
    });

    test('with no SMTP server configured, messages are kept and the admin reads them', async () => {
      await drain();
      const db = portal.database.db;
      const number = await fileAs(portal, 'demandeur', { subject: 'Sans serveur de courrier' });
      assert.equal(await worker(null).runOnce(), 1);
      const [row] = await rows<{ id: string; status: string }>(
        db,
        sql`select o.id, o.status from outbox o join requests r on r.id = o.request_id where r.number = ${number}`,
      );
      assert.equal(row?.status, 'kept');
      assert.equal(sink.messages.length, 0);
      const admin = await new Visitor(portal.app).login('admin');
      const list = await admin.get('/admin/courriels');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Aucun serveur SMTP n’est configuré/);
      assert.match(list.body, /Sans serveur de courrier[\s\S]*?Conservé \(pas de serveur SMTP\)/);
      const message = await admin.get(`/admin/courriels/${row?.id}`);
      assert.equal(message.statusCode, 200);
      assert.match(message.body, /Votre demande n° \d+ « Sans serveur de courrier » a bien été reçue/);
      // Requesters and agents do not read the outbox.
      const agent = await new Visitor(portal.app).login('agent');
      assert.equal((await agent.get(`/admin/courriels/${row?.id}`)).statusCode, 403);
    });
  });
}
