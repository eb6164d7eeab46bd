/**
 * The portal rides through its database going away: a PostgreSQL restart in the middle of
 * concurrent writes once stopped the process (a terminated connection's error event, emitted on
 * a client checked out of the pool, had no listener). Requests in flight answer 503, the next
 * ones succeed, /readyz follows the database, and no acknowledged request is lost.
 * The portal runs as its own process on a PostgreSQL server of this test's own.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { PrivatePostgres } from '../support/private-postgres.js';
import { Browser, PortalProcess, sleep, until } from '../support/process.js';

const WRITERS = 4;

describe('faults: the database restarts under the portal (private PostgreSQL)', () => {
  const server = new PrivatePostgres();
  const dataDir = mkdtempSync(join(tmpdir(), 'guichet-restart-'));
  let portal: PortalProcess;
  let databaseUrl = '';

  before(async () => {
    await server.start();
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query('create database guichet');
    await admin.end();
    databaseUrl = server.url.replace(/\/postgres$/, '/guichet');
    portal = new PortalProcess('portal');
    await portal.start({
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      SESSION_SECRET: randomBytes(32).toString('hex'),
      LOG_LEVEL: 'error',
      JOBS_MAX_INTERVAL_S: '0.5',
    });
    await portal.ready();
  });

  after(async () => {
    await portal?.stop();
    await server.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const ready = async () => (await fetch(`${portal.base}/readyz`)).status;

  test('the database stopped: pages answer 503 with the French page, /readyz says so; started again: all is back', async () => {
    const person = await new Browser().login(portal.base, 'demandeur');
    await server.stop();
    assert.equal(await ready(), 503);
    const page = await person.page(`${portal.base}/demandes`);
    assert.equal(page.status, 503);
    assert.match(page.body, /Service indisponible/);
    assert.ok(portal.running, `the portal stopped:\n${portal.log}`);
    await server.start();
    await until('/readyz answers 200 again', async () => (await ready()) === 200);
    assert.equal((await person.page(`${portal.base}/demandes`)).status, 200, 'the session survived');
  });

  test(`a restart while ${WRITERS} people file requests: in-flight ones answer 503, the next succeed, none acknowledged is lost`, async (t) => {
    const people = await Promise.all(Array.from({ length: WRITERS }, () => new Browser().login(portal.base, 'demandeur')));
    const outcomes: { status: number | string; number: number | null; subject: string; at: number }[] = [];
    let restartedAt = Number.POSITIVE_INFINITY;
    let stop = false;
    const write = async (person: Browser, w: number) => {
      for (let i = 0; !stop; i++) {
        const subject = `Écrivain ${w}, demande ${i}`;
        const at = Date.now();
        const outcome = await person.tryFile(portal.base, subject).catch((error: Error) => ({
          status: `${error.message} ${String((error.cause as Error | undefined)?.message ?? '')}`,
          number: null,
        }));
        outcomes.push({ status: outcome.status, number: outcome.number, subject, at });
      }
    };
    const writers = people.map((person, w) => write(person, w));
    await sleep(1_500);
    await server.restart();
    restartedAt = Date.now();
    await sleep(3_000);
    stop = true;
    await Promise.all(writers);

    assert.ok(portal.running, `the portal stopped:\n${portal.log}`);
    assert.equal((await fetch(`${portal.base}/healthz`)).status, 200);
    assert.equal(await ready(), 200);
    const statuses = new Set(outcomes.map((o) => o.status));
    assert.deepEqual(
      [...statuses].filter((s) => s !== 303 && s !== 503),
      [],
      'every answer is a success or a 503',
    );
    const late = outcomes.filter((o) => o.at > restartedAt + 1_000);
    assert.ok(late.length >= WRITERS, 'filings went on after the restart');
    assert.deepEqual(
      late.filter((o) => o.status !== 303),
      [],
      'a second after the restart, every filing succeeds',
    );
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const filed = (await db.query(`select number, subject from requests where subject like 'Écrivain %'`)).rows;
    await db.end();
    const stored = new Map(filed.map((r) => [Number(r.number), r.subject as string]));
    for (const o of outcomes.filter((x) => x.status === 303)) {
      assert.equal(stored.get(o.number!), o.subject, `acknowledged n° ${o.number} is stored`);
    }
    t.diagnostic(
      `${outcomes.length} filings: ${outcomes.filter((o) => o.status === 303).length} acknowledged, ` +
        `${outcomes.filter((o) => o.status === 503).length} answered 503`,
    );
  });
});
