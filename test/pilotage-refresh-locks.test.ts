/**
 * The facts worker and the commands lock the same rows: a command locks its request, then marks it
 * for the worker; the worker takes marks, then writes facts whose foreign keys need the request.
 * Taken in opposite orders, that deadlocked under load (a comment answered 500). The worker now
 * skips a request a command holds, and takes it once the command has committed.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { transaction } from '../src/db/client.js';
import { refreshAllFacts, refreshFacts } from '../src/domain/pilotage/refresh.js';
import { fileAs, rows } from './support/factories.js';
import { createTestPortal, type TestPortal } from './support/portal.js';

let portal: TestPortal;
before(async () => {
  portal = await createTestPortal('postgres');
});
after(() => portal?.close());

test('the worker skips a request a command holds, and never deadlocks with it', async () => {
  const db = portal.database.db;
  const number = await fileAs(portal, 'demandeur', { subject: 'Verrous' });
  await refreshAllFacts(db);
  const [request] = await rows<{ id: string }>(db, sql`select id from requests where number = ${number}`);
  const id = Number(request?.id);
  // Marked by an earlier event, not yet taken.
  await db.execute(sql`insert into request_facts_pending (request_id) values (${id})`);
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  // A command: locks the request, works, marks it, commits.
  const command = transaction(db, async (tx) => {
    await tx.execute(sql`select id from requests where id = ${id} for update`);
    locked();
    await released;
    await tx.execute(sql`insert into request_facts_pending (request_id) values (${id}) on conflict do nothing`);
  });
  await isLocked;
  const taken = await Promise.race([refreshFacts(db), sleep(3000).then(() => 'blocked')]);
  assert.equal(taken, 0, 'the worker skips the request the command holds');
  release();
  await command;
  assert.equal(await refreshFacts(db), 1, 'taken once the command has committed');
  assert.deepEqual(await rows(db, sql`select request_id from request_facts_pending`), []);
});
