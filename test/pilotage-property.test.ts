/**
 * Property: on random histories written through the domain's commands (actions at random whole
 * hours, weekends and the 11 November holiday included), the figures of « Pilotage » equal a
 * direct computation from the events, written here independently (working time counted hour by
 * hour); after incremental updates in two rounds, and again after a rebuild.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { setClock } from '../src/domain/clock.js';
import { summaryOf } from '../src/domain/pilotage/figures.js';
import { readFilters } from '../src/domain/pilotage/filters.js';
import { rebuildFacts, refreshAllFacts } from '../src/domain/pilotage/refresh.js';
import { getReferentials } from '../src/domain/referentials/referentials.js';
import type { Action } from '../src/domain/vocabulary.js';
import { actAs, actorOf, createUser, fileAs, rows } from './support/factories.js';
import { createTestPortal, DATABASE_KINDS, type TestPortal } from './support/portal.js';

const HOUR = 3600_000;
const START = Date.parse('2026-11-02T08:00:00Z'); // Monday 9:00 in Paris (UTC+1 all November)

/** A small deterministic generator: the same seed gives the same histories. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Whether the hour starting at `t` (UTC ms, November: Paris = UTC+1) is worked: Monday–Friday, 9–18, not 11 November. */
function workedHour(t: number): boolean {
  const paris = new Date(t + HOUR);
  const day = paris.getUTCDay();
  const hour = paris.getUTCHours();
  return day >= 1 && day <= 5 && hour >= 9 && hour < 18 && !(paris.getUTCMonth() === 10 && paris.getUTCDate() === 11);
}

const workedMinutes = (from: number, to: number, paused: (t: number) => boolean) => {
  let minutes = 0;
  for (let t = from; t < to; t += HOUR) if (workedHour(t) && !paused(t)) minutes += 60;
  return minutes;
};

type Event = { kind: string; from_status: string | null; to_status: string | null; at: number };

/** The expected facts of one request, from its events alone. */
function expected(filed: number, events: Event[]) {
  const runs: { status: string; from: number }[] = [{ status: 'new', from: filed }];
  for (const e of events) if (e.to_status && e.to_status !== runs.at(-1)?.status) runs.push({ status: e.to_status, from: e.at });
  const paused = (t: number) =>
    runs.some((r, i) => r.status === 'awaiting_info' && t >= r.from && t < (runs[i + 1]?.from ?? Number.POSITIVE_INFINITY));
  const response = events.find((e) => ['ask_info', 'resolve', 'mark_duplicate'].includes(e.kind));
  let treated: number | null = null;
  for (let i = runs.length - 1; i >= 0 && ['resolved', 'closed'].includes(runs[i]?.status ?? ''); i--)
    treated = runs[i]?.from ?? null;
  return {
    firstResponse: response ? workedMinutes(filed, response.at, paused) : null,
    resolution: treated === null ? null : workedMinutes(filed, treated, paused),
    treated,
    escalated: events.some((e) => e.kind === 'escalate'),
    refusals: events.filter((e) => e.kind === 'refuse').length,
    reopened: events.some(
      (e) => ['resolved', 'closed'].includes(e.from_status ?? '') && e.to_status && !['resolved', 'closed'].includes(e.to_status),
    ),
  };
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  if (!s.length) return null;
  const mid = (s.length - 1) / 2;
  return ((s[Math.floor(mid)] ?? 0) + (s[Math.ceil(mid)] ?? 0)) / 2;
};

const ACTIONS: Action[] = ['take', 'ask_info', 'add_info', 'resolve', 'refuse', 'accept', 'escalate', 'send_back'];
const REQUESTER_ACTIONS: Action[] = ['add_info', 'refuse', 'accept'];

