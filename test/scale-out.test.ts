/**
 * Two portal processes on one PostgreSQL database, one shared data folder and one session secret
 * behave as one portal: a session opened on one is open on the other (and closed on both), a file
 * stored by one is served by the other, and the jobs running in both never do the same work twice
 * (the outbox sends each message once, each auto-close reminder goes out once).
 *
 * Each process has its own SMTP listener in this test process, so every message received tells
 * which process sent it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { MailSink } from './support/mail-sink.js';
import { serverUrl } from './support/portal.js';
import { Browser, csrfOf, PortalProcess, sleep, until } from './support/process.js';

const SECRET = randomBytes(32).toString('hex');
const FILINGS = 30;

describe('several portal processes behave as one portal (PostgreSQL)', () => {
  const name = `guichet_scaleout_${randomBytes(5).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-scaleout-'));
  const sinks = [new MailSink(), new MailSink()] as const;
  const portals = [new PortalProcess('portal A'), new PortalProcess('portal B')] as const;
  const [a, b] = portals;
  const killAll = () => {
    for (const p of portals) p.killNow();
  };
  let db: pg.Pool;
  let created = false;

  const query = async <T>(text: string, values: unknown[] = []) => (await db.query(text, values)).rows as T[];
  const pendingMails = async () =>
    Number((await query<{ n: string }>(`select count(*) as n from outbox where status = 'pending'`))[0]?.n);

  before(async () => {
    process.once('exit', killAll);
    const admin = new pg.Client({ connectionString: serverUrl() });
    await admin.connect();
    try {
      await admin.query(`create database ${name}`);
      created = true;
    } finally {
      await admin.end();
    }
    const url = new URL(serverUrl());
    url.pathname = `/${name}`;
    db = new pg.Pool({ connectionString: url.toString(), max: 2 });
    const smtpPorts = await Promise.all(sinks.map((s) => s.start()));
    // Both start at once on the empty database: migrations and first seeding must not collide.
    await Promise.all(
      portals.map((portal, i) =>
        portal.start({
          NODE_ENV: 'test',
          HOST: '127.0.0.1',
          DATABASE_URL: url.toString(),
          DATA_DIR: dataDir,
          SESSION_SECRET: SECRET,
          PUBLIC_URL: 'http://assistance.localhost',
          SMTP_URL: `smtp://127.0.0.1:${smtpPorts[i]}`,
          LOG_LEVEL: 'warn',
          // Every job five times a second in each process: claims without row locks would collide.
          JOBS_MAX_INTERVAL_S: '0.2',
        }),
      ),
    );
    await Promise.all(portals.map((p) => p.ready()));
  });

  after(async () => {
    await Promise.all(portals.map((p) => p.stop()));
    process.removeListener('exit', killAll);
    await Promise.all(sinks.map((s) => s.stop()));
    await db?.end();
    if (created) {
      const admin = new pg.Client({ connectionString: serverUrl() });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a session opened through A works through B; logging out through B ends it for A', async () => {
    const person = await new Browser().login(a.base, 'demandeur');
    for (const portal of [b, a]) {
      const page = await person.page(`${portal.base}/mon-compte`);
      assert.equal(page.status, 200, `${portal.name}: ${page.status} ${page.location}`);
      assert.match(page.body, /Hélène/);
      assert.match(page.body, /RIVIÈRE/);
    }
    const token = csrfOf((await person.page(`${b.base}/mon-compte`)).body);
    const out = await person.post(`${b.base}/deconnexion`, { _csrf: token });
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('location'), '/connexion');
    for (const portal of [a, b]) {
      const page = await person.page(`${portal.base}/mon-compte`);
      assert.notEqual(page.status, 200, `${portal.name} still serves the closed session`);
      assert.match(page.location ?? '', /^\/connexion/);
    }
  });

  test('a request filed with an attachment through A is read, and its file downloaded byte for byte, through B', async () => {
    const person = await new Browser().login(a.base, 'demandeur');
    const bytes = Buffer.from(`Journal d’erreurs\n${randomBytes(60_000).toString('hex')}\n`, 'utf8');
    const number = await person.file(a.base, 'Pièce jointe partagée', { name: 'journal.txt', bytes });
    const page = await person.page(`${b.base}/demandes/${number}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Pièce jointe partagée/);
    assert.match(page.body, /journal\.txt/);
    const link = /href="(\/pieces-jointes\/\d+)"/.exec(page.body)?.[1];
    assert.ok(link, 'a download link on the page served by B');
    const download = await person.request(`${b.base}${link}`);
    assert.equal(download.status, 200);
    assert.ok(Buffer.from(await download.arrayBuffer()).equals(bytes), 'the same bytes');
  });

  test(`${FILINGS} requests filed alternately through A and B: every notification is sent once, by either process`, async (t) => {
    const person = await new Browser().login(b.base, 'demandeur');
    const numbers: number[] = [];
    for (let i = 0; i < FILINGS; i++) {
      const portal = portals[i % 2]!;
      numbers.push(await person.file(portal.base, `Demande ${i + 1} par ${portal.name}`));
    }
    assert.equal(new Set(numbers).size, FILINGS);
    await until('the outbox is empty', async () => (await pendingMails()) === 0);

    const outbox = await query<{ status: string; message_id: string | null; to_address: string; subject: string }>(
      `select status, message_id, to_address, subject from outbox order by id`,
    );
    assert.deepEqual(
      outbox.filter((m) => m.status !== 'sent'),
      [],
    );
    const received = sinks.flatMap((s) => s.messages);
    assert.equal(received.length, outbox.length, 'one message received per outbox row');
    const ids = await Promise.all(received.map(async (m) => (await simpleParser(m.raw)).messageId));
    assert.equal(new Set(ids).size, ids.length, 'no Message-ID received twice');
    assert.deepEqual(new Set(ids), new Set(outbox.map((m) => m.message_id)));
    const pairs = outbox.map((m) => `${m.to_address} ${m.subject}`);
    assert.equal(new Set(pairs).size, pairs.length, 'no recipient got the same subject twice');
    for (const number of numbers) {
      const receipts = outbox.filter((m) => m.subject.startsWith(`[Demande n° ${number}] Accusé de réception`));
      assert.equal(receipts.length, 1, `receipt of n° ${number}`);
    }
    assert.ok(sinks[0].messages.length > 0 && sinks[1].messages.length > 0, 'both processes delivered');
    t.diagnostic(`${received.length} messages: ${sinks[0].messages.length} sent by A, ${sinks[1].messages.length} by B`);
  });

  test('requests answered long ago get their auto-close reminder once each, from either process', async (t) => {
    const person = await new Browser().login(a.base, 'demandeur');
    await person.file(a.base, 'Ancienne demande traitée');
    await until('its receipt is sent', async () => (await pendingMails()) === 0);
    const before = sinks.map((s) => s.messages.length);
    // Every request of the database answered 30 days ago and left without reaction since: all
    // reminders are due at once, so both processes' runs of the job meet on the same rows.
    const requests = await query<{ id: number; number: string }>(
      `update requests set status = 'resolved', resolved_at = now() - interval '30 days',
         created_at = now() - interval '40 days', auto_close_reminded_at = null
       returning id, number`,
    );
    await query(`update request_events set created_at = now() - interval '40 days'`);
    const reminded = async () =>
      Number(
        (
          await query<{ n: string }>(
            `select count(distinct request_id) as n from request_events where kind = 'auto_close_reminder'`,
          )
        )[0]?.n,
      );
    await until('every reminder is recorded', async () => (await reminded()) === requests.length);
    // Several more runs of the job in both processes: nothing more may happen.
    await sleep(2_000);
    await until('the reminders are sent', async () => (await pendingMails()) === 0);

    const events = await query<{ request_id: number; body: string }>(
      `select request_id, body from request_events where kind = 'auto_close_reminder' order by request_id`,
    );
    assert.deepEqual(
      events.map((e) => e.request_id),
      requests.map((r) => r.id).sort((x, y) => x - y),
      'one reminder in the history of each request',
    );
    for (const { body } of events)
      assert.match(body, /^Rappel : la demande sera clôturée automatiquement le \d{2}\/\d{2}\/\d{4}\.$/);
    const rows = await query<{ message_id: string; status: string }>(
      `select message_id, status from outbox where kind = 'auto_close_reminder'`,
    );
    assert.equal(rows.length, requests.length, 'one reminder e-mail per request');
    assert.ok(rows.every((r) => r.status === 'sent'));
    const fresh = sinks.map((s, i) => s.messages.slice(before[i]));
    const ids = await Promise.all(fresh.flat().map(async (m) => (await simpleParser(m.raw)).messageId));
    assert.equal(ids.length, requests.length, 'one message received per reminder');
    assert.deepEqual(new Set(ids), new Set(rows.map((r) => r.message_id)));
    const [open] = await query<{ n: string }>(`select count(*) as n from requests where status = 'resolved'`);
    assert.equal(Number(open?.n), requests.length, 'none closed yet: the reminder gives notice first');
    t.diagnostic(`${requests.length} reminders: ${fresh[0]?.length} sent by A, ${fresh[1]?.length} by B`);
  });
});
