/**
 * A database outage while the outbox is sending: a message the SMTP server accepted, whose
 * « sent » could not be recorded, was sent again once its claim ran out; and the failed record
 * stopped the batch, leaving the next messages claimed, unsent, for five minutes. Each message
 * now goes once, and each row's failure stays its own. On a PostgreSQL server of this test's own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { type Database, openDatabase, transaction } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { enqueueMails } from '../../src/domain/notifications/outbox.js';
import { OutboxWorker } from '../../src/jobs/outbox-worker.js';
import { MailSink } from '../support/mail-sink.js';
import { PrivatePostgres } from '../support/private-postgres.js';

const quiet = { info: () => {}, warn: () => {} };

describe('faults: the database goes away while mails are sent (private PostgreSQL)', () => {
  const server = new PrivatePostgres();
  const sink = new MailSink();
  let database: Database;
  let worker: OutboxWorker;
  let url = '';

  before(async () => {
    await server.start();
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('create database guichet');
    await admin.end();
    url = server.url.replace(/\/postgres$/, '/guichet');
    database = await openDatabase({ dataDir: '', databaseUrl: url, poolSize: 3 });
    await migrate(database);
    const smtpUrl = `smtp://127.0.0.1:${await sink.start()}`;
    worker = new OutboxWorker(database.db, { smtpUrl, mailFrom: 'ne-pas-repondre@assistance.localhost', publicUrl: '' }, quiet);
  });

  after(async () => {
    await sink.stop();
    await database?.close();
    await server.destroy();
  });

  /** Reads the outbox on a connection of its own (the worker's pool may hold broken ones). */
  async function outbox() {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('select id, status, message_id from outbox order by id');
    await client.end();
    return rows as { id: string; status: string; message_id: string | null }[];
  }

  test('the server stops as the first message is accepted: three messages, three sent, each once', async () => {
    await transaction(database.db, (tx) =>
      enqueueMails(
        tx,
        [1, 2, 3].map((n) => ({ to: `personne${n}@example.fr`, subject: `Message ${n}`, body: `Corps ${n}`, kind: 'test' })),
      ),
    );
    sink.beforeAccepting = async () => {
      sink.beforeAccepting = null;
      await server.stop('immediate');
    };
    await worker.runOnce();
    assert.equal(sink.messages.length, 3, 'the other messages of the batch went too');
    await server.start();
    // Five minutes later, as far as the outbox knows: every claim has run out.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`update outbox set next_attempt_at = now() where status = 'pending'`);
    await client.end();
    await worker.runOnce();
    await worker.runOnce();

    assert.equal(sink.messages.length, 3, 'no message sent twice');
    const rows = await outbox();
    assert.deepEqual(
      rows.map((r) => r.status),
      ['sent', 'sent', 'sent'],
    );
    const received = await Promise.all(sink.messages.map(async (m) => (await simpleParser(m.raw)).messageId));
    assert.deepEqual(new Set(rows.map((r) => r.message_id)), new Set(received), 'the Message-ID the server accepted is recorded');
  });
});