for (const kind of DATABASE_KINDS) {
  describe(`pilotage figures on random histories (${kind})`, () => {
    let portal: TestPortal;
    const numbers: number[] = [];

    before(async () => {
      portal = await createTestPortal(kind);
      await createUser(portal.database.db, 'pilote-alea', 'pilot', ['CERES']);
    });
    after(async () => {
      setClock(null);
      await portal?.close();
    });

    /** `steps` random actions on each request, each 1 to 30 hours after the one before. */
    async function play(next: () => number, clocks: Map<number, number>, steps: number) {
      const db = portal.database.db;
      for (const number of numbers) {
        for (let i = 0; i < steps; i++) {
          const at = (clocks.get(number) ?? START) + (1 + Math.floor(next() * 30)) * HOUR;
          clocks.set(number, at);
          setClock(new Date(at));
          const action = ACTIONS[Math.floor(next() * ACTIONS.length)] as Action;
          const [row] = await rows<{ level: number }>(db, sql`select level from requests where number = ${number}`);
          const who = REQUESTER_ACTIONS.includes(action) ? 'demandeur' : row?.level === 2 ? 'expert' : 'agent';
          // Not every action is possible from every state: the state machine refuses, and the history says so.
          await actAs(portal, who, number, action, { message: `Étape ${i}` }).catch(() => {});
        }
      }
      setClock(null);
    }

    test('facts equal the direct computation, incrementally and after a rebuild', async () => {
      const db = portal.database.db;
      const next = random(kind === 'pglite' ? 7 : 11);
      const clocks = new Map<number, number>();
      for (let i = 0; i < 24; i++) {
        const filed = START + Math.floor(next() * 18 * 24) * HOUR;
        setClock(new Date(filed));
        const number = await fileAs(portal, 'demandeur', { subject: `Aléa ${i}`, blocking: next() < 0.3 });
        numbers.push(number);
        clocks.set(number, filed);
      }
      await play(next, clocks, 4);
      await refreshAllFacts(db);
      await play(next, clocks, 4);
      await refreshAllFacts(db);

      const requests = await rows<{ id: number; number: number; created_at: string }>(
        db,
        sql`select id, number, created_at from requests where subject like 'Aléa %' order by id`,
      );
      const events = await rows<Event & { request_id: number; created_at: string }>(
        db,
        sql`select e.request_id, e.kind, e.from_status, e.to_status, e.created_at from request_events e
            join requests r on r.id = e.request_id where r.subject like 'Aléa %' order by e.id`,
      );
      const truth = requests.map((r) =>
        expected(
          Date.parse(r.created_at),
          events.filter((e) => Number(e.request_id) === Number(r.id)).map((e) => ({ ...e, at: Date.parse(e.created_at) })),
        ),
      );
      const pilot = await actorOf(db, 'pilote-alea');
      const read = readFilters({ periode: 'dates', du: '2026-11-01', au: '2027-01-31' }, pilot, await getReferentials(db));
      assert.ok(read.ok);
      const check = async () => {
        const s = await summaryOf(db, read.filters, read.filters.period);
        const responses = truth.flatMap((t) => (t.firstResponse === null ? [] : [t.firstResponse]));
        const resolutions = truth.flatMap((t) => (t.resolution === null ? [] : [t.resolution]));
        assert.equal(s.filed, truth.length);
        assert.equal(s.treated, truth.filter((t) => t.treated !== null).length);
        assert.equal(s.escalated, truth.filter((t) => t.escalated).length);
        assert.equal(
          s.refusals,
          truth.reduce((n, t) => n + t.refusals, 0),
        );
        assert.equal(s.reopened, truth.filter((t) => t.reopened).length);
        assert.equal(s.firstResponse.count, responses.length);
        assert.equal(s.firstResponse.median, median(responses));
        assert.equal(s.resolution.count, resolutions.length);
        assert.equal(s.resolution.median, median(resolutions));
        return s;
      };
      const incremental = await check();
      assert.ok(incremental.treated > 0 && incremental.firstResponse.count > 0, 'the random histories answered some requests');
      await rebuildFacts(db);
      assert.deepEqual(await check(), incremental);
    });
  });
}
