/**
 * Auto-close of answered requests: the reminder goes out once, on its working day, and the
 * closing comes only after it; both are in the history. The days are working days (a weekend
 * does not count), a reaction of the requester stops it, and two workers at once do it once.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import { TZDate } from '@date-fns/tz';
import { sql } from 'drizzle-orm';
import { setClock } from '../src/domain/clock.js';
import { runAutoClose } from '../src/jobs/auto-close.js';
import { actAs, fileAs, rows } from './support/factories.js';
import { Visitor } from './support/http.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

const CONTEXT = { publicUrl: 'http://localhost:3000' };

/** A moment in Paris time (month 1-based). */
const paris = (month: number, day: number, hour: number, minute = 0) =>
  new Date(new TZDate(2026, month - 1, day, hour, minute, 'Europe/Paris').getTime());

// Answered on Friday 4 December at 10:00; with 10 working days and a reminder 2 days before, the
// reminder is due on Wednesday 16 December at 10:00 and the closing on Friday 18 December at 10:00.
const ANSWERED = paris(12, 4, 10);

for (const kind of DATABASE_KINDS) {
  describe(`auto-close (${kind})`, () => {
    let portal: TestPortal;

    before(async () => {
      portal = await createTestPortal(kind);
    });
    afterEach(() => setClock(null));
    after(() => portal?.close());

    const db = () => portal.database.db;

    /** A request filed an hour before `at` and answered at `at`, by the desk, through the workflow. */
    async function answered(at = ANSWERED): Promise<number> {
      // Filed by the same clock: its history stays in order whatever today's date.
      setClock(new Date(at.getTime() - 3_600_000));
      const number = await fileAs(portal, 'demandeur', { subject: 'Édition des attestations' });
      setClock(at);
      await actAs(portal, 'agent', number, 'resolve', { message: 'Le modèle a été corrigé.' });
      return number;
    }

    async function runAt(at: Date, workers = 1) {
      setClock(at);
      await Promise.all(Array.from({ length: workers }, () => runAutoClose(db(), CONTEXT)));
    }

    const stateOf = async (number: number) => {
      const [row] = await rows<{ status: string }>(db(), sql`select status from requests where number = ${number}`);
      const events = await rows<{ kind: string; body: string | null; internal: boolean }>(
        db(),
        sql`select e.kind, e.body, e.internal from request_events e join requests r on r.id = e.request_id
            where r.number = ${number} and e.kind in ('auto_close_reminder', 'auto_close') order by e.id`,
      );
      const mails = await rows<{ kind: string; to_address: string }>(
        db(),
        sql`select o.kind, o.to_address from outbox o join requests r on r.id = o.request_id
            where r.number = ${number} and o.kind in ('auto_close_reminder', 'closed') order by o.id`,
      );
      return { status: row?.status, events, mails };
    };

    test('no reminder before its working day; the weekend does not count', async () => {
      const number = await answered();
      // Ten calendar days later, but only four working days: nothing yet.
      for (const at of [paris(12, 12, 12), paris(12, 14, 18), paris(12, 16, 9, 59)]) {
        await runAt(at);
        assert.deepEqual((await stateOf(number)).events, [], at.toISOString());
      }
      assert.equal((await stateOf(number)).status, 'resolved');
    });

    test('the reminder goes out once, then the closing after it; both are in the history', async () => {
      const number = await answered();
      await runAt(paris(12, 16, 10, 1));
      await runAt(paris(12, 16, 15));
      let state = await stateOf(number);
      assert.equal(state.status, 'resolved');
      assert.deepEqual(state.events, [
        {
          kind: 'auto_close_reminder',
          body: 'Rappel : la demande sera clôturée automatiquement le 18/12/2026.',
          internal: false,
        },
      ]);
      const [requesterRow] = await rows<{ email: string }>(db(), sql`select email from users where login = 'demandeur'`);
      assert.deepEqual(state.mails, [{ kind: 'auto_close_reminder', to_address: requesterRow?.email }]);

      await runAt(paris(12, 18, 9, 59));
      assert.equal((await stateOf(number)).status, 'resolved');
      await runAt(paris(12, 18, 10, 5));
      state = await stateOf(number);
      assert.equal(state.status, 'closed');
      assert.deepEqual(
        state.events.map((e) => e.kind),
        ['auto_close_reminder', 'auto_close'],
      );
      assert.deepEqual(
        state.mails.map((m) => m.kind),
        ['auto_close_reminder', 'closed'],
      );
      await runAt(paris(12, 21, 10));
      assert.equal((await stateOf(number)).events.length, 2);

      const requester = await new Visitor(portal.app).login('demandeur');
      const page = (await requester.get(`/demandes/${number}`)).body;
      assert.match(page, /Rappel : la demande sera clôturée automatiquement le 18\/12\/2026\./);
      assert.match(page, /Clôturée automatiquement, sans réaction du demandeur/);
    });

    test('never closed without the reminder: a late reminder announces a later closing', async () => {
      const number = await answered();
      // The job did not run during the reminder's days: on the closing day it reminds first.
      await runAt(paris(12, 18, 12));
      let state = await stateOf(number);
      assert.equal(state.status, 'resolved');
      assert.deepEqual(
        state.events.map((e) => e.body),
        ['Rappel : la demande sera clôturée automatiquement le 22/12/2026.'],
      );
      await runAt(paris(12, 21, 17));
      assert.equal((await stateOf(number)).status, 'resolved');
      await runAt(paris(12, 22, 12, 1));
      state = await stateOf(number);
      assert.equal(state.status, 'closed');
      assert.deepEqual(
        state.events.map((e) => e.kind),
        ['auto_close_reminder', 'auto_close'],
      );
    });

    test('the requester refusing or accepting the answer in between stops it', async () => {
      const refused = await answered();
      const accepted = await answered();
      await runAt(paris(12, 16, 10, 1));
      assert.equal((await stateOf(refused)).events.length, 1);
      setClock(paris(12, 17, 9, 30));
      await actAs(portal, 'demandeur', refused, 'refuse', { message: 'Le problème persiste.' });
      await actAs(portal, 'demandeur', accepted, 'accept');
      await runAt(paris(12, 18, 10, 5));
      await runAt(paris(12, 31, 10));
      const r = await stateOf(refused);
      assert.equal(r.status, 'in_progress');
      assert.deepEqual(
        r.events.map((e) => e.kind),
        ['auto_close_reminder'],
      );
      const a = await stateOf(accepted);
      assert.equal(a.status, 'closed');
      assert.deepEqual(
        a.events.map((e) => e.kind),
        ['auto_close_reminder'],
      );
    });

    test('answered again after a refusal, the count starts over with a new reminder', async () => {
      const number = await answered();
      await runAt(paris(12, 16, 10, 1));
      setClock(paris(12, 17, 9, 30));
      await actAs(portal, 'demandeur', number, 'refuse', { message: 'Toujours pas.' });
      // Answered again on Monday 21 December at 10:00 (25 December is a public holiday).
      setClock(paris(12, 21, 10));
      await actAs(portal, 'agent', number, 'resolve', { message: 'Corrigé pour de bon.' });
      // Eight working days later, with 25 December and 1 January off: Monday 4 January.
      await runAt(paris(12, 31, 17));
      assert.equal((await stateOf(number)).events.length, 1);
      await runAt(new Date(new TZDate(2027, 0, 4, 10, 1, 'Europe/Paris').getTime()));
      const state = await stateOf(number);
      assert.equal(state.status, 'resolved');
      assert.deepEqual(
        state.events.map((e) => e.body),
        [
          'Rappel : la demande sera clôturée automatiquement le 18/12/2026.',
          'Rappel : la demande sera clôturée automatiquement le 06/01/2027.',
        ],
      );
    });

    test('two workers at once remind once and close once', async () => {
      const number = await answered();
      await runAt(paris(12, 16, 10, 1), 3);
      let state = await stateOf(number);
      assert.deepEqual(
        state.events.map((e) => e.kind),
        ['auto_close_reminder'],
      );
      assert.equal(state.mails.length, 1);
      await runAt(paris(12, 18, 10, 5), 3);
      state = await stateOf(number);
      assert.deepEqual(
        state.events.map((e) => e.kind),
        ['auto_close_reminder', 'auto_close'],
      );
      assert.deepEqual(
        state.mails.map((m) => m.kind),
        ['auto_close_reminder', 'closed'],
      );
    });
  });
}
